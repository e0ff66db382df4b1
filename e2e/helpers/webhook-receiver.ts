// A real local webhook receiver (node:http) for destination tests: records every request, checks
// its X-Hindsight-Signature the way docs/destinations.md tells receivers to, and answers with
// whatever status the test sets (per request, so "500 twice, then 200" is one function).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Received {
  deliveryId: string;
  signatureValid: boolean;
  body: any;
  status: number;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** the secret to verify with (the destination's, once created) */
  secret: string;
  /** status for the next request; n = how many requests this delivery id had before */
  respond: (r: { deliveryId: string; n: number }) => number | { status: number; headers: Record<string, string> };
  /** requests answered 2xx, one per delivery id expected */
  delivered: () => Received[];
  close: () => Promise<void>;
}

/** the receiver-side check of docs/destinations.md: HMAC-SHA256(secret, t + "." + raw body), t recent */
export function verify(secret: string, header: string | undefined, raw: string, toleranceS = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > toleranceS) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}

const read = (req: IncomingMessage) =>
  new Promise<string>((res, rej) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (s += d));
    req.on('end', () => res(s));
    req.on('error', rej);
  });

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    requests: [],
    secret: '',
    respond: () => 200,
    delivered: () => r.requests.filter((x) => x.status >= 200 && x.status < 300),
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
  const server: Server = createServer(async (req, res) => {
    const raw = await read(req);
    const deliveryId = String(req.headers['x-hindsight-delivery'] ?? '');
    const n = r.requests.filter((x) => x.deliveryId === deliveryId).length;
    const answer = r.respond({ deliveryId, n });
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      /* recorded as null */
    }
    r.requests.push({ deliveryId, signatureValid: verify(r.secret, req.headers['x-hindsight-signature'] as string | undefined, raw), body, status });
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end('ok');
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return r;
}
