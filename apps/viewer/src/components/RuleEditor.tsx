import { EVENT_TYPES, STRING_OPS, type StringOp } from '@hindsight/schema';
import type { RuleDraft } from '../lib/rules';

interface Props {
  index: number;
  value: RuleDraft;
  onChange: (d: RuleDraft) => void;
  onRemove?: () => void;
}

const ELEMENT_TYPES = new Set(['click', 'submit', 'change', 'invalid', 'rage_click', 'dead_click']);

function OpSelect({ value, onChange, label }: { value: StringOp; onChange: (v: StringOp) => void; label: string }) {
  return (
    <select className="op" value={value} aria-label={label} onChange={(e) => onChange(e.target.value as StringOp)}>
      {STRING_OPS.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** One rule: event type + optional selector / text / url / name conditions (all must hold). */
export function RuleEditor({ index, value, onChange, onRemove }: Props) {
  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => onChange({ ...value, [k]: v });
  const elementEvent = ELEMENT_TYPES.has(value.event);
  const id = (s: string) => `rule-${index}-${s}`;
  return (
    <fieldset className="rule" data-testid="rule-editor">
      <legend>{index === 0 ? 'Rule' : `or rule ${index + 1}`}</legend>
      <div className="rule-grid">
        <label htmlFor={id('event')}>Event</label>
        <select id={id('event')} value={value.event} onChange={(e) => set('event', e.target.value)} data-testid="rule-event">
          {EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>

        <label htmlFor={id('selector')}>Selector</label>
        <input
          id={id('selector')}
          className="mono"
          value={value.selector}
          placeholder={elementEvent ? 'form#checkout button[type=submit]' : 'only for element events'}
          onChange={(e) => set('selector', e.target.value)}
          spellCheck={false}
          data-testid="rule-selector"
        />

        <label htmlFor={id('text')}>Text</label>
        <div className="pair">
          <OpSelect value={value.textOp} label="Text operator" onChange={(v) => set('textOp', v)} />
          <input id={id('text')} value={value.text} placeholder="Pay now" onChange={(e) => set('text', e.target.value)} data-testid="rule-text" />
        </div>

        <label htmlFor={id('url')}>URL</label>
        <div className="pair">
          <OpSelect value={value.urlOp} label="URL operator" onChange={(v) => set('urlOp', v)} />
          <input id={id('url')} className="mono" value={value.url} placeholder="/checkout" onChange={(e) => set('url', e.target.value)} spellCheck={false} data-testid="rule-url" />
        </div>

        {value.event === 'custom' && (
          <>
            <label htmlFor={id('name')}>Name</label>
            <div className="pair">
              <OpSelect value={value.nameOp} label="Name operator" onChange={(v) => set('nameOp', v)} />
              <input id={id('name')} value={value.name} placeholder="Order completed" onChange={(e) => set('name', e.target.value)} data-testid="rule-name" />
            </div>
          </>
        )}
      </div>
      {onRemove && (
        <button type="button" className="btn ghost small rule-remove" onClick={onRemove} aria-label={`Remove rule ${index + 1}`}>
          Remove
        </button>
      )}
    </fieldset>
  );
}
