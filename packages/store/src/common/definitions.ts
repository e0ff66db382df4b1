import type { Definition, DefinitionInput, Rule } from '@hindsight/schema';
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
    rules: JSON.stringify(input.rules),
    deleted,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

export function rowToDefinition(r: Record<string, unknown>): Definition {
  return {
    id: String(r.id),
    version: Number(r.version),
    name: String(r.name),
    description: String(r.description),
    category: String(r.category),
    rules: JSON.parse(String(r.rules)) as Rule[],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** Date.now(), but never earlier than a previous timestamp (clocks can step back). */
export function nowAfter(prev: number): number {
  return Math.max(Date.now(), prev);
}
