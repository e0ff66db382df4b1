import type { Definition } from '@hindsight/schema';
import { RAW_TYPES } from '../../lib/targets';

/** Picks a definition, a raw event type or a track() name; the value is a target key (lib/targets). */
export function EventPicker({
  value,
  onChange,
  defs,
  label,
  testId,
}: {
  value: string;
  onChange: (key: string) => void;
  defs: Definition[];
  label: string;
  testId?: string;
}) {
  const isTrack = value.startsWith('track:');
  return (
    <span className="event-picker">
      <select
        aria-label={label}
        value={isTrack ? 'track:' : value}
        onChange={(e) => onChange(e.target.value === 'track:' ? 'track:' + (isTrack ? value.slice(6) : '') : e.target.value)}
        data-testid={testId}
      >
        {defs.length > 0 && (
          <optgroup label="Definitions">
            {defs.map((d) => (
              <option key={d.id} value={`def:${d.id}`}>
                {d.name}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Raw events">
          {RAW_TYPES.map((t) => (
            <option key={t} value={`type:${t}`}>
              Any {t.replace('_', ' ')}
            </option>
          ))}
          <option value="track:">track() name…</option>
        </optgroup>
      </select>
      {isTrack && (
        <input
          type="text"
          aria-label={`${label}: track() event name`}
          placeholder="event name"
          value={value.slice(6)}
          onChange={(e) => onChange('track:' + e.target.value)}
          data-testid={testId ? `${testId}-name` : undefined}
        />
      )}
    </span>
  );
}
