// Argument parsing for the `hindsight` CLI. Bad arguments are a UsageError: one line, exit code 2.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: hindsight <command> [options]

  start                                   run the server (same as node apps/server/dist/main.js)
  export --out DIR [--format ndjson|csv|parquet] [--from T] [--to T]
                                          write events, replay chunks, identities and definitions to DIR
  import DIR                              load an export (idempotent: ids already stored are skipped)
  purge --older-than N(h|d|w)             delete events and replay chunks older than N hours/days/weeks
  delete-user USER_ID                     delete every event and replay of one user

  common options: --project ID (default: default)
  T = epoch milliseconds or an ISO date (2026-01-31, 2026-01-31T12:00:00Z)
  environment: HINDSIGHT_DATA_DIR (default ./data), HINDSIGHT_STORE (duckdb: | clickhouse://host:port/db)`;

export const FORMATS = ['ndjson', 'csv', 'parquet'] as const;
export type Format = (typeof FORMATS)[number];

export type Command =
  | { cmd: 'help' }
  | { cmd: 'start' }
  | { cmd: 'export'; project: string; out: string; format: Format; from?: number; to?: number }
  | { cmd: 'import'; project: string; path: string }
  | { cmd: 'purge'; project: string; olderThanMs: number; spec: string }
  | { cmd: 'delete-user'; project: string; userId: string };

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `90d` → ms; units h, d, w */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([hdw])$/.exec(s.trim());
  if (!m) throw new UsageError(`--older-than must look like 12h, 90d or 4w, got ${JSON.stringify(s)}`);
  const ms = Number(m[1]) * UNITS[m[2]];
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--older-than must be more than zero, got ${JSON.stringify(s)}`);
  return Math.round(ms);
}

/** epoch ms or an ISO date */
export function parseTime(name: string, s: string): number {
  const v = /^-?\d+$/.test(s.trim()) ? Number(s) : Date.parse(s);
  if (!Number.isSafeInteger(v)) throw new UsageError(`${name} must be epoch milliseconds or an ISO date, got ${JSON.stringify(s)}`);
  return v;
}

export function parseCommand(argv: string[]): Command {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') return { cmd: 'help' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        project: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'older-than': { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(`${cmd}: ${(e as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values as Record<string, string | undefined>;
  const pos = parsed.positionals;
  const allow = (opts: string[], positionals: number) => {
    for (const k of Object.keys(v)) if (!opts.includes(k)) throw new UsageError(`${cmd}: unknown option --${k}`);
    if (pos.length !== positionals) {
      throw new UsageError(positionals ? `${cmd}: expected exactly ${positionals} argument(s)` : `${cmd}: unexpected argument ${JSON.stringify(pos[0])}`);
    }
  };
  const project = v.project ?? 'default';
  if (project === '') throw new UsageError('--project must not be empty');
  switch (cmd) {
    case 'start':
      allow([], 0);
      return { cmd: 'start' };
    case 'export': {
      allow(['project', 'out', 'format', 'from', 'to'], 0);
      if (!v.out) throw new UsageError('export: --out DIR is required');
      const format = (v.format ?? 'ndjson') as Format;
      if (!FORMATS.includes(format)) throw new UsageError(`export: --format must be one of ${FORMATS.join(', ')}`);
      const from = v.from !== undefined ? parseTime('--from', v.from) : undefined;
      const to = v.to !== undefined ? parseTime('--to', v.to) : undefined;
      if (from !== undefined && to !== undefined && from > to) throw new UsageError('export: --from is after --to');
      return { cmd: 'export', project, out: v.out, format, from, to };
    }
    case 'import':
      allow(['project'], 1);
      return { cmd: 'import', project, path: pos[0] };
    case 'purge': {
      allow(['project', 'older-than'], 0);
      if (!v['older-than']) throw new UsageError('purge: --older-than N(h|d|w) is required');
      return { cmd: 'purge', project, olderThanMs: parseDuration(v['older-than']), spec: v['older-than'] };
    }
    case 'delete-user':
      allow(['project'], 1);
      if (pos[0] === '') throw new UsageError('delete-user: USER_ID must not be empty');
      return { cmd: 'delete-user', project, userId: pos[0] };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(cmd)} (try: start, export, import, purge, delete-user)`);
  }
}
