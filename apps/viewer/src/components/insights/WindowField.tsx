// The time window of a funnel ("completed within") and of time to event ("within"): one control.
import { formatSpan } from '../../lib/time';
import { DAY, HOUR } from './common';

const WINDOWS: [ms: number, label: string][] = [
  [HOUR, '1 hour'],
  [DAY, '1 day'],
  [7 * DAY, '7 days'],
  [30 * DAY, '30 days'],
];

/** `w` from the query string: a positive number of ms, else `fallback` */
export function windowOf(q: URLSearchParams, fallback: number): number {
  const w = Number(q.get('w'));
  return w > 0 && Number.isFinite(w) ? w : fallback;
}

export function WindowField({ label, value, onChange, testId }: { label: string; value: number; onChange: (ms: number) => void; testId: string }) {
  return (
    <label className="field inline">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {/* a link may carry a window not in the list: show it rather than pretend another */}
        {!WINDOWS.some(([ms]) => ms === value) && <option value={value}>{formatSpan(value)}</option>}
        {WINDOWS.map(([ms, text]) => (
          <option key={ms} value={ms}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
