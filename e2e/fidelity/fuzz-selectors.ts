// Seeded random selectors for the fidelity fuzz, built from a generated page's vocabulary (its
// tags, ids, classes, attribute names and values, and what its page script adds at run time).
// Most are *anchored*: written from an element that exists (its compound, an ancestor or sibling
// compound joined by the right combinator, a descendant for :has), then decorated, so a good share
// matches clicks; the rest are free combinations, which mostly do not. Chromium decides which of
// them are valid (the spec drops the ones it rejects).
import { cssEscapeIdent as cssIdent } from '../../packages/definitions/src/index.js';
import { ATTR_POOL, CLASS_POOL, HREF_POOL, ID_POOL, NEW_TAGS, SCRIPT_ATTRS, type GNode, type Rng } from './fuzz-gen.js';

function cssString(rng: Rng, v: string): string {
  if (/^[A-Za-z_][\w-]*$/.test(v) && rng.chance(0.3)) return v;
  if (rng.chance(0.2)) return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const ANB = ['odd', 'even', 'EVEN', '1', '2', '3', 'n', '2n', '2n+1', '-n+2', '3n-1', '0n+1', ' 2n + 1 ', '+3', '-n+0', 'n+2', '4n', '-2n+3', '5'];
const STRUCTURAL = [':first-child', ':last-child', ':only-child', ':first-of-type', ':last-of-type', ':only-of-type', ':empty', ':root'];
const EXTRA_TAGS = ['html', 'body', 'slot', 'x-card', 'svg', 'path', 'g', 'circle', 'rect', 'li', 'td', 'tr', 'tbody'];
const WS_SPLIT = /[ \t\n\f\r]+/;

interface Vocab {
  nodes: GNode[];
  tags: string[];
  attrs: [string, string[]][];
}

function vocabOf(nodes: GNode[]): Vocab {
  const tags = new Set<string>([...EXTRA_TAGS, ...NEW_TAGS]);
  const attrs = new Map<string, Set<string>>();
  const add = (n: string, v: string) => (attrs.get(n) ?? attrs.set(n, new Set()).get(n)!).add(v);
  for (const [n, vs] of [...ATTR_POOL, ...SCRIPT_ATTRS]) vs.forEach((v) => add(n, v));
  ID_POOL.forEach((v) => add('id', v));
  CLASS_POOL.forEach((v) => add('class', v));
  HREF_POOL.forEach((v) => add('href', v));
  for (const n of nodes) {
    tags.add(n.tag);
    for (const [a, v] of n.attrs) add(a, v);
  }
  return { nodes, tags: [...tags], attrs: [...attrs].map(([n, vs]) => [n, [...vs]]) };
}

/** Feature tags of a selector, for the report (a rough look at the text is enough there). */
export function featuresOf(sel: string): string[] {
  const f: string[] = [];
  const test = (name: string, re: RegExp) => re.test(sel) && f.push(name);
  test(':has', /:has\(/);
  test('+', / \+ |\(\+ /);
  test('~', / ~ |\(~ /);
  test('of-S', / of /);
  test('nth', /:nth-/);
  test(':not', /:not\(/);
  test(':is/:where', /:(is|where)\(/);
  test(':empty', /:empty/);
  test(':root', /:root/);
  test('first/last/only', /:(first|last|only)-/);
  test('attr-op', /[~|^$*]=/);
  test('flag', / [is]\]/);
  test('list', /,/);
  return f;
}

class Gen {
  constructor(
    private readonly rng: Rng,
    private readonly v: Vocab,
  ) {}

  private caseVariant(s: string): string {
    const r = this.rng.next();
    if (r < 0.08) return s.toUpperCase();
    if (r < 0.12) return s.charAt(0).toUpperCase() + s.slice(1);
    return s;
  }

  tag(): string {
    return this.caseVariant(this.rng.pick(this.v.tags));
  }

  /** an attribute selector for `name` that `value` probably satisfies (or nearly) */
  attrFor(name: string, value: string): string {
    const { rng } = this;
    const op = rng.weighted([[3, ''], [5, '='], [2, '~='], [2, '|='], [2, '^='], [2, '$='], [2, '*=']] as const);
    const n = rng.chance(0.1) ? name.toUpperCase() : name;
    if (op === '') return `[${n}]`;
    let w = value;
    const tokens = value.split(WS_SPLIT).filter(Boolean);
    if (op === '~=') w = tokens.length ? rng.pick(tokens) : value;
    else if (op === '|=') w = value.split('-')[0];
    else if (op === '^=') w = value.slice(0, 1 + rng.int(Math.max(1, value.length)));
    else if (op === '$=') w = value.slice(rng.int(Math.max(1, value.length)));
    else if (op === '*=') {
      const a = rng.int(Math.max(1, value.length));
      w = value.slice(a, a + 1 + rng.int(4));
    }
    const r = rng.next();
    if (r < 0.15) w = w.toUpperCase();
    else if (r < 0.2) w = w + 'x';
    // no `s` flag: Chromium rejects it (inside :is()/:where() the member is dropped, by the
    // engine too), so it would only make selectors the spec filters out
    const flag = rng.weighted([[12, ''], [3, ' i'], [1, ' I']] as const);
    return `[${n}${op}${cssString(rng, w)}${flag}]`;
  }

  attr(): string {
    const [name, values] = this.rng.pick(this.v.attrs);
    return this.attrFor(name, this.rng.pick(values));
  }

  id(value?: string): string {
    const v = value ?? this.rng.pick(this.v.attrs.find(([n]) => n === 'id')![1]);
    return this.rng.chance(0.85) ? `#${cssIdent(v)}` : `[id=${cssString(this.rng, v)}]`;
  }

  cls(value?: string): string {
    const v = value ?? this.rng.pick(CLASS_POOL);
    return `.${cssIdent(this.rng.chance(0.07) ? v.toUpperCase() : v)}`;
  }

  nth(budget: number): string {
    const { rng } = this;
    const name = rng.weighted([[4, 'nth-child'], [2, 'nth-last-child'], [2, 'nth-of-type'], [1, 'nth-last-of-type']] as const);
    const of = name.endsWith('child') && budget > 0 && rng.chance(0.35) ? ` of ${this.list(budget - 1, true, 1)}` : '';
    return `:${name}(${rng.pick(ANB)}${of})`;
  }

  pseudo(budget: number, inHas: boolean): string {
    const { rng } = this;
    const kinds: [number, string][] = [[4, 'structural'], [4, 'nth']];
    if (budget > 0) kinds.push([3, 'not'], [2, 'is'], [1, 'where']);
    if (budget > 0 && !inHas) kinds.push([3, 'has']);
    switch (rng.weighted(kinds)) {
      case 'structural':
        return rng.pick(STRUCTURAL);
      case 'nth':
        return this.nth(budget);
      case 'not':
        return `:not(${this.list(budget - 1, inHas, 2)})`;
      case 'is':
        return `:is(${this.list(budget - 1, inHas, 2)})`;
      case 'where':
        return `:where(${this.list(budget - 1, inHas, 2)})`;
      default:
        return `:has(${this.relative(budget - 1)})`;
    }
  }

  compound(budget: number, inHas: boolean): string {
    const { rng } = this;
    let out = '';
    const r = rng.next();
    if (r < 0.45) out = this.tag();
    else if (r < 0.5) out = '*';
    const k = rng.int(2) + (out ? 0 : 1);
    for (let i = 0; i < k; i++) {
      out += rng.weighted<() => string>([
        [1, () => this.id()],
        [3, () => this.cls()],
        [3, () => this.attr()],
        [2, () => this.pseudo(budget, inHas)],
      ])();
    }
    return out || '*';
  }

  combinator(): string {
    return this.rng.weighted([[9, ' '], [6, ' > '], [1, '>'], [3, ' + '], [3, ' ~ ']] as const);
  }

  complex(budget: number, inHas: boolean): string {
    const n = this.rng.weighted([[5, 1], [4, 2], [2, 3], [1, 4]] as const);
    let out = this.compound(budget, inHas);
    for (let i = 1; i < n; i++) out = this.compound(budget, inHas) + this.combinator() + out;
    return out;
  }

  list(budget: number, inHas: boolean, max: number): string {
    const n = 1 + this.rng.int(max);
    return Array.from({ length: n }, () => this.complex(budget, inHas)).join(this.rng.chance(0.8) ? ', ' : ',');
  }

  relative(budget: number): string {
    const lead = this.rng.weighted([[4, ''], [4, '> '], [2, '+ '], [2, '~ ']] as const);
    return lead + this.complex(budget, true);
  }

  // ---- anchored at an element of the page

  /** a compound that `n` satisfies, mostly */
  matching(n: GNode): string {
    const { rng } = this;
    let out = rng.chance(0.55) ? this.caseVariant(n.tag) : '';
    const attrs = n.attrs.filter(([a]) => a !== 'data-sh' || rng.chance(0.2));
    const k = rng.int(3);
    for (let i = 0; i < k && attrs.length; i++) {
      const [a, v] = rng.pick(attrs);
      if (a === 'id' && v) out += this.id(v);
      else if (a === 'class' && v.trim()) out += this.cls(rng.pick(v.split(WS_SPLIT).filter(Boolean)));
      else out += this.attrFor(a, v);
    }
    if (rng.chance(0.2)) out += this.pseudo(1, false);
    return out || this.caseVariant(n.tag);
  }

  anchored(): string {
    const { rng } = this;
    const n = rng.pick(this.v.nodes);
    let sel = this.matching(n);
    let cur = n;
    const steps = rng.weighted([[4, 0], [5, 1], [3, 2], [1, 3]] as const);
    for (let i = 0; i < steps; i++) {
      const r = rng.next();
      const parent = cur.shadowTop ? null : cur.parent;
      const sibs = cur.parent ? (cur.shadowTop ? cur.parent.shadow?.kids : cur.parent.kids) ?? [] : [];
      const before = sibs.slice(0, sibs.indexOf(cur)).filter((k): k is GNode => 'tag' in k);
      if (r < 0.35 && parent) {
        sel = `${this.matching(parent)}${rng.chance(0.5) ? ' > ' : ' '}${sel}`;
        cur = parent;
      } else if (r < 0.6 && parent) {
        let a = parent;
        for (let up = rng.int(4); up > 0 && a.parent && !a.shadowTop; up--) a = a.parent;
        sel = `${this.matching(a)} ${sel}`;
        cur = a;
      } else if (r < 0.85 && before.length) {
        const adjacent = rng.chance(0.5);
        const s = adjacent ? before[before.length - 1] : rng.pick(before);
        sel = `${this.matching(s)}${adjacent ? ' + ' : ' ~ '}${sel}`;
        cur = s;
      } else sel = `${this.compound(1, false)}${this.combinator()}${sel}`;
    }
    // decorate: the matching part stays, the decoration may or may not hold
    const d = rng.next();
    const kids = (n.shadow ? [] : n.kids).filter((k): k is GNode => 'tag' in k);
    if (d < 0.1 && kids.length) sel += `:has(${rng.pick(['> ', '', ''])}${this.matching(rng.pick(kids))})`;
    // first compound written for the subject itself: it must hold strictly below it (seed 34)
    else if (d < 0.15 && kids.length) sel += `:has(${this.matching(n)}${rng.pick([' ', ' > '])}${this.matching(rng.pick(kids))})`;
    else if (d < 0.2) sel += `:has(${this.relative(1)})`;
    else if (d < 0.3) sel += `:not(${this.list(1, false, 2)})`;
    else if (d < 0.36) sel = `:is(${sel})`;
    else if (d < 0.4) sel = `:where(${sel}, ${this.complex(1, false)})`;
    else if (d < 0.48) sel += this.nth(1);
    return sel;
  }

  /** `n` by its tag, id, a class or an attribute: no pseudo-class, so no part needs the recorded DOM alone */
  plain(n: GNode): string {
    const { rng } = this;
    const id = n.attrs.find(([a]) => a === 'id')?.[1];
    const classes = (n.attrs.find(([a]) => a === 'class')?.[1] ?? '').split(WS_SPLIT).filter(Boolean);
    // input values are masked in chains and replays alike: not what this draws
    const attrs = n.attrs.filter(([a]) => a !== 'id' && a !== 'class' && a !== 'value');
    const r = rng.next();
    if (r < 0.25 && id) return this.id(id);
    if (r < 0.55 && classes.length) return (rng.chance(0.4) ? this.caseVariant(n.tag) : '') + this.cls(rng.pick(classes));
    if (r < 0.8 && attrs.length) {
      const [a, v] = rng.pick(attrs);
      return (rng.chance(0.5) ? this.caseVariant(n.tag) : '') + this.attrFor(a, v);
    }
    return this.caseVariant(n.tag);
  }

  /**
   * Live state (:hover, :focus, ...) on an element of the page and maybe an ancestor: only where
   * the engine takes it (the chain decides the whole selector); mouse clicks, Enter/Space on a
   * focused control and el.click() give each a different answer.
   */
  live(): string {
    const { rng } = this;
    const state = () => `:${rng.weighted([[4, 'hover'], [4, 'focus'], [3, 'focus-within'], [2, 'focus-visible'], [1, 'active']] as const)}`;
    const n = rng.pick(this.v.nodes);
    let sel = this.plain(n) + (rng.chance(0.7) ? state() : '');
    const parent = n.shadowTop ? null : n.parent;
    // parts only the recorded page decides, never asked for live state: a :has() on the parent,
    // a preceding sibling
    const kids = (parent?.kids ?? []).filter((k): k is GNode => 'tag' in k);
    const has = () => (rng.chance(0.25) && kids.length ? `:has(${this.plain(rng.pick(kids))})` : '');
    if (parent && rng.chance(0.5)) sel = `${this.plain(parent)}${has()}${rng.chance(0.6) ? state() : ''}${rng.chance(0.5) ? ' > ' : ' '}${sel}`;
    const sibs = parent && !n.shadowTop ? kids.slice(0, kids.indexOf(n)) : [];
    if (sibs.length && rng.chance(0.2)) sel = `${this.plain(rng.pick(sibs))}${rng.chance(0.5) ? ' + ' : ' ~ '}${sel}`;
    if (rng.chance(0.25)) sel += `:not(${state()})`;
    else if (rng.chance(0.15)) sel = `:is(${sel}, ${this.plain(rng.pick(this.v.nodes))}${state()})`;
    return /:(hover|focus|active)/.test(sel) ? sel : sel + state();
  }

  selector(): string {
    const { rng } = this;
    if (rng.chance(0.08)) return this.live();
    const one = () => (rng.chance(0.65) ? this.anchored() : this.complex(2, false));
    return rng.chance(0.12) ? `${one()}, ${one()}` : one();
  }
}

/** `n` selectors (duplicates removed) for a page's model */
export function generateSelectors(rng: Rng, nodes: GNode[], n: number): string[] {
  const g = new Gen(rng, vocabOf(nodes));
  const out = new Set<string>();
  for (let tries = 0; out.size < n && tries < n * 4; tries++) out.add(g.selector());
  return [...out];
}
