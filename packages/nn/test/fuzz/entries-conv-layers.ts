/**
 * Fuzz entries for the conv-layers of @memograd/nn: each exported class (constructor, forward, own
 * members) and function. Called from entries.ts's ENTRIES, so the helpers imported from it are
 * initialised by then.
 */
import type { FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

export function convLayerEntries(): FuzzEntry[] {
  return [];
}
