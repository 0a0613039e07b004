/**
 * The adversarial fuzz suite for @memograd/optim (issue 8). Harness: packages/autograd/test/fuzz.
 */
import { describe, expect, it } from 'vitest';
import * as optim from '@memograd/optim';
import { publicSurface, uncovered } from '../../../autograd/test/fuzz/coverage.ts';
import { runFuzz, summarize } from '../../../autograd/test/fuzz/runner.ts';
import { ENTRIES } from './entries.ts';

const CLASSES = Object.fromEntries(
  Object.entries(optim).filter(([, v]) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v))),
);

/** Public things that need no entry of their own. */
export const EXCLUDED: Record<string, string> = {
  'Optimizer#resolveGroup': 'private',
  'Optimizer#checkDisjoint': 'private',
  'ReduceLROnPlateau#reduceLr': 'private',
};

describe('optim fuzz', () => {
  it('covers every export and every public method of the exported classes', () => {
    expect.hasAssertions();
    const surface = publicSurface('optim', optim as unknown as Record<string, unknown>, CLASSES);
    // Methods a subclass inherits are covered through Module#…; own members must have entries.
    expect(uncovered(surface, ENTRIES, EXCLUDED)).toEqual([]);
    expect(new Set(ENTRIES.map((e) => e.name)).size).toBe(ENTRIES.length);
  });

  it('every call returns a confirmed result or throws a typed, named error; no hang, crash or state change', async () => {
    expect.hasAssertions();
    const report = await runFuzz('optim', new URL('./entries.ts', import.meta.url));
    console.log(summarize(report));
    expect(report.tried).toBeGreaterThan(0);
    expect(report.unexpected).toEqual([]);
  }, 300_000);
});
