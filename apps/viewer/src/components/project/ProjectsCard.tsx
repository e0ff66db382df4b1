import { useState, type FormEvent } from 'react';
import { createProject, deleteProject, listProjects, type CreatedProject } from '../../api';
import { formatDateTime } from '../../lib/time';
import { useAction } from '../../lib/useAction';
import { useApi } from '../../lib/useApi';
import { ErrorState, Spinner } from '../States';
import { SecretOnce } from './SecretOnce';

/** Server admin only: every project on this server, creating, switching to and deleting one. */
export function ProjectsCard({ current, onSwitch }: { current: string; onSwitch: (id: string) => void }) {
  const { data, error, loading, reload } = useApi((signal) => listProjects(signal), []);
  const [name, setName] = useState('');
  const { busy, error: formError, setError: setFormError, run } = useAction();
  const [created, setCreated] = useState<CreatedProject | null>(null);
  // the project being deleted, and its id as typed to confirm
  const [deleting, setDeleting] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const removal = useAction();

  const remove = async (e: FormEvent) => {
    e.preventDefault();
    if (!deleting || typed !== deleting) return;
    if (!(await removal.run(() => deleteProject(deleting)))) return;
    setDeleting(null);
    reload();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setFormError('Give the project a name.');
    if (!(await run(async () => setCreated(await createProject(name.trim()))))) return;
    setName('');
    reload();
  };

  return (
    <section className="card" aria-labelledby="projects-title">
      <header className="card-head">
        <div>
          <h2 id="projects-title">Projects</h2>
          <p className="muted small">Each project has its own data, definitions, write keys and admin token. You hold the server admin token, so you can see and switch to all of them.</p>
        </div>
        {data && (
          <label className="field inline">
            <span>Current project</span>
            <select value={current} onChange={(e) => onSwitch(e.target.value)} data-testid="project-switcher">
              {data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.id})
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {created && (
        <SecretOnce
          title={`Project “${created.project.name}” created`}
          secrets={[
            ['Admin token', created.adminToken],
            ['Write key', created.writeKey.key],
          ]}
          onDone={() => setCreated(null)}
        >
          Give the admin token to the project’s analysts; it is shown only now (the server keeps a hash). The write key goes into the project’s pages and stays visible here.
        </SecretOnce>
      )}
      {loading && !data ? (
        <Spinner label="Loading projects…" />
      ) : error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : (
        <table className="table" data-testid="projects-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Id</th>
              <th>Created</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {data?.map((p) => (
              <tr key={p.id} data-testid="project-row" data-project={p.id}>
                <td>{p.name}</td>
                <td>
                  <code>{p.id}</code>
                </td>
                <td>{p.createdAt ? formatDateTime(p.createdAt) : <span className="muted">built in</span>}</td>
                <td className="actions-cell">
                  {p.id === current ? (
                    <span className="badge live">current</span>
                  ) : deleting === p.id ? (
                    <form className="confirm" onSubmit={remove} aria-label={`Confirm deleting ${p.name}`} data-testid="confirm-delete-project">
                      <input
                        value={typed}
                        onChange={(e) => setTyped(e.target.value)}
                        onKeyDown={(e) => e.key === 'Escape' && setDeleting(null)}
                        placeholder={`Type ${p.id}`}
                        aria-label={`Type ${p.id} to delete the project and all its data`}
                        autoFocus
                        data-testid="delete-project-id"
                      />
                      <button type="submit" className="btn danger small" disabled={removal.busy || typed !== p.id} data-testid="delete-project-confirm">
                        {removal.busy ? 'Deleting…' : 'Delete all its data'}
                      </button>
                      <button type="button" className="btn ghost small" onClick={() => setDeleting(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <>
                      <button type="button" className="btn ghost small" onClick={() => onSwitch(p.id)} data-testid="switch-project">
                        Switch
                      </button>
                      {p.id !== 'default' && (
                        <button
                          type="button"
                          className="btn ghost small danger-text"
                          onClick={() => {
                            setDeleting(p.id);
                            setTyped('');
                            removal.setError('');
                          }}
                          data-testid="delete-project"
                        >
                          Delete
                        </button>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="row new-project" onSubmit={submit} noValidate>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New project name" aria-label="New project name" maxLength={100} data-testid="project-name" />
        <button type="submit" className="btn primary" disabled={busy} data-testid="new-project">
          {busy ? 'Creating…' : 'New project'}
        </button>
      </form>
      {formError && (
        <p className="error-text" role="alert">
          {formError}
        </p>
      )}
      {removal.error && (
        <p className="error-text" role="alert" data-testid="delete-project-error">
          {removal.error}
        </p>
      )}
    </section>
  );
}
