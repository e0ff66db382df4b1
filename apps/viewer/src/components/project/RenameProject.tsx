import { useState, type FormEvent } from 'react';
import { renameProject } from '../../api';
import { useAction } from '../../lib/useAction';

/** The current project's name with an inline rename form (its id, keys and data stay). */
export function RenameProject({ id, name, onRenamed }: { id: string; name: string; onRenamed: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  const { busy, error, setError, run } = useAction();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return setError('Give the project a name.');
    if (!(await run(() => renameProject(id, value.trim())))) return;
    setEditing(false);
    onRenamed();
  };

  if (!editing)
    return (
      <div className="row">
        <h1 data-testid="project-title">{name}</h1>
        <button
          type="button"
          className="btn ghost small"
          onClick={() => {
            setValue(name);
            setError('');
            setEditing(true);
          }}
          data-testid="rename-project"
        >
          Rename
        </button>
      </div>
    );
  return (
    <form className="row" onSubmit={save} noValidate>
      <input
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        aria-label="Project name"
        maxLength={100}
        autoFocus
        data-testid="project-name-input"
      />
      <button type="submit" className="btn primary small" disabled={busy} data-testid="save-project-name">
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="btn ghost small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <p className="error-text" role="alert" data-testid="rename-error">
          {error}
        </p>
      )}
    </form>
  );
}
