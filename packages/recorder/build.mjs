// Builds the recorder: dist/recorder.js (IIFE for the script tag), dist/recorder.worker.js
// (delivery worker), dist/index.mjs (ESM for bundlers), then checks the size budgets.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './size.mjs';

const dir = dirname(fileURLToPath(import.meta.url));

// Two source transforms of @rrweb/record (we bundle it, so we can):
// 1. rrweb inlines the source of its canvas-snapshot worker as a string (~1 kB gzip). We never
//    enable recordCanvas: blank it.
// 2. Exact replay positions: a page script may mutate the DOM and call `el.click()` in the same
//    task; those mutations still sit in rrweb's MutationObserver queue when our click listener
//    runs. A flush hook lets the recorder hand pending records to rrweb synchronously
//    (takeRecords), so events [0, seq) really are the DOM at the moment of the event.
// 3. Likewise a checkbox/radio is toggled before its click is dispatched, but rrweb records it
//    on the later input event (its property hook is deferred with setTimeout): a hook to rrweb's
//    input handler lets the click listener record the live checked state first.
// If a future rrweb changes shape, the patterns do not match and the build says so.
const rrwebPatches = {
  name: 'rrweb-patches',
  setup(b) {
    b.onLoad({ filter: /@rrweb[\\/]record[\\/]dist[\\/]record\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8');
      const canvas = /const jsContent = '(?:[^'\\]|\\.)*';/;
      const observer =
        /(const observer = new ObserverCtor\(\s*callbackWrapper\(mutationBuffer\.processMutations\.bind\(mutationBuffer\)\)\s*\);)/;
      if (!canvas.test(src)) console.warn('build: rrweb canvas worker string not found (bundle is larger)');
      if (!observer.test(src)) console.warn('build: rrweb MutationObserver hook NOT applied (replay positions less exact)');
      const input = 'const events = sampling.input === "last" ? ["change"] : ["input", "change"];';
      if (!src.includes(input)) console.warn('build: rrweb input hook NOT applied (:checked at click less exact)');
      src = src.replace(input, `__hsInputs.push((el) => eventHandler({ target: el, isTrusted: true }));\n  ${input}`);
      src = src.replace(canvas, "const jsContent = '';").replace(
        observer,
        '$1\n  __hsFlushers.push(() => { const r = observer.takeRecords(); if (r.length) mutationBuffer.processMutations(r); });',
      );
      return {
        contents: `const __hsFlushers = [], __hsInputs = [];\n${src}\nexport { __hsFlushers, __hsInputs };\n`,
        loader: 'js',
      };
    });
  },
};
const common = {
  bundle: true,
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: dir,
  plugins: [rrwebPatches],
};

await Promise.all([
  build({ ...common, entryPoints: ['src/iife.ts'], outfile: 'dist/recorder.js', format: 'iife', minify: true }),
  build({
    ...common,
    entryPoints: ['src/worker/main.ts'],
    outfile: 'dist/recorder.worker.js',
    format: 'iife',
    minify: true,
  }),
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.mjs', format: 'esm', sourcemap: true }),
]);

if (!report(join(dir, 'dist'))) process.exit(1);
