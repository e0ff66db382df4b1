import type { Definition, DefinitionInput, PropertySpec, Rule } from '@hindsight/schema';
import { StoreError } from '../types.js';

/** Row of the definitions table (one per version; `deleted` rows are tombstones). */
export interface DefinitionRow {
  id: string;
  version: number;
  name: string;
  description: string;
  category: string;
  rules: string;
  deleted: boolean;
  created_at: number;
  updated_at: number;
}

export function checkDefinitionInput(input: DefinitionInput): void {
  if (!input || typeof input.name !== 'string' || input.name.trim() === '') {
    throw new StoreError('bad_input', 'definition name is required');
  }
  if (!Array.isArray(input.rules)) throw new StoreError('bad_input', 'definition rules must be an array');
}

export function definitionRow(
  id: string,
  version: number,
  input: DefinitionInput,
  createdAt: number,
  updatedAt: number,
  deleted = false,
): DefinitionRow {
  return {
    id,
    version,
    name: input.name,
    description: input.description ?? '',
    category: input.category ?? 'other',
    // properties ride in the rules column, so no migration: a plain array stays readable as before
    rules: JSON.stringify(input.properties?.length ? { rules: input.rules, properties: input.properties } : input.rules),
    deleted,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

export function rowToDefinition(row: DefinitionRow | Record<string, unknown>): Definition {
  const r = row as Record<string, unknown>;
  return {
    id: String(r.id),
    version: Number(r.version),
    name: String(r.name),
    description: String(r.description),
    category: String(r.category),
    ...rulesColumn(String(r.rules)),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The rules column: a rules array, or `{ rules, properties }` when the definition extracts properties. */
function rulesColumn(text: string): { rules: Rule[]; properties?: PropertySpec[] } {
  const v = JSON.parse(text) as Rule[] | { rules: Rule[]; properties?: PropertySpec[] };
  if (Array.isArray(v)) return { rules: v };
  return v.properties?.length ? { rules: v.rules, properties: v.properties } : { rules: v.rules };
}

/** Date.now(), but never earlier than a previous timestamp (clocks can step back). */
export function nowAfter(prev: number): number {
  return Math.max(Date.now(), prev);
}

/** What a store provides so DefinitionLog can keep versioned definitions in it. */
export interface DefinitionRows {
  /** rows of one definition (or all when id is null), ascending by (id, version), one per version */
  read(projectId: string, id: string | null): Promise<DefinitionRow[]>;
  append(projectId: string, row: DefinitionRow): Promise<void>;
  /** runs read-then-append sequences one at a time where the store can (DuckDB); may just call fn */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Definitions as an append-only version log, identical for every store: an update appends
 * version n+1 (createdAt kept), a delete appends a tombstone, reads take the latest version.
 */
export class DefinitionLog {
  constructor(private readonly rows: DefinitionRows) {}

  private async latest(projectId: string, id: string): Promise<DefinitionRow | null> {
    const all = await this.rows.read(projectId, id);
    return all[all.length - 1] ?? null;
  }

  async create(projectId: string, input: DefinitionInput, id: string): Promise<Definition> {
    checkDefinitionInput(input);
    const now = Date.now();
    const row = definitionRow(id, 1, input, now, now);
    await this.rows.append(projectId, row);
    return rowToDefinition(row);
  }

  async update(projectId: string, id: string, input: DefinitionInput): Promise<Definition | null> {
    checkDefinitionInput(input);
    return this.rows.exclusive(async () => {
      const cur = await this.latest(projectId, id);
      if (!cur || cur.deleted) return null;
      const row = definitionRow(id, cur.version + 1, input, cur.created_at, nowAfter(cur.updated_at));
      await this.rows.append(projectId, row);
      return rowToDefinition(row);
    });
  }

  delete(projectId: string, id: string): Promise<boolean> {
    return this.rows.exclusive(async () => {
      const cur = await this.latest(projectId, id);
      if (!cur || cur.deleted) return false;
      await this.rows.append(projectId, { ...cur, version: cur.version + 1, deleted: true, updated_at: nowAfter(cur.updated_at) });
      return true;
    });
  }

  async get(projectId: string, id: string): Promise<Definition | null> {
    const cur = await this.latest(projectId, id);
    return cur && !cur.deleted ? rowToDefinition(cur) : null;
  }

  /** latest version of every non-deleted definition, oldest first */
  async list(projectId: string): Promise<Definition[]> {
    const latest = new Map<string, DefinitionRow>();
    for (const r of await this.rows.read(projectId, null)) latest.set(r.id, r); // ascending versions
    return [...latest.values()]
      .filter((r) => !r.deleted)
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(rowToDefinition);
  }

  /** every version (tombstones excluded), history stays readable after a delete */
  async versions(projectId: string, id: string): Promise<Definition[]> {
    return (await this.rows.read(projectId, id)).filter((r) => !r.deleted).map(rowToDefinition);
  }
}

/** row as read back from either store (numbers may arrive as bigint or string) → DefinitionRow */
export function toDefinitionRow(r: Record<string, unknown>): DefinitionRow {
  return {
    id: String(r.id),
    version: Number(r.version),
    name: String(r.name),
    description: String(r.description),
    category: String(r.category),
    rules: String(r.rules),
    deleted: r.deleted === true || Number(r.deleted) === 1,
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}
