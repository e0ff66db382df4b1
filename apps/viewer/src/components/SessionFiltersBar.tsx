import type { Definition, SessionSort } from '@hindsight/schema';
import { EMPTY_FILTERS, hasAnyFilter, MIN_DURATIONS, SORT_LABELS, type SessionFilters } from '../lib/filters';

export function SessionFiltersBar({
  value,
  onChange,
  definitions,
}: {
  value: SessionFilters;
  onChange: (f: SessionFilters) => void;
  /** named events for "performed"; undefined while loading */
  definitions?: Definition[];
}) {
  const set = <K extends keyof SessionFilters>(k: K, v: SessionFilters[K]) => onChange({ ...value, [k]: v });
  // a deep link may name a definition that is not (yet) in the list: keep it selectable
  const unknownDefinition = value.definitionId && !definitions?.some((d) => d.id === value.definitionId);
  return (
    <form className="filters" role="search" aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
      <label className="field inline">
        <span>User id</span>
        <input type="search" value={value.userId} placeholder="e.g. ana@example.com" onChange={(e) => set('userId', e.target.value)} data-testid="filter-user" />
      </label>
      <label className="field inline grow">
        <span>URL contains</span>
        <input type="search" value={value.url} placeholder="/checkout" onChange={(e) => set('url', e.target.value)} data-testid="filter-url" />
      </label>
      <label className="field inline">
        <span>From</span>
        <input type="date" value={value.from} max={value.to || undefined} onChange={(e) => set('from', e.target.value)} data-testid="filter-from" />
      </label>
      <label className="field inline">
        <span>To</span>
        <input type="date" value={value.to} min={value.from || undefined} onChange={(e) => set('to', e.target.value)} data-testid="filter-to" />
      </label>
      <label className="field inline">
        <span>Performed</span>
        <select value={value.definitionId} onChange={(e) => set('definitionId', e.target.value)} data-testid="filter-definition">
          <option value="">Any event</option>
          {unknownDefinition && <option value={value.definitionId}>{definitions ? 'Deleted definition' : 'Loading…'}</option>}
          {definitions?.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline">
        <span>Duration</span>
        <select value={value.minDuration} onChange={(e) => set('minDuration', Number(e.target.value))} data-testid="filter-duration">
          {MIN_DURATIONS.some(([s]) => s === value.minDuration) ? null : <option value={value.minDuration}>≥ {value.minDuration} s</option>}
          {MIN_DURATIONS.map(([s, label]) => (
            <option key={s} value={s}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={value.hasError} onChange={(e) => set('hasError', e.target.checked)} data-testid="filter-error" />
        Has error
      </label>
      <label className="check" title="At least one rage click (repeated clicks on one spot) or dead click (a click that changed nothing)">
        <input type="checkbox" checked={value.frustrated} onChange={(e) => set('frustrated', e.target.checked)} data-testid="filter-frustrated" />
        Rage or dead click
      </label>
      <label className="field inline">
        <span>Sort</span>
        <select value={value.sort} onChange={(e) => set('sort', e.target.value as SessionSort)} data-testid="filter-sort">
          {Object.entries(SORT_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {hasAnyFilter(value) && (
        <button type="button" className="btn ghost small" onClick={() => onChange({ ...EMPTY_FILTERS, sort: value.sort })}>
          Clear
        </button>
      )}
    </form>
  );
}
