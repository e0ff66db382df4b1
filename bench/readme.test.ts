// The README "Performance" section must be exactly what bench/readme.mjs renders from
// bench/results/latest.json (regenerate with `node bench/readme.mjs` after `npm run bench`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_BEGIN, README_END, readmeBlock } from './report.mjs';

const root = join(import.meta.dirname, '..');

describe('README Performance section', () => {
  it('matches bench/results/latest.json', () => {
    const latest = JSON.parse(readFileSync(join(root, 'bench/results/latest.json'), 'utf8'));
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const a = readme.indexOf(README_BEGIN);
    const b = readme.indexOf(README_END);
    expect(a, 'README has no generated bench block: run node bench/readme.mjs').toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    expect(readme.slice(a, b + README_END.length)).toBe(readmeBlock(latest));
  });

  it('shows every failing figure of latest.json as a FAIL row', () => {
    const latest = JSON.parse(readFileSync(join(root, 'bench/results/latest.json'), 'utf8'));
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const p of latest.parts) {
      for (const f of p.figures.filter((x: { status: string }) => x.status === 'FAIL')) {
        expect(readme).toContain(`| ${f.label.replace(/\|/g, '\\|')} | ${f.display} |`);
      }
    }
  });
});
