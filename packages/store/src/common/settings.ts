// Project settings: small string key/values shared by both stores (see Store.getSettings).
import { StoreError } from '../types.js';

const MAX_NAME = 128;
const MAX_VALUE = 4096;

/** Validated [name, value] pairs of a putSettings call. */
export function checkSettings(values: Record<string, string>): [string, string][] {
  if (!values || typeof values !== 'object') throw new StoreError('bad_input', 'settings must be an object');
  const entries = Object.entries(values);
  for (const [name, value] of entries) {
    if (name === '' || name.length > MAX_NAME) throw new StoreError('bad_input', `setting names are 1–${MAX_NAME} characters`);
    if (typeof value !== 'string' || value.length > MAX_VALUE) {
      throw new StoreError('bad_input', `setting ${name.slice(0, 64)} must be a string of at most ${MAX_VALUE} characters`);
    }
  }
  return entries;
}

let last = 0;
/**
 * Version of a settings write: microseconds since the epoch, strictly increasing within this
 * process, so two quick writes from one server never tie. Across servers the clock decides,
 * like the latest write of a plain UPDATE would.
 */
export function settingsVersion(): number {
  last = Math.max(Date.now() * 1000, last + 1);
  return last;
}
