import { describe, expect, it } from 'vitest';
import { isDeepStrictEqual } from 'node:util';
import { CHAIN_ELEMENT_KEYS, CHAIN_STATES, LIMITS } from '../src/index.js';
import { isCleanBatch } from '../src/fast-batch.js';
import { batchSchema, chainElementSchema, parseBatch } from '../src/validate.js';

/** a batch as the recorder sends it (keys in the recorder's order, not the schema's) */
function recorderBatch(i: number): Record<string, unknown> {
  const chain = [
    { tag: 'button', attrs: { class: 'btn buy', 'data-testid': `buy-${i}`, type: 'submit' }, nth: [2, 1, 3, 1], ns: 'svg', trunc: ['data-x'], text: 'Add to cart', textTrunc: true, state: 3 },
    { tag: 'div', attrs: {}, nth: [1, 1, 1, 1], root: 'shadow' },
    { tag: 'html', attrs: { lang: 'en' }, nth: [1, 1, 1, 1] },
  ];
  const base = { id: `0190a0b0-0000-7000-8000-00000000000${i}`, type: 'click', ts: 1_700_000_000_000 + i, sessionId: 's-1', anonymousId: 'a-1', userId: null, url: 'https://shop.example/p', title: 'Shop' };
  return JSON.parse(
    JSON.stringify({
      v: 1,
      sentAt: 1_700_000_000_500,
      events: [
        { ...base, chain, nodeId: 42, props: { plan: 'pro', nested: { a: [1, { b: null }] } } },
        { ...base, id: `${base.id}b`, type: 'pageview', userId: 'u-9', referrer: 'https://ref.example/', rec: { id: 'r-1', seq: 3 } },
        { ...base, id: `${base.id}c`, type: 'custom', name: 'Signed up', props: {} },
      ],
      replay: [{ id: 'c-1', sessionId: 's-1', rec: 'r-1', seq: 0, ts: 1_700_000_000_000, events: [{ type: 4, data: {} }, { type: 2 }], impliedIds: true }],
      key: 'pk_x',
    }),
  );
}

/** deterministic PRNG (mulberry32), so a failure names a seed that reproduces it */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const deep = (n: number): unknown => (n === 0 ? 1 : { d: deep(n - 1) });
const lengths = [0, 1, 63, 64, 65, 127, 128, 129, 255, 256, 257, 800, 801, 1024, 1025, 8192, 8193];
const MAX_STATE = 2 ** CHAIN_STATES.length - 1;
/** values that sit on or just past some limit of the schema, and values of every JSON kind */
const VALUES: (() => unknown)[] = [
  ...lengths.map((n) => () => 'x'.repeat(n)),
  ...[-1, -0, 0, 1, 1.5, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e300, MAX_STATE, MAX_STATE + 1, 5000].map((n) => () => n),
  () => null,
  () => true,
  () => false,
  () => [],
  () => ({}),
  () => [1, 1, 1],
  () => [1, 1, 1, 1, 1],
  () => [1, 1, 1, 1],
  () => [1, 0, 1, 1],
  () => ['a'],
  () => 'svg',
  () => 'math',
  () => 'shadow',
  () => 'click',
  () => 'nope',
  () => JSON.parse('{"__proto__": {"x": 1}, "a": "b"}'),
  () => JSON.parse('{"constructor": "c", "toString": "t"}'),
  () => ({ a: deep(LIMITS.propsDepth - 1) }),
  () => ({ a: deep(LIMITS.propsDepth) }),
  () => Object.fromEntries(Array.from({ length: LIMITS.attrsPerElement }, (_, i) => [`a${i}`, 'v'])),
  () => Object.fromEntries(Array.from({ length: LIMITS.attrsPerElement + 1 }, (_, i) => [`a${i}`, 'v'])),
  () => ({ ['k'.repeat(257)]: 'v' }),
  () => Object.create(null),
];

type Container = Record<string, unknown> | unknown[];
/** every (container, key) inside v */
function slots(v: unknown, out: [Container, string | number][] = []): [Container, string | number][] {
  if (Array.isArray(v)) v.forEach((c, i) => (out.push([v, i]), slots(c, out)));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) out.push([v as Container, k]), slots((v as Record<string, unknown>)[k], out);
  return out;
}

function mutate(b: Record<string, unknown>, r: () => number): void {
  const all = slots(b);
  const [c, k] = all[Math.floor(r() * all.length)];
  const op = r();
  if (op < 0.6) (c as Record<string | number, unknown>)[k] = VALUES[Math.floor(r() * VALUES.length)]();
  else if (op < 0.75) {
    if (Array.isArray(c)) c.splice(Number(k), 1);
    else delete c[k as string];
  } else if (op < 0.85) {
    if (Array.isArray(c)) c.push(c[Number(k)]);
    else c[`extra${Math.floor(r() * 3)}`] = 1;
  } else if (op < 0.92 && !Array.isArray(c)) {
    // the same key again, last in order
    const v = c[k as string];
    delete c[k as string];
    c[k as string] = v;
  } else if (Array.isArray(c)) {
    c.length = Math.floor(r() * 600); // holes past the end, or cut
  } else Object.defineProperty(c, '__proto__', { value: {}, enumerable: true, configurable: true, writable: true });
}

describe('isCleanBatch (the ingest fast path) agrees with zod', () => {
  it('vouches for what the recorder sends', () => {
    for (let i = 0; i < 5; i++) {
      const b = recorderBatch(i);
      expect(isCleanBatch(b)).toBe(true);
      expect(batchSchema.safeParse(b).success).toBe(true);
    }
  });

  /** the invariant: a body isCleanBatch vouches for is one zod accepts unchanged */
  function check(b: Record<string, unknown>, what: string, tally: { clean: number; refused: number; deferred: number }) {
    const fast = isCleanBatch(b);
    const z = batchSchema.safeParse(b);
    if (fast) {
      tally.clean++;
      if (!z.success || !isDeepStrictEqual(z.data, b)) {
        throw new Error(`${what}: vouched for ${JSON.stringify(b).slice(0, 2000)}; zod: ${z.success ? 'changed it' : z.error.message}`);
      }
    } else if (z.success) tally.deferred++;
    else tally.refused++;
  }

  it('agrees on every single change of every value, key and array of a recorder batch', () => {
    const tally = { clean: 0, refused: 0, deferred: 0 };
    const count = slots(recorderBatch(0)).length;
    for (let s = 0; s < count; s++) {
      const edit = (f: (c: Container, k: string | number) => void, what: string) => {
        const b = recorderBatch(0);
        const [c, k] = slots(b)[s];
        f(c, k);
        check(b, `slot ${s} (${String(k)}): ${what}`, tally);
      };
      VALUES.forEach((v, i) => edit((c, k) => ((c as Record<string | number, unknown>)[k] = v()), `value ${i}`));
      edit((c, k) => (Array.isArray(c) ? c.splice(Number(k), 1) : delete c[k as string]), 'removed');
      edit((c, k) => (Array.isArray(c) ? c.push(c[Number(k)]) : (c.extra = 1)), 'one more');
    }
    expect(tally.clean).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(1000);
  });

  it('never vouches for a body zod refuses or would change, over 20,000 randomly mutated batches', () => {
    const seed = Number(process.env.HINDSIGHT_FUZZ_SEED ?? 1);
    const r = rng(seed);
    const tally = { clean: 0, refused: 0, deferred: 0 };
    for (let n = 0; n < 20_000; n++) {
      const b = recorderBatch(n % 5);
      const rounds = 1 + Math.floor(r() * 3);
      for (let m = 0; m < rounds; m++) mutate(b, r);
      check(b, `seed ${seed}, batch ${n}`, tally);
    }
    // the fuzz reaches both sides of the line, and the fast path is not just always "ask zod"
    expect(tally.clean).toBeGreaterThan(2000);
    expect(tally.refused).toBeGreaterThan(2000);
    expect(tally.deferred).toBeGreaterThan(100);
  });

  it('defers at the batch-size limits and to zod for the error', () => {
    const b = recorderBatch(0);
    const one = (b.events as unknown[])[0];
    b.events = Array.from({ length: LIMITS.eventsPerBatch }, () => one);
    expect(isCleanBatch(b)).toBe(true);
    (b.events as unknown[]).push(one);
    expect(isCleanBatch(b)).toBe(false);
    const p = parseBatch(b);
    expect(p.success).toBe(false);
    const ok = parseBatch(recorderBatch(1));
    expect(ok.success && ok.data.events.length).toBe(3);
  });
});

describe('CHAIN_ELEMENT_KEYS', () => {
  it('lists the chain element schema keys, in the schema order', () => {
    expect(Object.keys(chainElementSchema.shape)).toEqual([...CHAIN_ELEMENT_KEYS]);
  });
});
