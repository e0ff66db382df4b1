// Property-based fuzzing of the ingest decoder and the rule validator (10,000 cases each): any
// input ends as an acknowledged batch or a typed 4xx HttpError — never a crash, hang or a 500.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRule, validateRules } from '@hindsight/definitions';
import { HttpError } from '../src/http/errors.js';
import { ingestIntoDuckDB } from './ingest-duckdb.js';

const ingest = ingestIntoDuckDB();

// Near-valid events: the shapes the decoder must sort into "store" and "400" precisely.
const chainEl = fc.record(
  {
    tag: fc.oneof(fc.constantFrom('button', 'div', 'svg', ''), fc.string({ maxLength: 5 })),
    attrs: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer())),
    nth: fc.oneof(fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5)), fc.constant('x')),
    text: fc.string({ maxLength: 30 }),
    root: fc.constantFrom('shadow', 'light'),
  },
  { requiredKeys: ['tag', 'attrs', 'nth'] },
);
const event = fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 70 })),
    type: fc.constantFrom('click', 'pageview', 'custom', 'error', 'bogus'),
    ts: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.double(), fc.constant('now')),
    sessionId: fc.string({ minLength: 0, maxLength: 70 }),
    anonymousId: fc.string({ minLength: 1, maxLength: 10 }),
    url: fc.string({ maxLength: 40 }),
    name: fc.string({ maxLength: 20 }),
    props: fc.object({ maxDepth: 3 }),
    chain: fc.array(chainEl, { maxLength: 4 }),
    nodeId: fc.oneof(fc.integer(), fc.double()),
    rec: fc.record({ id: fc.string({ maxLength: 10 }), seq: fc.integer({ min: -2, max: 50 }) }),
  },
  { requiredKeys: ['id', 'type', 'ts'] },
);
// full snapshots and mutations whose nodes are anything: the ingest fills in implied ids there
const numberedLike = fc.oneof(
  fc.record({ type: fc.constant(2), timestamp: fc.nat(), data: fc.record({ node: fc.jsonValue({ maxDepth: 5 }) }) }),
  fc.record({ type: fc.constant(3), timestamp: fc.nat(), data: fc.record({ source: fc.constant(0), adds: fc.jsonValue({ maxDepth: 4 }), removes: fc.jsonValue({ maxDepth: 3 }) }) }),
);
const batchLike = fc.record(
  {
    v: fc.constantFrom(1, 2, '1'),
    sentAt: fc.oneof(fc.constant(Date.now()), fc.integer()),
    events: fc.array(event, { maxLength: 5 }),
    replay: fc.array(fc.record({ id: fc.uuid(), sessionId: fc.string({ minLength: 1, maxLength: 8 }), rec: fc.string({ minLength: 1, maxLength: 5 }), seq: fc.nat(9), ts: fc.nat(), events: fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), numberedLike), { maxLength: 3 }), impliedIds: fc.constantFrom(true, undefined, 1) }), { maxLength: 2 }),
  },
  { requiredKeys: ['v'] },
);
const body = fc.oneof(
  batchLike.map((b) => JSON.stringify(b)),
  batchLike.map((b) => gzipSync(JSON.stringify(b))),
  fc.json(),
  fc.uint8Array({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b])),
  fc.string({ maxLength: 200 }),
);

describe('fuzz', () => {
  it('ingest decoder: 10,000 inputs → ack or typed 4xx', async () => {
    let acked = 0;
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        try {
          const ack = await ingest.post(b);
          expect(ack.ok).toBe(true);
          acked++;
        } catch (e) {
          if (!(e instanceof HttpError) || e.status < 400 || e.status >= 500) throw e;
        }
      }),
      { numRuns: 10_000 },
    );
    expect(acked).toBeGreaterThan(50); // the generator reaches the store, not only the 400 paths
  }, 600_000);

  it('rule validator: 10,000 rule-like inputs → ok or a message with a path; accepted rules compile', () => {
    const cond = fc.record({ op: fc.constantFrom('exact', 'contains', 'regex', 'like'), value: fc.string({ maxLength: 12 }) }, { requiredKeys: [] });
    const rule = fc.record(
      {
        event: fc.constantFrom('click', 'pageview', 'custom', '', 'x'),
        selector: fc.oneof(fc.constantFrom('button', 'a > b', ':has(x)', 'a[', '::before', ':hover', '#1'), fc.string({ maxLength: 12 })),
        text: cond,
        url: cond,
        name: fc.oneof(fc.string({ maxLength: 8 }), cond),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(rule, { maxLength: 3 }), fc.anything()), (rules) => {
        const v = validateRules(rules);
        if (!v.ok) {
          expect(v.message.length).toBeGreaterThan(0);
          return;
        }
        for (const r of rules as never[]) expect(() => compileRule(r)).not.toThrow();
      }),
      { numRuns: 10_000 },
    );
  });
});
