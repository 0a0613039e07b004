/**
 * The adversarial fuzz suite for @memograd/nn (issue 8). Harness: packages/autograd/test/fuzz.
 */
import { describe, expect, it } from 'vitest';
import * as nn from '@memograd/nn';
import * as nnNode from '@memograd/nn/node';
import { publicSurface, uncovered } from '../../../autograd/test/fuzz/coverage.ts';
import { runFuzz, summarize } from '../../../autograd/test/fuzz/runner.ts';
import { ENTRIES } from './entries.ts';

const CLASSES = Object.fromEntries(
  Object.entries(nn).filter(([, v]) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v))),
);

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
};

describe('nn fuzz', () => {
  it('covers every export and every public method of the exported classes', () => {
    expect.hasAssertions();
    // The main entry and the Node-only subpath (@memograd/nn/node: the file helpers).
    const surface = [
      ...publicSurface('nn', nn as unknown as Record<string, unknown>, CLASSES),
      ...publicSurface('nn/node', nnNode as unknown as Record<string, unknown>),
    ];
    expect(surface).toContain('nn/node:saveWeightsFile');
    expect(surface).not.toContain('nn:saveWeightsFile');
    // Methods a subclass inherits are covered through Module#…; own members must have entries.
    expect(uncovered(surface, ENTRIES, EXCLUDED)).toEqual([]);
    expect(new Set(ENTRIES.map((e) => e.name)).size).toBe(ENTRIES.length);
  });

  it('every call returns a confirmed result or throws a typed, named error; no hang, crash or state change', async () => {
    expect.hasAssertions();
    const report = await runFuzz('nn', new URL('./entries.ts', import.meta.url));
    console.log(summarize(report));
    expect(report.tried).toBeGreaterThan(0);
    expect(report.unexpected).toEqual([]);
  }, 300_000);
});
