import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { timeToEvent } from '../../api';
import { defaultKey, labelOf, targetOf } from '../../lib/targets';
import { formatSpan } from '../../lib/time';
import { useApi } from '../../lib/useApi';
import { ErrorState, Spinner } from '../States';
import { CHART, DAY, pct, type ViewProps } from './common';
import { EventPicker } from './EventPicker';
import { WindowField, windowOf } from './WindowField';

/** `10s`, `5m`, `3h`, `2d` for histogram edges */
function edge(ms: number): string {
  if (ms < 60_000) return `${ms / 1000}s`;
  if (ms < 3_600_000) return `${ms / 60_000}m`;
  if (ms < DAY) return `${ms / 3_600_000}h`;
  return `${ms / DAY}d`;
}

export function TimeToEventView({ q, set, defs, from, to }: ViewProps) {
  const start = q.get('start') ?? defaultKey(defs, 0);
  const end = q.get('end') ?? defaultKey(defs, 1);
  const windowMs = windowOf(q, 7 * DAY);
  const [ts, te] = [targetOf(start), targetOf(end)];
  const res = useApi(async (signal) => (ts && te ? timeToEvent({ start: ts, end: te, windowMs, from, to }, signal) : null), [start, end, windowMs, from, to]);
  const r = res.data;
  // drop the empty ranges at the long end so the shape is readable
  const lastUsed = r ? r.histogram.reduce((m, b, i) => (b.users > 0 ? i : m), 0) : 0;
  const bars = (r?.histogram ?? []).slice(0, Math.max(lastUsed + 1, 4)).map((b) => ({
    range: b.toMs === null ? `≥ ${edge(b.fromMs)}` : `${edge(b.fromMs)}–${edge(b.toMs)}`,
    users: b.users,
  }));
  return (
    <>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Time to event options">
        <label className="field inline">
          <span>From the first</span>
          <EventPicker value={start} onChange={(k) => set({ start: k })} defs={defs} label="Start event" testId="tte-start" />
        </label>
        <label className="field inline">
          <span>to the first</span>
          <EventPicker value={end} onChange={(k) => set({ end: k })} defs={defs} label="End event" testId="tte-end" />
        </label>
        <WindowField label="within" value={windowMs} onChange={(ms) => set({ w: String(ms) })} testId="tte-window" />
      </form>
      <section className="card chart-card" aria-label="Time to event" data-testid="tte">
        <div className="chart-head">
          <h2>
            {labelOf(start, defs)} → {labelOf(end, defs)}
          </h2>
        </div>
        {!(ts && te) && <p className="error-text">Type the track() event names.</p>}
        {res.error && <ErrorState error={res.error} onRetry={res.reload} />}
        {!res.error && res.loading && !r && <Spinner label="Loading…" />}
        {r && (
          <>
            <dl className="tte-stats" data-testid="tte-stats">
              <div>
                <dt>Users who started</dt>
                <dd>{r.users.toLocaleString()}</dd>
              </div>
              <div>
                <dt>Reached the end</dt>
                <dd>
                  {r.converted.toLocaleString()} {r.users > 0 && <span className="muted">({pct(r.converted / r.users)})</span>}
                </dd>
              </div>
              <div>
                <dt>Median</dt>
                <dd data-testid="tte-median">{r.medianMs === null ? '—' : formatSpan(r.medianMs)}</dd>
              </div>
              <div>
                <dt>90th percentile</dt>
                <dd data-testid="tte-p90">{r.p90Ms === null ? '—' : formatSpan(r.p90Ms)}</dd>
              </div>
            </dl>
            <div className="chart" data-testid="tte-chart">
              <ResponsiveContainer width="100%" height={280}>
                <BarChart data={bars} margin={{ top: 10, right: 24, bottom: 4, left: 0 }}>
                  <CartesianGrid stroke={CHART.grid} vertical={false} />
                  <XAxis dataKey="range" stroke={CHART.axis} fontSize={12} interval={0} />
                  <YAxis allowDecimals={false} stroke={CHART.axis} fontSize={12} width={48} />
                  <Tooltip />
                  <Bar dataKey="users" name="Users" fill={CHART.b} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </>
        )}
      </section>
    </>
  );
}
