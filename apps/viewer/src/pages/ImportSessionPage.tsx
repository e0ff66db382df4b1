import { useEffect, useState, type ChangeEvent } from 'react';
import { useTitle } from '../lib/router';
import { memorySession, type SessionData } from '../lib/session-data';
import { parseSessionFile } from '../lib/session-file';
import { useAction } from '../lib/useAction';
import { ReplayView } from './ReplayPage';
import { SessionsCrumb } from '../components/SessionsCrumb';

/**
 * Plays an exported session file with no server data at all (it works offline once the viewer is
 * loaded). The file is untrusted: parseSessionFile checks it, and its recording goes through the
 * same sanitizing and sandboxed Replayer as a server replay.
 */
export function ImportSessionPage() {
  useTitle('Import session');
  const [data, setData] = useState<SessionData | null>(null);
  const { busy, error, run } = useAction();
  // the player's code is fetched now, so a file picked after going offline still plays

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    await run(async () => {
      const f = parseSessionFile(await file.text());
      const id = f.session?.id ?? f.events[0]?.sessionId ?? file.name;
      setData(memorySession(id, f.session, f.events, f.matches, f.replay));
    });
  };

  if (data) return <ReplayView data={data} />;
  return (
    <div className="page import-page">
      <header className="page-head compact">
        <div>
          <SessionsCrumb>Import session</SessionsCrumb>
          <h1>Import session</h1>
        </div>
      </header>
      <label className="dropzone">
        <p>Choose a file saved with “Export session” to replay it here. Nothing is sent to the server.</p>
        <input type="file" accept="application/json,.json" onChange={onFile} disabled={busy} data-testid="import-file" />
      </label>
      {busy && <p className="muted">Reading…</p>}
      {error && (
        <p className="error-text" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
    </div>
  );
}
