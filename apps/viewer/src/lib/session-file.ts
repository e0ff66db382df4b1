// "Export session" / "Import session": one JSON file with a version mark (DESIGN habit 1) holding
// the session summary, its raw events, definition matches and rrweb events. An imported file is
// untrusted like any recording: events are reduced to the fields the viewer reads, and the rrweb
// stream goes through the same sanitizing and sandboxed Replayer as server replays (replay-feed.ts).
import type { ChainElement, RawEvent, SessionSummary } from '@hindsight/schema';
import type { DefinitionMatch } from '../api';
import type { ReplayEventLike } from './replay';
import type { SessionData } from './session-data';

export const SESSION_FILE_FORMAT = 'hindsight-session';
export const SESSION_FILE_VERSION = 1;
/** larger files are refused before parsing (a 30-minute, 10k-node session is ~15 MB) */
export const MAX_SESSION_FILE_BYTES = 512 * 1024 * 1024;

export interface SessionFile {
  format: typeof SESSION_FILE_FORMAT;
  version: typeof SESSION_FILE_VERSION;
  exportedAt: number;
  session: SessionSummary | null;
  events: RawEvent[];
  matches: DefinitionMatch[];
  replay: ReplayEventLike[];
}

export async function buildSessionFile(data: SessionData): Promise<SessionFile> {
  const extra = data.later ? await data.later : { matches: data.matches, summary: data.summary };
  return {
    format: SESSION_FILE_FORMAT,
    version: SESSION_FILE_VERSION,
    exportedAt: Date.now(),
    session: extra.summary,
    events: data.events,
    matches: extra.matches,
    replay: await data.feed.all(),
  };
}

/** Saves via a blob: URL and <a download> (allowed by the viewer's CSP; no inline script). */
export function downloadJson(filename: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown, max = 8192): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function cleanChain(v: unknown): ChainElement[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: ChainElement[] = [];
  for (const el of v.slice(0, 512)) {
    if (!isObj(el) || typeof el.tag !== 'string') return undefined;
    const attrs: Record<string, string> = {};
    if (isObj(el.attrs)) for (const [k, val] of Object.entries(el.attrs).slice(0, 64)) if (typeof val === 'string') attrs[k.slice(0, 256)] = val.slice(0, 256);
    const nth: ChainElement['nth'] = Array.isArray(el.nth) && el.nth.length === 4 && el.nth.every((n: unknown) => num(n) !== undefined) ? [el.nth[0], el.nth[1], el.nth[2], el.nth[3]] : [1, 1, 1, 1];
    const c: ChainElement = { tag: el.tag.slice(0, 64), attrs, nth };
    if (el.ns === 'svg' || el.ns === 'math') c.ns = el.ns;
    if (Array.isArray(el.trunc)) c.trunc = el.trunc.filter((t: unknown) => typeof t === 'string');
    if (typeof el.text === 'string') c.text = el.text.slice(0, 200);
    if (el.textTrunc === true) c.textTrunc = true;
    if (el.root === 'shadow') c.root = 'shadow';
    out.push(c);
  }
  return out;
}

function cleanEvent(v: unknown): RawEvent | null {
  if (!isObj(v)) return null;
  const id = str(v.id, 128);
  const type = str(v.type, 64);
  const ts = num(v.ts);
  if (!id || !type || ts === undefined) return null;
  const e: RawEvent = { id, type: type as RawEvent['type'], ts, sessionId: str(v.sessionId, 128) ?? '', anonymousId: str(v.anonymousId, 128) ?? '', url: str(v.url) ?? '' };
  if (typeof v.userId === 'string') e.userId = v.userId.slice(0, 256);
  for (const k of ['title', 'referrer', 'name'] as const) if (typeof v[k] === 'string') e[k] = (v[k] as string).slice(0, 8192);
  if (isObj(v.props)) e.props = v.props;
  const chain = cleanChain(v.chain);
  if (chain) e.chain = chain;
  if (num(v.nodeId) !== undefined) e.nodeId = v.nodeId;
  return e;
}

function cleanSummary(v: unknown): SessionSummary | null {
  if (!isObj(v) || typeof v.id !== 'string') return null;
  const s = v as SessionSummary;
  return {
    ...s,
    id: s.id.slice(0, 128),
    userId: typeof s.userId === 'string' ? s.userId.slice(0, 256) : null,
    anonymousId: typeof s.anonymousId === 'string' ? s.anonymousId.slice(0, 128) : '',
    startedAt: num(s.startedAt) ?? 0,
    endedAt: num(s.endedAt) ?? 0,
  };
}

/** Parses and checks an exported file; throws an Error whose message can be shown. */
export function parseSessionFile(text: string): SessionFile {
  if (text.length > MAX_SESSION_FILE_BYTES) throw new Error('The file is too large.');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('The file is not JSON.');
  }
  if (!isObj(v) || v.format !== SESSION_FILE_FORMAT) throw new Error('This is not a Hindsight session export.');
  if (v.version !== SESSION_FILE_VERSION) throw new Error(`Unsupported export version ${String(v.version).slice(0, 20)} (this viewer reads version ${SESSION_FILE_VERSION}).`);
  if (!Array.isArray(v.events) || !Array.isArray(v.replay)) throw new Error('The file has no events or replay.');
  const events = v.events.map(cleanEvent).filter((e): e is RawEvent => e !== null);
  // rrweb events stay as recorded (the Replayer needs them whole); only the envelope is checked here
  const replay = v.replay.filter((e: unknown): e is ReplayEventLike => isObj(e) && num(e.type) !== undefined && num(e.timestamp) !== undefined);
  const matches: DefinitionMatch[] = (Array.isArray(v.matches) ? v.matches : [])
    .filter((m: unknown) => isObj(m) && typeof m.eventId === 'string' && typeof m.name === 'string' && num(m.ts) !== undefined)
    .map((m: any) => ({ definitionId: String(m.definitionId ?? '').slice(0, 128), name: m.name.slice(0, 256), eventId: m.eventId.slice(0, 128), ts: m.ts }));
  return { format: SESSION_FILE_FORMAT, version: SESSION_FILE_VERSION, exportedAt: num(v.exportedAt) ?? 0, session: cleanSummary(v.session), events, matches, replay };
}
