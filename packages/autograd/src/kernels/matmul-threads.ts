// Helper threads for the wasm matmul (Node only): worker_threads that instantiate the same wasm
// bytes on one shared WebAssembly.Memory. The caller stays synchronous.
//
// Work sharing is dynamic: one (jc, pc) block of the matmul is cut into row blocks of MC rows,
// and the caller and the helpers claim blocks from a shared counter (compare-and-swap on a
// counter tagged with the job number), so a helper that is slow to wake up or is descheduled by
// another process just claims fewer blocks; the caller never waits for a helper that has not
// claimed anything. It only waits for blocks a helper has claimed and not yet finished.
//
// Robustness rules: a worker is used only after it has reported ready (nothing ever waits for a
// worker to start, except the explicit waitReady() used by tests and benchmarks); a worker that
// exits or errors is never used again; a claimed block that does not finish within
// JOB_TIMEOUT_MS throws rather than hanging.

import { KERNEL_CONFIG } from './config.ts';
import type { WasmMemory } from './matmul-wasm.ts';

const JOB_TIMEOUT_MS = KERNEL_CONFIG.matmulJobTimeoutMs;
/** Atomics.load polls before falling back to Atomics.wait (tens of microseconds; kept short so a
 * spinning thread costs little when the machine is oversubscribed) */
const SPIN = KERNEL_CONFIG.matmulSpin;

// shared control block (Int32 indices)
const SEQ = 0; // job number, written by the caller; helpers sleep on it
const CLAIM = 1; // (seq & 0x7fff) << 16 | next block index
const COMPLETED = 2; // blocks finished by helpers in the current job
const ERR = 3; // set to 1 by a helper whose block threw
const HELPER_BLOCKS = 4; // blocks done by helpers since start (statistics)
const P = 8; // job parameters (Uint32)
const READY0 = 32; // READY0 + h: 1 when helper h is ready, -1 when it failed to instantiate

export interface KernelNames {
  f32: { kernel: string; packA: string };
  f64: { kernel: string; packA: string };
}

/**
 * One (jc, pc) block: row blocks b = 0..nBlocks-1 cover rows [b*mcBlock, min(mp, (b+1)*mcBlock))
 * of C. Addresses and strides in bytes; thread t packs A into aPack0 + t * aPackStride.
 */
export interface RowJob {
  dtype: 'f32' | 'f64';
  aSrc: number;
  rsA: number;
  csA: number;
  m: number;
  mp: number;
  nBlocks: number;
  mcBlock: number;
  kc: number;
  aPack0: number;
  aPackStride: number;
  bPack: number;
  cBlock: number;
  np: number;
  nc: number;
  mr: number;
  nr: number;
  /** 1: the kernel stores C (first k block, no accumulate), 0: adds to it */
  store: number;
}

const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const { memory, bytes, ctl: sab, names, slot } = workerData;
const ctl = new Int32Array(sab);
const u = new Uint32Array(sab);
let ex = null;
try {
  ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  Atomics.store(ctl, ${READY0} + slot - 1, 1);
} catch (e) {
  Atomics.store(ctl, ${READY0} + slot - 1, -1);
}
let seen = Atomics.load(ctl, ${SEQ});
while (ex !== null) {
  // spin briefly before sleeping: the next block of the same matmul usually follows at once,
  // and waking a thread from Atomics.wait costs tens of microseconds
  let seq = Atomics.load(ctl, ${SEQ});
  for (let i = 0; i < ${SPIN} && seq === seen; i++) seq = Atomics.load(ctl, ${SEQ});
  if (seq === seen) {
    Atomics.wait(ctl, ${SEQ}, seen);
    continue;
  }
  seen = seq;
  const tag = (seq & 0x7fff) << 16;
  for (;;) {
    const c = Atomics.load(ctl, ${CLAIM});
    if ((c & 0x7fff0000) !== tag) break;
    const idx = c & 0xffff;
    if (idx >= u[${P + 5}]) break;
    if (Atomics.compareExchange(ctl, ${CLAIM}, c, c + 1) !== c) continue;
    // the job cannot finish while this block is claimed, so the parameters are stable
    try {
      const f = u[${P}] === 0 ? names.f32 : names.f64;
      const esz = u[${P}] === 0 ? 4 : 8;
      const aSrc = u[${P + 1}], rsA = u[${P + 2}], csA = u[${P + 3}], m = u[${P + 4}];
      const MC = u[${P + 6}], kc = u[${P + 7}], aPack = u[${P + 8}] + slot * u[${P + 9}];
      const bPack = u[${P + 10}], cBlock = u[${P + 11}], np = u[${P + 12}], nc = u[${P + 13}];
      const mr = u[${P + 14}], nr = u[${P + 15}], mp = u[${P + 16}], store = u[${P + 17}];
      const ic = idx * MC;
      const mc = Math.min(MC, mp - ic);
      ex[f.packA](aSrc + ic * rsA, rsA, csA, m - ic, mc / mr, kc, aPack);
      ex[f.kernel](aPack, bPack, cBlock + ic * np * esz, mc / mr, nc / nr, kc, np, store);
    } catch (e) {
      Atomics.store(ctl, ${ERR}, 1);
    }
    Atomics.add(ctl, ${HELPER_BLOCKS}, 1);
    Atomics.add(ctl, ${COMPLETED}, 1);
    Atomics.notify(ctl, ${COMPLETED});
  }
}
`;

interface WorkerLike {
  unref(): void;
  on(ev: 'error' | 'exit', cb: () => void): void;
}
interface WorkerThreadsModule {
  Worker: new (src: string, opts: { eval: true; workerData: unknown }) => WorkerLike;
}

export class MatmulPool {
  private readonly ctl: Int32Array;
  private readonly u: Uint32Array;
  private readonly dead: boolean[] = [];
  private seq = 0;
  private broken = false;
  /** number of helper threads (ready or not); thread slots are 0 (caller) .. size */
  readonly size: number;

  private constructor(wt: WorkerThreadsModule, memory: WasmMemory, bytes: Uint8Array, names: KernelNames, count: number) {
    const sab = new SharedArrayBuffer(64 * 4);
    this.ctl = new Int32Array(sab);
    this.u = new Uint32Array(sab);
    this.size = count;
    for (let h = 0; h < count; h++) {
      this.dead.push(false);
      const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { memory, bytes, ctl: sab, names, slot: h + 1 } });
      w.unref();
      w.on('error', () => (this.dead[h] = true));
      w.on('exit', () => (this.dead[h] = true));
    }
  }

  /** Spawn `count` helper threads, or return null where worker_threads/shared memory are unavailable. */
  static create(bytes: Uint8Array, memory: WasmMemory, names: KernelNames, count: number): MatmulPool | null {
    if (count <= 0) return null;
    const wt = workerThreads();
    if (wt === null) return null;
    try {
      return new MatmulPool(wt, memory, bytes, names, count);
    } catch {
      return null;
    }
  }

  /** Row blocks computed by helper threads since the pool started (statistics, tests). */
  helperBlocks(): number {
    return Atomics.load(this.ctl, HELPER_BLOCKS);
  }

  /** Helpers ready to claim blocks right now. */
  readyCount(): number {
    if (this.broken) return 0;
    let n = 0;
    for (let h = 0; h < this.size; h++) if (!this.dead[h] && Atomics.load(this.ctl, READY0 + h) === 1) n++;
    return n;
  }

  /** Block until every helper is ready or failed, at most timeoutMs. Returns the ready count. */
  waitReady(timeoutMs: number): number {
    const deadline = Date.now() + timeoutMs;
    for (let h = 0; h < this.size; h++) {
      while (!this.dead[h] && Atomics.load(this.ctl, READY0 + h) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        Atomics.wait(this.ctl, READY0 + h, 0, Math.min(left, 50));
      }
    }
    return this.readyCount();
  }

  /**
   * Run one job: publish it, claim blocks on the calling thread (slot 0) with `doBlock`, then
   * wait for the blocks the helpers claimed.
   */
  run(job: RowJob, doBlock: (idx: number) => void): void {
    const { ctl, u } = this;
    if (job.nBlocks >= 0xffff) throw new Error('too many row blocks for the thread pool');
    this.seq = (this.seq + 1) & 0x3fffffff;
    const tag = (this.seq & 0x7fff) << 16;
    // Close the claim counter before touching the parameters. A helper that read the previous
    // job's counter (after a failed compare-and-swap) would otherwise compare that job's block
    // index with the new block count, claim a block with half-written parameters, and count its
    // completion towards the new job. With the counter closed (new tag, index 0xffff) its
    // compare-and-swap fails and it goes back to sleep.
    Atomics.store(ctl, CLAIM, tag | 0xffff);
    u[P] = job.dtype === 'f32' ? 0 : 1;
    u[P + 1] = job.aSrc;
    u[P + 2] = job.rsA;
    u[P + 3] = job.csA;
    u[P + 4] = job.m;
    u[P + 5] = job.nBlocks;
    u[P + 6] = job.mcBlock;
    u[P + 7] = job.kc;
    u[P + 8] = job.aPack0;
    u[P + 9] = job.aPackStride;
    u[P + 10] = job.bPack;
    u[P + 11] = job.cBlock;
    u[P + 12] = job.np;
    u[P + 13] = job.nc;
    u[P + 14] = job.mr;
    u[P + 15] = job.nr;
    u[P + 16] = job.mp;
    u[P + 17] = job.store;
    Atomics.store(ctl, COMPLETED, 0);
    Atomics.store(ctl, ERR, 0);
    Atomics.store(ctl, CLAIM, tag);
    Atomics.store(ctl, SEQ, this.seq);
    Atomics.notify(ctl, SEQ);

    let mine = 0;
    for (;;) {
      const c = Atomics.load(ctl, CLAIM);
      const idx = c & 0xffff;
      if (idx >= job.nBlocks) break;
      if (Atomics.compareExchange(ctl, CLAIM, c, c + 1) !== c) continue;
      doBlock(idx);
      mine++;
    }
    const theirs = job.nBlocks - mine;
    let done = Atomics.load(ctl, COMPLETED);
    for (let i = 0; i < SPIN && done < theirs; i++) done = Atomics.load(ctl, COMPLETED);
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    while (done < theirs) {
      if (Date.now() > deadline) {
        this.broken = true;
        throw new Error('memograd matmul: a worker thread did not finish its block');
      }
      Atomics.wait(ctl, COMPLETED, done, 1000);
      done = Atomics.load(ctl, COMPLETED);
    }
    if (Atomics.load(ctl, ERR) !== 0) {
      this.broken = true;
      throw new Error('memograd matmul: a worker thread failed');
    }
  }
}

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
