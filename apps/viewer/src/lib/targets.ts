// What an insight counts, as a short key that fits in the query string: a saved definition
// (`def:<id>`), a raw auto-captured event type (`type:click`) or a track() name (`track:Signed up`).
import type { Definition, Rule } from '@hindsight/schema';
import type { InsightTarget } from '../api';

export const RAW_TYPES = ['pageview', 'click', 'submit', 'change', 'error', 'rage_click', 'dead_click', 'identify'] as const;

export function targetOf(key: string): InsightTarget | null {
  const i = key.indexOf(':');
  if (i < 0) return null;
  const kind = key.slice(0, i);
  const value = key.slice(i + 1);
  if (!value) return null;
  if (kind === 'def') return { definitionId: value };
  if (kind === 'type' && (RAW_TYPES as readonly string[]).includes(value)) return { rules: [{ event: value } as Rule] };
  if (kind === 'track') return { rules: [{ event: 'custom', name: value } as Rule] };
  return null;
}

export function labelOf(key: string, defs: Definition[] | undefined): string {
  const i = key.indexOf(':');
  const kind = key.slice(0, i);
  const value = key.slice(i + 1);
  if (kind === 'def') return defs?.find((d) => d.id === value)?.name ?? 'Deleted definition';
  if (kind === 'type') return `Any ${value.replace('_', ' ')}`;
  if (kind === 'track') return `track("${value}")`;
  return key;
}

/** the first definition, else page views: something sensible to show before the user picks */
export function defaultKey(defs: Definition[] | undefined, nth = 0): string {
  const d = defs?.[nth] ?? defs?.[0];
  return d ? `def:${d.id}` : 'type:pageview';
}
