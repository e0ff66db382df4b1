// Uncaught errors and unhandled rejections, rate-limited per message so a render loop
// throwing 60 times a second does not flood the pipeline.
import { LIMITS } from '@hindsight/schema';
import { cap } from '../log';
import { redact } from '../redact';
import type { Ctx } from './ctx';

const PER_MESSAGE = 5;
const DISTINCT = 100;

export function installErrors(ctx: Ctx) {
  const seen = new Map<string, number>();
  const report = (kind: string, message: string, props: Record<string, unknown>) => {
    const n = (seen.get(message) || 0) + 1;
    if (n > PER_MESSAGE || (n === 1 && seen.size >= DISTINCT)) return;
    seen.set(message, n);
    const msg = redact(cap(message, LIMITS.string));
    ctx.emit('error', { name: cap(msg, 1024), props: { kind, message: msg, ...props } });
  };
  const str = (s: unknown) => (typeof s === 'string' ? redact(cap(s, LIMITS.string)) : undefined);

  ctx.on(window, 'error', (e) => {
    // resource load failures are plain Events on elements, not script errors
    if (!(e instanceof ErrorEvent)) return;
    report('error', String(e.message || 'Error'), {
      source: e.filename,
      line: e.lineno,
      col: e.colno,
      stack: str(e.error && e.error.stack),
    });
  });
  ctx.on(window, 'unhandledrejection', (e) => {
    const r = (e as PromiseRejectionEvent).reason;
    const err = r instanceof Error;
    report('rejection', err ? String(r.message) : String(r), { stack: str(err ? r.stack : undefined) });
  });
}
