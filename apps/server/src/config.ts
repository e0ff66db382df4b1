// Configuration from the environment (the contract of DESIGN.md "Start").
// Unset secrets get development values, persisted in the data dir so that a restart keeps the
// same project key (pages already embedding it keep working) and the same admin token.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { totalmem } from 'node:os';

export interface Config {
  port: number;
  demoPort: number;
  host: string;
  dataDir: string;
  storeUrl: string | undefined;
  adminToken: string;
  /** accepted write keys (comma-separated in HINDSIGHT_PROJECT_KEY, for rotation) */
  projectKeys: string[];
  /** true when a secret was generated rather than configured */
  generated: { adminToken: boolean; projectKey: boolean };
  maxBodyBytes: number;
  maxInflatedBytes: number;
  /** site origins allowed to post to ingest; null = any */
  allowedOrigins: string[] | null;
  /** ingest batches per second per write key (bursts of 10 s worth); 0 = unlimited */
  rateLimitPerSecond: number;
  /** DuckDB memory_limit (HINDSIGHT_DUCKDB_MEMORY, e.g. "2GB"); default half of the machine's memory */
  duckdbMemory: string;
  /** public URL of this server as pages should reach it */
  publicUrl: string;
  demo: boolean;
}

/** DuckDB's own default (80 % of RAM) leaves too little for Node and the OS beside it. */
function duckdbMemory(env: NodeJS.ProcessEnv): string {
  const raw = (env.HINDSIGHT_DUCKDB_MEMORY ?? '').trim();
  if (raw === '') {
    const cgroup = process.constrainedMemory?.() ?? 0;
    const total = cgroup > 0 && cgroup < totalmem() ? cgroup : totalmem();
    return `${Math.max(256, Math.floor(total / 2 / 2 ** 20))}MiB`;
  }
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(raw)) {
    throw new Error(`HINDSIGHT_DUCKDB_MEMORY must be a size like 512MB or 2GB, got "${raw}"`);
  }
  return raw;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535 * 1e6) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.HINDSIGHT_DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });
  const devFile = join(dataDir, 'dev-credentials.json');
  let dev: { adminToken?: string; projectKey?: string } = {};
  if (existsSync(devFile)) {
    try {
      dev = JSON.parse(readFileSync(devFile, 'utf8'));
    } catch {
      dev = {};
    }
  }
  const generated = { adminToken: !env.HINDSIGHT_ADMIN_TOKEN, projectKey: !env.HINDSIGHT_PROJECT_KEY };
  const adminToken = env.HINDSIGHT_ADMIN_TOKEN || dev.adminToken || `hs_admin_${randomBytes(18).toString('base64url')}`;
  const projectKey = env.HINDSIGHT_PROJECT_KEY || dev.projectKey || `hs_pk_${randomBytes(12).toString('base64url')}`;
  if (generated.adminToken || generated.projectKey) {
    const next = { ...dev };
    if (generated.adminToken) next.adminToken = adminToken;
    if (generated.projectKey) next.projectKey = projectKey;
    writeFileSync(devFile, JSON.stringify(next, null, 2), { mode: 0o600 });
  }
  const port = intEnv(env, 'HINDSIGHT_PORT', 8787);
  const host = env.HINDSIGHT_HOST || '0.0.0.0';
  const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    port,
    demoPort: intEnv(env, 'HINDSIGHT_DEMO_PORT', 8788),
    host,
    dataDir,
    storeUrl: env.HINDSIGHT_STORE || undefined,
    adminToken,
    projectKeys: projectKey
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    generated,
    maxBodyBytes: intEnv(env, 'HINDSIGHT_MAX_BODY_BYTES', 5 * 1024 * 1024),
    maxInflatedBytes: intEnv(env, 'HINDSIGHT_MAX_INFLATED_BYTES', 50 * 1024 * 1024),
    rateLimitPerSecond: intEnv(env, 'HINDSIGHT_RATE_LIMIT', 200),
    allowedOrigins: env.HINDSIGHT_ALLOWED_ORIGINS
      ? env.HINDSIGHT_ALLOWED_ORIGINS.split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean)
      : null,
    duckdbMemory: duckdbMemory(env),
    publicUrl: (env.HINDSIGHT_PUBLIC_URL || `http://${publicHost}:${port}`).replace(/\/$/, ''),
    demo: env.HINDSIGHT_DEMO !== '0',
  };
}
