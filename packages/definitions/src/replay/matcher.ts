// Exact answers from one recording: the DOM at position `seq` is rrweb events [0, seq) of that
// recording (ARCHITECTURE "Replay position"). Queries sorted by seq are one forward pass.

import { LIMITS, type ChainElement } from '@hindsight/schema';
import { asciiLower, collapseText } from '../html.js';
import { parseSelector, type SelectorAst } from '../selector/parse.js';
import { compileDomSelector, type DomTest } from './adapter.js';
import { EV, ReplayDom, SRC, applyClickCheckedness, composedParent, textContent, type RNode } from './dom.js';

export interface ReplayMatcher {
  /** Move to the DOM after events [0, seq). Forward moves are incremental; going back replays. */
  at(seq: number): ReplayMatcher;
  /** current position */
  readonly seq: number;
  node(id: number): RNode | undefined;
  /**
   * Composed closest(): the node or an ancestor matching, continuing at the shadow host when the
   * walk leaves a shadow tree. null when nothing matches or the node is not in the DOM.
   */
  closestComposed(nodeId: number | RNode, selector: string | SelectorAst | DomTest): RNode | null;
  /** collapse+trim of textContent */
  textOf(node: RNode): string;
  /** href of the nearest `a[href]` at or above the node (composed), or null */
  hrefOf(node: RNode): string | null;
  /**
   * Run `fn` with the target's ancestor path showing the attributes the event's chain recorded
   * (restored afterwards). rrweb rewrites `href`/`src` to absolute URLs when serializing, while
   * the live page (and so closest()) sees the authored value; the chain has the live values.
   * Truncated/masked chain values keep the replay's value. A chain that does not line up with
   * the rebuilt DOM (tag mismatch) is not applied at all.
   */
  withChainAttributes<R>(node: RNode, chain: ChainElement[] | null | undefined, fn: () => R): R;
  /**
   * Run `fn` with the checkedness the page had while dispatching a click on `node` (a clicked
   * checkbox is already toggled, a clicked radio already checked; see applyClickCheckedness),
   * restored afterwards. Nothing changes when the recording already has that state before the
   * position (our recorder records it during dispatch).
   */
  withClickActivation<R>(node: RNode, fn: () => R): R;
  readonly dom: ReplayDom;
}

const selectorCache = new Map<string, DomTest>();
/** Longest attribute name the recorder stores in a chain (packages/recorder/src/chain.ts). */
const MAX_RECORDED_NAME = 256;

export function domTestFor(selector: string | SelectorAst | DomTest): DomTest {
  if (typeof selector === 'function') return selector;
  if (typeof selector !== 'string') return compileDomSelector(selector);
  let t = selectorCache.get(selector);
  if (!t) {
    const p = parseSelector(selector);
    if (!p.ok) throw new Error(`invalid selector: ${p.message} (at ${p.position})`);
    t = compileDomSelector(p.ast);
    if (selectorCache.size > 1000) selectorCache.clear();
    selectorCache.set(selector, t);
  }
  return t;
}

export function createReplayMatcher(replayEvents: unknown[]): ReplayMatcher {
  const dom = new ReplayDom();
  let pos = 0;

  const apply = (e: unknown): void => {
    if (!e || typeof e !== 'object') return;
    const { type, data } = e as { type?: unknown; data?: unknown };
    if (!data || typeof data !== 'object') return;
    const d = data as Record<string, unknown>;
    if (type === EV.FullSnapshot) dom.fullSnapshot(d.node);
    else if (type === EV.IncrementalSnapshot) {
      if (d.source === SRC.Mutation) dom.mutation(d);
      else if (d.source === SRC.Input) dom.input(d);
    }
  };

  /**
   * Does the recording already hold this click's checkedness before the position? Our recorder
   * hands the clicked checkbox/radio to rrweb's input handler inside its click listener, before
   * it takes the position (packages/recorder/src/capture/dom.ts), so an Input event for the node
   * sits right before `pos`, followed at most by other Input events (the rest of a radio group)
   * and mutations flushed while taking the position. A recording in rrweb's own order (Input
   * only after the click) has something else there, e.g. rrweb's mouseup interaction.
   */
  const recordedAtDispatch = (id: number): boolean => {
    for (let k = pos - 1; k >= 0 && k >= pos - 4096; k--) {
      const e = replayEvents[k] as { type?: unknown; data?: { source?: unknown; id?: unknown } } | null;
      if (!e || typeof e !== 'object' || e.type !== EV.IncrementalSnapshot || !e.data) return false;
      if (e.data.source === SRC.Input) {
        if (Number(e.data.id) === id) return true;
      } else if (e.data.source !== SRC.Mutation) return false;
    }
    return false;
  };

  const m: ReplayMatcher = {
    dom,
    get seq() {
      return pos;
    },
    at(seq) {
      const target = Math.max(0, Math.min(Math.floor(seq), replayEvents.length));
      if (target < pos) {
        dom.reset();
        pos = 0;
      }
      for (; pos < target; pos++) {
        try {
          apply(replayEvents[pos]);
        } catch {
          // a malformed event must not stop the rest of the recording (data is untrusted)
        }
      }
      return m;
    },
    node: (id) => dom.get(id),
    closestComposed(nodeId, selector) {
      const start = typeof nodeId === 'number' ? dom.get(nodeId) : nodeId;
      if (!start || start.kind !== 'element') return null;
      const test = domTestFor(selector);
      // :scope is the element closest() was called on; past a shadow boundary the search
      // continues as host.closest(), so the scope becomes the host
      let scope = start;
      for (let n: RNode | null = start; n; ) {
        if (test(n, scope)) return n;
        const p = composedParent(n);
        if (p && n.parent && n.parent.kind === 'shadow-root') scope = p;
        n = p;
      }
      return null;
    },
    withChainAttributes(node, chain, fn) {
      if (!chain || chain.length === 0) return fn();
      const saved: [RNode, Record<string, string>][] = [];
      let x: RNode | null = node;
      for (let i = 0; i < chain.length && x; i++, x = composedParent(x)) {
        const e = chain[i];
        if (asciiLower(e.tag) !== asciiLower(x.tagName)) return fn();
        saved.push([x, x.attrs]);
      }
      try {
        saved.forEach(([n, attrs], i) => {
          const e = chain[i];
          const next = Object.create(null) as Record<string, string>;
          for (const [k, v] of Object.entries(e.attrs)) if (typeof v === 'string') next[k] = v;
          const trunc = e.trunc ?? [];
          // attributes the chain could not even name (its `trunc` list is full, or the name
          // is too long to record) keep the replay's value: the chain says nothing about them
          const full = trunc.length >= LIMITS.attrsPerElement;
          for (const k in attrs) {
            if (!(k in next) && (full || k.length > MAX_RECORDED_NAME)) next[k] = attrs[k];
          }
          for (const k of trunc) {
            if (k in attrs) next[k] = attrs[k];
            else delete next[k];
          }
          n.attrs = next;
          // the live state the recorder captured at the event (when it did: on the target)
          if (chain[0].state !== undefined) n.liveState = e.state ?? 0;
        });
        return fn();
      } finally {
        for (const [n, attrs] of saved) {
          n.attrs = attrs;
          n.liveState = undefined;
        }
      }
    },
    withClickActivation(node, fn) {
      const undo = recordedAtDispatch(node.id) ? [] : applyClickCheckedness(node);
      try {
        return fn();
      } finally {
        for (let i = undo.length - 1; i >= 0; i--) undo[i][0].checked = undo[i][1];
      }
    },
    textOf: (n) => collapseText(textContent(n)),
    hrefOf(n) {
      for (let x: RNode | null = n; x; x = composedParent(x)) {
        if (x.tagName === 'a' && 'href' in x.attrs) return x.attrs.href;
      }
      return null;
    },
  };
  return m;
}
