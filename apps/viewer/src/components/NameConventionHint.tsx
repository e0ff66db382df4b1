// Under the name field: why the name does not fit the project's naming convention, and a
// one-click fix. The check is the same pure function the server enforces on save.
import type { NameCheck } from '@hindsight/definitions/naming';

export function NameConventionHint({ check, onUse }: { check: NameCheck; onUse: (name: string) => void }) {
  if (check.ok) return null;
  return (
    <div className="error-text small" role="status" data-testid="def-name-hint">
      {check.message}{' '}
      {check.suggestion && (
        <button type="button" className="btn small" onClick={() => onUse(check.suggestion!)} data-testid="def-name-fix">
          Use “{check.suggestion}”
        </button>
      )}
    </div>
  );
}
