import type { PropertySpec } from '@hindsight/schema';

/** A property row while editing: `source` is an attribute name, or '#text' for the element's text. */
export interface PropertyDraft {
  name: string;
  source: string;
}

export const TEXT_SOURCE = '#text';

export const toDrafts = (ps: PropertySpec[] | undefined): PropertyDraft[] =>
  (ps ?? []).map((p) => ({ name: p.name, source: p.text ? TEXT_SOURCE : (p.attr ?? '') }));

/** complete rows only (a half-typed row is not an error until saved) */
export const fromDrafts = (ds: PropertyDraft[]): PropertySpec[] =>
  ds
    .filter((d) => d.name.trim() && d.source.trim())
    .map((d) => (d.source === TEXT_SOURCE ? { name: d.name.trim(), text: true as const } : { name: d.name.trim(), attr: d.source.trim() }));

/** Properties the definition extracts from the element its rule matched (breakdowns in Insights). */
export function PropertiesEditor({ value, onChange }: { value: PropertyDraft[]; onChange: (v: PropertyDraft[]) => void }) {
  const set = (i: number, patch: Partial<PropertyDraft>) => onChange(value.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <fieldset className="properties" data-testid="def-properties">
      <legend>Extracted properties</legend>
      <p className="muted small">
        Read from the element the rule matched — an attribute such as <code>data-sku</code>, or its text — over all history. Use them to
        break trends down in Insights.
      </p>
      {value.map((d, i) => (
        <div key={i} className="property-row">
          <input aria-label={`Property ${i + 1} name`} placeholder="name, e.g. sku" value={d.name} onChange={(e) => set(i, { name: e.target.value })} data-testid="def-prop-name" />
          <select
            aria-label={`Property ${i + 1} source`}
            value={d.source === TEXT_SOURCE ? TEXT_SOURCE : 'attr'}
            onChange={(e) => set(i, { source: e.target.value === TEXT_SOURCE ? TEXT_SOURCE : '' })}
          >
            <option value="attr">attribute</option>
            <option value={TEXT_SOURCE}>text</option>
          </select>
          {d.source !== TEXT_SOURCE && (
            <input aria-label={`Property ${i + 1} attribute`} placeholder="data-sku" value={d.source} onChange={(e) => set(i, { source: e.target.value })} data-testid="def-prop-attr" />
          )}
          <button type="button" className="btn ghost small" aria-label={`Remove property ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      {value.length < 10 && (
        <button type="button" className="btn ghost small" onClick={() => onChange([...value, { name: '', source: '' }])} data-testid="def-add-property">
          + Add property
        </button>
      )}
    </fieldset>
  );
}
