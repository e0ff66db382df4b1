import { useState } from 'react';
import type { Definition, NamingConvention } from '@hindsight/schema';
import { definitionStats, deleteDefinition, getSettings, listDefinitions } from '../api';
import { DefinitionForm } from '../components/DefinitionForm';
import { DefinitionStatsCells } from '../components/DefinitionStatsCells';
import { TrackingPlanBar } from '../components/TrackingPlanBar';
import { Empty, ErrorState, Spinner } from '../components/States';
import { emptyDraft, summarizeRules, type RuleDraft } from '../lib/rules';
import { Link, navigate, useLocation, useTitle } from '../lib/router';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/useApi';

type Mode = { kind: 'list' } | { kind: 'create'; rule?: RuleDraft } | { kind: 'edit'; def: Definition };

/** `/definitions?event=click&selector=…` (from a replay's "Define") opens the form prefilled. */
function prefill(search: string): Mode {
  const p = new URLSearchParams(search);
  if (!p.get('event') && !p.get('selector')) return { kind: 'list' };
  const d = emptyDraft();
  d.event = p.get('event') || 'click';
  d.selector = p.get('selector') ?? '';
  d.url = p.get('url') ?? '';
  return { kind: 'create', rule: d };
}

export function DefinitionsPage() {
  useTitle('Definitions');
  const loc = useLocation();
  const [mode, setMode] = useState<Mode>(() => prefill(loc.search));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleteError, setDeleteError] = useState('');
  const { data, error, loading, reload } = useApi((signal) => listDefinitions(signal), []);
  // counts follow the list: reloaded whenever the definitions are
  const stats = useApi((signal) => (data ? definitionStats(signal) : new Promise<never>(() => {})), [data]);
  const settings = useApi((signal) => getSettings(signal), []);
  const [convention, setConvention] = useState<NamingConvention | undefined>(undefined);
  const namingConvention = convention ?? settings.data?.namingConvention;
  const [category, setCategory] = useState('');
  const shown = data?.filter((d) => !category || d.category === category);

  const close = () => {
    setMode({ kind: 'list' });
    if (loc.search) navigate('/definitions', { replace: true });
  };

  const remove = async (d: Definition) => {
    setDeleteError('');
    try {
      await deleteDefinition(d.id);
      setConfirming(null);
      reload();
    } catch (e) {
      setDeleteError((e as Error).message);
    }
  };

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Definitions</h1>
          <p className="muted">Named events defined after the fact. Each one applies to all recorded history.</p>
        </div>
        {mode.kind === 'list' && (
          <button type="button" className="btn primary" onClick={() => setMode({ kind: 'create' })} data-testid="new-definition">
            New event
          </button>
        )}
      </header>

      {mode.kind !== 'list' && (
        <DefinitionForm
          key={mode.kind === 'edit' ? mode.def.id : 'new'}
          editing={mode.kind === 'edit' ? mode.def : undefined}
          initialRule={mode.kind === 'create' ? mode.rule : undefined}
          namingConvention={namingConvention}
          onSaved={() => {
            close();
            reload();
          }}
          onCancel={close}
        />
      )}

      {mode.kind === 'list' && (
        <TrackingPlanBar convention={namingConvention} onConventionChange={setConvention} category={category} onCategoryChange={setCategory} />
      )}
      {settings.error && <ErrorState error={settings.error} onRetry={settings.reload} />}
      {error && <ErrorState error={error} onRetry={reload} />}
      {!error && loading && !data && <Spinner label="Loading definitions…" />}
      {data && data.length === 0 && mode.kind === 'list' && (
        <Empty title="No events defined yet.">Create one with a selector rule, or open a replay and click “Define” next to an event.</Empty>
      )}
      {deleteError && (
        <p className="error-text" role="alert">
          {deleteError}
        </p>
      )}
      {data && data.length > 0 && stats.error && (
        <p className="error-text" role="alert" data-testid="stats-error">
          Counts are not available: {stats.error.message}{' '}
          <button type="button" className="btn small" onClick={stats.reload}>
            Retry
          </button>
        </p>
      )}
      {shown && data && data.length > 0 && shown.length === 0 && (
        <Empty title={`No events in the category “${category}”.`}>Pick another category or “All categories”.</Empty>
      )}
      {shown && shown.length > 0 && (
        <table className="table definitions" data-testid="definitions-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Category</th>
              <th scope="col">Rules</th>
              <th scope="col" className="num nowrap">7 days</th>
              <th scope="col" className="num nowrap">30 days</th>
              <th scope="col" className="nowrap">Daily, 30 days</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.id} data-testid="definition-row" data-definition-id={d.id}>
                <td className="name-cell">
                  <strong>{d.name}</strong>
                  {d.description && <div className="muted small">{d.description}</div>}
                </td>
                <td>{d.category && <span className={`badge cat-${d.category}`}>{d.category}</span>}</td>
                <td className="rules-cell">
                  <code className="rules">{summarizeRules(d.rules)}</code>
                </td>
                <DefinitionStatsCells name={d.name} stat={stats.error ? null : (stats.data?.get(d.id) ?? (stats.loading ? undefined : null))} />
                <td className="muted">
                  <UpdatedAt ts={d.updatedAt} version={d.version} />
                </td>
                <td className="actions-cell">
                  {confirming === d.id ? (
                    <span className="confirm" role="group" aria-label={`Confirm deleting ${d.name}`}>
                      Delete “{d.name}”?
                      <button type="button" className="btn danger small" onClick={() => remove(d)} data-testid="confirm-delete">
                        Delete
                      </button>
                      <button type="button" className="btn small" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <>
                      <Link to={`/insights?definition=${encodeURIComponent(d.id)}`} className="btn ghost small">
                        Trend
                      </Link>
                      <button type="button" className="btn ghost small" onClick={() => setMode({ kind: 'edit', def: d })} data-testid="edit-definition">
                        Edit
                      </button>
                      <button type="button" className="btn ghost small danger-text" onClick={() => setConfirming(d.id)} data-testid="delete-definition">
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** date, then time and version: two unbreakable pieces, so a narrow column wraps between them */
function UpdatedAt({ ts, version }: { ts: number; version: number }) {
  const [day, time] = formatDateTime(ts).split(' ');
  return (
    <>
      <span className="nowrap">{day}</span>{' '}
      <span className="nowrap">
        {time} <span className="small">v{version}</span>
      </span>
    </>
  );
}
