// WebAssembly text of the optimizer-update module (SIMD128), assembled by scripts/gen-optim-wasm.ts.
//
// Each kernel updates n elements of one parameter chunk that the driver (src/kernels/wasm.ts) has
// copied to fixed regions of the module's memory (REGION bytes apart: x, g, then the state buffers)
// and copies back. The arithmetic is the reference TypeScript loop's (src/kernels/reference.ts)
// operation for operation, in double (f64x2, two elements a step), in the same order; a float32
// value is promoted on load, and every value the reference stores into a Float32Array and reads back
// is demoted and promoted again (round to nearest even, as a Float32Array store), so the results are
// the same bits for float32 and float64 (wasm has no fused multiply-add; f64x2.max is Math.max for
// NaN and signed zeros). An odd n computes one lane past the end: it lies inside the region and is
// never copied out.
//
// Functions, one per dtype and option set (the options are chosen outside the loop):
// - adam_<dt>_<wd>_<lerp>_<ams>(n, sgn, wd, decay, w1, w1c, beta2, w2, bc2s, eps, negStep)
//   wd: none | l2 (g += wd x) | dec (x *= decay); lerp: lo (m + w1 (g - m)) | hi (g - (g - m) w1c);
//   ams: plain | ams (max with the third state buffer);
// - sgd_<dt>_<wd>(n, step, sgn, wd): plain SGD, no momentum (wd: none | l2);
// - sgdm_<dt>_<wd>_<nesterov>_<first>(n, sgn, wd, momentum, keep, negLr): with a momentum buffer;
// - rmsprop_<dt>_<wd>_<centered>_<mom>(n, sgn, wd, alpha, oma, omac, eps, momentum, negLr): centered
//   plain | lo | hi (the lerp of the gradient average, as Adam's), mom plain | mom (a momentum buffer);
// - adagrad_<dt>_<wd>(n, sgn, wd, eps, negClr).

/** Elements per region: the driver copies a parameter in chunks of this many. */
export const OPTIM_CHUNK = 4096;
/** Bytes per region (float64 elements). */
export const REGION = OPTIM_CHUNK * 8;
/** Regions: x, g and up to three state buffers. */
export const REGIONS = 5;

export type Dt = 'f32' | 'f64';
const DTS: readonly Dt[] = ['f32', 'f64'];

/** address of element pair $i (a byte offset into region r) */
function at(dt: Dt, r: number): string {
  return `(i32.add (i32.const ${r * REGION}) (local.get $o${dt === 'f32' ? '4' : '8'}))`;
}
function load(dt: Dt, r: number): string {
  return dt === 'f32' ? `(f64x2.promote_low_f32x4 (v128.load64_zero ${at(dt, r)}))` : `(v128.load ${at(dt, r)})`;
}
/** stores `value` (an f64x2) into region r and sets local `into` to the value as read back */
function storeRound(dt: Dt, r: number, value: string, into: string): string {
  if (dt === 'f64') return `(local.set ${into} ${value}) (v128.store ${at(dt, r)} (local.get ${into}))`;
  return (
    `(local.set $d (f32x4.demote_f64x2_zero ${value})) (v128.store64_lane 0 ${at(dt, r)} (local.get $d)) ` +
    `(local.set ${into} (f64x2.promote_low_f32x4 (local.get $d)))`
  );
}
function store(dt: Dt, r: number, value: string): string {
  return dt === 'f64' ? `(v128.store ${at(dt, r)} ${value})` : `(v128.store64_lane 0 ${at(dt, r)} (f32x4.demote_f64x2_zero ${value}))`;
}
const mul = (a: string, b: string): string => `(f64x2.mul ${a} ${b})`;
const add = (a: string, b: string): string => `(f64x2.add ${a} ${b})`;
const sub = (a: string, b: string): string => `(f64x2.sub ${a} ${b})`;
const div = (a: string, b: string): string => `(f64x2.div ${a} ${b})`;
const L = (name: string): string => `(local.get $${name})`;

/**
 * A kernel: the scalar params become f64x2 locals of the same name (splatted once); `body` runs for
 * each pair of elements with $o4 / $o8 the pair's byte offset in a float32 / float64 region.
 */
function kernel(name: string, scalars: readonly string[], body: string): string {
  const params = scalars.map((s) => `(param $${s}_ f64)`).join(' ');
  const locals = ['xi', 'gi', 'mi', 'vi', 'wi', 'd', ...scalars].map((s) => `(local $${s} v128)`).join(' ');
  const splats = scalars.map((s) => `(local.set $${s} (f64x2.splat (local.get $${s}_)))`).join('\n    ');
  return `
  (func (export "${name}") (param $n i32) ${params}
    (local $o4 i32) (local $o8 i32) (local $end i32) ${locals}
    ${splats}
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $o8) (local.get $end)))
        ${body}
        (local.set $o4 (i32.add (local.get $o4) (i32.const 8)))
        (local.set $o8 (i32.add (local.get $o8) (i32.const 16)))
        (br $next))))`;
}

type Wd = 'none' | 'l2' | 'dec';

/** gi = sgn g (+ wd x for L2), from the reference's `maximize ? -g : g` (exact: a product by ±1) */
function grad(dt: Dt, wd: Wd): string {
  const g = mul(L('sgn'), load(dt, 1));
  return wd === 'l2' ? `(local.set $gi ${add(g, mul(L('wd'), L('xi')))})` : `(local.set $gi ${g})`;
}

function adam(dt: Dt, wd: Wd, lerp: 'lo' | 'hi', ams: boolean): string {
  const m = L('mi');
  const lerped =
    lerp === 'lo' ? add(m, mul(L('w1'), sub(L('gi'), m))) : sub(L('gi'), mul(sub(L('gi'), m), L('w1c')));
  const vmax = `(local.set $wi (f64x2.max ${load(dt, 4)} ${L('vi')})) ${store(dt, 4, L('wi'))}`;
  const denom = add(div(`(f64x2.sqrt ${L(ams ? 'wi' : 'vi')})`, L('bc2s')), L('eps'));
  const body = [
    `(local.set $xi ${load(dt, 0)})`,
    grad(dt, wd),
    wd === 'dec' ? storeRound(dt, 0, mul(L('xi'), L('decay')), '$xi') : '',
    `(local.set $mi ${load(dt, 2)})`,
    storeRound(dt, 2, lerped, '$mi'),
    storeRound(dt, 3, add(mul(load(dt, 3), L('beta2')), mul(mul(L('w2'), L('gi')), L('gi'))), '$vi'),
    ams ? vmax : '',
    store(dt, 0, add(L('xi'), div(mul(L('negStep'), m), denom))),
  ];
  return kernel(
    `adam_${dt}_${wd}_${lerp}_${ams ? 'ams' : 'plain'}`,
    ['sgn', 'wd', 'decay', 'w1', 'w1c', 'beta2', 'w2', 'bc2s', 'eps', 'negStep'],
    body.filter((s) => s !== '').join('\n        '),
  );
}

function sgd(dt: Dt, wd: 'none' | 'l2'): string {
  // reference: x + step g without weight decay; else g' = ±g + wd x, x + (-lr) g'
  const body =
    wd === 'none'
      ? store(dt, 0, add(load(dt, 0), mul(L('step'), load(dt, 1))))
      : `(local.set $xi ${load(dt, 0)}) ${grad(dt, 'l2')} ${store(dt, 0, add(L('xi'), mul(L('negLr'), L('gi'))))}`;
  return kernel(`sgd_${dt}_${wd}`, ['step', 'sgn', 'wd', 'negLr'], body);
}

function sgdMomentum(dt: Dt, wd: 'none' | 'l2', nesterov: boolean, first: boolean): string {
  const b = L('mi');
  const buf = first ? L('gi') : add(mul(load(dt, 2), L('momentum')), mul(L('keep'), L('gi')));
  const dir = nesterov ? add(L('gi'), mul(L('momentum'), b)) : b;
  const body = [
    `(local.set $xi ${load(dt, 0)})`,
    grad(dt, wd),
    storeRound(dt, 2, buf, '$mi'),
    store(dt, 0, add(L('xi'), mul(L('negLr'), dir))),
  ].join('\n        ');
  return kernel(
    `sgdm_${dt}_${wd}_${nesterov ? 'nesterov' : 'plain'}_${first ? 'first' : 'next'}`,
    ['sgn', 'wd', 'momentum', 'keep', 'negLr'],
    body,
  );
}

function rmsprop(dt: Dt, wd: 'none' | 'l2', centered: 'plain' | 'lo' | 'hi', mom: boolean): string {
  // regions: x, g, square average, momentum buffer, gradient average
  const a = L('mi');
  const lerped = centered === 'lo' ? add(a, mul(L('oma'), sub(L('gi'), a))) : sub(L('gi'), mul(sub(L('gi'), a), L('omac')));
  const minusOne = '(v128.const f64x2 -1 -1)';
  const avg =
    centered === 'plain'
      ? add(`(f64x2.sqrt ${L('vi')})`, L('eps'))
      : add(`(f64x2.sqrt ${add(L('vi'), mul(mul(minusOne, L('mi')), L('mi')))})`, L('eps'));
  const body = [
    `(local.set $xi ${load(dt, 0)})`,
    grad(dt, wd),
    storeRound(dt, 2, add(mul(load(dt, 2), L('alpha')), mul(mul(L('oma'), L('gi')), L('gi'))), '$vi'),
    centered === 'plain' ? '' : `(local.set $mi ${load(dt, 4)}) ${storeRound(dt, 4, lerped, '$mi')}`,
    `(local.set $wi ${avg})`,
    mom
      ? `${storeRound(dt, 3, add(mul(load(dt, 3), L('momentum')), div(L('gi'), L('wi'))), '$mi')} ${store(dt, 0, add(L('xi'), mul(L('negLr'), L('mi'))))}`
      : store(dt, 0, add(L('xi'), div(mul(L('negLr'), L('gi')), L('wi')))),
  ];
  return kernel(
    `rmsprop_${dt}_${wd}_${centered}_${mom ? 'mom' : 'plain'}`,
    ['sgn', 'wd', 'alpha', 'oma', 'omac', 'eps', 'momentum', 'negLr'],
    body.filter((s) => s !== '').join('\n        '),
  );
}

function adagrad(dt: Dt, wd: 'none' | 'l2'): string {
  // regions: x, g, sum
  const body = [
    `(local.set $xi ${load(dt, 0)})`,
    grad(dt, wd),
    storeRound(dt, 2, add(load(dt, 2), mul(L('gi'), L('gi'))), '$vi'),
    store(dt, 0, add(L('xi'), div(mul(L('negClr'), L('gi')), add(`(f64x2.sqrt ${L('vi')})`, L('eps'))))),
  ].join('\n        ');
  return kernel(`adagrad_${dt}_${wd}`, ['sgn', 'wd', 'eps', 'negClr'], body);
}

export function optimWat(): string {
  const fns: string[] = [];
  for (const dt of DTS) {
    for (const wd of ['none', 'l2', 'dec'] as const) {
      for (const lerp of ['lo', 'hi'] as const) for (const ams of [false, true]) fns.push(adam(dt, wd, lerp, ams));
    }
    for (const wd of ['none', 'l2'] as const) {
      fns.push(sgd(dt, wd));
      for (const nesterov of [false, true]) for (const first of [false, true]) fns.push(sgdMomentum(dt, wd, nesterov, first));
      for (const centered of ['plain', 'lo', 'hi'] as const) for (const mom of [false, true]) fns.push(rmsprop(dt, wd, centered, mom));
      fns.push(adagrad(dt, wd));
    }
  }
  const pages = Math.ceil((REGIONS * REGION) / 65536);
  return `(module\n  (memory (export "memory") ${pages} ${pages})${fns.join('\n')})\n`;
}
