import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { listDefinitions, trend, type Interval } from '../api';
import { Empty, ErrorState, Spinner } from '../components/States';
import { navigate, useLocation, useTitle } from '../lib/router';
import { formatBucket, parseDateInput, toDateInput, toMillis } from '../lib/time';
import { useApi } from '../lib/useApi';

const INTERVALS: Interval[] = ['hour', 'day', 'week'];
const DAY = 86_400_000;

interface Params {
  definition: string;
  interval: Interval;
  from: string;
  to: string;
}

function readParams(search: string): Params {
  const p = new URLSearchParams(search);
  const interval = p.get('interval') as Interval;
  const now = Date.now();
  return {
    definition: p.get('definition') ?? '',
    interval: INTERVALS.includes(interval) ? interval : 'day',
    from: p.get('from') ?? toDateInput(now - 13 * DAY),
    to: p.get('to') ?? toDateInput(now),
  };
}

export function InsightsPage() {
  useTitle('Insights');
  const loc = useLocation();
  const params = readParams(loc.search);
  const set = (patch: Partial<Params>) => {
    const next = { ...params, ...patch };
    const q = new URLSearchParams();
    if (next.definition) q.set('definition', next.definition);
    q.set('interval', next.interval);
    q.set('from', next.from);
    q.set('to', next.to);
    navigate(`/insights?${q}`, { replace: true });
  };

  const defs = useApi((signal) => listDefinitions(signal), []);
  // an unknown id (deleted definition, stale link) falls back to the first definition
  const definition = defs.data?.some((d) => d.id === params.definition) ? params.definition : (defs.data?.[0]?.id ?? '');
  const from = parseDateInput(params.from);
  const to = parseDateInput(params.to, true);
  const rangeOk = from !== undefined && to !== undefined && from <= to;

  const series = useApi(
    async (signal) => {
      if (!definition || !rangeOk) return null;
      const r = await trend({ definitionId: definition, interval: params.interval, from: from!, to: to! }, signal);
      return r.series.map((p) => ({ t: toMillis(p.t), events: p.events, users: p.users }));
    },
    [definition, params.interval, from, to],
  );
  const rows = series.data ?? [];
  const totals = useMemo(() => rows.reduce((a, p) => ({ events: a.events + p.events }), { events: 0 }), [rows]);
  const selected = defs.data?.find((d) => d.id === definition);

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Insights</h1>
          <p className="muted">How often a defined event happens, and for how many users.</p>
        </div>
      </header>
      {defs.error && <ErrorState error={defs.error} onRetry={defs.reload} />}
      {defs.data && defs.data.length === 0 && <Empty title="No events defined yet.">Define an event on the Definitions page to chart it here.</Empty>}
      {defs.data && defs.data.length > 0 && (
        <>
          <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Trend options">
            <label className="field inline grow">
              <span>Event</span>
              <select value={definition} onChange={(e) => set({ definition: e.target.value })} data-testid="insights-definition">
                {defs.data.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <div className="field inline">
              <span id="interval-label">Interval</span>
              <div className="speeds" role="group" aria-labelledby="interval-label">
                {INTERVALS.map((i) => (
                  <button key={i} type="button" className={i === params.interval ? 'btn small seg active' : 'btn small seg'} aria-pressed={i === params.interval} onClick={() => set({ interval: i })}>
                    {i}
                  </button>
                ))}
              </div>
            </div>
            <label className="field inline">
              <span>From</span>
              <input type="date" value={params.from} onChange={(e) => e.target.value && set({ from: e.target.value })} />
            </label>
            <label className="field inline">
              <span>To</span>
              <input type="date" value={params.to} onChange={(e) => e.target.value && set({ to: e.target.value })} />
            </label>
          </form>
          {!rangeOk && <p className="error-text">The start date must be before the end date.</p>}
          <section className="card chart-card" aria-label="Trend chart" data-testid="trend">
            <div className="chart-head">
              <h2>{selected?.name ?? 'Trend'}</h2>
              {rows.length > 0 && <span className="muted">{totals.events.toLocaleString()} events in range</span>}
            </div>
            {series.error && <ErrorState error={series.error} onRetry={series.reload} />}
            {!series.error && series.loading && rows.length === 0 && <Spinner label="Loading trend…" />}
            {!series.error && !series.loading && (rows.length === 0 || totals.events === 0) && (
              <Empty title="No matching events in this range.">Try a wider date range, or check the definition’s rules.</Empty>
            )}
            {rows.length > 0 && totals.events > 0 && (
              <div className="chart" data-testid="trend-chart">
                <ResponsiveContainer width="100%" height={340}>
                  <LineChart data={rows} margin={{ top: 10, right: 24, bottom: 4, left: 0 }}>
                    <CartesianGrid stroke="#e6e8ef" vertical={false} />
                    <XAxis dataKey="t" tickFormatter={(t: number) => formatBucket(t, params.interval)} stroke="#8a90a2" fontSize={12} minTickGap={24} />
                    <YAxis allowDecimals={false} stroke="#8a90a2" fontSize={12} width={48} />
                    <Tooltip labelFormatter={(t) => formatBucket(Number(t), params.interval)} />
                    <Legend />
                    <Line type="linear" dataKey="events" name="Events" stroke="#4f46e5" strokeWidth={2} dot={rows.length <= 31} isAnimationActive={false} />
                    <Line type="linear" dataKey="users" name="Users" stroke="#0ea5e9" strokeWidth={2} dot={rows.length <= 31} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            )}
          </section>
        </>
      )}
      {!defs.data && !defs.error && <Spinner />}
    </div>
  );
}
