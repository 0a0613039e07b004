// Shared by the quick timing scripts in this folder (not part of the package).

/** Runs f `warmups` times, then `reps` timed times; returns the times in ms, sorted (ts[0] is the minimum). */
export function sortedTimes(f: () => unknown, reps: number, warmups: number): number[] {
  for (let i = 0; i < warmups; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b);
}
