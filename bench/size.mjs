// Part 1, recorder size: min / gzip / brotli of Hindsight's recorder.js and its worker next to
// other recorders installed from npm (bench devDependencies). A package without a ready browser
// bundle is bundled here with esbuild (minify, browser, esm) and the table says so.
//   node bench/size.mjs            (BENCH_NO_BUILD=1 skips rebuilding packages/recorder)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BENCH, ROOT, figure, kB, writePart } from './lib.mjs';

// (not require.resolve: some packages do not export ./package.json)
const pkgDir = (name) => {
  const d = [join(BENCH, 'node_modules', name), join(ROOT, 'node_modules', name)].find((p) => existsSync(join(p, 'package.json')));
  if (!d) throw new Error(`${name} is not installed: run npm install (bench devDependencies)`);
  return d;
};
const version = (name) => JSON.parse(readFileSync(join(pkgDir(name), 'package.json'), 'utf8')).version;

if (process.env.BENCH_NO_BUILD !== '1') {
  const r = spawnSync(process.execPath, [join(ROOT, 'packages/recorder/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  // build.mjs exits 1 when over budget; the figures below say so, anything else is a broken build
  if (r.status !== 0) console.log(`recorder build exited ${r.status} (sizes below are of whatever dist holds)`);
}

async function esbuildBundle(entry) {
  const r = await build({
    stdin: { contents: `export * from '${entry}'; export { default } from '${entry}';`, resolveDir: BENCH, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(r.outputFiles[0].contents);
}

function measure(buf) {
  return {
    min: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const file = (p) => readFileSync(p);
const rows = []; // [recorder, file, min, gzip, brotli, how]
const totals = [];
async function entry(name, parts) {
  const sum = { min: 0, gzip: 0, brotli: 0 };
  for (const [label, load, how] of parts) {
    const m = measure(await load());
    for (const k of Object.keys(sum)) sum[k] += m[k];
    rows.push([name, label, kB(m.min).toFixed(1), kB(m.gzip).toFixed(1), kB(m.brotli).toFixed(1), how]);
  }
  if (parts.length > 1) rows.push([name, '**total**', kB(sum.min).toFixed(1), kB(sum.gzip).toFixed(1), kB(sum.brotli).toFixed(1), '']);
  totals.push([name, sum]);
  return sum;
}

const dist = join(ROOT, 'packages/recorder/dist');
const main = measure(file(join(dist, 'recorder.js')));
const worker = measure(file(join(dist, 'recorder.worker.js')));
await entry('Hindsight', [
  ['recorder.js (main thread)', () => file(join(dist, 'recorder.js')), 'packages/recorder build'],
  ['recorder.worker.js (delivery worker)', () => file(join(dist, 'recorder.worker.js')), 'packages/recorder build'],
]);
const rr = pkgDir('@rrweb/record');
await entry(`@rrweb/record ${version('@rrweb/record')}`, [['dist/record.umd.min.cjs', () => file(join(rr, 'dist/record.umd.min.cjs')), 'shipped bundle']]);
const ph = pkgDir('posthog-js');
await entry(`posthog-js ${version('posthog-js')}`, [
  ['dist/array.js (snippet bundle)', () => file(join(ph, 'dist/array.js')), 'shipped bundle'],
  ['dist/lazy-recorder.js (replay, loaded lazily)', () => file(join(ph, 'dist/lazy-recorder.js')), 'shipped bundle'],
]);
await entry(`@openreplay/tracker ${version('@openreplay/tracker')}`, [
  ['entry (no browser bundle shipped)', () => esbuildBundle('@openreplay/tracker'), 'bundled here: esbuild minify, browser, esm'],
]);
const amp = pkgDir('@amplitude/analytics-browser');
const ampSr = pkgDir('@amplitude/plugin-session-replay-browser');
await entry(`@amplitude/analytics-browser ${version('@amplitude/analytics-browser')} + plugin-session-replay-browser ${version('@amplitude/plugin-session-replay-browser')}`, [
  ['lib/scripts/amplitude-min.js', () => file(join(amp, 'lib/scripts/amplitude-min.js')), 'shipped bundle'],
  ['lib/scripts/plugin-session-replay-browser-min.js', () => file(join(ampSr, 'lib/scripts/plugin-session-replay-browser-min.js')), 'shipped bundle'],
]);

const figures = [
  figure({ label: 'recorder.js min+gzip', value: kB(main.gzip), unit: 'kB', anchor: `min ${kB(main.min).toFixed(1)} kB, brotli ${kB(main.brotli).toFixed(1)} kB`, budget: '≤ 30 kB gzip', limit: 30 }),
  figure({ label: 'recorder.worker.js min+gzip', value: kB(worker.gzip), unit: 'kB', anchor: `min ${kB(worker.min).toFixed(1)} kB, brotli ${kB(worker.brotli).toFixed(1)} kB`, budget: '≤ 15 kB gzip', limit: 15 }),
];
const hs = totals[0][1];
for (const [name, sum] of totals.slice(1)) {
  figures.push(figure({ label: `${name} min+gzip (all files)`, value: kB(sum.gzip), unit: 'kB', anchor: `Hindsight total ${kB(hs.gzip).toFixed(1)} kB` }));
}
const ok = writePart('size', {
  title: '1. Recorder size',
  protocol: 'min = bytes as shipped (or as bundled by esbuild), gzip level 9, brotli quality 11; 1 kB = 1000 B',
  tables: [{ title: 'Bundle sizes (kB)', columns: ['Recorder', 'File', 'min', 'gzip', 'brotli', 'Source'], rows }],
  figures,
});
process.exit(ok ? 0 : 1);
