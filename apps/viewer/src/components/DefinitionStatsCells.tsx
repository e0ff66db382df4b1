// The 7-day / 30-day counts and the sparkline of one definition row (three table cells).
import { lazy, Suspense } from 'react';
import type { DefinitionStat } from '../api';
import { count } from '../lib/plural';

const Sparkline = lazy(() => import('./Sparkline'));

const fmt = new Intl.NumberFormat();

interface Props {
  name: string;
  /** undefined while loading; null when the stats request failed (the page shows that error once) */
  stat: DefinitionStat | undefined | null;
}

export function DefinitionStatsCells({ name, stat }: Props) {
  if (stat === undefined || stat === null) {
    const text = stat === undefined ? '…' : '—';
    const label = stat === undefined ? 'loading' : 'not available';
    return (
      <>
        <td className="num muted" aria-label={label}>{text}</td>
        <td className="num muted" aria-label={label}>{text}</td>
        <td className="muted" aria-label={label}>{stat === undefined ? <span className="spinner" aria-hidden="true" /> : text}</td>
      </>
    );
  }
  if ('error' in stat) {
    return (
      <td colSpan={3} className="error-text small" data-testid="def-stats-error" title={stat.error.message}>
        Cannot count: {stat.error.message}
      </td>
    );
  }
  return (
    <>
      <td className="num" data-testid="def-count-7d">{fmt.format(stat.last7)}</td>
      <td className="num" data-testid="def-count-30d">{fmt.format(stat.last30)}</td>
      <td>
        {stat.last30 === 0 ? (
          <span className="muted small" data-testid="sparkline-empty">No events in 30 days</span>
        ) : (
          <Suspense fallback={<span className="spinner" aria-hidden="true" />}>
            <Sparkline daily={stat.daily} label={`${name}: ${count(stat.last30, 'event')} in the last 30 days, per day`} />
          </Suspense>
        )}
      </td>
    </>
  );
}
