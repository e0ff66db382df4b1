// Session and identity, in localStorage so every tab of the origin shares one session.
// Until storage is allowed (consent pending) everything lives in memory only.
import { uuidv7 } from './ids';
import { toJson } from './json';

const IDLE = 30 * 60_000;
const MAX_AGE = 24 * 3600_000;
const K_SESSION = 'hs_s';
const K_ANON = 'hs_a';
const K_USER = 'hs_u';
export const K_CONSENT = 'hs_c';

export function load(k: string): string | null {
  try {
    return localStorage.getItem(k);
  } catch {
    return null; // storage disabled (privacy mode, sandboxed iframe)
  }
}
export function store(k: string, v: string | null): void {
  try {
    if (v == null) localStorage.removeItem(k);
    else localStorage.setItem(k, v);
  } catch {
    /* quota or disabled: keep going in memory */
  }
}

interface Sess {
  id: string;
  start: number;
  last: number;
}

export interface Identity {
  /** current session id, renewing it when idle/old; `activity` extends it */
  touch(activity: boolean): string;
  anonymousId(): string;
  userId(): string | null;
  setUser(id: string | null): void;
  reset(): void;
  /** start writing to localStorage (consent granted) */
  persist(): void;
}

export function createIdentity(persistNow: boolean): Identity {
  let persisting = persistNow;
  let sess: Sess | null = null;
  let written = 0;
  let anon = load(K_ANON) || uuidv7();
  let user = load(K_USER);
  const save = () => {
    if (!persisting) return;
    store(K_ANON, anon);
    store(K_USER, user);
    if (sess) store(K_SESSION, toJson(sess));
  };
  const touch = (activity: boolean): string => {
    const now = Date.now();
    try {
      const s = JSON.parse(load(K_SESSION) || 'null') as Sess | null;
      // another tab may have extended or renewed the shared session
      if (s && s.id && (!sess || s.last >= sess.last || s.id !== sess.id)) sess = s;
    } catch {
      /* corrupt value: replaced below */
    }
    if (!sess || now - sess.last > IDLE || now - sess.start > MAX_AGE) {
      sess = { id: uuidv7(), start: now, last: now };
      written = 0;
    } else if (activity) sess.last = now;
    // throttle writes: one per second is plenty for a 30-minute idle window
    if (persisting && now - written > 1000) {
      written = now;
      store(K_SESSION, toJson(sess));
    }
    return sess.id;
  };
  if (persisting) save();
  return {
    touch,
    anonymousId: () => anon,
    userId: () => user,
    setUser(id) {
      user = id;
      if (persisting) store(K_USER, id);
    },
    reset() {
      anon = uuidv7();
      user = null;
      sess = { id: uuidv7(), start: Date.now(), last: Date.now() };
      written = 0;
      save();
    },
    persist() {
      persisting = true;
      written = 0;
      save();
    },
  };
}
