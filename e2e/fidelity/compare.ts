// The engine side of a fidelity run, shared by the fixed corpus (fidelity.spec.ts) and the
// seeded fuzz (fuzz.spec.ts): zip each page's ground truth with its stored click events, ask the
// real server for one definition per selector, and diff the event-id sets per selector.
import { expect } from '@playwright/test';
import type { RunningServer } from '../helpers/server.js';
import type { GroundTruthClick } from './ground-truth.js';

export interface StoredEvent {
  id: string;
  type: string;
  ts: number;
  url: string;
  sessionId: string;
  chain?: { tag: string; attrs: Record<string, string>; nth: number[]; trunc?: string[]; textTrunc?: boolean; root?: string }[];
  rec?: { id: string; seq: number };
}

/** One page visit: one browser context, so one session. */
export interface PageRun {
  name: string;
  sessionId: string;
  gt: GroundTruthClick[];
  pageErrors: string[];
}

/** A click known to both sides: the ground truth record and the stored event it was zipped with. */
export interface Click {
  page: string;
  index: number;
  gt: GroundTruthClick;
  event: StoredEvent;
}

export async function inGroups<T, R>(items: T[], size: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((t, k) => fn(t, i + k)))));
  return out;
}

export const chainSummary = (e: StoredEvent | undefined, depth = 6) =>
  (e?.chain ?? [])
    .slice(0, depth)
    .map((c) => {
      const id = c.attrs?.id ? `#${c.attrs.id.slice(0, 30)}` : '';
      const cls = c.attrs?.class ? `.${c.attrs.class.trim().split(/\s+/).slice(0, 4).join('.')}` : '';
      const flags = [c.trunc?.length ? `trunc=${c.trunc.join(',')}` : '', c.root ? 'root=shadow' : ''].filter(Boolean).join(' ');
      return `${c.tag}${id}${cls}{${c.nth?.join(',')}}${flags ? `(${flags})` : ''}`;
    })
    .reverse()
    .join(' > ');

/**
 * Zips every run's ground truth with the session's stored click events in dispatch order. That
 * is id order: the recorder's UUIDv7 ids count up within a page (ids.ts). `ts` has ties (clicks
 * in the same millisecond, times clamped to the receive time), and on a machine busy enough to take
 * 10 s over a batch the server shifts it as clock skew (ingest.ts). Fails (expect) when counts differ or the
 * targets do not line up.
 */
export async function zipClicks(s: RunningServer, runs: PageRun[]): Promise<Click[]> {
  const clicks: Click[] = [];
  const alignment: string[] = [];
  for (const r of runs) {
    expect(r.sessionId, `${r.name}: session id`).toBeTruthy();
    const { events } = await s.api<{ events: StoredEvent[] }>(`/api/sessions/${encodeURIComponent(r.sessionId)}/events`);
    const stored = events.filter((e) => e.type === 'click').sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    expect(stored.length, `${r.name}: every click must have been recorded (ground truth ${r.gt.length}, stored ${stored.length})`).toBe(r.gt.length);
    stored.forEach((e, i) => {
      const g = r.gt[i];
      const t = e.chain?.[0];
      // a cut (or masked) id is listed in `trunc`: only its tag can be compared then
      const idOk = t?.trunc?.includes('id') || (t?.attrs?.id ?? '') === g.id;
      if (!t || t.tag !== g.tag || !idOk)
        alignment.push(`${r.name} #${i}: ground truth ${g.path} ≠ stored ${chainSummary(e)}`);
      clicks.push({ page: r.name, index: i, gt: g, event: e });
    });
  }
  expect(alignment, 'stored clicks (sorted by id) must line up with the dispatch order').toEqual([]);
  return clicks;
}

export interface EngineAnswer {
  ids: Set<string>;
  error: string;
}

/** One definition per selector (a click rule) on the real server; the ids of its matched events. */
export async function engineMatches(s: RunningServer, sels: string[], label: string, batch = 10): Promise<EngineAnswer[]> {
  return inGroups(sels, batch, async (sel, i) => {
    try {
      const def = await s.api<{ id: string }>('/api/definitions', {
        method: 'POST',
        body: JSON.stringify({ name: `fidelity ${label} #${i}`, rules: [{ event: 'click', selector: sel }] }),
      });
      const ids = new Set<string>();
      for (let offset = 0; ; offset += 1000) {
        const { events } = await s.api<{ events: { id: string }[] }>(`/api/definitions/${def.id}/events?limit=1000&offset=${offset}`);
        events.forEach((e) => ids.add(e.id));
        if (events.length < 1000) break;
      }
      return { ids, error: '' };
    } catch (e) {
      return { ids: new Set<string>(), error: String(e).slice(0, 300) };
    }
  });
}

const byIdCache = new WeakMap<Click[], Map<string, Click>>();
function clicksById(clicks: Click[]): Map<string, Click> {
  let m = byIdCache.get(clicks);
  if (!m) byIdCache.set(clicks, (m = new Map(clicks.map((c) => [c.event.id, c]))));
  return m;
}

export interface SelectorVerdict {
  ok: boolean;
  expected: Set<string>;
  missing: string[];
  extra: string[];
  /** clicks on which engine and ground truth agree */
  agree: number;
  /** a readable report of the disagreement ('' when ok) */
  report: string;
}

/**
 * Engine answer vs ground truth for selector `i` over every click. `showClicks` limits how many
 * missing/extra clicks the report lists (with their ground-truth path and stored chain).
 */
export function judge(i: number, sel: string, tags: string[], clicks: Click[], answer: EngineAnswer, showClicks = 4): SelectorVerdict {
  const byId = clicksById(clicks);
  const expected = new Set(clicks.filter((c) => c.gt.m.includes(i)).map((c) => c.event.id));
  const got = answer.ids;
  const missing = [...expected].filter((id) => !got.has(id));
  const extra = [...got].filter((id) => !expected.has(id));
  const ok = !answer.error && missing.length === 0 && extra.length === 0;
  const agree = clicks.length - missing.length - extra.filter((id) => byId.has(id)).length;
  if (ok) return { ok, expected, missing, extra, agree, report: '' };
  const perPage = (kind: string, ids: string[]) => {
    const n = new Map<string, number>();
    for (const id of ids) n.set(byId.get(id)?.page ?? '?', (n.get(byId.get(id)?.page ?? '?') ?? 0) + 1);
    return ids.length ? `${kind} ${[...n].map(([p, k]) => `${p}×${k}`).join(' ')}` : '';
  };
  const where = [perPage('missing', missing), perPage('extra', extra)].filter(Boolean).join('; ');
  const lines = [
    `✗ [${i}] ${sel}   {${tags.join(', ')}}   expected ${expected.size}, actual ${got.size}${where ? `   (${where})` : ''}${answer.error ? `   ERROR ${answer.error}` : ''}`,
  ];
  const show = (kind: string, ids: string[]) => {
    for (const id of ids.slice(0, showClicks)) {
      const c = byId.get(id);
      lines.push(
        c
          ? `    ${kind} ${c.page}#${c.index} ${id} ${c.gt.trusted ? '' : '(synthetic) '}target ${c.gt.path}\n        stored chain: ${chainSummary(c.event)}  rec=${c.event.rec ? `${c.event.rec.seq}` : '-'}`
          : `    ${kind} ${id} (not one of this run's clicks)`,
      );
    }
    if (ids.length > showClicks) lines.push(`    … ${ids.length - showClicks} more ${kind}`);
  };
  show('missing', missing);
  show('extra  ', extra);
  return { ok, expected, missing, extra, agree, report: lines.join('\n') };
}
