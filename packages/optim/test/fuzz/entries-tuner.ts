import type { FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

export const TUNER_ENTRIES: FuzzEntry[] = [];
