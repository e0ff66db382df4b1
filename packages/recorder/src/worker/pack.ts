// Replay chunks travel without their implied node ids (@hindsight/schema node-ids.ts: a full
// snapshot ~3.7× less gzip, mutations ~30 % less). Done here in the worker, before the outbox
// stores the chunk, so the page's main thread pays nothing for it and the outbox holds the
// smaller text too.
import { packChunk, type ReplayChunk } from '@hindsight/schema';
import type { Rec } from './outbox';

export function packRec(r: Rec): Rec {
  // only chunks with a full snapshot (rrweb puts initialOffset into its data) or added/removed nodes
  if (r.k !== 'c' || !(r.j.includes('"initialOffset"') || r.j.includes('"adds":[{') || r.j.includes('"removes":[{'))) return r;
  try {
    const chunk = JSON.parse(r.j) as ReplayChunk;
    if (!Array.isArray(chunk.events)) return r;
    packChunk(chunk);
    return { ...r, j: JSON.stringify(chunk) };
  } catch {
    return r; // sent as it is: complete ids are always valid
  }
}
