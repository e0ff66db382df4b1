// Test harness: a real, throwaway clickhouse-server (Debian's 18.16 or newer) on free loopback
// ports, unprivileged, with its own config, users and data in a temp dir that stop() removes.
// Self-contained on purpose: the e2e suite reuses it for the two-server scale-out test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningClickHouse {
  /** store URL: clickhouse://127.0.0.1:PORT/hindsight */
  url: string;
  httpPort: number;
  tcpPort: number;
  dir: string;
  /** stops the server; its data dir is removed unless keepData */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

const CANDIDATES = [process.env.CLICKHOUSE_SERVER_BIN, '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse'];

function findBinary(): { bin: string; args: string[] } {
  for (const c of CANDIDATES) {
    if (!c || !existsSync(c)) continue;
    // the single `clickhouse` multi-tool binary needs the `server` subcommand
    return { bin: c, args: c.endsWith('/clickhouse') ? ['server'] : [] };
  }
  throw new Error(
    'clickhouse-server not found (looked in /usr/sbin, /usr/bin, $CLICKHOUSE_SERVER_BIN). ' +
      'Install it with: apt-get install -y clickhouse-server',
  );
}

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

function configXml(dir: string, httpPort: number, tcpPort: number): string {
  // Only what a test server needs: no interserver/mysql/https ports, small caches (the packaged
  // config asks for 5-8 GB of caches), UTC so DateTime conversions are deterministic.
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/log/server.log</log>
    <errorlog>${dir}/log/server.err.log</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

function exitPromise(proc: ChildProcess): Promise<void> {
  return new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('exit', () => r())));
}

/** Starts clickhouse-server and resolves once GET /ping answers. */
/**
 * `dir`, `httpPort` and `tcpPort` restart a server stopped with `stop({ keepData: true })` on the
 * same data and address (for outage tests).
 */
export async function startClickHouse(opts: StartOptions = {}): Promise<RunningClickHouse> {
  // Ports come from freePort(), which only finds a port free at that moment: with several test
  // workers starting servers at once another one may take it first. Then: new ports, new try.
  const ownPorts = opts.httpPort === undefined && opts.tcpPort === undefined && opts.dir === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      if (!ownPorts || attempt >= 3 || !/Address already in use/i.test(String(e))) throw e;
    }
  }
}

type StartOptions = { database?: string; timeoutMs?: number; dir?: string; httpPort?: number; tcpPort?: number };

async function startOnce(opts: StartOptions): Promise<RunningClickHouse> {
  const { bin, args } = findBinary();
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'hs-clickhouse-'));
  for (const d of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(dir, d), { recursive: true });
  const httpPort = opts.httpPort ?? (await freePort());
  const tcpPort = opts.tcpPort ?? (await freePort());
  writeFileSync(join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort));
  writeFileSync(join(dir, 'users.xml'), USERS_XML);

  const proc = spawn(bin, [...args, `--config-file=${join(dir, 'config.xml')}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  proc.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  const exited = exitPromise(proc);

  const stop = async (o: { keepData?: boolean } = {}): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    if (!o.keepData) rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      const errLog = existsSync(join(dir, 'log/server.err.log')) ? readFileSync(join(dir, 'log/server.err.log'), 'utf8').slice(-4000) : '';
      await stop();
      throw new Error(`clickhouse-server exited early (${proc.exitCode ?? proc.signalCode}):\n${out}\n${errLog}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${httpPort}/ping`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`clickhouse-server did not answer /ping within ${opts.timeoutMs ?? 60_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `clickhouse://127.0.0.1:${httpPort}/${opts.database ?? 'hindsight'}`, httpPort, tcpPort, dir, stop };
}
