/**
 * Shared by the TensorBoard tests: finding and running tb-read (TensorBoard's own Python loader over a
 * log directory, ../shared/tools/tensorboard beside the repository), the dump script next to this file,
 * and reference computations written independently of src/ (NumPy's histogram, PyTorch's trimming,
 * TensorBoard's migration of histograms to [left, right, count] buckets).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

/**
 * tb-read's folder: $MEMOGRAD_TB_TOOLS, else `shared/tools/tensorboard` in the repository's parent
 * folder (where the project's clones sit beside `shared/`, here and in CI) or any folder above it.
 */
export function tbToolsDir(): string {
  const env = process.env.MEMOGRAD_TB_TOOLS;
  if (env) return env;
  for (let d = dirname(repoRoot); ; d = dirname(d)) {
    const p = join(d, 'shared', 'tools', 'tensorboard');
    if (existsSync(join(p, 'tb-read'))) return p;
    if (dirname(d) === d) break;
  }
  throw new Error(`tb-read not found: expected shared/tools/tensorboard/tb-read beside the repository (${dirname(repoRoot)}); set MEMOGRAD_TB_TOOLS to its folder`);
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'memograd-tb-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** What `tb-read --json` prints (the fields the tests read). */
export interface TbReadResult {
  exit_code: number;
  ok: boolean;
  errors: string[];
  warnings: string[];
  files: Array<{ path: string; records: number; tensorboard_records: number; file_version: string | null; problems: string[] }>;
  runs: Record<string, TbRun>;
}
/** One run of `tb-read --json`. */
export interface TbRun {
  file_version: number;
  scalars: Record<string, { dtype: string; points: Array<{ step: number; wall_time: number; value: number | string }> }>;
  histograms: Record<string, { steps: Array<{ step: number; wall_time: number; buckets: number[][]; count: number; min: number; max: number }> }>;
  images: Record<string, { steps: Array<{ step: number; wall_time: number; width: string; height: string; images: Array<{ format: string; sha256: string; base64?: string; decoded?: { width: number; height: number; mode: string } }> }> }>;
  text: Record<string, { steps: Array<{ step: number; wall_time: number; shape: number[]; values: string[] }> }>;
  other_plugins: Record<string, Record<string, number>>;
  tags_without_plugin: string[];
}

const pythonDepsOk = (): boolean =>
  spawnSync('/usr/bin/python3', ['-s', '-c', 'import google.protobuf.internal.builder, numpy, absl.flags'], { timeout: 60_000 }).status === 0;
let depsChecked = false;

/**
 * tb-read installs its Debian packages (apt-get, as root) on first use; test files run in parallel
 * workers, so the first use is serialized by a lock folder, and the others wait for it, rather than
 * racing for dpkg's lock on a fresh machine.
 */
export function ensureTbReadDeps(): void {
  if (depsChecked || pythonDepsOk()) {
    depsChecked = true;
    return;
  }
  const lock = join(tmpdir(), 'memograd-tb-read-install.lock');
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`tb-read: waited 10 min for ${lock} (remove it if no install is running)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    if (!pythonDepsOk()) spawnSync(join(tbToolsDir(), 'tb-read'), [tempDir()], { encoding: 'utf8', timeout: 600_000 });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  depsChecked = true;
}

/** Runs `tb-read --json [--strict] [--images-b64] path`: its exit status, the JSON and stderr. */
export function tbRead(path: string, flags: string[] = ['--strict']): { status: number; json: TbReadResult | null; stderr: string } {
  ensureTbReadDeps();
  const r = spawnSync(join(tbToolsDir(), 'tb-read'), ['--json', ...flags, path], { encoding: 'utf8', timeout: 240_000, maxBuffer: 256 << 20 });
  let json: TbReadResult | null = null;
  try {
    json = JSON.parse(r.stdout) as TbReadResult;
  } catch {
    json = null;
  }
  return { status: r.status ?? -1, json, stderr: `${r.stderr}${r.error ? String(r.error) : ''}` };
}

/** What tensorboard-dump.py prints. */
export type Dump = Record<string, {
  hparams?: Record<string, any>;
  histograms?: Record<string, Array<{ step: number; min: number; max: number; num: number; sum: number; sum_squares: number; bucket_limit: number[]; bucket: number[] }>>;
}>;

/** Runs tensorboard-dump.py (hparams as the HParams plugin parses them; raw histograms) with tb-read's vendored TensorBoard. */
export function tbDump(logDir: string): Dump {
  ensureTbReadDeps();
  const r = spawnSync('/usr/bin/python3', ['-s', join(here, 'tensorboard-dump.py'), logDir], {
    encoding: 'utf8', timeout: 240_000, maxBuffer: 256 << 20, env: { ...process.env, PYTHONPATH: join(tbToolsDir(), 'vendor'), PYTHONNOUSERSITE: '1' },
  });
  if (r.status !== 0) throw new Error(`tensorboard-dump.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Dump;
}

/** PyTorch's default 'tensorflow' bins, by the definition in SummaryWriter.__init__. */
export function referenceTfBins(): number[] {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  return [...pos.map((v) => -v).reverse(), 0, ...pos];
}

/** `np.linspace(lo, hi, n + 1)` after np.histogram's widening of an empty range. */
export function referenceEqualBins(values: readonly number[], n: number): number[] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const step = (hi - lo) / n;
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? hi : i * step + lo));
}

/** A HistogramProto's fields as PyTorch's make_histogram computes them (by a linear scan per value). */
export function referenceHistogram(values: readonly number[], edges: readonly number[]): { min: number; max: number; num: number; sum: number; sumSquares: number; limits: number[]; counts: number[] } {
  const n = edges.length - 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of values) {
    for (let i = 0; i < n; i++) {
      const inBin = i === n - 1 ? v >= edges[i]! && v <= edges[i + 1]! : v >= edges[i]! && v < edges[i + 1]!;
      if (inBin) { counts[i]! += 1; break; }
    }
  }
  // PyTorch: cum_counts = cumsum(counts > 0); start, end = searchsorted(cum_counts, [0, cum_counts[-1] - 1], 'right')
  const cum: number[] = [];
  counts.reduce((acc, c) => { const a = acc + (c > 0 ? 1 : 0); cum.push(a); return a; }, 0);
  const searchRight = (x: number) => cum.filter((c) => c <= x).length;
  const start = searchRight(0);
  const end = searchRight(cum[cum.length - 1]! - 1) + 1;
  const trimmed = start > 0 ? counts.slice(start - 1, end) : [0, ...counts.slice(0, end)];
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) { sum += v; sumSquares += v * v; }
  const min = Math.min(...values);
  const max = Math.max(...values);
  // memograd's one deviation (documented in histogram.ts): equal values make the single bucket (min, max]
  if (min === max) return { min, max, num: values.length, sum, sumSquares, limits: [max], counts: [values.length] };
  return { min, max, num: values.length, sum, sumSquares, limits: edges.slice(start, end + 1), counts: trimmed };
}

/** TensorBoard's data_compat migration of a HistogramProto to float32 [left, right, count] buckets. */
export function migrateHistogram(h: { min: number; max: number; limits: number[]; counts: number[] }): number[][] {
  const n = h.counts.length;
  let start = 0;
  while (start < n && !(h.counts[start]! > 0)) start++;
  let end = n - 1;
  while (end >= 0 && !(h.counts[end]! > 0)) end--;
  if (start > end) return [];
  const inner = h.limits.slice(start, end);
  const lefts = [h.min, ...inner];
  const rights = [...inner, h.max];
  return h.counts.slice(start, end + 1).map((c, i) => [Math.fround(lefts[i]!), Math.fround(rights[i]!), Math.fround(c)]);
}

/** A float as tb-read's JSON writes it: NaN and ±Infinity as strings. */
export function jsonNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}
