// Pure privacy helpers shared by element chains, replay text masking and network capture.

// 13–19 digits, optionally grouped by spaces or dashes; confirmed with Luhn so long ids and
// millisecond timestamps are not redacted for nothing.
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// US SSN shape (the most common national id in forms we see)
const NATIONAL_ID = /\b\d{3}-\d{2}-\d{4}\b/g;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let d = +digits[i];
    if (dbl && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Replaces card numbers, e-mail addresses and national ids in free text. */
export function redact(s: string): string {
  // Runs on every text node of the page (replay masking): most text has no @ and fewer than 9
  // digits (prices, counts, dates), which none of the patterns can match, so count before matching.
  let digits = 0;
  for (let i = 0; i < s.length && digits < 13; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  const at = s.includes('@');
  if (digits < 9 && !at) return s;
  let out = s;
  if (digits >= 13) out = out.replace(CARD, (m) => (luhn(m.replace(/\D/g, '')) ? '[card]' : m));
  if (at) out = out.replace(EMAIL, '[email]');
  return digits >= 9 ? out.replace(NATIONAL_ID, '[id]') : out;
}

/** fields seen as type=password: a "show password" toggle (type=text) must not expose them */
const wasPassword = new WeakSet<Element>();

/** Password, payment and similar fields: nothing about their content may leave the page. */
export function isSensitive(el: Element): boolean {
  const a = (n: string) => (el.getAttribute(n) || '').toLowerCase();
  if (a('type') === 'password') wasPassword.add(el);
  return (
    wasPassword.has(el) ||
    /(^|\s)cc-|password/.test(a('autocomplete')) ||
    /pass|pwd|card|cvv|cvc|ccnum|ssn|iban|secret|token/.test(a('name') + ' ' + a('id'))
  );
}

/** URL with query values, credentials and fragment removed: `https://h/p?a=&b=`. */
export function stripQuery(url: string, base?: string): string {
  try {
    const u = new URL(url, base);
    u.username = u.password = u.hash = '';
    const keys: string[] = [];
    u.searchParams.forEach((_, k) => keys.push(encodeURIComponent(k) + '='));
    u.search = keys.length ? '?' + keys.join('&') : '';
    return u.href;
  } catch {
    return '';
  }
}
