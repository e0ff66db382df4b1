import { useState, type ReactNode } from 'react';

/** A secret shown once (only its hash is kept), with a copy button and an explicit dismiss. */
export function SecretOnce({ title, children, secrets, onDone }: { title: string; children?: ReactNode; secrets: [string, string][]; onDone: () => void }) {
  const [copied, setCopied] = useState('');
  const copy = async (label: string, value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(label);
    } catch {
      setCopied(''); // clipboard refused (no focus / permission): the value is still selectable
    }
  };
  return (
    <div className="secret-once" role="status" data-testid="secret-once">
      <strong>{title}</strong>
      {children && <p className="muted small">{children}</p>}
      <dl>
        {secrets.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code data-testid={`secret-${label.toLowerCase().replace(/\W+/g, '-')}`}>{value}</code>
              <button type="button" className="btn ghost small" onClick={() => copy(label, value)}>
                {copied === label ? 'Copied' : 'Copy'}
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" className="btn small" onClick={onDone} data-testid="secret-done">
        I have saved it
      </button>
    </div>
  );
}
