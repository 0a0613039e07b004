import type { FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

export const TENSORBOARD_ENTRIES: FuzzEntry[] = [];
