/**
 * Failures the suite tolerates while their fixes are in progress: EMPTY, and it should stay empty.
 * It held the ~460 classes the suite found when it was written (issue 8); all were fixed. Should a
 * failure ever need to wait for its fix, add a narrow entry (entry name + kind + error pattern, and
 * an argument pattern where needed) so that any other failure still fails the suite; the suite
 * prints entries that no longer match anything, so they are deleted as fixes arrive.
 */
import type { BadKind } from './harness.ts';

export interface KnownFailure {
  /** A short id, e.g. 'F12', matching the findings file. */
  id: string;
  pkg: 'autograd' | 'nn' | 'optim';
  /** The fuzz entry name, or a pattern over entry names. */
  entry: string | RegExp;
  kind: BadKind;
  /** A pattern over the error text (`ErrorClass: message`) or the problem found. */
  error?: RegExp;
  /** A pattern over the rendered arguments. */
  args?: RegExp;
}

// Generated from the seeded CI run by tools/gen-known.mjs (ids are per group; see /work/fuzz-findings.md).
export const KNOWN_FAILURES: readonly KnownFailure[] = [];
