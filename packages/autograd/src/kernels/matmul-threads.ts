// Helper threads for the wasm matmul (Node only): worker_threads that instantiate the same wasm
// bytes on one shared WebAssembly.Memory. The caller stays synchronous: it hands a worker a
// range of row blocks through a SharedArrayBuffer control block, computes its own range, then
// blocks in Atomics.wait until the worker signals completion.
//
// Robustness rules: a worker is used only after it has reported ready (nothing ever waits for a
// worker to start, except the explicit waitMatmulThreads() used by tests and benchmarks); a
// worker that exits or errors is never used again; a job that does not finish within
// JOB_TIMEOUT_MS throws rather than hanging.

import type { WasmMemory } from './matmul-wasm.ts';

const JOB_TIMEOUT_MS = 60_000;
/** Atomics.load polls before falling back to Atomics.wait (tens of microseconds; kept short so a
 * spinning thread costs little when the machine is oversubscribed) */
const SPIN = 5_000;

// control block layout (Int32 indices)
const SEQ = 0; // job sequence number, written by the caller
const DONE = 1; // last finished job, written by the worker
const ERR = 2; // 1 when the last job threw
const READY = 3; // 1 ready, -1 failed to instantiate
const P = 8; // job parameters (Uint32)

export interface KernelNames {
  f32: { kernel: string; packA: string };
  f64: { kernel: string; packA: string };
}

/** Job: rows [i0, i1) of C for one (jc, pc) block; all addresses and strides in bytes. */
export interface RowJob {
  dtype: 'f32' | 'f64';
  aSrc: number;
  rsA: number;
  csA: number;
  m: number;
  i0: number;
  i1: number;
  mcBlock: number;
  kc: number;
  aPack: number;
  bPack: number;
  cBlock: number;
  np: number;
  nc: number;
  mr: number;
  nr: number;
}

const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { memory, bytes, ctl: sab, names } = workerData;
const ctl = new Int32Array(sab);
const u = new Uint32Array(sab);
let ex = null;
try {
  ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  Atomics.store(ctl, ${READY}, 1);
} catch (e) {
  Atomics.store(ctl, ${READY}, -1);
}
Atomics.notify(ctl, ${READY});
let seen = 0;
while (ex !== null) {
  // spin briefly before sleeping: the next block of the same matmul usually follows at once,
  // and waking a thread from Atomics.wait costs tens of microseconds
  let seq = Atomics.load(ctl, ${SEQ});
  for (let i = 0; i < ${SPIN} && seq === seen; i++) seq = Atomics.load(ctl, ${SEQ});
  if (seq === seen) {
    Atomics.wait(ctl, ${SEQ}, seen);
    continue;
  }
  if (seq < 0) break;
  seen = seq;
  try {
    const f = u[${P}] === 0 ? names.f32 : names.f64;
    const esz = u[${P}] === 0 ? 4 : 8;
    const aSrc = u[${P + 1}], rsA = u[${P + 2}], csA = u[${P + 3}], m = u[${P + 4}];
    const i0 = u[${P + 5}], i1 = u[${P + 6}], MC = u[${P + 7}], kc = u[${P + 8}];
    const aPack = u[${P + 9}], bPack = u[${P + 10}], cBlock = u[${P + 11}];
    const np = u[${P + 12}], nc = u[${P + 13}], mr = u[${P + 14}], nr = u[${P + 15}];
    const pack = ex[f.packA], kern = ex[f.kernel];
    for (let ic = i0; ic < i1; ic += MC) {
      const mc = Math.min(MC, i1 - ic);
      pack(aSrc + ic * rsA, rsA, csA, m - ic, mc / mr, kc, aPack);
      kern(aPack, bPack, cBlock + ic * np * esz, mc / mr, nc / nr, kc, np);
    }
    Atomics.store(ctl, ${ERR}, 0);
  } catch (e) {
    Atomics.store(ctl, ${ERR}, 1);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

interface WorkerLike {
  unref(): void;
  on(ev: 'error' | 'exit', cb: () => void): void;
  terminate(): unknown;
}
interface WorkerThreadsModule {
  Worker: new (src: string, opts: { eval: true; workerData: unknown }) => WorkerLike;
}

class Helper {
  readonly ctl: Int32Array;
  readonly u: Uint32Array;
  dead = false;
  seq = 0;
  readonly worker: WorkerLike;

  constructor(wt: WorkerThreadsModule, memory: WasmMemory, bytes: Uint8Array, names: KernelNames) {
    const sab = new SharedArrayBuffer(64 * 4);
    this.ctl = new Int32Array(sab);
    this.u = new Uint32Array(sab);
    this.worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { memory, bytes, ctl: sab, names } });
    this.worker.unref();
    this.worker.on('error', () => (this.dead = true));
    this.worker.on('exit', () => (this.dead = true));
  }

  ready(): boolean {
    return !this.dead && Atomics.load(this.ctl, READY) === 1;
  }

  post(j: RowJob): void {
    const u = this.u;
    u[P] = j.dtype === 'f32' ? 0 : 1;
    u[P + 1] = j.aSrc;
    u[P + 2] = j.rsA;
    u[P + 3] = j.csA;
    u[P + 4] = j.m;
    u[P + 5] = j.i0;
    u[P + 6] = j.i1;
    u[P + 7] = j.mcBlock;
    u[P + 8] = j.kc;
    u[P + 9] = j.aPack;
    u[P + 10] = j.bPack;
    u[P + 11] = j.cBlock;
    u[P + 12] = j.np;
    u[P + 13] = j.nc;
    u[P + 14] = j.mr;
    u[P + 15] = j.nr;
    this.seq = (this.seq + 1) & 0x3fffffff;
    Atomics.store(this.ctl, SEQ, this.seq);
    Atomics.notify(this.ctl, SEQ);
  }

  wait(): void {
    for (let i = 0; i < SPIN; i++) if (Atomics.load(this.ctl, DONE) === this.seq) break;
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.ctl, DONE);
      if (done === this.seq) break;
      if (Date.now() > deadline) {
        this.dead = true;
        throw new Error('memograd matmul: worker thread did not finish its block');
      }
      Atomics.wait(this.ctl, DONE, done, 1000);
    }
    if (Atomics.load(this.ctl, ERR) !== 0) {
      this.dead = true;
      throw new Error('memograd matmul: worker thread failed');
    }
  }
}

export class MatmulPool {
  private readonly helpers: Helper[];

  private constructor(helpers: Helper[]) {
    this.helpers = helpers;
  }

  /** Spawn `count` helper threads, or return null where worker_threads/shared memory are unavailable. */
  static create(bytes: Uint8Array, memory: WasmMemory, names: KernelNames, count: number): MatmulPool | null {
    if (count <= 0) return null;
    const wt = workerThreads();
    if (wt === null) return null;
    try {
      const helpers: Helper[] = [];
      for (let i = 0; i < count; i++) helpers.push(new Helper(wt, memory, bytes, names));
      return new MatmulPool(helpers);
    } catch {
      return null;
    }
  }

  /** Helpers ready to take a job right now. */
  readyHelpers(): Helper[] {
    return this.helpers.filter((h) => h.ready());
  }

  /** Block until every helper is ready or failed, at most timeoutMs. Returns the ready count. */
  waitReady(timeoutMs: number): number {
    const deadline = Date.now() + timeoutMs;
    for (const h of this.helpers) {
      while (!h.dead && Atomics.load(h.ctl, READY) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        Atomics.wait(h.ctl, READY, 0, Math.min(left, 50));
      }
    }
    return this.readyHelpers().length;
  }

  get size(): number {
    return this.helpers.length;
  }
}

export type { Helper };

function workerThreads(): WorkerThreadsModule | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return null;
    const wt = proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreadsModule | undefined;
    return wt && typeof wt.Worker === 'function' ? wt : null;
  } catch {
    return null;
  }
}

/** Logical CPUs (Node), or 1 when unknown. */
export function cpuCount(): number {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
    if (!os) return 1;
    return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}
