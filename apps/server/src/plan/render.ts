// The tracking plan as files people open outside Hindsight: CSV for spreadsheets, Markdown for
// wikis and pull requests. Pure functions (tested in test/plan-render.test.ts).

export interface PlanRow {
  name: string;
  description: string;
  category: string;
  /** the rules in words (describeRules) */
  rules: string;
  /** epoch ms of the earliest matching event; null when none (or it could not be counted) */
  firstSeen: number | null;
  /** matching events in the last 30 days; null when it could not be counted */
  count30d: number | null;
}

export const PLAN_COLUMNS = ['name', 'description', 'category', 'rules', 'first_seen', 'count_30d'] as const;

const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

/**
 * Spreadsheets run cells starting with = + - @ (or a tab / CR) as formulas ("CSV injection",
 * OWASP); a leading apostrophe makes them text. Names and descriptions are free text, so guard them.
 */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180: header row, CRLF after every record. */
export function planToCsv(rows: PlanRow[]): string {
  const lines = [PLAN_COLUMNS.join(',')];
  for (const r of rows) {
    const cells = [defuse(r.name), defuse(r.description), defuse(r.category), defuse(r.rules), iso(r.firstSeen), r.count30d === null ? '' : String(r.count30d)];
    lines.push(cells.map(csvField).join(','));
  }
  return lines.map((l) => l + '\r\n').join('');
}

/**
 * Text safe inside one GFM table cell: pipes would end the cell and newlines the row; HTML and
 * emphasis characters are escaped so a name renders as written.
 */
export function mdCell(value: string): string {
  const s = value
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*[\]<>|]/g, (c) => `\\${c}`)
    .trim();
  return s === '' ? ' ' : s;
}

export interface MarkdownMeta {
  generatedAt: number;
  /** label of the naming convention, e.g. "snake_case" ("None" when not set) */
  convention: string;
}

export function planToMarkdown(rows: PlanRow[], meta: MarkdownMeta): string {
  const out = [
    '# Tracking plan',
    '',
    `Generated ${iso(meta.generatedAt)} by Hindsight. Naming convention: ${mdCell(meta.convention)}. ` +
      `${rows.length} event${rows.length === 1 ? '' : 's'}; counts are matching events in the last 30 days.`,
    '',
    '| Name | Description | Category | Rules | First seen | Events (30 days) |',
    '| --- | --- | --- | --- | --- | ---: |',
  ];
  for (const r of rows) {
    const cells = [r.name, r.description, r.category, r.rules, iso(r.firstSeen), r.count30d === null ? '' : String(r.count30d)];
    out.push(`| ${cells.map(mdCell).join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}
