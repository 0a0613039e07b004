/**
 * The main-thread half of the fuzz harness: runs an entries module in a worker_threads Worker with
 * a memory limit and a per-call watchdog, restarts the worker after a hang or crash (recording the
 * call that caused it, regenerated from its seed), and sums up the counts. Bad cases that match
 * KNOWN_FAILURES are reported separately; any other bad case fails the suite.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BadCase, BadKind } from './harness.ts';
import { KNOWN_FAILURES, type KnownFailure } from './known-failures.ts';
import type { EntryCounts, MainMessage, WorkerMessage } from './worker.ts';

export const FUZZ_SEED = Number(process.env.MEMOGRAD_FUZZ_SEED ?? 20260807);
/** Runs per entry (entries may scale it); MEMOGRAD_FUZZ_RUNS=… for deeper runs. */
export const FUZZ_RUNS = Number(process.env.MEMOGRAD_FUZZ_RUNS ?? 40);
/** Per-call budget before a call counts as a hang. */
export const FUZZ_CALL_MS = Number(process.env.MEMOGRAD_FUZZ_CALL_MS ?? 2000);
/** The worker's heap limit: a runaway allocation kills the worker, not the test process. */
export const FUZZ_HEAP_MB = Number(process.env.MEMOGRAD_FUZZ_HEAP_MB ?? 384);

export const BAD_KINDS: readonly BadKind[] = ['raw', 'message', 'wrong', 'state', 'hang', 'crash'];

export interface FuzzReport {
  label: string;
  seed: number;
  runs: number;
  entries: number;
  tried: number;
  typed: number;
  confirmed: number;
  userErrors: number;
  /** Bad cases by kind, known failures included. */
  bad: Record<BadKind, number>;
  /** Of those, the ones matched by KNOWN_FAILURES. */
  known: Record<BadKind, number>;
  /** Bad cases that no known failure matches: the suite fails on any. */
  unexpected: BadCase[];
  knownCases: (BadCase & { known: string })[];
  /** Known failures that matched nothing (stale entries, to remove). */
  unusedKnown: string[];
  workerRestarts: number;
  ms: number;
  file: string;
}

export function knownFor(b: BadCase, list: readonly KnownFailure[] = KNOWN_FAILURES): KnownFailure | undefined {
  return list.find(
    (k) =>
      k.kind === b.kind &&
      (typeof k.entry === 'string' ? k.entry === b.entry : k.entry.test(b.entry)) &&
      (k.error === undefined || k.error.test(b.error)) &&
      (k.args === undefined || k.args.test(b.args)),
  );
}

const BOOT = new URL('./boot.mjs', import.meta.url);
const WORKER = new URL('./worker.ts', import.meta.url).href;

export async function runFuzz(label: string, entriesModule: URL): Promise<FuzzReport> {
  const t0 = Date.now();
  const shared = new SharedArrayBuffer(16);
  const progress = new Int32Array(shared);
  const workerData = { module: WORKER, entriesModule: entriesModule.href, seed: FUZZ_SEED, runs: FUZZ_RUNS, shared };
  const start = () =>
    new Worker(BOOT, {
      workerData,
      execArgv: ['--conditions=source'],
      resourceLimits: { maxOldGenerationSizeMb: FUZZ_HEAP_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true, // library output (fit's progress bars) is not the test's
      stderr: !process.env.MEMOGRAD_FUZZ_DEBUG,
    });
  const totals: EntryCounts = { tried: 0, typed: 0, confirmed: 0, userErrors: 0 };
  const badCases: BadCase[] = [];
  let names: string[] = [];
  let restarts = 0;
  const skip: string[] = [];
  let resume = { entry: 0, run: 0 };

  const drain = (w: Worker) => {
    w.stdout.resume();
    w.stderr?.resume();
  };

  let spare: Worker | null = null;
  for (;;) {
    const w = spare ?? start();
    const alreadyReady = spare !== null; // a spare has answered `describe`, so it is loaded
    if (spare === null) drain(w);
    spare = null;
    const outcome = await new Promise<{ kind: 'done' } | { kind: 'hang' | 'crash' | 'fatal'; entry: number; run: number; why: string }>((resolve) => {
      let lastBeat = -1;
      let lastChange = Date.now();
      let running = false;
      const timer = setInterval(() => {
        if (!running) return;
        const beat = Atomics.load(progress, 2);
        if (beat !== lastBeat) {
          lastBeat = beat;
          lastChange = Date.now();
        } else if (Date.now() - lastChange > FUZZ_CALL_MS) {
          finish({ kind: 'hang', entry: progress[0]!, run: progress[1]!, why: `no return within ${FUZZ_CALL_MS} ms` });
        }
      }, 25);
      const finish = (o: Parameters<typeof resolve>[0]) => {
        clearInterval(timer);
        w.removeAllListeners();
        w.on('error', () => {});
        resolve(o);
      };
      const go = () => {
        running = true;
        lastChange = Date.now();
        lastBeat = Atomics.load(progress, 2);
        w.postMessage({ type: 'run', entry: resume.entry, run: resume.run, skip } satisfies MainMessage);
      };
      if (alreadyReady) go();
      w.on('message', (m: WorkerMessage) => {
        if (process.env.MEMOGRAD_FUZZ_DEBUG) console.error('fuzz worker:', m.type, m.type === 'batch' ? m.entry : '');
        if (m.type === 'ready') {
          names = m.names;
          go();
        } else if (m.type === 'batch') {
          totals.tried += m.counts.tried;
          totals.typed += m.counts.typed;
          totals.confirmed += m.counts.confirmed;
          totals.userErrors += m.counts.userErrors;
          badCases.push(...m.bad);
          resume = { entry: m.entry, run: m.nextRun };
        } else if (m.type === 'done') {
          finish({ kind: 'done' });
        }
      });
      w.on('error', (e: Error & { code?: string }) => {
        if (!running) {
          finish({ kind: 'fatal', entry: -1, run: -1, why: String(e) });
          return;
        }
        finish({ kind: 'crash', entry: progress[0]!, run: progress[1]!, why: `worker died: ${e.code ?? e.name}: ${e.message}` });
      });
      w.on('exit', (code) => {
        finish({ kind: 'crash', entry: progress[0]!, run: progress[1]!, why: `worker exited with code ${code}` });
      });
    });
    if (process.env.MEMOGRAD_FUZZ_DEBUG) console.error('fuzz outcome:', outcome);
    if (outcome.kind === 'done') {
      await w.terminate();
      break;
    }
    await w.terminate();
    if (outcome.kind === 'fatal') throw new Error(`fuzz: the worker failed before it was ready: ${outcome.why}`);
    restarts++;
    if (restarts > 200) throw new Error('fuzz: more than 200 worker restarts; giving up');
    // The next worker regenerates the offending call's arguments to describe it, then resumes after it.
    const next = start();
    drain(next);
    const text = await describe(next, outcome.entry, outcome.run);
    badCases.push({ entry: names[outcome.entry] ?? `#${outcome.entry}`, run: outcome.run, kind: outcome.kind, error: outcome.why, args: text });
    skip.push(`${outcome.entry}:${outcome.run}`);
    spare = next;
    // `resume` stays at the last reported position: the calls after it are rerun (deterministically).
  }

  const bad = Object.fromEntries(BAD_KINDS.map((k) => [k, 0])) as Record<BadKind, number>;
  const known = Object.fromEntries(BAD_KINDS.map((k) => [k, 0])) as Record<BadKind, number>;
  const unexpected: BadCase[] = [];
  const knownCases: (BadCase & { known: string })[] = [];
  const used = new Set<KnownFailure>();
  for (const b of badCases) {
    bad[b.kind]++;
    const k = knownFor(b);
    if (k) {
      known[b.kind]++;
      for (const other of KNOWN_FAILURES) if (knownFor(b, [other])) used.add(other);
      knownCases.push({ ...b, known: k.id });
    } else unexpected.push(b);
  }
  const file = join(tmpdir(), `memograd-fuzz-${label}.json`);
  const report: FuzzReport = {
    label,
    seed: FUZZ_SEED,
    runs: FUZZ_RUNS,
    entries: names.length,
    ...totals,
    bad,
    known,
    unexpected,
    knownCases,
    unusedKnown: KNOWN_FAILURES.filter((k) => k.pkg === label && !used.has(k)).map((k) => k.id),
    workerRestarts: restarts,
    ms: Date.now() - t0,
    file,
  };
  writeFileSync(file, JSON.stringify(report, null, 1));
  return report;
}

/** Waits for a fresh worker to load, then asks it to render one case (its own readiness is kept). */
function describe(w: Worker, entry: number, run: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('<description timed out>'), 30_000);
    w.once('error', (e) => resolve(`<the worker failed: ${String(e)}>`));
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'ready') {
        w.postMessage({ type: 'describe', entry, run } satisfies MainMessage);
      } else if (m.type === 'described') {
        clearTimeout(timer);
        w.off('message', onMessage);
        resolve(m.text);
      }
    };
    w.on('message', onMessage);
  });
}

/** A one-screen summary of a report, for the test's output. */
export function summarize(r: FuzzReport): string {
  const lines = [
    `fuzz[${r.label}] seed=${r.seed} (MEMOGRAD_FUZZ_SEED) runs/entry=${r.runs} (MEMOGRAD_FUZZ_RUNS) entries=${r.entries} in ${(r.ms / 1000).toFixed(1)} s, ${r.workerRestarts} worker restarts`,
    `  calls tried=${r.tried} typed errors=${r.typed} confirmed results=${r.confirmed} user errors propagated=${r.userErrors}`,
    `  bad (known/total): ${BAD_KINDS.map((k) => `${k}=${r.known[k]}/${r.bad[k]}`).join(' ')}`,
    `  unexpected bad cases: ${r.unexpected.length}; report: ${r.file}`,
  ];
  const seen = new Set<string>();
  for (const b of r.unexpected) {
    const key = `${b.entry}|${b.kind}|${b.error.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, 'N').slice(0, 120)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > 60) {
      lines.push('  … more in the report file');
      break;
    }
    lines.push(`  UNEXPECTED ${b.kind} in ${b.entry} (run ${b.run}): ${b.error.slice(0, 300)}\n      args: ${b.args.slice(0, 300)}`);
  }
  if (r.unusedKnown.length) lines.push(`  known failures that no longer occur (remove them): ${r.unusedKnown.join(', ')}`);
  return lines.join('\n');
}
