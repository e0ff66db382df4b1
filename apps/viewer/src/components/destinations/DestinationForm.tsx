// Creating a destination: a name, the receiver's URL, and which definitions it receives.
import { useState, type FormEvent } from 'react';
import type { Definition } from '@hindsight/schema';
import { createDestination, type Destination } from '../../api';

interface Props {
  definitions: Definition[];
  onCreated: (d: Destination) => void;
  onCancel: () => void;
}

export function DestinationForm({ definitions, onCreated, onCancel }: Props) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [all, setAll] = useState(true);
  const [picked, setPicked] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!all && picked.length === 0) return setError('Pick at least one definition, or send all of them.');
    setSaving(true);
    setError('');
    try {
      onCreated(await createDestination({ name: name.trim(), url: url.trim(), definitions: all ? 'all' : picked }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  return (
    <form className="card" onSubmit={submit} data-testid="destination-form" aria-label="New destination">
      <h2>New destination</h2>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder="CRM webhook" data-testid="destination-name" />
      </label>
      <label className="field">
        <span>Webhook URL (http or https)</span>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://example.com/hooks/hindsight" data-testid="destination-url" />
      </label>
      <fieldset className="field dest-fieldset">
        <legend>Definitions to send</legend>
        <label className="check">
          <input type="radio" name="defs" checked={all} onChange={() => setAll(true)} data-testid="definitions-all" /> All definitions, including ones created later
        </label>
        <label className="check">
          <input type="radio" name="defs" checked={!all} onChange={() => setAll(false)} data-testid="definitions-selected" /> Only these:
        </label>
        {!all && (
          <div className="dest-defs">
            {definitions.length === 0 && <span className="muted small">No definitions yet.</span>}
            {definitions.map((d) => (
              <label key={d.id} className="check">
                <input type="checkbox" checked={picked.includes(d.id)} onChange={() => toggle(d.id)} /> {d.name}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="btn primary" disabled={saving} data-testid="create-destination">
          {saving ? 'Creating…' : 'Create destination'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
