// GET|PUT /api/settings: project settings (today the naming convention of the tracking plan).
// Stored in the Store, not a local file: several servers may share one ClickHouse.
import { Hono } from 'hono';
import type { Store } from '@hindsight/store';
import { DEFAULT_PROJECT_SETTINGS, NAMING_CONVENTIONS, type NamingConvention, type ProjectSettings } from '@hindsight/schema';
import { settingsBody } from './schemas.js';
import { json, readJson } from '../http/json.js';

/** Stored string values → typed settings; a value this version does not know falls back to the default. */
export async function loadSettings(store: Store, projectId: string): Promise<ProjectSettings> {
  const raw = await store.getSettings(projectId);
  const naming = raw.namingConvention as NamingConvention | undefined;
  return {
    namingConvention: naming && NAMING_CONVENTIONS.includes(naming) ? naming : DEFAULT_PROJECT_SETTINGS.namingConvention,
  };
}

export function settingsRoutes(store: Store, projectId: string) {
  const r = new Hono();
  r.get('/settings', async () => json(await loadSettings(store, projectId)));
  r.put('/settings', async (c) => {
    const input = await readJson(c.req.raw, settingsBody);
    const values: Record<string, string> = {};
    if (input.namingConvention !== undefined) values.namingConvention = input.namingConvention;
    await store.putSettings(projectId, values);
    return json(await loadSettings(store, projectId));
  });
  return r;
}
