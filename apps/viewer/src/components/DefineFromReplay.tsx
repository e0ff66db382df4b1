import { useEffect, useMemo, useRef, useState } from 'react';
import type { Definition } from '@hindsight/schema';
import { ApiError, previewRules } from '../api';
import { shortText } from '../lib/chain';
import { emptyDraft, type RuleDraft } from '../lib/rules';
import { Link } from '../lib/router';
import { suggestSelectors, type Suggestion } from '../lib/suggest';
import { DefinitionForm } from './DefinitionForm';

const DEBOUNCE = 300;

const KIND_LABEL: Record<Suggestion['kind'], string> = {
  testid: 'test id',
  attribute: 'test id + data',
  id: 'id',
  name: 'name',
  'aria-label': 'label',
  class: 'classes',
  path: 'position',
};

interface Props {
  /** the element picked in the replay iframe (the replay document mirrors the recorded page) */
  element: Element;
  /** page URL at the replay's current time */
  url: string;
  onClose: () => void;
}

/** Clicks on `selector` over all recorded history (debounced preview). */
function useClickCount(selector: string): { count?: number; error?: string } {
  const [state, setState] = useState<{ count?: number; error?: string }>({});
  useEffect(() => {
    const ctl = new AbortController();
    setState({});
    const id = setTimeout(() => {
      previewRules([{ event: 'click', selector }], ctl.signal).then(
        (r) => !ctl.signal.aborted && setState({ count: r.events }),
        (e: Error) => !ctl.signal.aborted && setState({ error: e instanceof ApiError ? e.message : e.message }),
      );
    }, DEBOUNCE);
    return () => {
      clearTimeout(id);
      ctl.abort();
    };
  }, [selector]);
  return state;
}

function onPageCount(doc: Document | null, selector: string): number | null {
  try {
    return doc ? doc.querySelectorAll(selector).length : null;
  } catch {
    return null;
  }
}

function SuggestionRow({ s, chosen, doc, onChoose }: { s: Suggestion; chosen: boolean; doc: Document | null; onChoose: () => void }) {
  const { count, error } = useClickCount(s.selector);
  const here = useMemo(() => onPageCount(doc, s.selector), [doc, s.selector]);
  return (
    <li>
      <button type="button" className="suggestion" aria-pressed={chosen} onClick={onChoose} data-testid="suggested-selector" data-kind={s.kind} title={s.selector}>
        <span className="kind">{KIND_LABEL[s.kind]}</span>
        <code className="mono" data-testid="suggestion-selector">
          {s.selector}
        </code>
        <span className="count">
          {error ? (
            <span className="error-text" title={error}>
              invalid
            </span>
          ) : (
            <>
              <strong data-testid="suggestion-count">{count === undefined ? '…' : count.toLocaleString()}</strong> {count === 1 ? 'click' : 'clicks'}
            </>
          )}
          {here !== null && <span className="muted small"> · {here} on this page</span>}
        </span>
      </button>
    </li>
  );
}

function pathCondition(url: string): RuleDraft['url'] | null {
  try {
    const p = new URL(url).pathname;
    return p && p !== '/' ? p : null;
  } catch {
    return null;
  }
}

/** "Define event" from an element picked in the replay: suggested selectors with live counts + the definition form. */
export function DefineFromReplay({ element, url, onClose }: Props) {
  const suggestions = useMemo(() => suggestSelectors(element), [element]);
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => [{ ...emptyDraft(), selector: suggestions[0]?.selector ?? '' }]);
  const [saved, setSaved] = useState<Definition | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  useEffect(() => panelRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }), []);
  const doc = element.ownerDocument;
  const text = shortText(element.textContent ?? '', 60);
  const path = pathCondition(url);
  const first = drafts[0];
  const setFirst = (patch: Partial<RuleDraft>) => setDrafts([{ ...first, ...patch }, ...drafts.slice(1)]);

  return (
    <section ref={panelRef} className="card define-panel" data-testid="define-panel" aria-label="Define event from replay">
      <div className="define-head">
        <h2>Define event</h2>
        <button type="button" className="btn ghost small" onClick={onClose} data-testid="define-close">
          Close
        </button>
      </div>
      <p className="picked-el">
        Picked <code className="mono">{element.localName}</code>
        {text && <> “{text}”</>}
        {url && <span className="muted"> on {url}</span>}
      </p>
      {saved ? (
        <p data-testid="define-saved" data-definition-id={saved.id}>
          Saved “{saved.name}”. <Link to="/definitions">See all definitions</Link>
        </p>
      ) : (
        <>
          <h3 className="small">Suggested selectors, most robust first</h3>
          <ul className="suggestions" data-testid="suggestions">
            {suggestions.map((s) => (
              <SuggestionRow key={s.selector} s={s} doc={doc} chosen={first.selector.trim() === s.selector} onChoose={() => setFirst({ selector: s.selector })} />
            ))}
          </ul>
          <div className="row small">
            {text && (
              <button type="button" className="btn ghost small" onClick={() => setFirst({ textOp: 'exact', text })} data-testid="define-add-text">
                + text is “{text}”
              </button>
            )}
            {path && (
              <button type="button" className="btn ghost small" onClick={() => setFirst({ urlOp: 'contains', url: path })} data-testid="define-add-url">
                + URL contains {path}
              </button>
            )}
          </div>
          <DefinitionForm title="Name this event" drafts={drafts} onDraftsChange={setDrafts} saveTestId="define-save" onSaved={setSaved} onCancel={onClose} />
        </>
      )}
    </section>
  );
}
