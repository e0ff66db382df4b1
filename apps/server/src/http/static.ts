// Static files: the viewer SPA, the recorder bundle, and the demo shop.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export const contentType = (path: string) => TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

/** Resolves `urlPath` inside `root`, refusing anything that escapes it (`..`, encoded or not). */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = normalize(join(root, decoded));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

export async function readStatic(root: string, urlPath: string): Promise<{ path: string; body: Buffer } | null> {
  const full = safeJoin(root, urlPath);
  if (!full) return null;
  try {
    const st = await stat(full);
    const file = st.isDirectory() ? join(full, 'index.html') : full;
    return { path: file, body: await readFile(file) };
  } catch {
    return null;
  }
}
