// "Backfill history": send the past matches of one definition to this destination, with the
// job's progress polled until it is done.
import { useEffect, useState } from 'react';
import type { Definition } from '@hindsight/schema';
import { getBackfill, listBackfills, startBackfill, type BackfillJob } from '../../api';

const POLL_MS = 500;

/** share of the job's matches that reached an end (sent, dead, or already sent before) */
export function backfillPercent(j: BackfillJob): number {
  if (j.state === 'done') return 100;
  if (!j.total) return 0;
  return Math.min(100, Math.floor(((j.delivered + j.failed + j.skipped) / j.total) * 100));
}

const LABEL: Record<BackfillJob['state'], string> = { running: 'Finding past matches', sending: 'Sending', done: 'Done', failed: 'Failed' };

export function BackfillPanel({ destinationId, definitions, onProgress }: { destinationId: string; definitions: Definition[]; onProgress: () => void }) {
  const [picked, setPicked] = useState('');
  // the list may load after the first render: default to its first entry
  const definitionId = definitions.some((d) => d.id === picked) ? picked : (definitions[0]?.id ?? '');
  const [job, setJob] = useState<BackfillJob | null>(null);
  const [error, setError] = useState('');
  const active = job !== null && (job.state === 'running' || job.state === 'sending');

  // the latest job, so a backfill started before a reload keeps showing its progress
  useEffect(() => {
    const ctl = new AbortController();
    listBackfills(destinationId, ctl.signal).then(
      (jobs) => jobs[0] && setJob((j) => j ?? jobs[0]),
      () => {},
    );
    return () => ctl.abort();
  }, [destinationId]);

  useEffect(() => {
    if (!job || !active) return;
    const ctl = new AbortController();
    const t = setTimeout(() => {
      getBackfill(destinationId, job.id, ctl.signal).then(
        (j) => {
          setJob(j);
          onProgress();
        },
        (e: Error) => !ctl.signal.aborted && setError(e.message),
      );
    }, POLL_MS);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [job, active, destinationId, onProgress]);

  const start = async () => {
    setError('');
    try {
      setJob((await startBackfill(destinationId, definitionId)).job);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (!definitions.length) return <p className="muted small">This destination receives no definitions yet.</p>;
  const pct = job ? backfillPercent(job) : 0;
  return (
    <div className="backfill" data-testid="backfill">
      <div className="row">
        <select value={definitionId} onChange={(e) => setPicked(e.target.value)} aria-label="Definition to backfill" data-testid="backfill-definition">
          {definitions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn small" disabled={active || !definitionId} onClick={start} data-testid="start-backfill">
          Backfill history
        </button>
      </div>
      {job && (
        <div className="backfill-progress" data-testid="backfill-progress" data-state={job.state}>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Backfill progress">
            <div className="progress-bar" style={{ width: `${pct}%` }} />
          </div>
          <span className="small">
            {definitions.find((d) => d.id === job.definitionId)?.name ?? 'Definition'}: {LABEL[job.state]} · <strong data-testid="backfill-percent">{pct} %</strong> · {job.delivered} sent
            {job.skipped ? `, ${job.skipped} already sent before` : ''}
            {job.failed ? `, ${job.failed} failed` : ''} of {job.total} past matches
          </span>
          {job.error && <span className="error-text small">{job.error}</span>}
        </div>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
