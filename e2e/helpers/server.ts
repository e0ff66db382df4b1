// Starts the built Hindsight server (apps/server/dist/main.js, made by `npm run build`) as a
// real child process on free loopback ports with its own temp data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export interface RunningServer {
  url: string;
  demoUrl: string;
  port: number;
  demoPort: number;
  adminToken: string;
  projectKey: string;
  dataDir: string;
  proc: ChildProcess;
  /** everything the process printed */
  output: () => string;
  /** SIGTERM and wait for exit */
  stop: () => Promise<void>;
  /** SIGKILL (no cleanup) and wait for exit */
  kill: () => Promise<void>;
  /** fetch an /api path with the admin token */
  api: <T = any>(path: string, init?: RequestInit) => Promise<T>;
}

export interface StartOptions {
  dataDir?: string;
  port?: number;
  demoPort?: number;
  env?: Record<string, string>;
  adminToken?: string;
  projectKey?: string;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const port = opts.port ?? (await freePort());
  const demoPort = opts.demoPort ?? (await freePort());
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hs-e2e-'));
  const adminToken = opts.adminToken ?? 'test-admin-token-0123456789';
  const projectKey = opts.projectKey ?? 'pk_test_0123456789';
  const proc = spawn(process.execPath, [join(ROOT, 'apps/server/dist/main.js')], {
    env: {
      ...process.env,
      HINDSIGHT_PORT: String(port),
      HINDSIGHT_DEMO_PORT: String(demoPort),
      HINDSIGHT_DATA_DIR: dataDir,
      HINDSIGHT_ADMIN_TOKEN: adminToken,
      HINDSIGHT_PROJECT_KEY: projectKey,
      HINDSIGHT_HOST: '127.0.0.1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = async (path: string, init: RequestInit = {}) => {
    const r = await fetch(url + path, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const body = await r.json();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    url,
    demoUrl: `http://127.0.0.1:${demoPort}`,
    port,
    demoPort,
    adminToken,
    projectKey,
    dataDir,
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
    api,
  };
}
