/**
 * TEMPORARY: failures of the current library that the fuzz suite found (see /work/fuzz-findings.md,
 * issue 8). A bad case matching one of these is reported separately instead of failing the suite.
 * Each entry is narrow (entry name + kind + error pattern, and an argument pattern where needed) so
 * that a new kind of failure still fails. The plan is to EMPTY THIS LIST once the fixes land;
 * the suite prints entries that no longer match anything, so they can be deleted as fixes arrive.
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
