// Shared by the bench parts: figures with budgets, per-part result files, machine facts.
// A figure is { label, value, unit, anchor?, budget?, limit?, op?, status } where status is
// 'ok' | 'FAIL' | 'info' | 'missing'; a part's result is bench/results/<part>.json:
// { part, title, protocol, tables: [{ title, columns, rows }], figures: [...] }.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH, '..');
export const RESULTS = join(BENCH, 'results');
export const DATA = join(BENCH, '.data');

/** 1-minute load average when this part started: on a shared machine it says how noisy a run was */
const LOAD_AT_START = loadavg()[0];
export const loadNow = () => Number(loadavg()[0].toFixed(2));

export const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** a number shown with `digits` decimals, never rounded onto the far side of a budget */
export function show(value, unit = '', digits = 2, limit, op) {
  if (value == null || !Number.isFinite(value)) return 'n/a';
  let d = digits;
  const fails = limit != null && !(op === '>=' ? value >= limit : value <= limit);
  // a failing figure must not print as if it met the budget (e.g. 1.2004 × shown as "1.20 ×")
  while (fails && d < 8 && (op === '>=' ? Number(value.toFixed(d)) >= limit : Number(value.toFixed(d)) <= limit)) d++;
  const s = value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  return unit ? `${s} ${unit}` : s;
}

/** a budgeted figure: value op limit (op '<=' or '>='), or an informational one (no limit) */
export function figure({ label, value, unit = '', digits = 2, anchor, budget, limit, op = '<=' }) {
  let status = 'info';
  if (limit != null) status = Number.isFinite(value) && Number.isFinite(limit) && (op === '>=' ? value >= limit : value <= limit) ? 'ok' : 'FAIL';
  return { label, value, unit, display: show(value, unit, digits, limit, op), anchor: anchor ?? null, budget: budget ?? null, limit: limit ?? null, op: limit == null ? null : op, status };
}

export function lineOf(f) {
  const tag = { ok: 'ok  ', FAIL: 'FAIL', info: '    ', missing: 'MISS' }[f.status] ?? f.status;
  const extra = [f.anchor && `anchor: ${f.anchor}`, f.budget && `budget: ${f.budget}`].filter(Boolean).join('; ');
  return `${tag} ${f.label}: ${f.display}${extra ? `  (${extra})` : ''}`;
}

/** writes bench/results/<part>.json and prints every figure; returns true when no budget failed */
export function writePart(part, result) {
  mkdirSync(RESULTS, { recursive: true });
  const out = { part, ...result, measuredAt: new Date().toISOString(), machine: machine(), loadAvg: { start: Number(LOAD_AT_START.toFixed(2)), end: loadNow() } };
  writeFileSync(join(RESULTS, `${part}.json`), JSON.stringify(out, null, 2) + '\n');
  console.log(`\n${result.title}\nprotocol: ${result.protocol}`);
  for (const f of result.figures) console.log(lineOf(f));
  return !result.figures.some((f) => f.status === 'FAIL');
}

export function machine() {
  let cpu = cpus()[0]?.model?.trim() || 'unknown';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    /* not Linux */
  }
  return { cpu, cores: cpus().length, ramGB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}` };
}

export const kB = (n) => n / 1000;
