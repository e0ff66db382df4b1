// Hand-made batches in the recorder's wire format, for tests that exercise the server directly.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Batch, RawEvent } from '@hindsight/schema';

let counter = 0;
/** UUIDv7-shaped, time-ordered ids (the server only needs uniqueness). */
export function eventId(): string {
  const ts = Date.now().toString(16).padStart(12, '0');
  const n = (counter++ & 0xfff).toString(16).padStart(3, '0');
  const rnd = randomUUID().replace(/-/g, '');
  return `${ts.slice(0, 8)}-${ts.slice(8)}-7${n}-8${rnd.slice(0, 3)}-${rnd.slice(3, 15)}`;
}

export function clickEvent(sessionId: string, i: number, extra: Partial<RawEvent> = {}): RawEvent {
  return {
    id: eventId(),
    type: 'click',
    ts: Date.now() - 1000 + (i % 1000),
    sessionId,
    anonymousId: `anon-${sessionId}`,
    url: 'https://shop.example/cart',
    chain: [
      { tag: 'button', attrs: { class: 'btn buy', 'data-i': String(i % 7) }, nth: [2, 1, 1, 1], text: 'Buy now' },
      { tag: 'form', attrs: { id: 'checkout' }, nth: [1, 1, 1, 1] },
      { tag: 'body', attrs: {}, nth: [2, 1, 1, 1] },
      { tag: 'html', attrs: {}, nth: [1, 1, 1, 1] },
    ],
    ...extra,
  };
}

export function batch(events: RawEvent[]): Batch {
  return { v: 1, sentAt: Date.now(), events };
}

export async function postBatch(url: string, key: string, b: Batch, gzip = true): Promise<Response> {
  const body = JSON.stringify(b);
  return fetch(`${url}/v1/batch?key=${encodeURIComponent(key)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: gzip ? gzipSync(body) : body,
  });
}
