// Prints min / gzip / brotli sizes of the built bundles; non-zero exit above budget.
// Usable alone: `node packages/recorder/size.mjs` (after a build).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// DESIGN.md budgets (min+gzip), in bytes (1 KB = 1000 B, the stricter reading)
export const BUDGETS = { 'recorder.js': 30_000, 'recorder.worker.js': 15_000 };

export function report(dist) {
  let ok = true;
  for (const [file, budget] of Object.entries(BUDGETS)) {
    const buf = readFileSync(join(dist, file));
    const gz = gzipSync(buf, { level: 9 }).length;
    const br = brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    const pass = gz <= budget;
    ok &&= pass;
    console.log(
      `${file.padEnd(20)} min ${(buf.length / 1000).toFixed(1)} kB  gzip ${(gz / 1000).toFixed(2)} kB  brotli ${(br / 1000).toFixed(2)} kB  budget ${budget / 1000} kB ${pass ? 'ok' : 'OVER BUDGET'}`,
    );
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!report(join(dirname(fileURLToPath(import.meta.url)), 'dist'))) process.exit(1);
}
