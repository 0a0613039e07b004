/**
 * The two tests of each package's fuzz suite: every public export and method has an entry, and the
 * seeded run finds no bad case. Each package's *.fuzz.test.ts supplies its surface and entries.
 */
import { describe, expect, it } from 'vitest';
import { uncovered } from './coverage.ts';
import type { FuzzEntry } from './harness.ts';
import { runFuzz, summarize } from './runner.ts';

export interface FuzzSuite {
  /** The package label ('autograd', 'nn', 'optim'): names the report and the worker's entries. */
  pkg: string;
  /** The title of the coverage test. */
  coverageTitle: string;
  /** Every public thing that needs an entry (see coverage.ts `publicSurface`). */
  surface: () => string[];
  /** Extra assertions on the surface (e.g. that a subpath is listed). */
  checkSurface?: (surface: readonly string[]) => void;
  entries: readonly FuzzEntry[];
  /** Public things that need no entry of their own, with the reason. */
  excluded: Record<string, string>;
  /** The entries module, loaded again by the worker. */
  entriesUrl: URL;
}

export function describeFuzzSuite(s: FuzzSuite): void {
  describe(`${s.pkg} fuzz`, () => {
    it(s.coverageTitle, () => {
      expect.hasAssertions();
      const surface = s.surface();
      s.checkSurface?.(surface);
      expect(uncovered(surface, s.entries, s.excluded)).toEqual([]);
      expect(new Set(s.entries.map((e) => e.name)).size).toBe(s.entries.length);
    });

    it('every call returns a confirmed result or throws a typed, named error; no hang, crash or state change', async () => {
      expect.hasAssertions();
      const report = await runFuzz(s.pkg, s.entriesUrl);
      console.log(summarize(report));
      expect(report.tried).toBeGreaterThan(0);
      expect(report.unexpected).toEqual([]);
    }, 300_000);
  });
}

/** The classes a module exports (their public methods are part of its surface). */
export function classesOf(mod: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(mod).filter(([, v]) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v))),
  );
}
