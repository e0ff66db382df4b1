// `npm run bench`: runs every benchmark part, prints each figure with its anchor and budget
// (a missed budget is a FAIL line), and writes bench/results/latest.json, bench/results/latest.md
// and the README "Performance" section.
//   npm run bench                      all parts (~10 min on 2 cores)
//   npm run bench -- size ingest       some parts (the others keep their figures from the last run)
//   BENCH_FULL=1 npm run bench         the issue's full overhead protocol (60 s × 5 runs × 4 variants)
// Parts: size (1), overhead (2), ingest (3), definitions (4), replay (5: bench/replay.ts, which
// writes bench/results/replay.json itself), insights (6: trend and funnel over the 10 M store). Each part also runs alone (see its header).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemPackages } from '../scripts/system-packages.mjs';
import { BENCH, RESULTS, ROOT, figure, lineOf, loadNow, machine } from './lib.mjs';
import { markdown } from './report.mjs';

const tsx = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const PARTS = [
  { id: 'size', title: '1. Recorder size', args: [join(BENCH, 'size.mjs')] },
  { id: 'overhead', title: '2. Recorder overhead (Chromium, 10,000-node page)', args: [join(BENCH, 'overhead.mjs')], needsChromium: true },
  { id: 'ingest', title: '3. Ingest (embedded DuckDB)', args: [tsx, join(BENCH, 'ingest.ts')], needsServer: true },
  { id: 'definitions', title: '4. Definitions', args: [tsx, join(BENCH, 'definitions.ts')] },
  { id: 'replay', title: '5. Replay (time to first frame, seek)', args: [tsx, join(BENCH, 'replay.ts')], optional: join(BENCH, 'replay.ts'), needsServer: true, needsChromium: true },
  { id: 'insights', title: '6. Insights over 10 M events (issue #7)', args: [tsx, join(BENCH, 'insights.ts')] },
];
const wanted = process.argv.slice(2);
for (const w of wanted) if (!PARTS.some((p) => p.id === w)) throw new Error(`unknown part ${w} (parts: ${PARTS.map((p) => p.id).join(', ')})`);

// a fresh machine: the browser parts install Debian's chromium first, as `npm test` does
if (PARTS.some((p) => p.needsChromium && (!wanted.length || wanted.includes(p.id)))) ensureSystemPackages('bench', ['chromium']);

const started = Date.now();
const ran = new Map();
for (const p of PARTS) {
  if (wanted.length && !wanted.includes(p.id)) continue;
  console.log(`\n=== ${p.title}`);
  const t = Date.now();
  if (p.optional && !existsSync(p.optional)) {
    ran.set(p.id, { error: `${p.optional.slice(ROOT.length + 1)} does not exist yet` });
    console.log(`MISS ${p.title}: ${p.optional.slice(ROOT.length + 1)} does not exist yet`);
    continue;
  }
  if (p.needsServer && (!existsSync(join(ROOT, 'apps/server/dist/main.js')) || !existsSync(join(ROOT, 'apps/viewer/dist/index.html')))) {
    spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  const load0 = loadNow();
  const r = spawnSync(process.execPath, p.args, { cwd: ROOT, stdio: 'inherit' });
  ran.set(p.id, { status: r.status, signal: r.signal, since: t, loadAvg: { start: load0, end: loadNow() }, error: r.status !== 0 && r.status !== 1 ? `exited ${r.status ?? r.signal}` : null });
  console.log(`(${p.id}: ${((Date.now() - t) / 1000).toFixed(0)} s)`);
}

/** a part's result file; missing, stale (not written by this run) or broken → a 'missing' part */
function load(p) {
  const file = join(RESULTS, `${p.id}.json`);
  const run = ran.get(p.id);
  const missing = (error) => ({ part: p.id, title: p.title, status: 'missing', error, protocol: '', tables: [], figures: [{ label: p.title, value: null, display: 'not measured', anchor: error, budget: null, status: 'missing' }] });
  if (run?.error && !existsSync(file)) return missing(run.error);
  if (!existsSync(file)) return missing(`no ${file.slice(ROOT.length + 1)}`);
  if (run && statSync(file).mtimeMs < run.since) return missing(`${run.error ?? 'the part'} did not write ${file.slice(ROOT.length + 1)} in this run`);
  let r;
  try {
    r = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return missing(`unreadable ${file}: ${e.message}`);
  }
  if (!Array.isArray(r.figures)) r = r.bench === 'replay' && r.firstFrameMs ? adaptReplay(p, r) : adapt(p, r); // bench/replay.ts writes its own shape
  return { ...r, part: p.id, title: r.title ?? p.title, status: 'measured', loadAvg: run?.loadAvg ?? r.loadAvg ?? null };
}

/** bench/replay.ts's result ({ session, firstFrameMs: { cold, freshBrowser?, warm }, seekMs, rapidSeekMs?, budget }) */
function adaptReplay(p, r) {
  const b = r.budget ?? {};
  const s = r.session ?? {};
  const ff = r.firstFrameMs;
  // builtMs: the snapshot's DOM is in the iframe (older results measured only that, as firstFrameMs)
  const built = r.builtMs ?? {};
  const ms = (v) => (v == null ? '–' : `${v} ms`);
  const frame = (label, v, other) =>
    figure({ label, value: v, unit: 'ms', digits: 0, anchor: other, ...(b.firstFrameMs ? { budget: `≤ ${b.firstFrameMs} ms`, limit: b.firstFrameMs } : {}) });
  const builtNote = (k) => `${built[k] != null ? `built ${built[k]} ms, ` : ''}${r.shownMs?.[k] != null ? `shown (the replayed page's FCP) ${r.shownMs[k]} ms, ` : ''}`;
  const figures = [frame('time to first frame painted, cold (empty cache)', ff.cold, `${builtNote('cold')}warm ${ff.warm} ms`)];
  if (ff.freshBrowser != null) figures.push(frame('time to first frame painted, fresh browser', ff.freshBrowser, `${builtNote('freshBrowser')}cold ${ff.cold} ms`));
  figures.push(frame('time to first frame painted, warm (reopened)', ff.warm, `${builtNote('warm')}cold ${ff.cold} ms`));
  if (ff.fromList != null) figures.push(frame('time to first frame painted, from the sessions list (row pressed)', ff.fromList, `${builtNote('fromList')}fresh browser, list shown 2 s before the press`));
  // the same page as static HTML, no app: what the browser alone needs here
  if (r.staticPageFcpMs) figures.push(figure({ label: 'floor: the same page as static HTML, first contentful paint', value: r.staticPageFcpMs.median, unit: 'ms', digits: 0, anchor: `no app, nothing to fetch; samples ${r.staticPageFcpMs.samples.map(Math.round).join(', ')} ms` }));
  figures.push(
    figure({ label: 'seek latency p95', value: r.seekMs?.p95, unit: 'ms', digits: 0, anchor: `median ${r.seekMs?.median} ms, max ${r.seekMs?.max} ms, n = ${r.seekMs?.n}${r.seekMs?.thinkMs ? `, ${r.seekMs.thinkMs} ms apart` : ''}`, ...(b.seekMs ? { budget: `≤ ${b.seekMs} ms`, limit: b.seekMs } : {}) }),
  );
  if (r.deepLinkMs) figures.push(figure({ label: `deep link (?t= ${r.deepLinkMs.atMin} min in) to a session never opened, frame painted`, value: r.deepLinkMs.painted, unit: 'ms', digits: 0, anchor: `built ${r.deepLinkMs.built} ms; samples ${r.deepLinkMs.samples.map((x) => Math.round(x[1])).join(', ')} ms` }));
  if (r.rapidSeekMs) figures.push(figure({ label: 'rapid seeks p95 (burst)', value: r.rapidSeekMs.p95, unit: 'ms', digits: 0, anchor: `median ${r.rapidSeekMs.median} ms, n = ${r.rapidSeekMs.n}` }));
  return {
    title: p.title,
    protocol: `bench/replay.ts: a synthetic ${s.durationMin}-minute recording of a ${s.nodes?.toLocaleString('en-US')}-node page (${s.rrwebEvents} rrweb events, ${s.chunks} chunks, ${(s.jsonBytes / 1e6).toFixed(1)} MB JSON, ${s.checkouts} full snapshots) ingested into the built server and opened in the built viewer in Chromium; first frame = navigation start → the frame after the snapshot's DOM is in the replay iframe (styled, laid out and painted; "built": that DOM is in), median of ${r.opens ?? 1} opens each; seek = timeline click → that moment's frame at random positions`,
    measuredAt: r.at,
    ...(Array.isArray(r.loadAverage) ? { loadAvg: { start: r.loadAverage[0], end: r.loadAverage[0] } } : {}),
    tables: [
      {
        title: 'Replay',
        columns: ['first frame painted (built), cold', 'fresh browser', 'warm', 'from the sessions list', 'seek median', 'seek p95', 'rapid seek p95', 'ingest of the session'],
        rows: [[...['cold', 'freshBrowser', 'warm', 'fromList'].map((k) => `${ms(ff[k])}${built[k] != null ? ` (${built[k]} ms)` : ''}`), ms(r.seekMs?.median), ms(r.seekMs?.p95), ms(r.rapidSeekMs?.p95), ms(r.ingestMs)]],
      },
    ],
    figures,
  };
}

/** any JSON → figures: every numeric leaf becomes an informational figure (budgets kept if given) */
function adapt(p, r) {
  const figures = [];
  const walk = (v, path) => {
    if (typeof v === 'number') figures.push(figure({ label: path, value: v, digits: Number.isInteger(v) ? 0 : 2 }));
    else if (v && typeof v === 'object' && figures.length < 60) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(r, '');
  return { title: p.title, protocol: r.protocol ?? `as reported by ${p.id}.json`, tables: [], figures };
}

const parts = PARTS.map(load);
const latest = {
  date: new Date().toISOString().slice(0, 10),
  finishedAt: new Date().toISOString(),
  command: `${process.env.BENCH_FULL === '1' ? 'BENCH_FULL=1 ' : ''}npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}`,
  durationMin: Number(((Date.now() - started) / 60000).toFixed(1)),
  machine: machine(),
  parts,
};
writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(latest, null, 2) + '\n');
writeFileSync(join(RESULTS, 'latest.md'), `# Benchmark results\n\n${markdown(latest, 2)}`);
spawnSync(process.execPath, [join(BENCH, 'readme.mjs')], { cwd: ROOT, stdio: 'inherit' });

console.log('\n=== Summary (bench/results/latest.json, latest.md, README Performance)');
let failed = 0;
for (const p of parts) {
  console.log(`\n${p.title}`);
  for (const f of p.figures) {
    console.log(lineOf(f));
    if (f.status === 'FAIL' || f.status === 'missing') failed++;
  }
}
console.log(failed ? `\n${failed} figure(s) missed a budget or were not measured` : '\nall budgets met');
process.exit(failed ? 1 : 0);
