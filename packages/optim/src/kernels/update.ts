// The optimizers' update kernels: the WebAssembly SIMD module (scripts/optim-wat.ts) for parameters
// of at least WASM_MIN elements whose gradient and state buffers share their dtype, else the
// reference loops (reference.ts). Both give the same bits (see optim-wat.ts for why), so the
// threshold changes speed only. The parameter, its gradient and its state stay in their own typed
// arrays (which users read and load); the driver copies each chunk of OPTIM_CHUNK elements into the
// module's fixed-size memory (it never grows, so the views below never detach), runs the kernel
// while the chunk is in cache, and copies the changed arrays back.
import type { FloatArray } from '../param.ts';
import { OPTIM_CHUNK, OPTIM_REGION, OPTIM_WASM_BASE64 } from './optim-wasm.generated.ts';
import {
  adagradLr,
  adagradReference,
  adamConstants,
  adamReference,
  rmspropReference,
  sgdReference,
  type AdagradStep,
  type AdamStep,
  type RMSpropStep,
  type SGDStep,
} from './reference.ts';

/** From this many elements the wasm kernels run (below it the call and copies cost more than they save). */
let WASM_MIN = 64;

/** For tests: force the threshold (0 = always, Infinity = never). Returns the previous value. */
export function setOptimWasmMin(n: number): number {
  const old = WASM_MIN;
  WASM_MIN = n;
  return old;
}

type Kernel = (n: number, ...scalars: number[]) => void;

interface Module {
  f32: Float32Array;
  f64: Float64Array;
  fns: Record<string, Kernel>;
}
let mod: Module | null | undefined;

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}

function getModule(): Module | null {
  if (mod !== undefined) return mod;
  mod = null;
  try {
    const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (WA === undefined) return null;
    const bin = atob(OPTIM_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    if (!WA.validate(bytes)) return null; // no SIMD128 (an old engine): the reference loops
    const e = new WA.Instance(new WA.Module(bytes), {}).exports;
    const buffer = (e.memory as { buffer: ArrayBuffer }).buffer;
    mod = { f32: new Float32Array(buffer), f64: new Float64Array(buffer), fns: e as Record<string, Kernel> };
  } catch {
    mod = null;
  }
  return mod;
}

/** Whether the wasm kernels can run here (WebAssembly with SIMD128). */
export function optimWasmAvailable(): boolean {
  return getModule() !== null;
}

/** The module when it applies to these arrays: at least WASM_MIN elements, all of x's dtype. */
function moduleFor(x: FloatArray, arrays: readonly (FloatArray | undefined)[]): Module | null {
  if (x.length < WASM_MIN || x.length === 0) return null;
  const f32 = x instanceof Float32Array;
  for (const a of arrays) if (a !== undefined && (a instanceof Float32Array) !== f32) return null;
  return getModule();
}

/**
 * Runs `kernel` over x = regions[0] in chunks: region r is copied in when bit r of `copyIn` is set
 * and back out when bit r of `copyOut` is.
 */
function chunked(m: Module, regions: readonly (FloatArray | undefined)[], copyIn: number, copyOut: number, kernel: Kernel, scalars: readonly number[]): void {
  const x = regions[0]!;
  const view = x instanceof Float32Array ? m.f32 : m.f64;
  const stride = x instanceof Float32Array ? OPTIM_REGION >> 2 : OPTIM_REGION >> 3;
  const n = x.length;
  for (let off = 0; off < n; off += OPTIM_CHUNK) {
    const end = Math.min(n, off + OPTIM_CHUNK);
    const whole = off === 0 && end === n;
    for (let r = 0; r < regions.length; r++) {
      if ((copyIn >> r) & 1) view.set(whole ? regions[r]! : regions[r]!.subarray(off, end), r * stride);
    }
    kernel(end - off, ...scalars);
    for (let r = 0; r < regions.length; r++) {
      if ((copyOut >> r) & 1) regions[r]!.set(view.subarray(r * stride, r * stride + end - off), off);
    }
  }
}

/** One Adam / AdamW step over a parameter (`vmax` for AMSGrad): wasm when it applies, else the reference loop. */
export function adamUpdate(x: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vmax: FloatArray | undefined, h: AdamStep): void {
  const wm = moduleFor(x, [g, m, v, vmax]);
  if (wm === null) return adamReference(x, g, m, v, vmax, h);
  const c = adamConstants(h);
  const wd = h.weightDecay === 0 ? 'none' : h.decoupled ? 'dec' : 'l2';
  const lerp = Math.abs(c.w1) < 0.5 ? 'lo' : 'hi';
  const kernel = wm.fns[`adam_${x instanceof Float32Array ? 'f32' : 'f64'}_${wd}_${lerp}_${vmax === undefined ? 'plain' : 'ams'}`]!;
  const scalars = [h.maximize ? -1 : 1, h.weightDecay, c.decay, c.w1, 1 - c.w1, h.beta2, c.w2, c.bc2Sqrt, h.eps, -c.stepSize];
  const all = vmax === undefined ? 0b01111 : 0b11111;
  chunked(wm, [x, g, m, v, vmax], all, all & ~0b10, kernel, scalars);
}

/** One SGD step (see sgdReference): wasm when it applies, else the reference loop. */
export function sgdUpdate(x: FloatArray, g: FloatArray, buf: FloatArray | undefined, first: boolean, h: SGDStep): void {
  const wm = moduleFor(x, [g, buf]);
  if (wm === null) return sgdReference(x, g, buf, first, h);
  const dt = x instanceof Float32Array ? 'f32' : 'f64';
  const wd = h.weightDecay === 0 ? 'none' : 'l2';
  const sgn = h.maximize ? -1 : 1;
  if (buf === undefined) {
    const scalars = [h.maximize ? h.lr : -h.lr, sgn, h.weightDecay, -h.lr];
    chunked(wm, [x, g], 0b11, 0b1, wm.fns[`sgd_${dt}_${wd}`]!, scalars);
    return;
  }
  const kernel = wm.fns[`sgdm_${dt}_${wd}_${h.nesterov ? 'nesterov' : 'plain'}_${first ? 'first' : 'next'}`]!;
  // the buffer is read only after the first step: copy it in only then
  chunked(wm, [x, g, buf], first ? 0b011 : 0b111, 0b101, kernel, [sgn, h.weightDecay, h.momentum, 1 - h.dampening, -h.lr]);
}

/** One RMSprop step (see rmspropReference): wasm when it applies, else the reference loop. */
export function rmspropUpdate(x: FloatArray, g: FloatArray, sq: FloatArray, buf: FloatArray | undefined, ga: FloatArray | undefined, h: RMSpropStep): void {
  const wm = moduleFor(x, [g, sq, buf, ga]);
  if (wm === null) return rmspropReference(x, g, sq, buf, ga, h);
  const oma = 1 - h.alpha;
  const centered = ga === undefined ? 'plain' : Math.abs(oma) < 0.5 ? 'lo' : 'hi';
  const kernel = wm.fns[`rmsprop_${x instanceof Float32Array ? 'f32' : 'f64'}_${h.weightDecay === 0 ? 'none' : 'l2'}_${centered}_${buf === undefined ? 'plain' : 'mom'}`]!;
  const used = 0b00111 | (buf === undefined ? 0 : 0b01000) | (ga === undefined ? 0 : 0b10000);
  const scalars = [h.maximize ? -1 : 1, h.weightDecay, h.alpha, oma, 1 - oma, h.eps, h.momentum, -h.lr];
  chunked(wm, [x, g, sq, buf, ga], used, used & ~0b10, kernel, scalars);
}

/** One Adagrad step (see adagradReference): wasm when it applies, else the reference loop. */
export function adagradUpdate(x: FloatArray, g: FloatArray, sum: FloatArray, h: AdagradStep): void {
  const wm = moduleFor(x, [g, sum]);
  if (wm === null) return adagradReference(x, g, sum, h);
  const kernel = wm.fns[`adagrad_${x instanceof Float32Array ? 'f32' : 'f64'}_${h.weightDecay === 0 ? 'none' : 'l2'}`]!;
  chunked(wm, [x, g, sum], 0b111, 0b101, kernel, [h.maximize ? -1 : 1, h.weightDecay, h.eps, -adagradLr(h)]);
}
