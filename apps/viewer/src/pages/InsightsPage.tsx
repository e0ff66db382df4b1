import { listDefinitions } from '../api';
import { Empty, ErrorState, Spinner } from '../components/States';
import { DAY, type ViewProps } from '../components/insights/common';
import { FunnelView } from '../components/insights/FunnelView';
import { RetentionView } from '../components/insights/RetentionView';
import { TimeToEventView } from '../components/insights/TimeToEventView';
import { TrendView } from '../components/insights/TrendView';
import { navigate, useLocation, useTitle } from '../lib/router';
import { parseDateInput, toDateInput } from '../lib/time';
import { useApi } from '../lib/useApi';

const VIEWS = [
  { id: 'trend', label: 'Trends', blurb: 'How often an event happens, and for how many users.', View: TrendView },
  { id: 'funnel', label: 'Funnels', blurb: 'How many users go through steps, in order or in any order, and where they drop.', View: FunnelView },
  { id: 'retention', label: 'Retention', blurb: 'Whether users come back after their first time.', View: RetentionView },
  { id: 'time', label: 'Time to event', blurb: 'How long users take from one event to another.', View: TimeToEventView },
] as const;

export function InsightsPage() {
  useTitle('Insights');
  const loc = useLocation();
  const q = new URLSearchParams(loc.search);
  const view = VIEWS.find((v) => v.id === q.get('view')) ?? VIEWS[0];
  const now = Date.now();
  const fromStr = q.get('from') ?? toDateInput(now - 13 * DAY);
  const toStr = q.get('to') ?? toDateInput(now);
  const from = parseDateInput(fromStr);
  const to = parseDateInput(toStr, true);
  const rangeOk = from !== undefined && to !== undefined && from <= to;

  const set: ViewProps['set'] = (patch) => {
    const next = new URLSearchParams(loc.search);
    for (const [k, v] of Object.entries(patch)) {
      next.delete(k);
      if (Array.isArray(v)) v.forEach((x) => next.append(k, x));
      else if (v !== null) next.set(k, v);
    }
    navigate(`/insights?${next}`, { replace: true });
  };
  // switching views keeps only the date range: each view has its own keys
  const go = (id: string) => navigate(`/insights?${new URLSearchParams({ view: id, from: fromStr, to: toStr })}`);

  const defs = useApi((signal) => listDefinitions(signal), []);

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Insights</h1>
          <p className="muted">{view.blurb}</p>
        </div>
      </header>
      <nav className="tabs" aria-label="Insight type">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" className={v.id === view.id ? 'tab active' : 'tab'} aria-current={v.id === view.id ? 'page' : undefined} onClick={() => go(v.id)} data-testid={`insights-tab-${v.id}`}>
            {v.label}
          </button>
        ))}
        <span className="tabs-spacer" />
        <label className="field inline">
          <span>From</span>
          <input type="date" value={fromStr} onChange={(e) => e.target.value && set({ from: e.target.value })} data-testid="insights-from" />
        </label>
        <label className="field inline">
          <span>To</span>
          <input type="date" value={toStr} onChange={(e) => e.target.value && set({ to: e.target.value })} data-testid="insights-to" />
        </label>
      </nav>
      {!rangeOk && <p className="error-text">The start date must be before the end date.</p>}
      {defs.error && <ErrorState error={defs.error} onRetry={defs.reload} />}
      {!defs.data && !defs.error && <Spinner />}
      {defs.data && defs.data.length === 0 && (
        <Empty title="No events defined yet.">Raw events are below; define named events on the Definitions page to chart them by name.</Empty>
      )}
      {defs.data && rangeOk && <view.View q={q} set={set} defs={defs.data} from={from!} to={to!} />}
    </div>
  );
}
