/**
 * The adversarial fuzz suite for @memograd/autograd (issue 8): every export and Tensor method,
 * called with valid arguments and garbage, in a worker under a per-call watchdog and a heap limit.
 * MEMOGRAD_FUZZ_SEED, MEMOGRAD_FUZZ_RUNS, MEMOGRAD_FUZZ_CALL_MS tune it (see runner.ts).
 */
import * as autograd from '@memograd/autograd';
import { ALL_OPS } from '@memograd/autograd';
import { publicSurface } from './coverage.ts';
import { ENTRIES } from './entries.ts';
import { describeFuzzSuite } from './suite.ts';

/** Public things that are not functions to call, or are reached through another entry. */
export const EXCLUDED: Record<string, string> = {
  'autograd:ALL_OPS': 'a constant: each op is fuzzed through its `call` (registry.* entries)',
  'autograd:PRIMITIVES': 'a constant: the primitives are the first ALL_OPS entries',
  'autograd:COMPOSITES': 'a constant: the composites are the last ALL_OPS entries',
  'autograd:MemogradError': 'an error class: the oracle itself',
  'autograd:ShapeError': 'an error class',
  'autograd:DTypeError': 'an error class',
  'autograd:ArgumentError': 'an error class',
  'autograd:GraphError': 'an error class',
  'autograd:AnomalyError': 'an error class',
  'autograd:GradcheckError': 'an error class',
  'Tensor#materialize': 'private (TypeScript `private`), not public API',
  'Generator#reseed': 'private (TypeScript `private`), not public API: reached through the constructor and manualSeed',
  'autograd:MAX_ELEMENTS': 'a constant (the element limit; every creation entry hits it with huge sizes)',
  'autograd:MAX_RANK': 'a constant (the rank limit; shapes of 65 axes are among the garbage shapes)',
};

describeFuzzSuite({
  pkg: 'autograd',
  coverageTitle: 'covers every export, every Tensor member and every registry op',
  surface: () => [
    ...publicSurface('autograd', autograd as unknown as Record<string, unknown>, { Tensor: autograd.Tensor, Generator: autograd.Generator }),
    ...ALL_OPS.filter((op) => op.test !== null).map((op) => `registry:${op.name}`),
  ],
  entries: ENTRIES,
  excluded: EXCLUDED,
  entriesUrl: new URL('./entries.ts', import.meta.url),
});
