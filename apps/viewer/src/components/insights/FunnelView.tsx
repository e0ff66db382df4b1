import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useState } from 'react';
import { funnel, funnelDropoffs, type FunnelOrder } from '../../api';
import { Link } from '../../lib/router';
import { defaultKey, labelOf, targetOf } from '../../lib/targets';
import { formatDateTime, formatSpan } from '../../lib/time';
import { useApi } from '../../lib/useApi';
import { ErrorState, Spinner } from '../States';
import { CHART, DAY, pct, type ViewProps } from './common';
import { EventPicker } from './EventPicker';
import { WindowField, windowOf } from './WindowField';
import { count } from '../../lib/plural';

const MAX_STEPS = 8;
const ORDERS: [order: FunnelOrder, label: string][] = [
  ['strict', 'Strict order'],
  ['any', 'Any order'],
];

export function FunnelView({ q, set, defs, from, to }: ViewProps) {
  const given = q.getAll('s');
  const keys = given.length >= 2 ? given.slice(0, MAX_STEPS) : [given[0] ?? defaultKey(defs, 0), given[1] ?? defaultKey(defs, 1)];
  const windowMs = windowOf(q, DAY);
  const order: FunnelOrder = q.get('order') === 'any' ? 'any' : 'strict';
  const targets = keys.map(targetOf);
  const ready = targets.every((t) => t !== null);
  const setKeys = (next: string[]) => set({ s: next });

  const res = useApi(
    async (signal) => (ready ? funnel({ steps: targets.map((t) => t!), windowMs, from, to, order }, signal) : null),
    [keys.join('\n'), windowMs, from, to, order],
  );
  // the step whose drop-offs are listed (users who reached the one before but not it)
  const [dropStep, setDropStep] = useState<number | null>(null);
  const drops = useApi(
    async (signal) =>
      ready && dropStep !== null && dropStep < keys.length
        ? funnelDropoffs({ steps: targets.map((t) => t!), windowMs, from, to, order, step: dropStep, limit: 50 }, signal)
        : null,
    [keys.join('\n'), windowMs, from, to, order, dropStep],
  );
  // in any order row i counts the users who did i+1 of the steps, whichever they were
  const rowName = (i: number): string =>
    order === 'strict' ? `${i + 1}. ${labelOf(keys[i], defs)}` : i === keys.length - 1 ? `All ${keys.length} steps` : `Any ${i + 1} step${i ? 's' : ''}`;
  const rows = (res.data?.steps ?? []).map((s, i) => ({ ...s, name: rowName(i), label: pct(s.conversion) }));

  return (
    <>
      <form className="filters funnel-steps" onSubmit={(e) => e.preventDefault()} aria-label="Funnel steps">
        {keys.map((k, i) => (
          <span key={i} className="field inline step">
            <span>Step {i + 1}</span>
            <span className="step-row">
              <EventPicker value={k} onChange={(v) => setKeys(keys.map((x, j) => (j === i ? v : x)))} defs={defs} label={`Step ${i + 1}`} testId={`funnel-step-${i}`} />
              {keys.length > 2 && (
                <button type="button" className="btn ghost small" aria-label={`Remove step ${i + 1}`} onClick={() => setKeys(keys.filter((_, j) => j !== i))}>
                  ✕
                </button>
              )}
            </span>
          </span>
        ))}
        {keys.length < MAX_STEPS && (
          <button type="button" className="btn small" onClick={() => setKeys([...keys, defaultKey(defs, keys.length)])} data-testid="funnel-add-step">
            Add step
          </button>
        )}
        <WindowField label="Completed within" value={windowMs} onChange={(ms) => set({ w: String(ms) })} testId="funnel-window" />
        <div className="field inline">
          <span id="funnel-order-label">Steps</span>
          {/* any order: a user is at step k once they did k+1 of the steps, whichever came first */}
          <div className="speeds" role="group" aria-labelledby="funnel-order-label" data-testid="funnel-order">
            {ORDERS.map(([o, label]) => (
              <button key={o} type="button" className={o === order ? 'btn small seg active' : 'btn small seg'} aria-pressed={o === order} onClick={() => set({ order: o === 'any' ? 'any' : null })}>
                {label}
              </button>
            ))}
          </div>
        </div>
      </form>
      <section className="card chart-card" aria-label="Funnel" data-testid="funnel">
        <div className="chart-head">
          <h2>Funnel</h2>
          {rows.length > 0 && (
            <span className="muted">
              {count(rows[0].users, 'user')} entered · {pct(rows[rows.length - 1].conversion)} completed
            </span>
          )}
        </div>
        {!ready && <p className="error-text">Type the track() event name of every step.</p>}
        {res.error && <ErrorState error={res.error} onRetry={res.reload} />}
        {!res.error && res.loading && rows.length === 0 && <Spinner label="Loading funnel…" />}
        {rows.length > 0 && (
          <>
            <div className="chart" data-testid="funnel-chart">
              <ResponsiveContainer width="100%" height={300}>
                <BarChart data={rows} margin={{ top: 24, right: 24, bottom: 4, left: 0 }}>
                  <CartesianGrid stroke={CHART.grid} vertical={false} />
                  <XAxis dataKey="name" stroke={CHART.axis} fontSize={12} interval={0} />
                  <YAxis allowDecimals={false} stroke={CHART.axis} fontSize={12} width={48} />
                  <Tooltip />
                  <Bar dataKey="users" name="Users" fill={CHART.a} isAnimationActive={false}>
                    <LabelList dataKey="label" position="top" fontSize={12} />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <table className="table" data-testid="funnel-table">
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col" className="num">Users</th>
                  <th scope="col" className="num">Conversion</th>
                  <th scope="col" className="num">From previous</th>
                  <th scope="col" className="num">Dropped</th>
                  <th scope="col" className="num">Median time from previous</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s, i) => {
                  const prev = i > 0 ? rows[i - 1].users : s.users;
                  return (
                    <tr key={i} data-testid="funnel-row">
                      <td>{s.name}</td>
                      <td className="num">{s.users.toLocaleString()}</td>
                      <td className="num">{pct(s.conversion)}</td>
                      <td className="num">{i === 0 ? '—' : pct(prev > 0 ? s.users / prev : 0)}</td>
                      <td className="num">
                        {i === 0 || prev - s.users === 0 ? (
                          i === 0 ? '—' : '0'
                        ) : (
                          <button type="button" className="btn ghost small" aria-pressed={dropStep === i} onClick={() => setDropStep(dropStep === i ? null : i)} data-testid="funnel-dropped">
                            {(prev - s.users).toLocaleString()} ›
                          </button>
                        )}
                      </td>
                      <td className="num">{s.medianMsFromPrevious === null ? '—' : formatSpan(s.medianMsFromPrevious)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {dropStep !== null && dropStep < rows.length && (
              <div className="dropoffs" data-testid="funnel-dropoffs">
                <h3>
                  {order === 'strict' ? `Dropped before “${labelOf(keys[dropStep], defs)}”` : `Did only ${dropStep} of the steps`}{' '}
                  <span className="muted">— open a replay at the moment they stopped</span>
                </h3>
                {drops.error && <ErrorState error={drops.error} onRetry={drops.reload} />}
                {drops.loading && !drops.data && <Spinner label="Loading users…" />}
                {drops.data && (
                  <ul>
                    {drops.data.users.map((u) => (
                      <li key={`${u.user}-${u.ts}`} data-testid="dropoff-user">
                        <span className={u.identified ? 'user' : 'user anon'}>{u.identified ? u.user : `anonymous ${u.user.slice(0, 8)}`}</span>
                        <span className="muted">{formatDateTime(u.ts)}</span>
                        {u.sessionId && <Link to={u.replayUrl}>Watch replay</Link>}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </>
        )}
      </section>
    </>
  );
}
