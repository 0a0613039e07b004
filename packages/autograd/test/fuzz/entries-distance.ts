/**
 * Fuzz entries for the distance ops: each public function and Tensor method of the family (the registry
 * entries are fuzzed by entries.ts through their `call`). Called from entries.ts's ENTRIES, so the
 * helpers imported from it are initialised by then.
 */
import type { FuzzEntry } from './harness.ts';

export function distanceEntries(): FuzzEntry[] {
  return [];
}
