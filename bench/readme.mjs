// Writes the README "Performance" section from bench/results/latest.json (run by `npm run bench`;
// alone: `node bench/readme.mjs`). The section runs from its heading to the bench:end marker and is
// rewritten whole; the first time it is added before "## Docs" (or at the end).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { README_BEGIN, README_END, readmeBlock } from './report.mjs';
import { RESULTS, ROOT } from './lib.mjs';

const file = join(ROOT, 'README.md');
const INTRO = [
  '`npm run bench` runs six parts and writes `bench/results/latest.json` and `latest.md`; this section is generated from',
  'latest.json by `node bench/readme.mjs` (run by `npm run bench`) and checked by `bench/readme.test.ts`. It takes about 12 minutes',
  'on 2 cores once the 10 M-event store is cached in `bench/.data` (the first run generates it: about 4 minutes more).',
  'One part: `npm run bench -- overhead` (parts: size, overhead, ingest, definitions, replay, insights). `BENCH_FULL=1` runs the',
  "issue's full overhead protocol (60 s × 5 rounds × 4 variants, about 30 minutes).",
].join('\n');
const latest = JSON.parse(readFileSync(join(RESULTS, 'latest.json'), 'utf8'));
let readme = readFileSync(file, 'utf8');
const section = `## Performance\n\n${INTRO}\n\n${readmeBlock(latest)}`;
const a = readme.indexOf('\n## Performance\n');
const b = readme.indexOf(README_END);
if (a >= 0 && b > a) {
  readme = readme.slice(0, a + 1) + section + readme.slice(b + README_END.length);
} else {
  if (readme.includes(README_BEGIN)) throw new Error('README.md: bench markers found outside a "## Performance" section');
  const at = readme.indexOf('\n## Docs');
  readme = at >= 0 ? `${readme.slice(0, at + 1)}${section}\n\n${readme.slice(at + 1)}` : `${readme.trimEnd()}\n\n${section}\n`;
}
writeFileSync(file, readme);
console.log('README.md Performance section written from bench/results/latest.json');
