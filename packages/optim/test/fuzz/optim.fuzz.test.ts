/**
 * The adversarial fuzz suite for @memograd/optim (issue 8). Harness: packages/autograd/test/fuzz.
 */
import * as optim from '@memograd/optim';
import * as optimNode from '@memograd/optim/node';
import { publicSurface } from '../../../autograd/test/fuzz/coverage.ts';
import { classesOf, describeFuzzSuite } from '../../../autograd/test/fuzz/suite.ts';
import { ENTRIES } from './entries.ts';

/** Public things that need no entry of their own. */
export const EXCLUDED: Record<string, string> = {
  'Optimizer#resolveGroup': 'private',
  'Optimizer#checkDisjoint': 'private',
  'ReduceLROnPlateau#reduceLr': 'private',
};

// Methods a subclass inherits are covered through Optimizer#…; own members must have entries.
describeFuzzSuite({
  pkg: 'optim',
  coverageTitle: 'covers every export and every public method of the exported classes',
  // the main entry and the Node-only subpath (@memograd/optim/node: everything that writes files)
  surface: () => [
    ...publicSurface('optim', optim as unknown as Record<string, unknown>, classesOf(optim as unknown as Record<string, unknown>)),
    ...publicSurface('optim/node', optimNode as unknown as Record<string, unknown>, classesOf(optimNode as unknown as Record<string, unknown>)),
  ],
  entries: ENTRIES,
  excluded: EXCLUDED,
  entriesUrl: new URL('./entries.ts', import.meta.url),
});
