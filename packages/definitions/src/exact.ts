// Exact evaluation of rules over events: the chain decides wherever it can (fast, no replay
// needed); the rest is decided from each recording's DOM at the event's replay position.

import type { ChainElement } from '@hindsight/schema';
import { compileDomSelector, type DomTest } from './replay/adapter.js';
import { createReplayMatcher, type ReplayMatcher } from './replay/matcher.js';
import { hasLiveState, type CompiledRule } from './rule.js';

export interface ExactEvent {
  id: string;
  type: string;
  url: string;
  name?: string | null;
  nodeId?: number | null;
  rec?: { id: string; seq: number } | null;
  chain?: ChainElement[] | null;
}

const domTests = new WeakMap<CompiledRule, DomTest | null>();

function domTestOf(rule: CompiledRule): DomTest | null {
  let t = domTests.get(rule);
  if (t === undefined) {
    t = rule.selector ? compileDomSelector(rule.selector.ast) : null;
    domTests.set(rule, t);
  }
  return t;
}

/**
 * selector + text + href of one rule against the replay DOM at the event's position. The
 * event's chain, when given, supplies the live attribute values of the target's ancestors
 * (see ReplayMatcher.withChainAttributes). For a `click` (the event's type; by default the
 * rule's, which is the same for every event the rule applies to) a clicked checkbox or radio
 * shows the checkedness the page had during dispatch (ReplayMatcher.withClickActivation).
 */
export function matchInReplay(
  rule: CompiledRule,
  m: ReplayMatcher,
  nodeId: number,
  chain?: ChainElement[] | null,
  eventType: string = rule.rule.event,
): boolean {
  const target = m.node(nodeId);
  if (!target || target.kind !== 'element') return false;
  // live state comes from the event's chain, laid over the DOM with its attributes: without it
  // (no chain, a chain that does not fit the DOM) the replay cannot decide a live-state rule
  if (rule.liveState && !hasLiveState(chain)) return false;
  const run = (): boolean =>
    m.withChainAttributes(target, chain, () => {
      if (rule.liveState && target.liveState === undefined) return false;
      const test = domTestOf(rule);
      const el = test ? m.closestComposed(target, test) : target;
      if (!el) return false;
      if (rule.text && !rule.matchText(m.textOf(el))) return false;
      if (rule.href && !rule.matchHref(m.hrefOf(el))) return false;
      return true;
    });
  return eventType === 'click' ? m.withClickActivation(target, run) : run();
}

/**
 * Ids of the events matching any of the rules. An event the chain cannot decide and that has
 * no usable replay position (no `rec`/`nodeId`, recording missing, node absent from the
 * rebuilt DOM) does not match: nothing proves it did.
 */
export function evaluateRulesExact(
  rules: CompiledRule[],
  events: ExactEvent[],
  replayEventsByRecording: Map<string, unknown[]>,
): Set<string> {
  const matched = new Set<string>();
  const pending = new Map<string, { seq: number; nodeId: number; event: ExactEvent; rules: CompiledRule[] }[]>();

  for (const ev of events) {
    const undecided: CompiledRule[] = [];
    for (const rule of rules) {
      if (!rule.eventTypes.includes(ev.type)) continue;
      if (!rule.matchUrl(ev.url) || !rule.matchName(ev.name)) continue;
      const ans = rule.needsChain ? (ev.chain && ev.chain.length ? rule.matchChain(ev.chain) : 'unknown') : true;
      if (ans === true) {
        matched.add(ev.id);
        break;
      }
      // live state (:hover, ...) exists only where the recorder captured it into the chain
      if (ans === 'unknown' && (!rule.liveState || hasLiveState(ev.chain))) undecided.push(rule);
    }
    if (matched.has(ev.id) || undecided.length === 0) continue;
    if (!ev.rec || typeof ev.nodeId !== 'number') continue;
    let list = pending.get(ev.rec.id);
    if (!list) pending.set(ev.rec.id, (list = []));
    list.push({ seq: ev.rec.seq, nodeId: ev.nodeId, event: ev, rules: undecided });
  }

  for (const [recId, list] of pending) {
    const replay = replayEventsByRecording.get(recId);
    if (!replay) continue;
    list.sort((a, b) => a.seq - b.seq);
    const m = createReplayMatcher(replay);
    for (const q of list) {
      // events the stored recording does not reach (chunks still missing): the DOM at that
      // position is unknown, so nothing is claimed
      if (q.seq > replay.length) continue;
      m.at(q.seq);
      if (q.rules.some((r) => matchInReplay(r, m, q.nodeId, q.event.chain, q.event.type))) matched.add(q.event.id);
    }
  }
  return matched;
}

/**
 * One recording's rrweb events from its stored chunks (any order, duplicates allowed): sorted
 * by `seq` and cut at the first gap, because every position after a missing chunk would be
 * off by the missing events. Positions beyond the result are then treated as unknown.
 */
export function assembleRecording(chunks: Iterable<{ seq: number; events: unknown[] }>): unknown[] {
  const sorted = [...chunks].filter((c) => Number.isInteger(c.seq) && c.seq >= 0 && Array.isArray(c.events)).sort((a, b) => a.seq - b.seq);
  const out: unknown[] = [];
  for (const c of sorted) {
    if (c.seq > out.length) break; // gap
    // overlapping or duplicate chunk: keep only the events past what we have
    for (let i = out.length - c.seq; i < c.events.length; i++) out.push(c.events[i]);
  }
  return out;
}
