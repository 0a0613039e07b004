import type { FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

export const PLOT_ENTRIES: FuzzEntry[] = [];
