// Failed requests (status ≥ 400 or network failure) from fetch and XMLHttpRequest: method,
// URL without query values, status, duration. Never bodies or headers, never our own calls.
import { stripQuery } from '../redact';
import type { Ctx } from './ctx';

export function installNetwork(ctx: Ctx) {
  const own = ctx.cfg.endpoint + '/v1/';
  const report = (method: string, url: string, status: number, t0: number) => {
    const u = stripQuery(url, location.href);
    if (!ctx.active() || u.startsWith(own) || u === ctx.cfg.workerUrl) return;
    ctx.emit('network_error', {
      props: { method: method.toUpperCase(), url: u, status, duration: Date.now() - t0 },
    });
  };

  const F = window.fetch;
  if (F)
    window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const t0 = Date.now();
      let method = 'GET';
      let url = '';
      try {
        const req = input instanceof Request ? input : null;
        url = req ? req.url : String(input);
        method = (init && init.method) || (req && req.method) || 'GET';
      } catch {
        /* exotic input: let fetch itself complain */
      }
      // eslint-disable-next-line prefer-rest-params
      const p = F.apply(this, arguments as unknown as [RequestInfo]);
      p.then(
        (r) => {
          try {
            if (r.status >= 400) report(method, url, r.status, t0);
          } catch {
            /* ignore */
          }
        },
        (err) => {
          try {
            if (!err || err.name !== 'AbortError') report(method, url, 0, t0);
          } catch {
            /* ignore */
          }
        },
      );
      return p;
    } as typeof fetch;

  const X = window.XMLHttpRequest && XMLHttpRequest.prototype;
  if (!X) return;
  const meta = new WeakMap<XMLHttpRequest, { m: string; u: string; t: number; aborted?: boolean }>();
  const open = X.open;
  const send = X.send;
  X.open = function (this: XMLHttpRequest, m: string, u: string | URL) {
    try {
      meta.set(this, { m: String(m), u: String(u), t: 0 });
    } catch {
      /* ignore */
    }
    // eslint-disable-next-line prefer-rest-params
    return open.apply(this, arguments as unknown as Parameters<typeof open>);
  } as typeof X.open;
  X.send = function (this: XMLHttpRequest) {
    try {
      const s = meta.get(this);
      if (s && !s.t) {
        s.t = Date.now();
        this.addEventListener('abort', () => (s.aborted = true));
        this.addEventListener('loadend', () => {
          try {
            if (!s.aborted && (this.status >= 400 || this.status === 0)) report(s.m, s.u, this.status, s.t);
          } catch {
            /* ignore */
          }
        });
      }
    } catch {
      /* ignore */
    }
    // eslint-disable-next-line prefer-rest-params
    return send.apply(this, arguments as unknown as Parameters<typeof send>);
  };
}
