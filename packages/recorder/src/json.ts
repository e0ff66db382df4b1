// JSON text of our own data, whatever the page did to JSON. Prototype.js (≤ 1.6) and similar old
// libraries define Array.prototype.toJSON returning a *string*, so JSON.stringify would send every
// array (chains, rrweb nodes) as text and the server would refuse the whole batch. Such toJSON
// members are hidden for the duration of our call (synchronous: no page code runs in between),
// and JSON.stringify is the one the page had when the recorder loaded.
const stringify = JSON.stringify;
const PROTOS: object[] = [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype];

export function toJson(v: unknown): string {
  let hidden: [object, PropertyDescriptor][] | undefined;
  for (const p of PROTOS) {
    const d = Object.getOwnPropertyDescriptor(p, 'toJSON');
    if (d && d.configurable) {
      (hidden ||= []).push([p, d]);
      delete (p as { toJSON?: unknown }).toJSON;
    }
  }
  try {
    return stringify(v);
  } finally {
    if (hidden) for (const [p, d] of hidden) Object.defineProperty(p, 'toJSON', d);
  }
}
