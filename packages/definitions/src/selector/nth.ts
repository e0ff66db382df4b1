// An+B micro-syntax (css-syntax-3 §6). Our own tiny parser: the chain matcher evaluates it
// against stored nth indices and validation needs the exact accepted forms.

export interface Nth {
  a: number;
  b: number;
}

// `2n+1`, `2n + 1`, `-n+3`, `+n`, `n`, `odd`, `even`, `7`, `-2`. A sign must touch its digit
// ("+ 2" is invalid) but whitespace around the binary +/- after `n` is allowed.
const NTH_RE = /^\s*(?:(odd)|(even)|([+-]?)(\d*)n(?:\s*([+-])\s*(\d+))?|([+-]?\d+))\s*$/i;

export function parseNth(s: string): Nth | null {
  const m = NTH_RE.exec(s);
  if (!m) return null;
  if (m[1]) return { a: 2, b: 1 };
  if (m[2]) return { a: 2, b: 0 };
  if (m[7] !== undefined) return { a: 0, b: parseInt(m[7], 10) };
  const a = (m[3] === '-' ? -1 : 1) * (m[4] ? parseInt(m[4], 10) : 1);
  const b = m[6] !== undefined ? (m[5] === '-' ? -1 : 1) * parseInt(m[6], 10) : 0;
  return { a, b };
}

/** Does 1-based position `p` equal a·n+b for some integer n ≥ 0? */
export function nthMatches(nth: Nth, p: number): boolean {
  const { a, b } = nth;
  if (a === 0) return p === b;
  const d = p - b;
  return d % a === 0 && d / a >= 0;
}

/** Split `An+B of S` (nth-child / nth-last-child only). */
export function splitNthOf(data: string): { nth: string; of: string | null } {
  const m = /^([\s\S]*?)\s+of\s+([\s\S]*)$/i.exec(data);
  return m ? { nth: m[1], of: m[2] } : { nth: data, of: null };
}
