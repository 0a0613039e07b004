// PyTorch (CPU) as a peer: the same work run in a `/usr/bin/python3` subprocess with torch, on the
// inputs this process generated, timed by Python's own loop and returned as JSON.
//
// Plumbing: the JS side writes its float32 inputs into one raw file (`inputs.f32`, arrays back to
// back) and a job file (task, parameters, the arrays' names/shapes/offsets, timing budget);
// `torch/peer.py <job.json>` loads them with numpy, runs the task with pinned threads, writes the
// arrays the JS side checks (outputs, gradients) into `outputs.f32` and prints one JSON line.
// The suites check those arrays against their reference before a PyTorch timing enters a table.
//
// Threads: one subprocess per thread count, with OMP_NUM_THREADS = OPENBLAS_NUM_THREADS =
// MKL_NUM_THREADS = n, OMP_WAIT_POLICY = PASSIVE (see torchEnv) and torch.set_num_threads(n). OpenBLAS from libopenblas0-pthread is put
// first through LD_LIBRARY_PATH (Debian's reference BLAS makes PyTorch ~10x slower); peer.py reports
// the BLAS library it mapped and a timed 512³ sgemm, which the row's note shows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, Row } from './harness.ts';

export const PYTHON = '/usr/bin/python3';
export const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';
const PEER_SCRIPT = fileURLToPath(new URL('./torch/peer.py', import.meta.url));

/** A named float32 array with its shape (row-major). */
export interface NamedArray {
  data: Float32Array;
  shape: number[];
}

/** Where an array lies in a raw float32 file. */
export interface ArraySpec {
  name: string;
  shape: number[];
  /** offset in float32 elements */
  offset: number;
}

/** Concatenate arrays into one raw float32 buffer and describe where each one is. */
export function packArrays(arrays: Record<string, NamedArray>): { bytes: Uint8Array; specs: ArraySpec[] } {
  const specs: ArraySpec[] = [];
  let total = 0;
  for (const [name, a] of Object.entries(arrays)) {
    const size = a.shape.reduce((p, d) => p * d, 1);
    if (size !== a.data.length) throw new Error(`torch-peer: ${name} has ${a.data.length} elements but shape [${a.shape.join(', ')}]`);
    specs.push({ name, shape: a.shape, offset: total });
    total += size;
  }
  const all = new Float32Array(total);
  for (const s of specs) all.set(arrays[s.name]!.data, s.offset);
  return { bytes: new Uint8Array(all.buffer), specs };
}

/** The arrays of a raw float32 buffer (little-endian, as numpy's tofile writes it on x86). */
export function unpackArrays(bytes: Uint8Array, specs: ArraySpec[]): Record<string, NamedArray> {
  if (bytes.byteLength % 4 !== 0) throw new Error(`torch-peer: output file of ${bytes.byteLength} bytes is not float32`);
  // copy into a fresh buffer: a Buffer from readFileSync may be a view at any offset of a shared
  // pool (and Buffer#slice makes another view, not a copy)
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const all = new Float32Array(copy.buffer);
  const out: Record<string, NamedArray> = {};
  for (const s of specs) {
    const size = s.shape.reduce((p, d) => p * d, 1);
    if (s.offset + size > all.length) throw new Error(`torch-peer: output ${s.name} runs past the end of the file`);
    out[s.name] = { data: all.slice(s.offset, s.offset + size), shape: s.shape };
  }
  return out;
}

/** One timed case of a PyTorch run (per call: a matmul, a conv, a training step). */
export interface TorchCase {
  name: string;
  /** median time per call, ms */
  ms: number;
  /** relative margin of error of the mean, % (1.96 standard errors) */
  rme: number;
  samples: number;
  /** anything else the task reports (e.g. the verification loss) */
  [extra: string]: unknown;
}

/** What peer.py prints (its last stdout line) for one thread count. */
export interface TorchResult {
  torch: string;
  threads: number;
  /** the BLAS shared library mapped into the process ('?' if none was found) */
  blas: string;
  /** BLAS_INFO of torch.__config__.show() (Debian's build says "generic") */
  blasInfo: string;
  /** GFLOP/s of a 512³ float32 matmul at this thread count (the BLAS sanity check) */
  sgemmGflops: number;
  cases: TorchCase[];
  outputSpecs: ArraySpec[];
  /** filled in on the JS side from outputs.f32 */
  outputs: Record<string, NamedArray>;
}

/** Parse the JSON result line of peer.py's stdout (the last non-empty line). */
export function parseTorchResult(stdout: string): Omit<TorchResult, 'outputs'> {
  const lines = stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  let r: unknown;
  try {
    r = JSON.parse(last);
  } catch {
    throw new Error(`torch-peer: no JSON result line in the output of peer.py: ${last.slice(0, 200)}`);
  }
  const o = r as Partial<TorchResult>;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.cases) || !Array.isArray(o.outputSpecs) || typeof o.threads !== 'number') {
    throw new Error(`torch-peer: malformed result: ${last.slice(0, 200)}`);
  }
  for (const c of o.cases) {
    if (typeof c.name !== 'string' || !(c.ms > 0) || typeof c.samples !== 'number') throw new Error(`torch-peer: malformed case ${JSON.stringify(c)}`);
  }
  return o as Omit<TorchResult, 'outputs'>;
}

/** Environment of the Python subprocess: OpenBLAS first, every thread pool pinned to `threads`. */
export function torchEnv(threads: number, base: NodeJS.ProcessEnv = process.env, openblasDir = OPENBLAS_DIR): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // set for this machine's numpy/OpenBLAS by others; the perf-reference's PyTorch scripts run without them
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (existsSync(openblasDir)) env.LD_LIBRARY_PATH = [openblasDir, base.LD_LIBRARY_PATH].filter(Boolean).join(':');
  for (const k of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) env[k] = String(threads);
  // OpenMP workers that spin between parallel regions steal the cores OpenBLAS' own threads need:
  // with 2 threads on a busy 2-core machine the MLP step measured 40x slower (722 vs 30,352
  // samples/s) under libgomp's default policy than with PASSIVE
  env.OMP_WAIT_POLICY = 'PASSIVE';
  return env;
}

let available: { ok: boolean; why: string } | undefined;

/** Whether /usr/bin/python3 can import torch (checked once per process). */
export function torchAvailable(): { ok: boolean; why: string } {
  if (available) return available;
  if (!existsSync(PYTHON)) return (available = { ok: false, why: `${PYTHON} not found` });
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { env: torchEnv(1), encoding: 'utf8', timeout: 120_000 });
  available = r.status === 0 ? { ok: true, why: `torch ${r.stdout.trim()}` } : { ok: false, why: `${PYTHON} cannot import torch: ${(r.stderr || String(r.error)).trim().split('\n').pop()}` };
  return available;
}

/** Print (once per suite) why the PyTorch rows are missing; returns whether they can run. */
export function torchOrNote(suite: string): boolean {
  const a = torchAvailable();
  if (!a.ok) process.stderr.write(`  ${suite}: PyTorch rows skipped (${a.why})\n`);
  return a.ok;
}

/**
 * Run `task` of torch/peer.py on `inputs` with `threads` threads; throws when the subprocess fails.
 * `params` go to the task as they are; the timing budget follows `opts` (--quick: 0.3 s a case).
 */
export function runTorch(task: string, inputs: Record<string, NamedArray>, params: Record<string, unknown>, threads: number, opts: BenchOptions): TorchResult {
  const dir = mkdtempSync(join(tmpdir(), 'memograd-torch-'));
  try {
    const { bytes, specs } = packArrays(inputs);
    writeFileSync(join(dir, 'inputs.f32'), bytes);
    const job = {
      task,
      params,
      threads,
      inputs: join(dir, 'inputs.f32'),
      inputSpecs: specs,
      outputs: join(dir, 'outputs.f32'),
      minTime: opts.quick ? 0.3 : 1.0,
      minSamples: opts.quick ? 2 : 5,
    };
    writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
    const r = spawnSync(PYTHON, [PEER_SCRIPT, join(dir, 'job.json')], {
      env: torchEnv(threads),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      timeout: 900_000,
    });
    if (r.status !== 0) throw new Error(`torch-peer: ${task} (${threads} threads) failed (${r.status ?? r.signal}): ${(r.stderr || String(r.error)).trim().slice(-2000)}`);
    const res = parseTorchResult(r.stdout);
    const outputs = res.outputSpecs.length > 0 ? unpackArrays(readFileSync(join(dir, 'outputs.f32')), res.outputSpecs) : {};
    const blasOk = res.blas.includes('openblas');
    process.stderr.write(
      `  torch ${res.torch} ${task} ${threads}T: BLAS ${res.blas} (BLAS_INFO=${res.blasInfo}), sgemm 512³ ${res.sgemmGflops.toFixed(1)} GFLOP/s` +
        (blasOk ? '' : ' -- NOT OpenBLAS: PyTorch timings are ~10x too slow') + '\n',
    );
    return { ...res, outputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The label of a PyTorch row: version, threads, and a warning when the BLAS is not OpenBLAS. */
export function torchLabel(res: TorchResult, what: string): string {
  const t = `${res.threads} thread${res.threads === 1 ? '' : 's'}`;
  return `PyTorch ${res.torch} ${what}, ${t}` + (res.blas.includes('openblas') ? '' : ' (reference BLAS!)');
}

/**
 * A table row from a PyTorch case. `perCall` scales ops/s (e.g. samples per training step);
 * `flop` is per unit of ops/s, as in the suite's other rows.
 */
export function torchRow(group: string, impl: string, c: TorchCase, threads: number, flop: number, perCall = 1): Row {
  const row: Row = { group, impl, threads, hz: (perCall * 1000) / c.ms, rme: c.rme, samples: c.samples, flop };
  process.stderr.write(`  ${group.padEnd(24)} ${impl.padEnd(30)} ${row.hz.toFixed(row.hz >= 100 ? 0 : 2)} ops/s ±${row.rme.toFixed(1)}%\n`);
  return row;
}

/** The named case of a result (throws if peer.py did not report it). */
export function torchCase(res: TorchResult, name: string): TorchCase {
  const c = res.cases.find((x) => x.name === name);
  if (!c) throw new Error(`torch-peer: no case '${name}' in the result (${res.cases.map((x) => x.name).join(', ')})`);
  return c;
}

/** The named output array of a result (throws if peer.py did not write it). */
export function torchOutput(res: TorchResult, name: string): Float32Array {
  const o = res.outputs[name];
  if (!o) throw new Error(`torch-peer: no output '${name}' (${Object.keys(res.outputs).join(', ')})`);
  return o.data;
}
