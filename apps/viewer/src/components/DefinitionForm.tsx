import { useState, type FormEvent } from 'react';
import { CATEGORIES, type Definition, type DefinitionInput, type NamingConvention } from '@hindsight/schema';
import { checkName } from '@hindsight/definitions/naming';
import { ApiError, createDefinition, getSettings, listDefinitionVersions, updateDefinition } from '../api';
import { draftToRule, emptyDraft, ruleToDraft, summarizeRules, type RuleDraft } from '../lib/rules';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/useApi';
import { NameConventionHint } from './NameConventionHint';
import { PreviewPanel } from './PreviewPanel';
import { fromDrafts, PropertiesEditor, toDrafts } from './PropertiesEditor';
import { RuleEditor } from './RuleEditor';
import { count } from '../lib/plural';

interface Props {
  /** the definition being edited; undefined = create */
  editing?: Definition;
  initialRule?: RuleDraft;
  onSaved: (d: Definition) => void;
  onCancel: () => void;
  /** controlled rules (define-from-replay sets the selector from outside); internal state otherwise */
  drafts?: RuleDraft[];
  onDraftsChange?: (d: RuleDraft[]) => void;
  title?: string;
  saveTestId?: string;
  /** the project's naming convention; fetched here when the caller does not know it */
  namingConvention?: NamingConvention;
}

export function DefinitionForm({ editing, initialRule, onSaved, onCancel, title, saveTestId = 'def-save', namingConvention, ...controlled }: Props) {
  const [name, setName] = useState(editing?.name ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [category, setCategory] = useState(editing?.category ?? '');
  const [ownDrafts, setOwnDrafts] = useState<RuleDraft[]>(editing ? editing.rules.map(ruleToDraft) : [initialRule ?? emptyDraft()]);
  const drafts = controlled.drafts ?? ownDrafts;
  const setDrafts = controlled.onDraftsChange ?? setOwnDrafts;
  const [props, setProps] = useState(toDrafts(editing?.properties));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const rules = drafts.map(draftToRule);
  const fetched = useApi((signal) => (namingConvention ? Promise.resolve(null) : getSettings(signal)), [namingConvention]);
  const convention = namingConvention ?? fetched.data?.namingConvention ?? 'none';
  // checked as the user types, so the fix is offered before saving, not after a refusal
  const nameCheck = name.trim() ? checkName(name, convention) : ({ ok: true } as const);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the event a name.');
    if (!nameCheck.ok) return setError('Fix the name first: it does not follow the naming convention.');
    const input: DefinitionInput = { name: name.trim(), rules };
    if (description.trim()) input.description = description.trim();
    if (category) input.category = category;
    const properties = fromDrafts(props);
    if (properties.length) input.properties = properties;
    setBusy(true);
    setError('');
    try {
      onSaved(editing ? await updateDefinition(editing.id, input) : await createDefinition(input));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : `Could not save: ${(err as Error).message}`);
      // the convention changed since we loaded it (another analyst, another tab): refresh the hint
      if (err instanceof ApiError && err.code === 'naming_convention' && !namingConvention) fetched.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card def-form" onSubmit={submit} data-testid="definition-form" aria-label={editing ? `Edit ${editing.name}` : 'New event definition'}>
      <div className="def-form-main">
        <h2>{title ?? (editing ? `Edit “${editing.name}”` : 'New event')}</h2>
        <div className="row">
          <label className="field grow">
            <span>Name</span>
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={convention === 'snake_case' ? 'checkout_started' : convention === 'title_case' ? 'Checkout Started' : 'Checkout started'}
              required
              aria-invalid={!nameCheck.ok}
              data-testid="def-name"
            />
          </label>
          <label className="field">
            <span>Category</span>
            <select value={category} onChange={(e) => setCategory(e.target.value)} data-testid="def-category">
              <option value="">—</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
        <NameConventionHint
          check={nameCheck}
          onUse={(fixed) => {
            setName(fixed);
            setError('');
          }}
        />
        <label className="field">
          <span>Description</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What this event means for the business" data-testid="def-description" />
        </label>
        <p className="muted small">An event matches when it matches any rule; within a rule every filled-in condition must hold.</p>
        {drafts.map((d, i) => (
          <RuleEditor
            key={i}
            index={i}
            value={d}
            onChange={(nd) => setDrafts(drafts.map((x, j) => (j === i ? nd : x)))}
            onRemove={drafts.length > 1 ? () => setDrafts(drafts.filter((_, j) => j !== i)) : undefined}
          />
        ))}
        <button type="button" className="btn ghost small" onClick={() => setDrafts([...drafts, emptyDraft()])}>
          + Add rule
        </button>
        <PropertiesEditor value={props} onChange={setProps} />
        {error && (
          <p className="error-text" role="alert" data-testid="def-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="btn primary" disabled={busy} data-testid={saveTestId}>
            {busy ? 'Saving…' : editing ? 'Save changes' : 'Create event'}
          </button>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        </div>
        {editing && <Versions id={editing.id} />}
      </div>
      <PreviewPanel rules={rules} />
    </form>
  );
}

function Versions({ id }: { id: string }) {
  const { data, error } = useApi((signal) => listDefinitionVersions(id, signal), [id]);
  if (error || !data || data.length === 0) return null;
  return (
    <details className="versions">
      <summary>
        History <span className="muted">({count(data.length, 'version')})</span>
      </summary>
      <ol>
        {data
          .slice()
          .sort((a, b) => b.version - a.version)
          .map((v) => (
            <li key={v.version}>
              <strong>v{v.version}</strong> <span className="muted">{formatDateTime(v.updatedAt)}</span> — {v.name}: <code>{summarizeRules(v.rules)}</code>
            </li>
          ))}
      </ol>
    </details>
  );
}
