import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { clamp, type Marker } from '../lib/replay';
import { formatDuration } from '../lib/time';

interface Props {
  total: number;
  current: number;
  markers: Marker[];
  onSeek: (offset: number) => void;
}

/** The seek bar: click or drag to seek; markers for clicks, page views and errors. */
export function Timeline({ total, current, markers, onSeek }: Props) {
  const trackRef = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<number | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  // a click is pointerdown + pointerup at one spot: seek once (each seek may rebuild a snapshot)
  const sent = useRef<number | null>(null);

  const offsetAt = (clientX: number) => {
    const r = trackRef.current!.getBoundingClientRect();
    return clamp((clientX - r.left) / Math.max(1, r.width), 0, 1) * total;
  };

  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const o = offsetAt(e.clientX);
    setDrag(o);
    sent.current = o;
    onSeek(o);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const o = offsetAt(e.clientX);
    setHover(o);
    if (drag !== null) setDrag(o);
  };
  const up = (e: PointerEvent<HTMLDivElement>) => {
    if (drag === null) return;
    const o = offsetAt(e.clientX);
    if (o !== sent.current) onSeek(o);
    sent.current = null;
    setDrag(null);
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Home') onSeek(0);
    else if (e.key === 'End') onSeek(total);
    else if (e.key === 'PageUp') onSeek(clamp(current + 30_000, 0, total));
    else if (e.key === 'PageDown') onSeek(clamp(current - 30_000, 0, total));
    else return;
    e.preventDefault();
  };

  const shown = drag ?? current;
  const pct = total > 0 ? (clamp(shown, 0, total) / total) * 100 : 0;
  return (
    <div
      className={drag !== null ? 'timeline dragging' : 'timeline'}
      data-testid="timeline"
      role="slider"
      tabIndex={0}
      aria-label="Seek"
      aria-valuemin={0}
      aria-valuemax={Math.round(total / 1000)}
      aria-valuenow={Math.round(shown / 1000)}
      aria-valuetext={`${formatDuration(shown)} of ${formatDuration(total)}`}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={() => setDrag(null)}
      onPointerLeave={() => setHover(null)}
      onKeyDown={key}
    >
      <div className="timeline-track" ref={trackRef}>
        <div className="timeline-played" style={{ width: `${pct}%` }} />
        {markers.map((m, i) => (
          <span key={i} className={`marker ${m.kind}`} style={{ left: `${m.pct}%` }} title={`${formatDuration(m.offset)} ${m.label}`} data-kind={m.kind} />
        ))}
        <div className="timeline-thumb" style={{ left: `${pct}%` }} />
        {hover !== null && drag === null && (
          <div className="timeline-hover" style={{ left: `${total > 0 ? (hover / total) * 100 : 0}%` }}>
            {formatDuration(hover)}
          </div>
        )}
      </div>
    </div>
  );
}
