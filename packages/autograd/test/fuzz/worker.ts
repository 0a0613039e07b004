/**
 * The fuzz worker: loads an entries module (workerData.entriesModule, exporting ENTRIES and
 * optionally resetGlobals), runs the calls the main thread asks for, and reports counts and bad
 * cases in batches. Before each call it writes (entry, run, heartbeat) to the shared progress array,
 * so that the main thread can name the call that hung or crashed the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WrongResult, changed, drawCase, judgeError, judgeResult, renderArgs, snapshot, type BadCase, type Case, type FuzzEntry } from './harness.ts';

interface Data {
  entriesModule: string;
  seed: number;
  runs: number;
  shared: SharedArrayBuffer;
}
export interface EntryCounts {
  tried: number;
  typed: number;
  confirmed: number;
  userErrors: number;
}
export type WorkerMessage =
  | { type: 'ready'; names: string[]; runs: number[] }
  | { type: 'batch'; entry: number; nextRun: number; counts: EntryCounts; bad: BadCase[] }
  | { type: 'described'; text: string }
  | { type: 'done' };
export type MainMessage =
  | { type: 'run'; entry: number; run: number; skip: string[] }
  | { type: 'describe'; entry: number; run: number };

const data = workerData as Data;
const mod = (await import(data.entriesModule)) as { ENTRIES: (FuzzEntry & { runs?: number })[]; resetGlobals?: () => void };
const entries = mod.ENTRIES;
const progress = new Int32Array(data.shared);
const port = parentPort!;
const runsOf = (e: FuzzEntry & { runs?: number }) => Math.max(1, Math.round(data.runs * (e.runs ?? 1)));

const post = (m: WorkerMessage) => port.postMessage(m);

async function runFrom(startEntry: number, startRun: number, skip: Set<string>): Promise<void> {
  for (let ei = startEntry; ei < entries.length; ei++) {
    const entry = entries[ei]!;
    const n = runsOf(entry);
    let counts: EntryCounts = { tried: 0, typed: 0, confirmed: 0, userErrors: 0 };
    let bad: BadCase[] = [];
    const t0 = performance.now();
    for (let r = ei === startEntry ? startRun : 0; r < n; r++) {
      if (skip.has(`${ei}:${r}`)) continue;
      progress[0] = ei;
      progress[1] = r;
      Atomics.add(progress, 2, 1);
      let c: Case;
      try {
        c = drawCase(entry, data.seed, r);
      } catch (e) {
        bad.push({ entry: entry.name, run: r, kind: 'wrong', error: `HARNESS: the argument generator threw ${describeErr(e)}`, args: '' });
        continue;
      }
      let argText: string | null = null;
      const text = () => (argText ??= renderArgs(c));
      const snaps = entry.noSnapshot ? [] : snapshot([...c.args, ...(c.keep ?? [])]);
      counts.tried++;
      let result: unknown;
      let threw = false;
      let err: unknown;
      try {
        result = entry.call(...c.args);
        if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') result = await result;
      } catch (e) {
        threw = true;
        err = e;
      }
      try {
        mod.resetGlobals?.();
      } catch {
        // ignore
      }
      if (threw) {
        const j = judgeError(err, entry, c, text());
        // a post-call check (WrongResult) ran after a successful call: its state changes are legitimate
        const ch = err instanceof WrongResult ? null : changed(snaps);
        if (j) bad.push({ entry: entry.name, run: r, kind: j.kind, error: j.error, args: text() });
        if (ch) bad.push({ entry: entry.name, run: r, kind: 'state', error: `${describeErr(err)} — ${ch}`, args: text() });
        if (!j && !ch) {
          if ((err as Error)?.name === 'FuzzUserError') counts.userErrors++;
          else counts.typed++;
        }
      } else {
        let problem: string | null;
        try {
          problem = judgeResult(result, entry, c);
        } catch (e) {
          problem = `the oracle could not inspect the result: ${describeErr(e)}`;
        }
        if (problem) bad.push({ entry: entry.name, run: r, kind: 'wrong', error: problem, args: text() });
        else counts.confirmed++;
      }
      if (counts.tried >= 200) {
        post({ type: 'batch', entry: ei, nextRun: r + 1, counts, bad });
        counts = { tried: 0, typed: 0, confirmed: 0, userErrors: 0 };
        bad = [];
      }
    }
    if (process.env.MEMOGRAD_FUZZ_DEBUG) process.stderr.write(`entry ${ei} ${entry.name}: ${(performance.now() - t0).toFixed(0)} ms\n`);
    post({ type: 'batch', entry: ei + 1, nextRun: 0, counts, bad });
  }
  post({ type: 'done' });
}

function describeErr(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

port.on('message', (m: MainMessage) => {
  if (m.type === 'describe') {
    let text: string;
    try {
      text = renderArgs(drawCase(entries[m.entry]!, data.seed, m.run));
    } catch (e) {
      text = `<could not regenerate: ${describeErr(e)}>`;
    }
    post({ type: 'described', text });
  } else {
    void runFrom(m.entry, m.run, new Set(m.skip));
  }
});
post({ type: 'ready', names: entries.map((e) => e.name), runs: entries.map(runsOf) });
