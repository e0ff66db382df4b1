// `npm run bench`: runs each benchmark part and prints its figures against its budget.
// Parts so far: recorder size, definition preview over stored events. Each part also runs alone.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
const parts = [
  ['recorder size', [join(root, 'packages/recorder/size.mjs')]],
  ['definition preview (1M events, DuckDB)', [tsx, join(root, 'bench/preview.ts'), process.env.BENCH_PREVIEW_EVENTS ?? '1000000']],
];
// The 10M-event store volume run takes minutes; opt in with BENCH_FULL=1.
if (process.env.BENCH_FULL === '1') parts.push(['store volume (10M events, DuckDB)', [tsx, join(root, 'bench/store-duckdb.ts')]]);
let failed = 0;
for (const [name, args] of parts) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(failed ? `\n${failed} part(s) missed a budget or failed` : '\nall parts within budget');
process.exit(failed ? 1 : 0);
