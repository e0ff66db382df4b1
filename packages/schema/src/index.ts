// Wire format and rule model shared by the recorder, the server, the store and the viewer.
// This file must stay dependency-free and DOM/Node-free: the recorder bundles it.
// Validation (zod) lives in ./validate.ts so it never reaches the recorder bundle.

export { omitImpliedNodeIds, packChunk, restoreImpliedNodeIds, unpackChunk } from './node-ids.js';
export { indexChunk, type ChunkIndexEntry, type ReplayIndex } from './replay-index.js';

/** Version mark carried by every batch (`v`). Bump on breaking wire changes. */
export const WIRE_VERSION = 1 as const;

/** Event types the recorder emits. Custom events from `track()` have type `custom` and a `name`. */
export const EVENT_TYPES = [
  'click',
  'submit',
  'change',
  'pageview',
  'pageleave',
  'custom',
  'identify',
  'error',
  'network_error',
  'invalid',
  'rage_click',
  'dead_click',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event types that target an element and carry an element chain. */
export const ELEMENT_EVENT_TYPES = ['click', 'submit', 'change', 'invalid', 'rage_click', 'dead_click'] as const;

/** Caps applied by the recorder (and enforced again by the server). */
export const LIMITS = {
  /** attribute values longer than this are cut; the attribute name goes into `trunc` */
  attrValue: 256,
  /** element text longer than this is cut and `textTrunc` is set */
  text: 200,
  /** attributes kept per element */
  attrsPerElement: 64,
  /**
   * chain length (target + ancestors). HTML parsers cap nesting at 512, so real chains fit; a
   * chain cut here does not end at <html>, and the matcher then answers "unknown" (replay path)
   * for selectors that would need the missing ancestors.
   */
  chainDepth: 512,
  /** nesting of an event's `props` (objects and arrays inside it); the body as a whole may nest
   * deeper, for replay snapshots follow the page's DOM */
  propsDepth: 64,
  /** events per batch */
  eventsPerBatch: 5000,
  /** replay chunks per batch */
  chunksPerBatch: 500,
  /** generic string cap on the wire (urls, names, messages) */
  string: 8192,
  /** compressed request body */
  bodyBytes: 5 * 1024 * 1024,
  /** decompressed request body */
  inflatedBytes: 50 * 1024 * 1024,
} as const;

/**
 * One element of an element chain. chain[0] is the event target (the element actually
 * clicked, `composedPath()[0]`), then every ancestor up to <html>. When an element is a
 * direct child of an open shadow root, it has `root: 'shadow'` and the next chain entry
 * is the shadow host (selectors never match across that boundary, `closest()` continues there).
 */
export interface ChainElement {
  /** `localName`: lower case for HTML, case kept for SVG (e.g. `clipPath`) */
  tag: string;
  /** namespace when not HTML */
  ns?: 'svg' | 'math';
  /** every attribute, including id and class; values capped at LIMITS.attrValue, sensitive ones masked */
  attrs: Record<string, string>;
  /** names of attributes whose stored value is not the live value (cut or masked) */
  trunc?: string[];
  /** [nth-child, nth-of-type, nth-last-child, nth-last-of-type], all 1-based */
  nth: [number, number, number, number];
  /** whitespace-collapsed, trimmed textContent, capped at LIMITS.text */
  text?: string;
  /** true when `text` was cut */
  textTrunc?: boolean;
  /** 'shadow' when this element's parent node is an open shadow root */
  root?: 'shadow';
  /**
   * Live state at the moment of the event: bit i set when the element matched `:CHAIN_STATES[i]`
   * then. The recorder always sets it on the target (0 when none holds) and leaves it out on
   * ancestors where it is 0; a chain whose target has no `state` (another sender, an older
   * recorder) says nothing about live state.
   */
  state?: number;
}

/** ChainElement's keys in their stored order (validate.ts declares them in the same order) */
export const CHAIN_ELEMENT_KEYS = ['tag', 'ns', 'attrs', 'trunc', 'nth', 'text', 'textTrunc', 'root', 'state'] as const satisfies readonly (keyof ChainElement)[];

/**
 * Live-state pseudo-classes the recorder captures per chain element (ChainElement.state), so
 * `button:hover`, `input:focus` or `details:open` are decided exactly as closest() saw them at the
 * event. None depends on what a user typed (validity pseudos stay out: masked fields). Append
 * only: a bit's meaning never changes once recorded.
 */
export const CHAIN_STATES = [
  'hover',
  'active',
  'focus',
  'focus-visible',
  'focus-within',
  'target',
  'open',
  'popover-open',
  'modal',
  'fullscreen',
  'picture-in-picture',
  'autofill',
  'indeterminate',
  'default',
] as const;

/** bit of ChainElement.state that holds pseudo-class `name`, or -1 when it is not captured */
export function chainStateBit(name: string): number {
  return (CHAIN_STATES as readonly string[]).indexOf(name);
}

/** Where an event sits in the session replay: DOM state = events [0, seq) of recording `id`. */
export interface ReplayPosition {
  /** recording id: one per page load (each starts with Meta + FullSnapshot) */
  id: string;
  /** number of rrweb events of this recording emitted before the event happened */
  seq: number;
}

export interface RawEvent {
  /** client-generated UUIDv7; the server stores each id once */
  id: string;
  type: EventType;
  /** client epoch milliseconds (the server corrects clock skew with the batch's sentAt) */
  ts: number;
  sessionId: string;
  anonymousId: string;
  userId?: string | null;
  /** page URL at the time of the event */
  url: string;
  title?: string;
  referrer?: string;
  /** custom event name (`track(name)`), error message for `error` */
  name?: string;
  /** event properties: track() props, registered props, error/network/invalid details */
  props?: Record<string, unknown>;
  /** element events: target first, then ancestors up to <html> */
  chain?: ChainElement[];
  /** rrweb node id of the target, joins the replay exactly */
  nodeId?: number;
  /** position in the replay stream (element events) */
  rec?: ReplayPosition;
}

/** An ordered slice of one recording's rrweb events. */
export interface ReplayChunk {
  /** client-generated UUIDv7; deduplicated like events */
  id: string;
  sessionId: string;
  /** recording id (one per page load) */
  rec: string;
  /** index within the recording of events[0] */
  seq: number;
  /** timestamp of events[0] */
  ts: number;
  /**
   * rrweb eventWithTime objects, in order. On the wire (POST /v1/batch) ids that rrweb's numbering
   * implies may be left out when `impliedIds` says so (node-ids.ts); stored and served chunks
   * always have them.
   */
  events: unknown[];
  /** wire only: `events` leave out implied ids; the server restores them before storing */
  impliedIds?: true;
}

/** Body of POST /v1/batch (gzip-compressed JSON, or plain JSON). */
export interface Batch {
  v: typeof WIRE_VERSION;
  /** client clock when the batch was sent, for skew correction */
  sentAt: number;
  /** write key; may instead be given as ?key= or the X-Hindsight-Key header */
  key?: string;
  events: RawEvent[];
  replay?: ReplayChunk[];
}

export interface BatchAck {
  ok: true;
  /** events newly stored */
  inserted: number;
  /** events already stored before (deduplicated by id) */
  duplicates: number;
  chunks: number;
}

// ---------------------------------------------------------------- rules

export const STRING_OPS = ['exact', 'contains', 'regex'] as const;
export type StringOp = (typeof STRING_OPS)[number];
export interface StringCond {
  op: StringOp;
  value: string;
}

/**
 * One rule of a definition. All present conditions must hold.
 * `selector` is any CSS selector; it holds when the composed `closest(selector)` of the target
 * is not null at the moment of the event. `text` tests the element `closest` returned
 * (the target when there is no selector). `url` tests the page URL. `name` tests custom event names.
 */
export interface Rule {
  event: string;
  selector?: string;
  text?: StringCond;
  url?: StringCond;
  /** a plain string means exact */
  name?: StringCond | string;
  /** tests the `href` attribute of the nearest `a[href]` in the chain (from the matched element outwards) */
  href?: StringCond;
}

export const CATEGORIES = ['onboarding', 'engagement', 'monetization', 'errors', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * A property a definition extracts from the element its rule matched (the one `closest(selector)`
 * found; the target without a selector): an attribute's value or its text. Exactly one of the two.
 */
export interface PropertySpec {
  name: string;
  attr?: string;
  text?: true;
}

export interface DefinitionInput {
  name: string;
  description?: string;
  category?: string;
  rules: Rule[];
  /** extracted properties, usable as breakdowns and filters in insights */
  properties?: PropertySpec[];
}

export interface Definition extends Required<Omit<DefinitionInput, 'rules' | 'properties'>> {
  id: string;
  rules: Rule[];
  /** present when the definition extracts properties */
  properties?: PropertySpec[];
  version: number;
  createdAt: number;
  updatedAt: number;
}

// ---------------------------------------------------------------- API shapes

export interface SessionSummary {
  id: string;
  anonymousId: string;
  userId: string | null;
  startedAt: number;
  endedAt: number;
  eventCount: number;
  entryUrl: string;
  hasError: boolean;
  /** page views in the session */
  pageCount: number;
  rageClicks: number;
  deadClicks: number;
}

/** Session-list orders: start time either way, longest duration, most events (ties by id). */
export const SESSION_SORTS = ['newest', 'oldest', 'longest', 'most_events'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

export interface PreviewResult {
  events: number;
  sessions: number;
  users: number;
  sample: { eventId: string; sessionId: string; ts: number }[];
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

// ---------------------------------------------------------------- project settings

/**
 * Event-name conventions a project can opt into. `none` is the default so API clients that
 * create definitions with arbitrary names keep working until the project chooses one.
 */
export const NAMING_CONVENTIONS = ['none', 'snake_case', 'title_case'] as const;
export type NamingConvention = (typeof NAMING_CONVENTIONS)[number];

/** `GET|PUT /api/settings`; kept as string key/values in the store (see Store.getSettings). */
export interface ProjectSettings {
  namingConvention: NamingConvention;
}

export const DEFAULT_PROJECT_SETTINGS: ProjectSettings = { namingConvention: 'none' };

// ---------------------------------------------------------------- projects, keys, destinations

/** `GET /api/projects`; the server's registry keeps the same records */
export interface Project {
  id: string;
  name: string;
  /** epoch ms; 0 for the built-in `default` project */
  createdAt: number;
}

/** `GET /api/keys`; the server's registry keeps the same records */
export interface WriteKey {
  id: string;
  projectId: string;
  /** public: it is in every page that embeds the recorder */
  key: string;
  createdAt: number;
  revokedAt: number | null;
  /** `env`: from HINDSIGHT_PROJECT_KEY (revocable here, not removable) */
  source: 'env' | 'api';
}

/** a destination's deliveries by state (`GET /api/destinations`, and the stores' count) */
export interface DeliveryCounts {
  pending: number;
  delivered: number;
  dead: number;
}

/**
 * Event property names an insight breakdown reads (`event_property`). Kept to characters that need
 * no escaping in a DuckDB JSON path nor in ClickHouse's visitParamExtractString (which finds
 * `"name":` textually).
 */
export const PROP_NAME = /^[A-Za-z_$][A-Za-z0-9_$.-]{0,63}$/;
