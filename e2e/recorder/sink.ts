// A minimal stand-in for the Hindsight ingest server, for recorder tests: accepts
// POST /v1/batch (gzip or plain JSON), stores events and replay chunks by id (dedupe like the
// real store), keeps every decompressed body for privacy assertions, serves the built
// recorder bundles and test pages, and can fail, throttle, hold or stop on demand.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unpackChunk, type Batch, type RawEvent, type ReplayChunk } from '@hindsight/schema';

const DIST = resolve(import.meta.dirname, '../../packages/recorder/dist');

export interface Sink {
  port: number;
  /** http://127.0.0.1:PORT — the endpoint */
  url: string;
  /** http://localhost:PORT — same server, another origin (cross-origin pages) */
  altUrl: string;
  events: Map<string, RawEvent>;
  chunks: Map<string, ReplayChunk>;
  /** every decompressed request body */
  bodies: string[];
  /** events received including duplicates */
  received: number;
  requests: { gzip: boolean; status: number; events: number; chunks: number }[];
  /** answer every batch with this status (e.g. 503, 429) instead of storing */
  failWith: number | null;
  retryAfter: string | null;
  /** keep batch responses pending until release() */
  hold: boolean;
  release(): void;
  page(path: string, html: string): void;
  list(type?: string): RawEvent[];
  /** all rrweb events of a recording, ordered by chunk seq */
  replayOf(rec: string): unknown[];
  waitFor<T>(fn: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSink(port = 0): Promise<Sink> {
  const pages = new Map<string, string>();
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  let server: Server;

  const sink: Sink = {
    port,
    url: '',
    altUrl: '',
    events: new Map(),
    chunks: new Map(),
    bodies: [],
    received: 0,
    requests: [],
    failWith: null,
    retryAfter: null,
    hold: false,
    release() {
      held.splice(0).forEach((f) => f());
    },
    page(path, html) {
      pages.set(path, html);
    },
    list(type) {
      return [...sink.events.values()].filter((e) => !type || e.type === type).sort((a, b) => a.ts - b.ts);
    },
    replayOf(rec) {
      return [...sink.chunks.values()]
        .filter((c) => c.rec === rec)
        .sort((a, b) => a.seq - b.seq)
        .flatMap((c) => c.events);
    },
    async waitFor(fn, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = fn();
        if (v) return v as never;
        if (Date.now() > end) throw new Error('sink.waitFor timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await new Promise<void>((r) => {
        server.close(() => r());
        sockets.forEach((s) => s.destroy());
      });
    },
    async start() {
      await listen();
    },
  };

  const cors = (res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type');
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, 'http://x');
    cors(res);
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    if (url.pathname === '/v1/batch' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let buf = Buffer.concat(chunks);
      const gzip = buf[0] === 0x1f && buf[1] === 0x8b;
      if (gzip) buf = gunzipSync(buf);
      const text = buf.toString('utf8');
      sink.bodies.push(text);
      const answer = () => {
        if (sink.failWith) {
          if (sink.retryAfter) res.setHeader('retry-after', sink.retryAfter);
          sink.requests.push({ gzip, status: sink.failWith, events: 0, chunks: 0 });
          return res
            .writeHead(sink.failWith, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'fail', message: 'test failure' } }));
        }
        let batch: Batch;
        try {
          batch = JSON.parse(text);
          if (batch.v !== 1 || url.searchParams.get('key') == null) throw new Error('bad batch');
        } catch (e) {
          sink.requests.push({ gzip, status: 400, events: 0, chunks: 0 });
          return res.writeHead(400).end(JSON.stringify({ error: { code: 'bad', message: String(e) } }));
        }
        let inserted = 0;
        let duplicates = 0;
        for (const e of batch.events) {
          sink.received++;
          if (sink.events.has(e.id)) duplicates++;
          else {
            inserted++;
            sink.events.set(e.id, e);
          }
        }
        // like the server: chunks as stored have every node id (bodies keep the wire form)
        for (const c of batch.replay ?? []) {
          unpackChunk(c);
          sink.chunks.set(c.id, c);
        }
        sink.requests.push({ gzip, status: 200, events: batch.events.length, chunks: batch.replay?.length ?? 0 });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, inserted, duplicates, chunks: batch.replay?.length ?? 0 }));
      };
      if (sink.hold) held.push(answer);
      else answer();
      return;
    }
    if (url.pathname === '/recorder.js' || url.pathname === '/recorder.worker.js' || url.pathname === '/index.mjs') {
      return res
        .writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' })
        .end(readFileSync(join(DIST, url.pathname)));
    }
    const page = pages.get(url.pathname);
    if (page != null) return res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(page);
    if (url.pathname === '/api/ok') return res.writeHead(200).end('ok');
    if (url.pathname === '/api/fail') return res.writeHead(500).end('nope');
    res.writeHead(404).end('not found');
  }

  function listen() {
    server = createServer((req, res) => {
      handle(req, res).catch((e) => {
        try {
          res.writeHead(500).end(String(e));
        } catch {
          /* already answered */
        }
      });
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    return new Promise<void>((r) =>
      server.listen(sink.port, '127.0.0.1', () => {
        sink.port = (server.address() as { port: number }).port;
        sink.url = `http://127.0.0.1:${sink.port}`;
        sink.altUrl = `http://localhost:${sink.port}`;
        r();
      }),
    );
  }
  await listen();
  return sink;
}

/** A test page embedding the recorder the documented way. */
export function pageHtml(endpoint: string, body: string, attrs = '', head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test page</title>${head}
<script src="${endpoint}/recorder.js" data-key="pk_test" data-endpoint="${endpoint}" ${attrs}></script>
</head><body>${body}</body></html>`;
}
