import { expect } from 'vitest';
import { MemogradError } from '../../src/index.ts';

/** Runs fn and returns what it threw; fails the test when it does not throw. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}

/**
 * Runs fn and returns the MemogradError it threw; fails the test when it does not throw, or throws
 * anything else (a raw TypeError, say).
 */
export function expectMemogradError(fn: () => unknown): MemogradError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'it must throw').toBeDefined();
  expect(err, String(err)).toBeInstanceOf(MemogradError);
  return err as MemogradError;
}
