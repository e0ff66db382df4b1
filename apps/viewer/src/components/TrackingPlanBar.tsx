// The tracking plan's project-wide controls on the definitions page: the naming convention every
// event name must follow (enforced by the server on save) and the Markdown / CSV export.
import { useState } from 'react';
import { CATEGORIES, NAMING_CONVENTIONS, type NamingConvention } from '@hindsight/schema';
import { NAMING_CONVENTION_LABELS } from '@hindsight/definitions/naming';
import { planExportUrl, putSettings } from '../api';

interface Props {
  /** undefined while the settings load */
  convention?: NamingConvention;
  onConventionChange: (c: NamingConvention) => void;
  category: string;
  onCategoryChange: (c: string) => void;
}

export function TrackingPlanBar({ convention, onConventionChange, category, onCategoryChange }: Props) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState('');

  const change = async (c: NamingConvention) => {
    setSaving(true);
    setError('');
    try {
      onConventionChange((await putSettings({ namingConvention: c })).namingConvention);
    } catch (e) {
      setError(`Could not save the convention: ${(e as Error).message}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="filters" aria-label="Tracking plan" data-testid="tracking-plan">
      <label className="field inline">
        <span>Naming convention</span>
        <select
          value={convention ?? ''}
          disabled={convention === undefined || saving}
          onChange={(e) => change(e.target.value as NamingConvention)}
          data-testid="naming-convention"
        >
          {convention === undefined && <option value="">Loading…</option>}
          {NAMING_CONVENTIONS.map((c) => (
            <option key={c} value={c}>
              {c === 'none' ? 'None (any name)' : NAMING_CONVENTION_LABELS[c]}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline">
        <span>Category</span>
        <select value={category} onChange={(e) => onCategoryChange(e.target.value)} data-testid="category-filter">
          <option value="">All categories</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <span className="grow" />
      <a className="btn" href={planExportUrl('md')} download data-testid="export-md">
        Export Markdown
      </a>
      <a className="btn" href={planExportUrl('csv')} download data-testid="export-csv">
        Export CSV
      </a>
      {saving && <span className="muted small" role="status">Saving…</span>}
      {error && (
        <p className="error-text" role="alert" data-testid="settings-error">
          {error}
        </p>
      )}
    </section>
  );
}
