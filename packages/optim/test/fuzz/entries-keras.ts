import type { FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

export const KERAS_ENTRIES: FuzzEntry[] = [];
