// `npm test`: every test. Installs the system parts the tests need when it can (Debian's
// chromium and clickhouse-server, as root), builds the artifacts, runs the unit/contract suites
// (Vitest) and the end-to-end suite (Playwright in real Chromium), then prints one summary line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './system-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.tmp');
mkdirSync(out, { recursive: true });

function run(label, args, env = {}) {
  console.log(`\n=== ${label}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

ensureSystemPackages('test');
if (run('build', [join(root, 'scripts/build.mjs')]) !== 0) process.exit(1);

const only = process.argv[2]; // `npm test -- unit` or `npm test -- e2e`
let failed = 0;
let passed = 0;
let bad = 0;
if (!only || only === 'unit') {
  const code = run('unit and contract tests (vitest)', [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(out, 'vitest.json')}`,
  ], { HINDSIGHT_CHROMIUM: process.env.HINDSIGHT_CHROMIUM ?? '/usr/bin/chromium' });
  try {
    const r = JSON.parse(readFileSync(join(out, 'vitest.json'), 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  } catch {
    /* the runner died before writing results; counted below */
  }
  if (code !== 0) bad++;
}
if (!only || only === 'e2e') {
  const code = run('end-to-end tests (playwright, chromium)', [join(root, 'node_modules/@playwright/test/cli.js'), 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: join(out, 'playwright.json'),
  });
  try {
    const r = JSON.parse(readFileSync(join(out, 'playwright.json'), 'utf8'));
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected;
  } catch {
    /* counted below */
  }
  if (code !== 0) bad++;
}
if (bad && failed === 0) failed = bad; // a runner failed without reporting a failing test
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
