import { describe, expect, it } from 'vitest';
import { csvField, mdCell, planToCsv, planToMarkdown, type PlanRow } from '../src/plan/render.js';
import { windowStart } from '../src/plan/stats.js';

const row = (over: Partial<PlanRow> = {}): PlanRow => ({
  name: 'add_to_cart',
  description: '',
  category: 'monetization',
  rules: 'click on "button.add"',
  firstSeen: Date.UTC(2026, 0, 2, 3, 4, 5),
  count30d: 12,
  ...over,
});

/** A minimal RFC 4180 reader, to check that what we write parses back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

describe('csvField (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ["it's", "it's"],
  ])('%j → %s', (value, out) => {
    expect(csvField(value)).toBe(out);
  });
});

describe('planToCsv', () => {
  it('writes a header and CRLF-terminated records', () => {
    expect(planToCsv([row()])).toBe(
      'name,description,category,rules,first_seen,count_30d\r\n' +
        'add_to_cart,,monetization,"click on ""button.add""",2026-01-02T03:04:05.000Z,12\r\n',
    );
  });

  it('leaves first seen and count empty when unknown', () => {
    expect(planToCsv([row({ firstSeen: null, count30d: null })]).split('\r\n')[1]).toBe('add_to_cart,,monetization,"click on ""button.add""",,');
  });

  it.each([
    ['comma, quote " and newline\nin a description'],
    ['unicode Grüße 你好 🎉'],
    ['trailing CR\r'],
    ['"'],
  ])('round-trips %j', (description) => {
    const parsed = parseCsv(planToCsv([row({ description })]));
    expect(parsed).toHaveLength(2);
    expect(parsed[1][1]).toBe(description);
  });

  it.each([['=HYPERLINK("http://evil")'], ['+1'], ['-2+3'], ['@SUM(A1)']])('defuses formula %j', (name) => {
    expect(parseCsv(planToCsv([row({ name })]))[1][0]).toBe(`'${name}`);
  });
});

describe('planToMarkdown', () => {
  it.each([
    ['a | b', 'a \\| b'],
    ['line\nbreak', 'line break'],
    ['<script>', '\\<script\\>'],
    ['*bold* `code` [link]', '\\*bold\\* \\`code\\` \\[link\\]'],
    ['back\\slash', 'back\\\\slash'],
    ['', ' '],
  ])('mdCell %j → %j', (value, out) => {
    expect(mdCell(value)).toBe(out);
  });

  it('renders a table with one row per definition', () => {
    const md = planToMarkdown([row(), row({ name: 'Pipe | Name', count30d: null, firstSeen: null })], {
      generatedAt: Date.UTC(2026, 0, 3),
      convention: 'snake_case',
    });
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe('# Tracking plan');
    expect(md).toContain('Naming convention: snake_case. 2 events;');
    expect(lines).toContain('| Name | Description | Category | Rules | First seen | Events (30 days) |');
    expect(lines).toContain('| add_to_cart |   | monetization | click on "button.add" | 2026-01-02T03:04:05.000Z | 12 |');
    expect(lines).toContain('| Pipe \\| Name |   | monetization | click on "button.add" |   |   |');
  });
});

describe('windowStart', () => {
  const DAY = 86_400_000;
  it.each([
    [Date.UTC(2026, 0, 31, 12), 30, 0, Date.UTC(2026, 0, 2)],
    [Date.UTC(2026, 0, 31, 12), 1, 0, Date.UTC(2026, 0, 31)],
    // 23:30 UTC is already the next day in CET (+60)
    [Date.UTC(2026, 0, 31, 23, 30), 1, 60, Date.UTC(2026, 1, 1) - 60 * 60_000],
    [Date.UTC(2026, 0, 31, 0, 30), 1, -300, Date.UTC(2026, 0, 30) + 300 * 60_000],
  ])('now %d, %d days, tz %d → %d', (now, days, tz, start) => {
    expect(windowStart(now, days, tz)).toBe(start);
    expect(now - start).toBeLessThan(days * DAY);
  });
});
