/**
 * The adversarial fuzz suite for @memograd/nn (issue 8). Harness: packages/autograd/test/fuzz.
 */
import { expect } from 'vitest';
import * as nn from '@memograd/nn';
import * as nnNode from '@memograd/nn/node';
import { publicSurface } from '../../../autograd/test/fuzz/coverage.ts';
import { classesOf, describeFuzzSuite } from '../../../autograd/test/fuzz/suite.ts';
import { ENTRIES } from './entries.ts';

/** Public things that need no entry of their own. */
export const EXCLUDED: Record<string, string> = {
  'Module#_internal': 'private',
  'Module#checkName': 'private',
  'BatchNorm1d#updateRunningStats': 'private',
  'ModuleDict#setAll': 'private',
  'ModuleDict#checkEntry': 'private',
  'ModuleList#addAll': 'private',
  'ModuleList#slot': 'private',
  'ModuleList#put': 'private',
  'nn:SERIALIZABLE_LAYERS': 'a frozen array of class names, nothing to call',
};

// Methods a subclass inherits are covered through Module#…; own members must have entries.
describeFuzzSuite({
  pkg: 'nn',
  coverageTitle: 'covers every export and every public method of the exported classes',
  // the main entry and the Node-only subpath (@memograd/nn/node: the file helpers)
  surface: () => [
    ...publicSurface('nn', nn as unknown as Record<string, unknown>, classesOf(nn as unknown as Record<string, unknown>)),
    ...publicSurface('nn/node', nnNode as unknown as Record<string, unknown>),
  ],
  checkSurface: (surface) => {
    expect(surface).toContain('nn/node:saveWeightsFile');
    expect(surface).not.toContain('nn:saveWeightsFile');
  },
  entries: ENTRIES,
  excluded: EXCLUDED,
  entriesUrl: new URL('./entries.ts', import.meta.url),
});
