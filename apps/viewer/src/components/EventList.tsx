import { useEffect, useRef, useState } from 'react';
import type { RawEvent } from '@hindsight/schema';
import { ELEMENT_EVENT_TYPES } from '@hindsight/schema';
import { suggestSelector } from '../lib/chain';
import { describeEvent } from '../lib/replay';
import { Link } from '../lib/router';
import { formatDuration } from '../lib/time';
import { Spinner } from './States';

interface Props {
  events: RawEvent[];
  start: number;
  current: number;
  onSelect: (e: RawEvent) => void;
  /** event id → names of the saved definitions it matches */
  named?: Map<string, string[]>;
  /** rows wait (the replay's first frame comes first) */
  deferred?: boolean;
}

const NO_NAMES = new Map<string, string[]>();

const ELEMENT = new Set<string>(ELEMENT_EVENT_TYPES);

const FILTERS: Record<string, { label: string; test: (t: string) => boolean }> = {
  all: { label: 'All events', test: () => true },
  interactions: { label: 'Clicks & forms', test: (t) => ELEMENT.has(t) },
  pages: { label: 'Page views', test: (t) => t === 'pageview' || t === 'pageleave' },
  errors: { label: 'Errors', test: (t) => t === 'error' || t === 'network_error' || t === 'invalid' },
  frustration: { label: 'Rage & dead clicks', test: (t) => t === 'rage_click' || t === 'dead_click' },
  custom: { label: 'Custom & identify', test: (t) => t === 'custom' || t === 'identify' },
};

export function defineLink(e: RawEvent): string {
  const p = new URLSearchParams({ event: e.type });
  const sel = suggestSelector(e.chain);
  if (sel) p.set('selector', sel);
  return `/definitions?${p}`;
}

/** The session's raw events; click one to seek the replay there. The current one is highlighted. */
export function EventList({ events, start, current, onSelect, named = NO_NAMES, deferred = false }: Props) {
  const listRef = useRef<HTMLOListElement>(null);
  const [filter, setFilter] = useState('all');
  // named events are a filter over event ids, not types
  const keep = (e: RawEvent) => (filter === 'named' ? named.has(e.id) : FILTERS[filter].test(e.type));

  // keep the current row visible without scrolling the page itself
  useEffect(() => {
    const list = listRef.current;
    const row = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!list || !row) return;
    const top = row.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + row.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  }, [current]);

  return (
    <section className="event-panel" aria-label="Events">
      <div className="panel-title">
        <h2>
          Events <span className="count">{events.length}</span>
        </h2>
        <select value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Show events" className="small-select" data-testid="event-filter">
          {Object.entries(FILTERS).map(([k, f]) => (
            <option key={k} value={k}>
              {f.label}
            </option>
          ))}
          <option value="named">Named events</option>
        </select>
      </div>
      {deferred ? (
        <Spinner label="Loading events…" />
      ) : events.length === 0 ? (
        <p className="muted pad">No events recorded in this session.</p>
      ) : (
        <ol className="event-list" ref={listRef} data-testid="event-list">
          {events.map((e, i) => (keep(e) ? <EventRow key={e.id} e={e} start={start} names={named.get(e.id)} state={i === current ? 'current' : i > current ? 'future' : 'past'} onSelect={onSelect} /> : null))}
        </ol>
      )}
    </section>
  );
}

function EventRow({ e, start, state, onSelect, names }: { e: RawEvent; start: number; state: 'past' | 'current' | 'future'; onSelect: (e: RawEvent) => void; names?: string[] }) {
  const desc = describeEvent(e);
  const offset = formatDuration(e.ts - start);
  return (
    <li className={`event-row type-${e.type} ${state}`} aria-current={state === 'current' ? 'true' : undefined} data-testid="event-row" data-type={e.type}>
      <button type="button" className="event-main" onClick={() => onSelect(e)} title={`${desc}\nSeek to ${offset}`}>
        <span className="event-top">
          <span className={`etype ${e.type}`}>{e.type.replace('_', ' ')}</span>
          <span className="eoffset">{offset}</span>
        </span>
        <span className="edesc" data-testid="event-desc">
          {desc}
        </span>
        {names && (
          <span className="event-matches">
            {names.map((n) => (
              <span key={n} className="badge match" data-testid="event-match">
                {n}
              </span>
            ))}
          </span>
        )}
      </button>
      {ELEMENT.has(e.type) && e.chain && (
        <Link to={defineLink(e)} className="edefine" title="Define an event from this element">
          Define
        </Link>
      )}
    </li>
  );
}
