// The definitions engine: turns rules into store filters.
// Selector + text are decided by the reference matcher over the *distinct* stored chains (the
// same TypeScript for every store, so both stores give identical answers); event type, url,
// name and time become SQL inside the store. Where a chain cannot decide (e.g. `:has()`, `~`),
// the events are decided exactly from the recorded DOM of their session.
import type { PropertySpec, Rule } from '@hindsight/schema';
import type {
  ChainRow,
  EventFilter,
  FunnelDropoff,
  FunnelOrder,
  FunnelStep,
  MatchCounts,
  RetentionOptions,
  RetentionResult,
  Store,
  StoredEvent,
  TimeToEventResult,
  TrendInterval,
  TrendPoint,
} from '@hindsight/store';
import { assembleRecording, compileRule, evaluateRulesExact, extractFromChain, validateRules, type CompiledRule } from '@hindsight/definitions';
import type { ReplayChunk } from '@hindsight/schema';
import { ExactCache } from './exact-cache.js';
import { badRequest } from './http/errors.js';

type NameCond = { op: 'exact' | 'contains' | 'regex'; value: string };

/** rule's candidates whose stored chains cannot decide it: the recorded DOM must */
interface ExactJob {
  rule: CompiledRule;
  candidates: EventFilter;
}

export class Engine {
  /** exact replay-path results per (rule, session); see exact-cache.ts */
  readonly exactCache = new ExactCache();
  constructor(private readonly store: Store) {}

  validate(rules: Rule[]): CompiledRule[] {
    const v = validateRules(rules);
    if (!v.ok) throw badRequest(v.message, 'invalid_rule');
    return rules.map((r) => compileRule(r));
  }

  /**
   * OR-able store filters for the rules (exactly matched event ids become an eventIds filter).
   * `chains`: decide selectors over these chains instead of every stored one — for a few known
   * events (live matching of a batch: its own chains, with `range.eventIds` limiting to them).
   * `undecided`: when given, events the recorded DOM must decide but whose recording is not all
   * stored yet (its chunks up to the event arrive in a later batch) are left out and added here,
   * instead of being decided on a DOM that may still miss the mutations before them.
   */
  async filtersFor(
    projectId: string,
    rules: Rule[],
    range: Pick<EventFilter, 'from' | 'to' | 'sessionIds' | 'eventIds'> = {},
    chains?: ChainRow[],
    undecided?: Set<string>,
  ): Promise<EventFilter[]> {
    const compiled = this.validate(rules);
    const filters: EventFilter[] = [];
    const exact: ExactJob[] = [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      const c = compiled[i];
      const name: NameCond | undefined =
        rule.name === undefined ? undefined : typeof rule.name === 'string' ? { op: 'exact', value: rule.name } : rule.name;
      const base: EventFilter = { types: c.eventTypes, url: rule.url, name, ...range };
      if (!c.needsChain) {
        filters.push(base);
        continue;
      }
      const yes: string[] = [];
      const unknown: string[] = [];
      for (const row of chains ?? (await this.store.distinctChains(projectId, c.eventTypes))) {
        const m = c.matchChain(row.chain);
        if (m === true) yes.push(row.hash);
        else if (m === 'unknown') unknown.push(row.hash);
      }
      if (yes.length) filters.push({ ...base, chainHashes: yes });
      if (unknown.length) exact.push({ rule: c, candidates: { ...base, chainHashes: unknown } });
    }
    const exactIds = exact.length ? new Set(await this.exactMatches(projectId, exact, undecided)) : new Set<string>();
    if (exactIds.size) filters.push({ eventIds: [...exactIds] });
    // An empty filter list means "nothing matches"; make that explicit for the store.
    return filters.length ? filters : [{ eventIds: [] }];
  }

  /**
   * Decides candidate events from their sessions' recorded DOM. Session by session, so each
   * recording is read and assembled once for all the rules that need it (a preview of many
   * `:has()` rules read every recording once per rule) and only one is held at a time.
   */
  private async exactMatches(projectId: string, jobs: ExactJob[], undecided?: Set<string>): Promise<string[]> {
    const perRule: { rule: CompiledRule; ruleKey: string; bySession: Map<string, StoredEvent[]> }[] = [];
    for (const j of jobs) perRule.push({ rule: j.rule, ruleKey: JSON.stringify(j.rule.rule), bySession: await this.candidatesBySession(projectId, j.candidates) });
    const matched: string[] = [];
    for (const sessionId of new Set(perRule.flatMap((r) => [...r.bySession.keys()]))) {
      let byRec: Map<string, unknown[]> | undefined;
      for (const { rule, ruleKey, bySession } of perRule) {
        const events = bySession.get(sessionId);
        if (!events) continue;
        const key = ExactCache.key(projectId, ruleKey, sessionId);
        const sig = ExactCache.signature(events.map((e) => e.id));
        const cached = this.exactCache.get(key, sig);
        if (cached) {
          matched.push(...cached);
          continue;
        }
        byRec ??= await this.recordings(projectId, sessionId);
        const ids = [...evaluateRulesExact([rule], events, byRec)];
        const partial = new Set(events.filter((e) => e.rec && (byRec!.get(e.rec.id)?.length ?? 0) < e.rec.seq).map((e) => e.id));
        if (partial.size === 0) this.exactCache.set(key, sig, ids);
        if (!undecided) matched.push(...ids);
        else {
          for (const id of partial) undecided.add(id);
          matched.push(...ids.filter((id) => !partial.has(id)));
        }
      }
    }
    return matched;
  }

  private async candidatesBySession(projectId: string, candidates: EventFilter): Promise<Map<string, StoredEvent[]>> {
    const PAGE = 5000;
    const bySession = new Map<string, StoredEvent[]>();
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.store.findEvents(projectId, [candidates], { limit: PAGE, offset });
      for (const e of page) {
        const list = bySession.get(e.sessionId) ?? [];
        list.push(e);
        bySession.set(e.sessionId, list);
      }
      if (page.length < PAGE) break;
    }
    return bySession;
  }

  /** A session's recordings by recording id, each rebuilt by seq from its stored chunks. */
  private async recordings(projectId: string, sessionId: string): Promise<Map<string, unknown[]>> {
    // Group by recording and rebuild each by seq, so a missing or repeated chunk can never
    // shift positions (the event's rec.seq indexes into exactly this array).
    const chunksByRec = new Map<string, ReplayChunk[]>();
    for (const ch of await this.store.replayChunks(projectId, sessionId)) chunksByRec.set(ch.rec, [...(chunksByRec.get(ch.rec) ?? []), ch]);
    const byRec = new Map<string, unknown[]>();
    for (const [rec, list] of chunksByRec) byRec.set(rec, assembleRecording(list));
    return byRec;
  }

  async preview(projectId: string, rules: Rule[]): Promise<MatchCounts> {
    return this.store.countMatches(projectId, await this.filtersFor(projectId, rules), 20);
  }

  async matchingEvents(projectId: string, rules: Rule[], page: { limit: number; offset: number }): Promise<StoredEvent[]> {
    return this.store.findEvents(projectId, await this.filtersFor(projectId, rules), page);
  }

  async trend(
    projectId: string,
    rules: Rule[],
    interval: TrendInterval,
    from: number,
    to: number,
    tzOffsetMinutes?: number,
  ): Promise<{ series: TrendPoint[] }> {
    const filters = await this.filtersFor(projectId, rules, { from, to });
    return { series: await this.store.trend(projectId, filters, { interval, from, to, tzOffsetMinutes }) };
  }

  /**
   * Step 0 counts events in [from, to]; a later step may happen up to windowMs after its user's
   * step-0 event, so its filters reach to `to + windowMs`. In any order every step can be a later
   * one, so all reach there (the store bounds the attempt's first event by `to`).
   */
  async funnel(projectId: string, steps: Rule[][], windowMs: number, from: number, to: number, order: FunnelOrder = 'strict'): Promise<{ steps: FunnelStep[] }> {
    const filters = await this.funnelFilters(projectId, steps, windowMs, from, to, order);
    return { steps: await this.store.funnel(projectId, filters, { windowMs, from, to, order }) };
  }

  /** who dropped before funnel step `step` (same attempts as `funnel`) */
  async funnelDropoffs(
    projectId: string,
    steps: Rule[][],
    windowMs: number,
    from: number,
    to: number,
    step: number,
    limit?: number,
    order: FunnelOrder = 'strict',
  ): Promise<FunnelDropoff[]> {
    const filters = await this.funnelFilters(projectId, steps, windowMs, from, to, order);
    return this.store.funnelDropoffs(projectId, filters, { windowMs, from, to, step, limit, order });
  }

  private async funnelFilters(projectId: string, steps: Rule[][], windowMs: number, from: number, to: number, order: FunnelOrder): Promise<EventFilter[][]> {
    const filters: EventFilter[][] = [];
    for (let i = 0; i < steps.length; i++) {
      filters.push(await this.filtersFor(projectId, steps[i], { from, to: i === 0 && order === 'strict' ? to : to + windowMs }));
    }
    return filters;
  }

  /** Cohorts by the first start event ever (so start filters are not bounded in time). */
  async retention(
    projectId: string,
    start: Rule[],
    returning: Rule[],
    opts: Omit<RetentionOptions, 'split'>,
    split?: { steps: Rule[][]; withinMs: number },
  ): Promise<RetentionResult> {
    const [s, r] = [await this.filtersFor(projectId, start), await this.filtersFor(projectId, returning, { from: opts.from })];
    const steps: EventFilter[][] = [];
    for (const step of split?.steps ?? []) steps.push(await this.filtersFor(projectId, step, { from: opts.from }));
    return this.store.retention(projectId, s, r, split ? { ...opts, split: { steps, withinMs: split.withinMs } } : opts);
  }

  async timeToEvent(projectId: string, start: Rule[], end: Rule[], from: number, to: number, windowMs: number): Promise<TimeToEventResult> {
    const s = await this.filtersFor(projectId, start, { from, to });
    const e = await this.filtersFor(projectId, end, { from, to: to + windowMs });
    return this.store.timeToEvent(projectId, s, e, { from, to, windowMs });
  }

  /** chain hash → the property's value, over the distinct chains of the rules' event types */
  async propertyValues(projectId: string, rules: Rule[], prop: PropertySpec): Promise<Record<string, string>> {
    const compiled = this.validate(rules);
    const chains = await this.store.distinctChains(projectId, [...new Set(compiled.flatMap((c) => c.eventTypes))]);
    const out: Record<string, string> = {};
    for (const row of chains) {
      const v = extractFromChain(compiled, prop, row.chain);
      if (v !== null) out[row.hash] = v;
    }
    return out;
  }

  /**
   * The rules' filters narrowed to events whose extracted property equals `value`. Only chain
   * parts can carry a property, so other parts (no selector, exact replay matches) drop out.
   */
  async filtersWhere(projectId: string, rules: Rule[], prop: PropertySpec, value: string, range: { from?: number; to?: number } = {}): Promise<EventFilter[]> {
    const [filters, values] = [await this.filtersFor(projectId, rules, range), await this.propertyValues(projectId, rules, prop)];
    const out = filters
      .filter((f) => f.chainHashes)
      .map((f) => ({ ...f, chainHashes: f.chainHashes!.filter((h) => values[h] === value) }))
      .filter((f) => f.chainHashes.length > 0);
    return out.length ? out : [{ eventIds: [] }];
  }
}
