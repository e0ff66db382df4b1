// A tiny static server for the fidelity corpus. HTML files get the embed placeholders
// ({{ENDPOINT}}, {{KEY}}) substituted, exactly like a customer's template would render them.
// /spa and /spa/* fall back to spa.html so pushState routes would survive a reload.
// `generated` pages (path → HTML, e.g. the fuzz's) are served the same way, from memory: a real
// loopback server, since Chromium does not let a routed (fulfilled) page load the loopback recorder.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

export const PAGES_DIR = join(import.meta.dirname, 'pages');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

export async function startStaticServer(vars: { endpoint: string; key: string }, generated?: Map<string, string>): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path === '/spa' || path.startsWith('/spa/')) path = '/spa.html';
      const file = normalize(join(PAGES_DIR, path));
      if (!file.startsWith(PAGES_DIR + '/')) throw new Error('outside');
      let body: Buffer | string = generated?.get(path) ?? (await readFile(file));
      const ext = extname(file);
      if (ext === '.html') body = body.toString('utf8').replaceAll('{{ENDPOINT}}', vars.endpoint).replaceAll('{{KEY}}', vars.key);
      res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
