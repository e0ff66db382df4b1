import { PROP_NAME } from '@hindsight/schema';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { trend, type Interval, type TrendBreakdown } from '../../api';
import { defaultKey, labelOf, targetOf } from '../../lib/targets';
import { formatBucket, toMillis } from '../../lib/time';
import { useApi } from '../../lib/useApi';
import { Empty, ErrorState, Spinner } from '../States';
import { CHART, pct, tzOffsetMinutes, type ViewProps } from './common';
import { EventPicker } from './EventPicker';
import { count } from '../../lib/plural';

const INTERVALS: Interval[] = ['hour', 'day', 'week'];
const BREAKDOWNS = {
  url_path: 'URL path',
  referrer_domain: 'Referrer domain',
  utm_source: 'utm_source',
  event_name: 'Event name',
  browser: 'Browser',
  os: 'Operating system',
  device_type: 'Device type',
} as const;
const PALETTE = ['#4f46e5', '#0ea5e9', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#ec4899', '#14b8a6', '#84cc16', '#64748b'];

/** `by` query value → API breakdown: a built-in one, or `prop:<name>` of the definition */
function parseBreakdown(by: string, props: string[]): TrendBreakdown | undefined {
  if (by in BREAKDOWNS) return { by: by as keyof typeof BREAKDOWNS };
  if (by.startsWith('prop:') && props.includes(by.slice(5))) return { by: 'property', name: by.slice(5) };
  // `eprop:<name>`: a track() property; only sent once the name is a valid one
  if (by.startsWith('eprop:') && PROP_NAME.test(by.slice(6))) return { by: 'event_property', name: by.slice(6) };
  return undefined;
}

export function TrendView({ q, set, defs, from, to }: ViewProps) {
  // `definition=` links from before event keys existed still open the right chart
  const legacy = q.get('definition');
  const key = q.get('e') ?? (legacy && defs.some((d) => d.id === legacy) ? `def:${legacy}` : defaultKey(defs));
  const interval = INTERVALS.includes(q.get('interval') as Interval) ? (q.get('interval') as Interval) : 'day';
  const compare = q.get('compare') === '1';
  const bars = q.get('chart') === 'bar';
  const target = targetOf(key);
  // properties only exist on definitions: drop a breakdown or filter the new event cannot have
  const props = key.startsWith('def:') ? (defs.find((d) => `def:${d.id}` === key)?.properties ?? []) : [];
  const byParam = q.get('by') ?? '';
  const by = parseBreakdown(byParam, props.map((p) => p.name));
  const whereName = props.some((p) => p.name === q.get('wp')) ? q.get('wp')! : '';
  const whereValue = q.get('wv') ?? '';
  const where = whereName ? { property: whereName, value: whereValue } : undefined;
  // more events on the same chart (`also=` keys): one events series each
  const also = q.getAll('also').slice(0, 5);
  const alsoTargets = also.map(targetOf);

  const res = useApi(
    async (signal) => {
      if (!target) return null;
      const tz = tzOffsetMinutes();
      const [r, ...more] = await Promise.all([
        trend({ ...target, interval, from, to, compare, tzOffsetMinutes: tz, breakdown: by, where }, signal),
        ...alsoTargets.map((t) => (t ? trend({ ...t, interval, from, to, tzOffsetMinutes: tz }, signal) : Promise.resolve(null))),
      ]);
      return {
        rows: r.series.map((p, i) => {
          const row: Record<string, number | undefined> = { t: toMillis(p.t), events: p.events, users: p.users, previous: r.previous?.[i]?.events };
          r.breakdown?.forEach((b, j) => (row[`v${j}`] = b.points[i]?.events ?? 0));
          more.forEach((m, j) => (row[`a${j}`] = m?.series[i]?.events ?? 0));
          return row as { t: number; events: number; users: number; previous?: number } & Record<string, number>;
        }),
        values: r.breakdown?.map((b) => ({ value: b.value, total: b.total })) ?? null,
      };
    },
    [key, interval, from, to, compare, byParam, whereName, whereValue, also.join('\n')],
  );
  const rows = res.data?.rows ?? [];
  const values = res.data?.values ?? null;
  const total = useMemo(() => rows.reduce((n, p) => n + p.events, 0), [rows]);
  const prevTotal = useMemo(() => rows.reduce((n, p) => n + (p.previous ?? 0), 0), [rows]);
  const change = compare && prevTotal > 0 ? (total - prevTotal) / prevTotal : null;
  const Chart = bars ? BarChart : LineChart;
  const series = values
    ? values.map((v, j) => ({ key: `v${j}`, name: v.value === '' ? '(none)' : v.value, color: PALETTE[j % PALETTE.length] }))
    : also.length
      ? [
          { key: 'events', name: labelOf(key, defs), color: PALETTE[0] },
          ...also.map((k, j) => ({ key: `a${j}`, name: labelOf(k, defs), color: PALETTE[(j + 1) % PALETTE.length] })),
          ...(compare ? [{ key: 'previous', name: `${labelOf(key, defs)}, previous period`, color: CHART.muted }] : []),
        ]
      : [
        { key: 'events', name: 'Events', color: CHART.a },
        { key: 'users', name: 'Users', color: CHART.b },
        ...(compare ? [{ key: 'previous', name: 'Events, previous period', color: CHART.muted }] : []),
      ];

  return (
    <>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Trend options">
        <label className="field inline grow">
          <span>Event</span>
          <EventPicker value={key} onChange={(k) => set({ e: k, definition: null })} defs={defs} label="Event" testId="insights-definition" />
          {also.map((k, j) => (
            <span key={j} className="step-row">
              <span className="muted">vs</span>
              <EventPicker value={k} onChange={(v) => set({ also: also.map((x, i) => (i === j ? v : x)) })} defs={defs} label={`Also chart ${j + 1}`} testId={`trend-also-${j}`} />
              <button type="button" className="btn ghost small" aria-label={`Remove ${labelOf(k, defs)}`} onClick={() => set({ also: also.filter((_, i) => i !== j) })}>
                ✕
              </button>
            </span>
          ))}
          {also.length < 5 && !values && (
            <button type="button" className="btn ghost small" onClick={() => set({ also: [...also, defaultKey(defs, also.length + 1)] })} data-testid="trend-add-event">
              + Compare with another event
            </button>
          )}
        </label>
        <div className="field inline">
          <span id="interval-label">Interval</span>
          <div className="speeds" role="group" aria-labelledby="interval-label">
            {INTERVALS.map((i) => (
              <button key={i} type="button" className={i === interval ? 'btn small seg active' : 'btn small seg'} aria-pressed={i === interval} onClick={() => set({ interval: i })}>
                {i}
              </button>
            ))}
          </div>
        </div>
        <div className="field inline">
          <span id="chart-label">Chart</span>
          <div className="speeds" role="group" aria-labelledby="chart-label">
            {(['line', 'bar'] as const).map((c) => (
              <button key={c} type="button" className={(c === 'bar') === bars ? 'btn small seg active' : 'btn small seg'} aria-pressed={(c === 'bar') === bars} onClick={() => set({ chart: c === 'bar' ? 'bar' : null })}>
                {c}
              </button>
            ))}
          </div>
        </div>
        <label className="field inline">
          <span>Break down by</span>
          <select value={byParam.startsWith('eprop:') ? 'eprop:' : by ? byParam : ''} onChange={(e) => set({ by: e.target.value || null })} data-testid="trend-breakdown">
            <option value="">Nothing</option>
            {Object.entries(BREAKDOWNS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
            {props.map((p) => (
              <option key={p.name} value={`prop:${p.name}`}>
                Property: {p.name}
              </option>
            ))}
            <option value="eprop:">Event property…</option>
          </select>
          {byParam.startsWith('eprop:') && (
            <input
              aria-label="Event property name"
              placeholder="e.g. plan"
              value={byParam.slice(6)}
              onChange={(e) => set({ by: `eprop:${e.target.value}` })}
              data-testid="trend-breakdown-prop"
              style={{ width: 120 }}
            />
          )}
        </label>
        {props.length > 0 && (
          <span className="field inline">
            <span>Where</span>
            <span className="step-row">
              <select aria-label="Where property" value={whereName} onChange={(e) => set({ wp: e.target.value || null })} data-testid="trend-where-prop">
                <option value="">any property</option>
                {props.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} =
                  </option>
                ))}
              </select>
              {whereName && <input aria-label="Where value" value={whereValue} onChange={(e) => set({ wv: e.target.value })} data-testid="trend-where-value" style={{ width: 120 }} />}
            </span>
          </span>
        )}
        <label className="check">
          <input type="checkbox" checked={compare} onChange={(e) => set({ compare: e.target.checked ? '1' : null })} data-testid="trend-compare" />
          Compare with previous period
        </label>
      </form>
      <section className="card chart-card" aria-label="Trend chart" data-testid="trend">
        <div className="chart-head">
          <h2>{labelOf(key, defs)}</h2>
          {rows.length > 0 && (
            <span className="muted">
              {count(total, 'event')} in range
              {values && ` · top ${count(values.length, 'value')}`}
              {compare && (
                <span data-testid="trend-change">
                  {' '}· previous period {prevTotal.toLocaleString()}
                  {change !== null && ` (${change >= 0 ? '+' : ''}${pct(change)})`}
                </span>
              )}
            </span>
          )}
        </div>
        {!target && <p className="error-text">Type the track() event name to chart.</p>}
        {res.error && <ErrorState error={res.error} onRetry={res.reload} />}
        {!res.error && res.loading && rows.length === 0 && <Spinner label="Loading trend…" />}
        {!res.error && !res.loading && target && total === 0 && prevTotal === 0 && (
          <Empty title="No matching events in this range.">Try a wider date range, or check the definition’s rules.</Empty>
        )}
        {rows.length > 0 && (total > 0 || prevTotal > 0) && (
          <div className="chart" data-testid="trend-chart">
            <ResponsiveContainer width="100%" height={340}>
              <Chart data={rows} margin={{ top: 10, right: 24, bottom: 4, left: 0 }}>
                <CartesianGrid stroke={CHART.grid} vertical={false} />
                <XAxis dataKey="t" tickFormatter={(t: number) => formatBucket(t, interval)} stroke={CHART.axis} fontSize={12} minTickGap={24} />
                <YAxis allowDecimals={false} stroke={CHART.axis} fontSize={12} width={48} />
                <Tooltip labelFormatter={(t) => formatBucket(Number(t), interval)} />
                <Legend />
                {series.map((s) =>
                  bars ? (
                    <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} />
                  ) : (
                    <Line
                      key={s.key}
                      type="linear"
                      dataKey={s.key}
                      name={s.name}
                      stroke={s.color}
                      strokeWidth={2}
                      strokeDasharray={s.key === 'previous' ? '5 4' : undefined}
                      dot={rows.length <= 31}
                      isAnimationActive={false}
                    />
                  ),
                )}
              </Chart>
            </ResponsiveContainer>
          </div>
        )}
      </section>
    </>
  );
}
