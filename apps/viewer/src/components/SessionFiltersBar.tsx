import { EMPTY_FILTERS, hasAnyFilter, type SessionFilters } from '../lib/filters';

export function SessionFiltersBar({ value, onChange }: { value: SessionFilters; onChange: (f: SessionFilters) => void }) {
  const set = <K extends keyof SessionFilters>(k: K, v: SessionFilters[K]) => onChange({ ...value, [k]: v });
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
      <label className="check">
        <input type="checkbox" checked={value.hasError} onChange={(e) => set('hasError', e.target.checked)} data-testid="filter-error" />
        Has error
      </label>
      {hasAnyFilter(value) && (
        <button type="button" className="btn ghost small" onClick={() => onChange(EMPTY_FILTERS)}>
          Clear
        </button>
      )}
    </form>
  );
}
