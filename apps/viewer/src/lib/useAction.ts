import { useCallback, useState } from 'react';

const message = (err: unknown) => (err as Error).message;

/**
 * What a form or a button runs against the API: `busy` while it runs (disable the control), and
 * its failure as text, cleared when it runs again. `run` resolves true when the action succeeded.
 */
export function useAction(describe: (err: unknown) => string = message) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = useCallback(
    async (fn: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError('');
      try {
        await fn();
        return true;
      } catch (err) {
        setError(describe(err));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [describe],
  );
  return { busy, error, setError, run };
}
