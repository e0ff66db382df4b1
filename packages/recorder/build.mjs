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
// 4. Each shadow root has its own MutationObserver, so a node moved between the document and a
//    shadow tree is an add from one observer and a remove from the other. When the add is
//    emitted first, the remove's emit dropped the ids of the moved (still connected) subtree from
//    rrweb's mirror, and every later attribute/text change of those nodes was filtered out of the
//    recording (found by e2e/fidelity/fuzz.spec.ts). Only nodes no longer in the page lose them.
// 5. When a buffer walks into a new shadow host's shadow root it marks those nodes as its own
//    for the animation frame, and every other buffer skips them. If the host leaves that
//    buffer's tree before it emits (made and moved out of a shadow tree in one task), the add is
//    dropped and nobody records the shadow tree (also found by the fuzz). A node counts as another
//    buffer's only while that buffer still holds it; a second add of an emitted node is harmless
//    (rrweb's Replayer and our ReplayDom both treat it as a move).
// 6. rrweb stores href/src/srcset/… as absolute URLs (so a replay loads them), but selectors on
//    the live page see the authored value (`a[href="#top"]`, `[src^="/img"]`). Where the two
//    differ, the recording also carries the authored one as `rr_raw_<name>` (rrweb's Replayer
//    ignores `rr_` names in snapshots; the engine's ReplayDom reads it), and an attribute change
//    of those names sets or clears it.
// 7. We never enable recordCanvas, yet rrweb's CanvasManager (2D/WebGL context patching, an
//    FPS snapshotter and its worker) is always built: a stub with the same methods stands in
//    (~2 kB gzip, room the recorder's own privacy and robustness code needs).
// 8. Pages replace DOM methods (old polyfills, test doubles, hostile code). rrweb's calls of
//    el.matches / el.closest (block, mask and ignore selectors) go to the originals src/native.ts
//    captured when the bundle loaded, like the recorder's own. And isBlocked made those calls
//    outside any try, from event listeners rrweb does not wrap: on a page whose matches() threw,
//    every click threw into the page. A throw now counts as blocked (the block selector is a
//    privacy setting: when it cannot be decided, nothing is recorded).
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
      const mapRemoves = /while \(this\.mapRemoves\.length\) \{\s*this\.mirror\.removeNodeFromMap\(this\.mapRemoves\.shift\(\)\);\s*\}/;
      if (!mapRemoves.test(src)) console.warn('build: rrweb moved-node hook NOT applied (mutations of nodes moved into/out of shadow roots may be lost)');
      src = src.replace(
        mapRemoves,
        'while (this.mapRemoves.length) { const n = this.mapRemoves.shift(); if (!n.isConnected) this.mirror.removeNodeFromMap(n); }',
      );
      const otherBuffer = 'return buffers && Array.from(buffers).some((buffer) => buffer !== thisBuffer);';
      if (!src.includes(otherBuffer)) console.warn('build: rrweb shadow-buffer hook NOT applied (shadow trees moved in one task may be lost)');
      src = src.replace(
        otherBuffer,
        'return buffers && Array.from(buffers).some((buffer) => buffer !== thisBuffer && (buffer.addedSet.has(node) || buffer.movedSet.has(node)));',
      );
      const input = 'const events = sampling.input === "last" ? ["change"] : ["input", "change"];';
      if (!src.includes(input)) console.warn('build: rrweb input hook NOT applied (:checked at click less exact)');
      src = src.replace(input, `__hsInputs.push((el) => eventHandler({ target: el, isTrusted: true }));\n  ${input}`);
      const snapAttr = /(attributes\[attr\.name\] = transformAttribute\(\s*doc,\s*tagName,\s*toLowerCase\(attr\.name\),\s*attr\.value\s*\);)/;
      const mutAttr =
        /(item\.attributes\[attributeName\] = transformAttribute\(\s*this\.doc,\s*tagNameLower,\s*toLowerCase\(attributeName\),\s*value\s*\);)/;
      if (!snapAttr.test(src) || !mutAttr.test(src)) console.warn('build: rrweb authored-URL hook NOT applied (selectors on relative hrefs decided on absolute ones)');
      src = src.replace(snapAttr, '$1\n      if (attr.name !== "style" && attributes[attr.name] !== attr.value) attributes["rr_raw_" + attr.name] = attr.value;');
      src = src.replace(
        mutAttr,
        '$1\n            if (attributeName !== "style") {\n              if (item.attributes[attributeName] !== value) item.attributes["rr_raw_" + attributeName] = value;\n              else if (/^(src|href|xlink:href|background|srcset|data)$/.test(attributeName)) item.attributes["rr_raw_" + attributeName] = null;\n            }',
      );
      const blockSel = /if \(blockSelector\) \{\s*if \(el\.matches\(blockSelector\)\) return true;\s*if \(checkAncestors && el\.closest\(blockSelector\) !== null\) return true;\s*\}/;
      if (!blockSel.test(src)) console.warn('build: rrweb isBlocked guard NOT applied (a page with a throwing matches() gets rrweb errors)');
      src = src.replace(
        blockSel,
        'if (blockSelector) {\n    try {\n      if (el.matches(blockSelector)) return true;\n      if (checkAncestors && el.closest(blockSelector) !== null) return true;\n    } catch (e) {\n      return true;\n    }\n  }',
      );
      const domCalls = /\b([A-Za-z_$][\w$]*)\.(matches|closest)\(/g;
      const nCalls = (src.match(domCalls) || []).length;
      if (nCalls < 9) console.warn(`build: rrweb native matches/closest hook applied to ${nCalls} calls, expected 9 (a page that replaces them affects the replay)`);
      src = src.replace(domCalls, (_, el, m) => (m === 'matches' ? `__hsMatches.call(${el}, ` : `__hsClosest.call(${el}, `));
      const cm = src.indexOf('class CanvasManager {');
      const cmEnd = src.indexOf('class StylesheetManager {');
      if (cm < 0 || cmEnd < cm) console.warn('build: rrweb CanvasManager stub NOT applied (bundle is larger)');
      else src = src.slice(0, cm) + 'class CanvasManager {\n  reset() {}\n  freeze() {}\n  unfreeze() {}\n  lock() {}\n  unlock() {}\n}\n' + src.slice(cmEnd);
      src = src.replace(canvas, "const jsContent = '';").replace(
        observer,
        '$1\n  __hsFlushers.push(() => { const r = observer.takeRecords(); if (r.length) mutationBuffer.processMutations(r); });',
      );
      return {
        contents: `import { nativeMatches as __hsMatches, nativeClosest as __hsClosest } from ${JSON.stringify(join(dir, 'src/native.ts'))};\nconst __hsFlushers = [], __hsInputs = [];\n${src}\nexport { __hsFlushers, __hsInputs };\n`,
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
