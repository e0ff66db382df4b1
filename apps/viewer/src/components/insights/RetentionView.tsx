import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { retention, type RetentionCohort } from '../../api';
import { retentionCurve, retentionRatio } from '../../lib/retention';
import { defaultKey, labelOf, targetOf } from '../../lib/targets';
import { formatBucket } from '../../lib/time';
import { useApi } from '../../lib/useApi';
import { ErrorState, Spinner } from '../States';
import { CHART, DAY, HOUR, pct, tzOffsetMinutes, type ViewProps } from './common';
import { EventPicker } from './EventPicker';

export function RetentionView({ q, set, defs, from, to }: ViewProps) {
  const start = q.get('start') ?? defaultKey(defs, 0);
  const back = q.get('return') ?? 'type:pageview';
  const interval = q.get('interval') === 'week' ? 'week' : 'day';
  const periods = Math.min(30, Math.max(1, Number(q.get('periods')) || (interval === 'day' ? 7 : 4)));
  const splitKeys = q.getAll('x');
  const withinH = Math.max(1, Number(q.get('within')) || 48);
  const size = interval === 'day' ? DAY : 7 * DAY;
  const targets = [start, back, ...splitKeys].map(targetOf);
  const ready = targets.every((t) => t !== null);

  const res = useApi(
    async (signal) =>
      ready
        ? retention(
            {
              start: targets[0]!,
              returning: targets[1]!,
              interval,
              periods,
              from,
              to,
              tzOffsetMinutes: tzOffsetMinutes(),
              ...(splitKeys.length ? { split: { steps: targets.slice(2).map((t) => t!), withinMs: withinH * HOUR } } : {}),
            },
            signal,
          )
        : null,
    [start, back, interval, periods, splitKeys.join('\n'), withinH, from, to],
  );
  const now = Date.now();
  const all = res.data ? retentionCurve(res.data.cohorts, size, now) : [];
  const did = res.data?.split ? retentionCurve(res.data.split.did, size, now) : null;
  const didNot = res.data?.split ? retentionCurve(res.data.split.didNot, size, now) : null;
  const ratio = did && didNot ? retentionRatio(did, didNot) : null;
  const curve = all.map((v, k) => ({ k: `${interval === 'day' ? 'Day' : 'Week'} ${k}`, all: v, did: did?.[k] ?? null, didNot: didNot?.[k] ?? null }));

  return (
    <>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Retention options">
        <label className="field inline">
          <span>Users who did</span>
          <EventPicker value={start} onChange={(k) => set({ start: k })} defs={defs} label="Cohort event" testId="retention-start" />
        </label>
        <label className="field inline">
          <span>and came back to</span>
          <EventPicker value={back} onChange={(k) => set({ return: k })} defs={defs} label="Returning event" testId="retention-return" />
        </label>
        <div className="field inline">
          <span id="ret-interval">Per</span>
          <div className="speeds" role="group" aria-labelledby="ret-interval">
            {(['day', 'week'] as const).map((i) => (
              <button key={i} type="button" className={i === interval ? 'btn small seg active' : 'btn small seg'} aria-pressed={i === interval} onClick={() => set({ interval: i, periods: null })}>
                {i}
              </button>
            ))}
          </div>
        </div>
        <label className="field inline">
          <span>Periods</span>
          <input type="number" min={1} max={30} value={periods} onChange={(e) => set({ periods: e.target.value })} style={{ width: 64 }} />
        </label>
      </form>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Split cohorts">
        <span className="muted">Compare users who also did</span>
        {splitKeys.map((k, i) => (
          <span key={i} className="step-row">
            <EventPicker value={k} onChange={(v) => set({ x: splitKeys.map((x, j) => (j === i ? v : x)) })} defs={defs} label={`Split step ${i + 1}`} testId={`retention-split-${i}`} />
            <button type="button" className="btn ghost small" aria-label={`Remove split step ${i + 1}`} onClick={() => set({ x: splitKeys.filter((_, j) => j !== i) })}>
              ✕
            </button>
          </span>
        ))}
        {splitKeys.length < 5 && (
          <button type="button" className="btn small" onClick={() => set({ x: [...splitKeys, defaultKey(defs, splitKeys.length + 1)] })} data-testid="retention-add-split">
            {splitKeys.length ? 'And…' : 'Add condition'}
          </button>
        )}
        {splitKeys.length > 0 && (
          <label className="field inline">
            <span>within</span>
            {/* one line: the caption above, the number and its unit side by side */}
            <span className="step-row">
              <input type="number" min={1} max={8760} value={withinH} onChange={(e) => set({ within: e.target.value })} style={{ width: 64 }} aria-label="within hours" />
              <span>&nbsp;h of the first</span>
            </span>
          </label>
        )}
      </form>
      <section className="card chart-card" aria-label="Retention" data-testid="retention">
        <div className="chart-head">
          <h2>
            {labelOf(start, defs)} → {labelOf(back, defs)}
          </h2>
        </div>
        {!ready && <p className="error-text">Type the track() event names.</p>}
        {res.error && <ErrorState error={res.error} onRetry={res.reload} />}
        {!res.error && res.loading && !res.data && <Spinner label="Loading retention…" />}
        {res.data && (
          <>
            <div className="chart" data-testid="retention-chart">
              <ResponsiveContainer width="100%" height={260}>
                <LineChart data={curve} margin={{ top: 10, right: 24, bottom: 4, left: 0 }}>
                  <CartesianGrid stroke={CHART.grid} vertical={false} />
                  <XAxis dataKey="k" stroke={CHART.axis} fontSize={12} />
                  <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} stroke={CHART.axis} fontSize={12} width={48} />
                  <Tooltip formatter={(v) => (typeof v === 'number' ? pct(v) : '—')} />
                  <Legend />
                  {did ? (
                    <>
                      <Line dataKey="did" name="Did the condition" stroke={CHART.a} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
                      <Line dataKey="didNot" name="Did not" stroke={CHART.c} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
                    </>
                  ) : (
                    <Line dataKey="all" name="Retained" stroke={CHART.a} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
                  )}
                </LineChart>
              </ResponsiveContainer>
            </div>
            {ratio && (
              <p className="muted" data-testid="retention-ratio">
                Ratio did / did not:{' '}
                {ratio
                  .slice(1)
                  .map((r, k) => `${interval} ${k + 1} ${r === null ? '—' : `${r.toFixed(2)}×`}`)
                  .join(' · ')}
              </p>
            )}
            <div className={res.data.split ? 'split-tables' : undefined}>
              {res.data.split ? (
                <>
                  <CohortTable title="Did the condition" cohorts={res.data.split.did} interval={interval} size={size} now={now} testId="retention-did" />
                  <CohortTable title="Did not" cohorts={res.data.split.didNot} interval={interval} size={size} now={now} testId="retention-didnot" />
                </>
              ) : (
                <CohortTable cohorts={res.data.cohorts} interval={interval} size={size} now={now} testId="retention-table" />
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}

function CohortTable({
  title,
  cohorts,
  interval,
  size,
  now,
  testId,
}: {
  title?: string;
  cohorts: RetentionCohort[];
  interval: 'day' | 'week';
  size: number;
  now: number;
  testId: string;
}) {
  const periods = cohorts[0]?.returned.length ?? 0;
  return (
    <div className="cohort-table">
      {title && <h3>{title}</h3>}
      <table className="table retention" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col" className="num">Users</th>
            {Array.from({ length: periods - 1 }, (_, k) => (
              <th key={k} scope="col" className="num">
                {interval === 'day' ? 'D' : 'W'}
                {k + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((c) => (
            <tr key={c.t} data-testid="cohort-row">
              <td className="nowrap">{formatBucket(c.t, interval)}</td>
              <td className="num">{c.users.toLocaleString()}</td>
              {c.returned.slice(1).map((n, k) => {
                const future = c.t + (k + 1) * size > now;
                const share = c.users > 0 ? n / c.users : 0;
                return (
                  <td
                    key={k}
                    className="num heat"
                    title={`${n} of ${c.users}`}
                    style={future || c.users === 0 ? undefined : { background: `rgba(79, 70, 229, ${(0.08 + share * 0.6).toFixed(2)})` }}
                  >
                    {future || c.users === 0 ? '' : pct(share)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
