// Shared helpers for the @memograd/bench suites: CLI options, Benchmark.js runs, result table,
// deterministic random data, tfjs and jax-js loading under Node.
//
// A suite is one file `<name>.bench.ts` that default-exports `(opts: BenchOptions) => Promise<Row[]>`
// and calls `runIfMain(import.meta.url, suite)` so it can also run on its own. `run.ts` runs every
// `*.bench.ts` in this folder.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import Benchmark from 'benchmark';
import { matmulThreads, setMatmulThreadsMinWork, THREADS_MIN_WORK } from '../packages/autograd/src/kernels/matmul.ts';

export interface BenchOptions {
  /** fewer samples and smaller problems: a smoke run in seconds, numbers are rough */
  quick: boolean;
  /** raw --key=value arguments */
  args: Record<string, string | true>;
}

export function parseOptions(argv = process.argv.slice(2)): BenchOptions {
  const args: Record<string, string | true> = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) args[m[1]!] = m[2] === undefined ? true : m[2];
  }
  return { quick: args.quick === true, args };
}

/** Comma-separated numeric option with a default. */
export function numList(opts: BenchOptions, key: string, dflt: number[]): number[] {
  const v = opts.args[key];
  return typeof v === 'string' ? v.split(',').map(Number) : dflt;
}

export interface Row {
  /** group label, e.g. "matmul f32 n=512"; ratios are computed within a group */
  group: string;
  impl: string;
  /** true for our implementation: the ratio columns are ours / this row */
  ours?: boolean;
  /** threads the implementation used (default 1); one ratio column per thread count of ours */
  threads?: number;
  hz: number;
  rme: number;
  samples: number;
  /** floating point operations per call, for the GFLOP/s column (0: not applicable) */
  flop: number;
  note?: string;
}

/**
 * Time fn with Benchmark.js (synchronously). quick: ~0.3 s per case, otherwise ~2 s and at least
 * 5 samples (more time for slow cases).
 */
export function measure(
  group: string,
  impl: string,
  fn: () => void,
  flop: number,
  opts: BenchOptions,
  ours = false,
  threads = 1,
): Row {
  const bench = new Benchmark(impl, fn, {
    async: false,
    initCount: 1,
    minSamples: opts.quick ? 2 : 5,
    maxTime: opts.quick ? 0.3 : 2,
    minTime: opts.quick ? 0.02 : 0.1,
  });
  bench.run();
  if (bench.error) throw bench.error;
  const row: Row = {
    group,
    impl,
    ours,
    threads,
    hz: bench.hz,
    rme: bench.stats.rme,
    samples: bench.stats.sample.length,
    flop,
  };
  process.stderr.write(`  ${group.padEnd(24)} ${impl.padEnd(30)} ${fmt(row.hz)} ops/s ±${row.rme.toFixed(1)}%\n`);
  return row;
}

export function fmt(x: number, d = 2): string {
  if (!Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 1000) return x.toFixed(0);
  if (Math.abs(x) >= 100) return x.toFixed(1);
  return x.toFixed(d);
}

/**
 * One Markdown table for all rows: ops/s, ±rme %, GFLOP/s and how many times faster our
 * implementation of the same group is than each row ("ours / this"), one such column per thread
 * count our rows were measured with.
 */
export function table(rows: Row[]): string {
  const counts = [...new Set(rows.filter((r) => r.ours).map((r) => r.threads ?? 1))].sort((a, b) => a - b);
  const ratioCols = counts.map((t) => `ours ${t}T / this`);
  const header = ['case', 'impl', 'ops/s', '±rme %', 'GFLOP/s', ...ratioCols, 'samples'];
  const lines = ['| ' + header.join(' | ') + ' |', '|' + header.map(() => '---').join('|') + '|'];
  for (const r of rows) {
    const ratios = counts.map((t) => {
      const our = rows.find((x) => x.group === r.group && x.ours && (x.threads ?? 1) === t);
      if (!our) return '-';
      if (our === r) return '1';
      if (r.ours) return '-';
      return `${fmt(our.hz / r.hz)}x`;
    });
    const gflops = r.flop > 0 ? fmt((r.flop * r.hz) / 1e9) : '-';
    const impl = (r.ours ? `**${r.impl}**` : r.impl) + (r.note ? ` (${r.note})` : '');
    lines.push('| ' + [r.group, impl, fmt(r.hz), r.rme.toFixed(1), gflops, ...ratios, String(r.samples)].join(' | ') + ' |');
  }
  return lines.join('\n');
}

export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown cpu'} x${cpus.length}, Node ${process.version} (V8 ${process.versions.v8}), load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;
}

/**
 * |got − ref| ≤ tol · mag element-wise (mag: the same computation on absolute values, e.g. |A|·|B|
 * for a product, which bounds the rounding error of any summation order), else throw.
 */
export function agree(name: string, got: ArrayLike<number>, ref: ArrayLike<number>, mag: ArrayLike<number>, tol: number): void {
  if (got.length !== ref.length) throw new Error(`${name}: ${got.length} values, the reference has ${ref.length}`);
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i]! - ref[i]!);
    if (!(err <= tol * mag[i]! + 1e-30))
      throw new Error(`${name}: result differs from the float64 reference at ${i}: ${got[i]} vs ${ref[i]} (tolerance ${tol} · ${mag[i]})`);
  }
}

/** Deterministic uniform [-1, 1) data (mulberry32). */
export function randomArray(Ctor: Float32ArrayConstructor, n: number, seed: number): Float32Array;
export function randomArray(Ctor: Float64ArrayConstructor, n: number, seed: number): Float64Array;
export function randomArray(
  Ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  n: number,
  seed: number,
): Float32Array | Float64Array;
export function randomArray(
  Ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  n: number,
  seed: number,
): Float32Array | Float64Array {
  const out = new Ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

// ---- memograd's threads ----------------------------------------------------------------------

/**
 * The threads memograd's matmul (and everything built on it: linear, conv2d's im2col products)
 * can use: 1 + its helper threads, capped by MEMOGRAD_MATMUL_THREADS (default min(cpus, 4)). Waits
 * for the helpers to start, so that every timing sees the same setup.
 */
export function memogradThreads(): number {
  return matmulThreads(10_000);
}

/**
 * 1: every memograd matmul stays on the calling thread; otherwise the default, where products of
 * at least THREADS_MIN_WORK multiply-adds are split over all threads (smaller ones stay on one).
 */
export function useMemogradThreads(threads: number): void {
  setMatmulThreadsMinWork(threads === 1 ? Infinity : THREADS_MIN_WORK);
}

/** The thread counts a suite compares at: 1 and memograd's count (just [1] on one core). */
export function threadCounts(): number[] {
  const n = memogradThreads();
  return n > 1 ? [1, n] : [1];
}

/**
 * Time an async call (Benchmark.js cannot time them synchronously): a warm-up call, then calls
 * until the budget (4 s, 0.6 s with --quick) and 5 samples (2) have passed, at most 30; the row's
 * ops/s is `perCall` over the median time.
 */
export async function measureAsync(
  group: string,
  impl: string,
  fn: () => Promise<void>,
  perCall: number,
  flop: number,
  opts: BenchOptions,
  note?: string,
): Promise<Row> {
  await fn();
  const times: number[] = [];
  const budget = opts.quick ? 600 : 4000;
  const t0 = performance.now();
  while (times.length < (opts.quick ? 2 : 5) || (performance.now() - t0 < budget && times.length < 30)) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const med = times[times.length >> 1]!;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const sd = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, times.length - 1));
  const row: Row = {
    group,
    impl,
    hz: perCall / (med / 1000),
    rme: (100 * 1.96 * sd) / Math.sqrt(times.length) / mean,
    samples: times.length,
    flop,
    note,
  };
  process.stderr.write(`  ${group.padEnd(24)} ${impl.padEnd(30)} ${fmt(row.hz)} ops/s\n`);
  return row;
}

// ---- tfjs under Node -------------------------------------------------------------------------

export type Tf = typeof import('@tensorflow/tfjs-core');

let tfPromise: Promise<Tf> | undefined;

/**
 * Load tfjs-core with both the cpu and the wasm backend registered (the wasm backend uses its
 * SIMD binary, single-threaded: tfjs 4.22 disables wasm threads under Node). Switch with
 * `await tf.setBackend('cpu' | 'wasm')`.
 */
export function loadTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    // silence the "install tfjs-node" banner
    const origLog = console.log;
    const origWarn = console.warn;
    const quiet =
      (orig: (...a: unknown[]) => void) =>
      (...a: unknown[]) => {
        const s = String(a[0] ?? '');
        if (s.includes('tfjs-node') || s.includes('Hi there') || s.startsWith('====')) return;
        orig(...a);
      };
    console.log = quiet(origLog);
    console.warn = quiet(origWarn);
    try {
      const tf = await import('@tensorflow/tfjs-core');
      // gradients of every kernel (tf.grad, variableGrads): tfjs-core's Node bundle leaves them
      // out; tfjs-layers' Node bundle registers them all (as the perf-reference's common.mjs does)
      await import('@tensorflow/tfjs-layers');
      await import('@tensorflow/tfjs-backend-cpu');
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
      for (const b of ['wasm', 'cpu']) {
        if (!(await tf.setBackend(b))) throw new Error(`tfjs backend ${b} failed to initialise`);
      }
      await tf.ready();
      return tf;
    } finally {
      // the cpu backend prints its banner on first use, after loading: keep filtering it
      console.log = origLog;
      console.warn = quiet(origWarn);
    }
  })();
  return tfPromise;
}

// ---- jax-js under Node -----------------------------------------------------------------------

export type Jax = typeof import('@jax-js/jax');
/** a jax-js array (reference-counted: functions consume their arguments, `.ref` adds a reference) */
export type JaxArray = import('@jax-js/jax').Array;

export interface JaxEnv {
  jax: Jax;
  np: Jax['numpy'];
  /**
   * Net references held on the wasm device's buffers (allocations + incRef - decRef): a leak
   * check, flat when a benchmark neither leaks nor frees arrays it still uses. NaN when the hook
   * into jax-js' backend could not be installed (the check is then skipped).
   */
  liveRefs: () => number;
  /**
   * Take a memory mark; the function it returns throws if, since the mark, `liveRefs()` changed
   * (exact), or the heap or the external memory (which includes jax-js' WebAssembly.Memory) grew
   * by more than `slackMb` (default 64 MB: external memory moves by ~10-20 MB with garbage
   * WebAssembly instances and read-back buffers). Both are read after yielding to the event loop
   * (jax-js' grad holds tracers through WeakRefs, which V8 keeps alive until the current job
   * ends) and a `gc()` when node runs with --expose-gc.
   */
  mark: () => Promise<(what: string, slackMb?: number) => Promise<void>>;
}

let jaxPromise: Promise<JaxEnv> | undefined;

/**
 * Load jax-js 0.1.25 on its wasm device (CPU, WebAssembly; single-threaded under Node: its worker
 * pool needs a global `Worker`, which Node 20 lacks). `init()` with no argument would also try
 * WebGPU and fail on `navigator` under Node, so only 'wasm' is initialised and made the default.
 */
export function loadJax(): Promise<JaxEnv> {
  jaxPromise ??= (async () => {
    const jax = await import('@jax-js/jax');
    const got = await jax.init('wasm');
    if (!got.includes('wasm')) throw new Error('jax-js: wasm device failed to initialise');
    jax.defaultDevice('wasm');
    let live = NaN;
    try {
      // jax-js exports no buffer accounting; count the wasm backend's slot references by wrapping
      // its malloc/incRef/decRef. The backend instance comes from the bundle's internal chunk
      // (`getBackend`, exported there as `s`; the version is pinned exactly).
      const require = createRequire(import.meta.url);
      const dist = dirname(require.resolve('@jax-js/jax'));
      const chunk = readdirSync(dist).find((f) => /^backend-.*\.js$/.test(f));
      const mod = (await import(pathToFileURL(`${dist}/${chunk}`).href)) as Record<string, unknown>;
      const backend = typeof mod.s === 'function' ? (mod.s as (d: string) => Record<string, unknown>)('wasm') : undefined;
      if (backend && ['malloc', 'incRef', 'decRef'].every((m) => typeof backend[m] === 'function')) {
        live = 0;
        for (const [m, d] of [['malloc', 1], ['incRef', 1], ['decRef', -1]] as const) {
          const f = backend[m] as (...a: unknown[]) => unknown;
          backend[m] = function (this: unknown, ...a: unknown[]) {
            const r = f.apply(this, a);
            live += d;
            return r;
          };
        }
      }
    } catch {
      live = NaN;
    }
    if (Number.isNaN(live)) process.stderr.write('  jax-js: buffer accounting unavailable, leak checks use process memory only\n');
    const liveRefs = () => live;
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
    const settle = async () => {
      await new Promise((r) => setImmediate(r));
      gc();
      const m = process.memoryUsage();
      return { heap: m.heapUsed, ext: m.external };
    };
    const mark = async () => {
      const m0 = await settle();
      const refs0 = live;
      return async (what: string, slackMb = 64) => {
        if (live !== refs0 && !Number.isNaN(refs0))
          throw new Error(`jax-js ${what}: ${live - refs0} buffer references leaked (or freed early)`);
        const m1 = await settle();
        for (const k of ['heap', 'ext'] as const) {
          const grown = (m1[k] - m0[k]) / 2 ** 20;
          if (grown > slackMb) throw new Error(`jax-js ${what}: ${k === 'ext' ? 'external (wasm)' : 'heap'} memory grew by ${grown.toFixed(1)} MB`);
        }
      };
    };
    return { jax, np: jax.numpy, liveRefs, mark };
  })();
  return jaxPromise;
}

// ---- running ---------------------------------------------------------------------------------

export type Suite = (opts: BenchOptions) => Promise<Row[]>;

/** Run `suite` and print its table when the file is the entry point. */
export function runIfMain(metaUrl: string, title: string, suite: Suite): void {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(entry).href !== metaUrl) return;
  const opts = parseOptions();
  suite(opts).then(
    (rows) => printReport(title, rows, opts),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}

export function printReport(title: string, rows: Row[], opts: BenchOptions): void {
  console.log(`\n## ${title}${opts.quick ? ' (--quick: rough numbers)' : ''}\n`);
  console.log(machineLine() + '\n');
  console.log(table(rows));
}
