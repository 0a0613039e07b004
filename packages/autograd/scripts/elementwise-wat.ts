// WebAssembly text of the elementwise module (SIMD128): the float32 exp / sigmoid / tanh kernels
// below, then the softmax / logSumExp row passes, the reductions and the arithmetic (each with its
// own comment). The exp / sigmoid / tanh kernels work in place over
// [p, p + 4n) bytes, n a multiple of 4 (exp_f32, sigmoid_f32, tanh_f32, after the softmax rows):
// range reduction and polynomial in f32x4, the scaling by 2^k and what follows in double, with
// exactly the float32 and double operations, in the same order, as the float32 JS loops in
// src/kernels/unary.ts (wasm has no fused multiply-add; JS rounds each float32 operation with
// Math.fround), then demoted (round to nearest even, as Math.fround): the results are the same
// float32 values. The clamps use pmin/pmax (one minps/maxps on x64): pmax(v, c) = v < c ? c : v
// keeps NaN like Math.max(v, c), and the bounds are not zeros.
// Assembled by scripts/gen-elementwise-wasm.ts.

/** an f64x2 constant from the exact bits of a double */
function c(x: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigInt64(0).toString();
  return `(v128.const i64x2 ${bits} ${bits})`;
}

const LOG2E = 1.4426950408889634;
const LN2 = 0.6931471805599453;

/** ln2 = EXP_LN2_HI + EXP_LN2_LO: the high part has 9 significant bits, so k ln2hi is exact for |k| < 2^15 */
const EXP_LN2_HI = 0.693359375;
const EXP_LN2_LO = Math.fround(LN2 - EXP_LN2_HI);

/**
 * q(r) with e^r ~ 1 + r + r^2 q(r) for |r| <= ln2/2 (with 0.2% to spare): degree 4, fitted to the
 * relative error of e^r (Lawson iterations on Chebyshev nodes) and rounded to float32: relative
 * error 4.2e-9 (0.07 float32 half-ulps of 2^-24) with exact arithmetic.
 */
export const EXPQ4 = [0.4999999403953552, 0.1666651964187622, 0.041668400168418884, 0.00836885068565607, 0.0013814320554956794];

/** adding it to a float32 of magnitude below 2^22 rounds to an integer, held in the low mantissa bits */
export const SIGMOID_MAGIC = 12582912; // 1.5 2^23

/**
 * logSumExp's row helpers (float32 rows, any length n):
 * - lse_f32(p, n, m): the sum, in double and in element order, of f32(e^f32(x - m)) over the row,
 *   e^ as exp_f32 computes it: the values and the order of logSumExp's composed float32 computation
 *   (x.sub(m).exp() then a sequential sum), so the same double;
 * - maxign_f32(p, n): the row max ignoring NaN (as `if (v > m) m = v`), -Infinity when none.
 */
/** lse_f32's vector loops: the four lanes' e^ added to $acc in element order ($w: lanes 0-1, $w2: 2-3) */
const LSE = pairedLoops(`
        (local.set $x (f32x4.sub (v128.load (local.get $p)) (local.get $ms)))
        ${expF32Reduce('(local.get $x)')}
        (local.set $w (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero ${expF32Lo()})))
        (local.set $w2 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero ${expF32Hi()})))
        (local.set $acc (f64.add (local.get $acc) (f64x2.extract_lane 0 (local.get $w))))
        (local.set $acc (f64.add (local.get $acc) (f64x2.extract_lane 1 (local.get $w))))
        (local.set $acc (f64.add (local.get $acc) (f64x2.extract_lane 0 (local.get $w2))))
        (local.set $acc (f64.add (local.get $acc) (f64x2.extract_lane 1 (local.get $w2))))`,
  ['x', 'a', 'kb', 'k', 'r', 'r2', 'r4', 'u', 'w', 'w2'], { p: 16 }, '$end4', ['acc']);

const ROWS = `
  (func (export "lse_f32") (param $p i32) (param $n i32) (param $mm f64) (result f64)
    (local $end i32) (local $end4 i32) (local $ms v128) (local $acc f64) ${LSE.vars}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $ms (f32x4.splat (f32.demote_f64 (local.get $mm))))${LSE.loops}
    (block $tdone
      (loop $tnext
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f32x4.sub (f32x4.splat (f32.load (local.get $p))) (local.get $ms)))
        ${expF32Reduce('(local.get $x)')}
        (local.set $w (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero ${expF32Lo()})))
        (local.set $acc (f64.add (local.get $acc) (f64x2.extract_lane 0 (local.get $w))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tnext)))
    (local.get $acc))
  (func (export "maxign_f32") (param $p i32) (param $n i32) (result f64)
    (local $end i32) (local $end8 i32) (local $a0 v128) (local $a1 v128) (local $v f32) (local $s f32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end8 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (local.set $a0 (f32x4.splat (f32.const -inf)))
    (local.set $a1 (local.get $a0))
    ;; pmax(a, v) = a < v ? v : a skips NaN
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end8)))
        (local.set $a0 (f32x4.pmax (local.get $a0) (v128.load (local.get $p))))
        (local.set $a1 (f32x4.pmax (local.get $a1) (v128.load offset=16 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $next)))
    (local.set $a0 (f32x4.pmax (local.get $a0) (local.get $a1)))
    (local.set $s (f32x4.extract_lane 0 (local.get $a0)))
    (local.set $v (f32x4.extract_lane 1 (local.get $a0)))
    (local.set $s (select (local.get $v) (local.get $s) (f32.gt (local.get $v) (local.get $s))))
    (local.set $v (f32x4.extract_lane 2 (local.get $a0)))
    (local.set $s (select (local.get $v) (local.get $s) (f32.gt (local.get $v) (local.get $s))))
    (local.set $v (f32x4.extract_lane 3 (local.get $a0)))
    (local.set $s (select (local.get $v) (local.get $s) (f32.gt (local.get $v) (local.get $s))))
    (block $tdone
      (loop $tnext
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (f32.load (local.get $p)))
        (local.set $s (select (local.get $v) (local.get $s) (f32.gt (local.get $v) (local.get $s))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tnext)))
    (f64.promote_f32 (local.get $s)))`;

/** an f32x4 constant from the exact bits of Math.fround(x) */
function c32(x: number): string {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, x);
  const bits = dv.getInt32(0);
  return `(v128.const i32x4 ${bits} ${bits} ${bits} ${bits})`;
}



/**
 * e^(x - m) for four float32 lanes, in f32x4: $x the elements, $negm = -m splat (m a float32
 * value); sets $y0 / $y1 (f64x2) to e^d for lanes 0-1 / 2-3 (d = x - m <= 0, or NaN).
 * - s = x - m rounded to float32 and its exact error (2Sum): d = s + err exactly;
 * - k = nearest(s log2e) by adding 1.5 2^23 (the float32 sum rounds to an integer, whose bits
 *   hold k + 0x4b400000: k + 1023 for 2^k is one integer subtraction, no float-to-int conversion),
 *   r = (s - k ln2hi) + (err - k ln2lo): s - k ln2hi is exact (Cody-Waite), so r is d - k ln2
 *   within one float32 rounding (|r| <= ln2/2 + 2^-17);
 * - u = r + r^2 q(r) (e^r - 1, |u| < 0.42) in float32;
 * - then in double: (1 + u) 2^k, 2^k from the integer k + 1023 shifted into the exponent field, so
 *   that neither 1 + u nor the scaling rounds (subnormal float32 results are still exact doubles).
 * Relative error below 0.7 2^-24 (u's and r's roundings, 2^-26 each, against e^r >= 0.7, and the
 * polynomial's 0.07 2^-24); softmax = f32(e / sum) then errs by at most 0.5 ulp + 2 (0.7 + 0.7)
 * 2^-24 relative (e's and, at worst, the sum's), below 2 ulp; measured 1.2 ulp on dense rows.
 * Lanes with s < -105 (e^d below float32's smallest subnormal, -Infinity included) give +0 (the
 * mask clears u and 2^k, so that a NaN err of -Infinity lanes does not reach the product); NaN
 * lanes stay NaN.
 */
function softmaxExpF32(): string {
  let q = c32(EXPQ4[EXPQ4.length - 1]!);
  for (let i = EXPQ4.length - 2; i >= 0; i--) q = `(f32x4.add ${c32(EXPQ4[i]!)} (f32x4.mul (local.get $r) ${q}))`;
  return `
        (local.set $s (f32x4.add (local.get $x) (local.get $negm)))
        (local.set $b (f32x4.sub (local.get $s) (local.get $x)))
        (local.set $err (f32x4.add (f32x4.sub (local.get $x) (f32x4.sub (local.get $s) (local.get $b)))
          (f32x4.sub (local.get $negm) (local.get $b))))
        (local.set $kb (f32x4.add (f32x4.mul (local.get $s) ${c32(LOG2E)}) ${c32(12582912)}))
        (local.set $k (f32x4.sub (local.get $kb) ${c32(12582912)}))
        (local.set $r (f32x4.add (f32x4.sub (local.get $s) (f32x4.mul (local.get $k) ${c32(EXP_LN2_HI)}))
          (f32x4.sub (local.get $err) (f32x4.mul (local.get $k) ${c32(EXP_LN2_LO)}))))
        (local.set $mask (f32x4.lt (local.get $s) ${c32(-105)}))
        (local.set $u (v128.andnot (f32x4.add (local.get $r) (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) ${q})) (local.get $mask)))
        (local.set $kb (v128.andnot (i32x4.sub (local.get $kb) (v128.const i32x4 ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023})) (local.get $mask)))
        (local.set $y0 (f64x2.mul (f64x2.add ${c(1)} (f64x2.promote_low_f32x4 (local.get $u)))
          (i64x2.shl (i64x2.extend_low_i32x4_s (local.get $kb)) (i32.const 52))))
        (local.set $y1 (f64x2.mul (f64x2.add ${c(1)} (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $u) (local.get $u))))
          (i64x2.shl (i64x2.extend_high_i32x4_s (local.get $kb)) (i32.const 52))))`;
}

const EXPSUM = pairedLoops(`
        (local.set $x (v128.load (local.get $p)))
        ${softmaxExpF32()}
        (local.set $sum (f64x2.add (local.get $sum) (local.get $y0)))
        (local.set $sum2 (f64x2.add (local.get $sum2) (local.get $y1)))
        (if (local.get $store) (then
          (v128.store (local.get $q) (local.get $y0))
          (v128.store offset=16 (local.get $q) (local.get $y1))))`,
  ['x', 'y0', 'y1', 's', 'b', 'err', 'k', 'r', 'mask', 'u', 'kb'], { p: 16, q: 32 }, '$end4', ['sum', 'sum2']);

const EXPSUM_F32X4 = `
  (func (export "expsum2_f32") (param $p i32) (param $n i32) (param $mm f64) (param $q i32) (param $store i32) (result f64)
    (local $end i32) (local $end4 i32) (local $negm v128) (local $sum v128) (local $sum2 v128) (local $t f64) ${EXPSUM.vars}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $negm (f32x4.splat (f32.neg (f32.demote_f64 (local.get $mm)))))${EXPSUM.loops}
    (local.set $sum (f64x2.add (local.get $sum) (local.get $sum2)))
    (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
    (block $tdone
      (loop $tnext
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f32x4.splat (f32.load (local.get $p))))
        ${softmaxExpF32()}
        (local.set $t (f64.add (local.get $t) (f64x2.extract_lane 0 (local.get $y0))))
        (if (local.get $store) (then (f64.store (local.get $q) (f64x2.extract_lane 0 (local.get $y0)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $tnext)))
    (local.get $t))`;

/**
 * The float32 exp of exp_f32 and lse_f32: a = min(max(x, -105), 89) (NaN kept; e^-105 rounds to
 * float32 0, e^89 to Infinity), k = nearest(a log2e) (the 1.5 2^23 addition), r = (a - k ln2hi) -
 * k ln2lo (a - k ln2hi exact: one rounding), u = r + r^2 q(r) by Estrin, all in f32x4; then
 * (1 + u) 2^k in double (exact 2^k from the integer k + 1023), rounded to float32 once: within
 * 1.0 ulp of e^x on the tests' dense grids. expF32Reduce sets $u and $kb (k + 1023 as i32x4) from
 * the float32 lanes x; expF32Lo / expF32Hi are the f64x2 values of lanes 0-1 / 2-3. The float32
 * JS function `expF32` (src/kernels/unary.ts) does the same operations (see sigmoid_f32).
 */
function expF32Reduce(x: string): string {
  return `
        (local.set $a (f32x4.pmin (f32x4.pmax ${x} ${c32(-105)}) ${c32(89)}))
        (local.set $kb (f32x4.add (f32x4.mul (local.get $a) ${c32(LOG2E)}) ${c32(SIGMOID_MAGIC)}))
        (local.set $k (f32x4.sub (local.get $kb) ${c32(SIGMOID_MAGIC)}))
        (local.set $r (f32x4.sub (f32x4.sub (local.get $a) (f32x4.mul (local.get $k) ${c32(EXP_LN2_HI)}))
          (f32x4.mul (local.get $k) ${c32(EXP_LN2_LO)})))
        ${expm1Estrin()}
        (local.set $kb (i32x4.sub (local.get $kb) (v128.const i32x4 ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023})))`;
}
function expF32Lo(): string {
  return `(f64x2.mul (f64x2.add ${c(1)} (f64x2.promote_low_f32x4 (local.get $u)))
          (i64x2.shl (i64x2.extend_low_i32x4_s (local.get $kb)) (i32.const 52)))`;
}
function expF32Hi(): string {
  return `(f64x2.mul (f64x2.add ${c(1)} (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $u) (local.get $u))))
          (i64x2.shl (i64x2.extend_high_i32x4_s (local.get $kb)) (i32.const 52)))`;
}
/** the top-level S-expressions of a WAT fragment, in order */
function statements(body: string): string[] {
  const out: string[] = [];
  let depth = 0, start = -1;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '(') { if (depth++ === 0) start = i; }
    else if (ch === ')' && --depth === 0) out.push(body.slice(start, i + 1));
  }
  return out;
}

/**
 * Two copies of a loop body that handles one vector, the second on the next one (its locals
 * renamed with the suffix _1, its memory offsets moved by `shift` bytes per pointer), statement by
 * statement in turn: the kernels' long float dependency chains (range reduction, polynomial,
 * scaling) then run two at a time. The out-of-order core does not find that parallelism across
 * iterations by itself (the first chain's waiting operations fill its scheduler); interleaved,
 * exp_f32 went from 1.32 to 1.12 ns per element. Statements that set a `serial` local (running
 * sums) are kept out of the interleaving and come last, the first copy's before the second's, so
 * that every sum adds the same values in the same order; so do branches. Each element sees the same operations:
 * the values are unchanged.
 */
export function interleave2(body: string, locals: readonly string[], shift: Readonly<Record<string, number>>, serial: readonly string[] = []): string {
  let b = body;
  for (const name of locals) b = b.replace(new RegExp(`\\$${name}(?![A-Za-z0-9_])`, 'g'), `$${name}_1`);
  for (const [ptr, bytes] of Object.entries(shift)) {
    b = b.replace(new RegExp(`\\((v128|f32|f64)\\.(load|store)(?: offset=(\\d+))? \\(local\\.get \\$${ptr}\\)`, 'g'),
      (_m, ty: string, op: string, off: string | undefined) => `(${ty}.${op} offset=${Number(off ?? 0) + bytes} (local.get $${ptr})`);
  }
  // branches (a conditional store) go last too: TurboFan does not move work across them
  const isSerial = (st: string): boolean => st.startsWith('(if ') || serial.some((v) => st.startsWith(`(local.set $${v} `));
  const sa = statements(body), sb = statements(b);
  const out: string[] = [];
  for (let i = 0; i < sa.length; i++) if (!isSerial(sa[i]!)) out.push(sa[i]!, sb[i]!);
  out.push(...sa.filter(isSerial), ...sb.filter(isSerial));
  return out.map((x) => `\n        ${x}`).join('');
}

/**
 * The vector loops of a kernel: two vectors per step (interleave2) while both fit before `$end`
 * (a local: the end of the whole vectors), then one. `shift` gives each pointer's bytes per vector
 * ($p first); `locals` the body's v128 locals, declared here with their _1 copies (`vars`).
 */
function pairedLoops(body: string, locals: readonly string[], shift: Readonly<Record<string, number>>, end: string, serial: readonly string[] = []): { vars: string; loops: string } {
  const advance = (k: number): string => Object.entries(shift).map(([ptr, bytes]) => `
        (local.set $${ptr} (i32.add (local.get $${ptr}) (i32.const ${k * bytes})))`).join('');
  return {
    vars: locals.flatMap((l) => [`(local $${l} v128)`, `(local $${l}_1 v128)`]).join(' ') + ' (local $end2v i32)',
    loops: `
    (local.set $end2v (i32.sub (local.get ${end}) (i32.const ${2 * shift.p! - 4})))
    (block $done2
      (loop $next2
        (br_if $done2 (i32.ge_s (local.get $p) (local.get $end2v)))${interleave2(body, locals, shift, serial)}${advance(2)}
        (br $next2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get ${end})))${body}${advance(1)}
        (br $next)))`,
  };
}

function expF32Func(): string {
  const { vars, loops } = pairedLoops(`
        ${expF32Reduce('(v128.load (local.get $p))')}
        (v128.store (local.get $p) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero ${expF32Lo()}) (f32x4.demote_f64x2_zero ${expF32Hi()})))`,
    ['a', 'kb', 'k', 'r', 'r2', 'r4', 'u'], { p: 16 }, '$end');
  return `
  (func (export "exp_f32") (param $p i32) (param $n i32)
    (local $end i32) ${vars}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))${loops}
  )`;
}

/**
 * tanh_f32(p, n): tanh in place over [p, p + 4n) bytes, n a multiple of 4, as E / (E + 2) with
 * E = e^y - 1, y = min(max(2v, -40), 40) (tanh is +-1 in float32 beyond): k = nearest(y log2e),
 * t = y - k ln2hi (exact), c = k ln2lo, r = t - c rounded for the polynomial part
 * p = r^2 (q0 + q1 r) + r^4 ((q2 + q3 r) + q4 r^2) (Estrin), all in f32x4; then in double
 * u = (t - c) + p (so that r's rounding does not reach E: E is relatively accurate near y = 0,
 * where k = 0 and E = u), E = (2^k - 1) + 2^k u and E / (E + 2), rounded to float32. v itself where
 * v is +-0 or NaN. The float32 JS loop in src/kernels/unary.ts does the same operations.
 */
function tanhF32(): string {
  const [q0, q1, q2, q3, q4] = EXPQ4.map(c32) as [string, string, string, string, string];
  const hi = (v: string) => `(i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${v} ${v})`;
  const half = (pr: (v: string) => string, ext: string) => `
        (local.set $s (i64x2.shl (${ext} (local.get $kb)) (i32.const 52)))
        (local.set $e (f64x2.add (f64x2.sub (f64x2.promote_low_f32x4 ${pr('(local.get $t)')}) (f64x2.promote_low_f32x4 ${pr('(local.get $c)')}))
          (f64x2.promote_low_f32x4 ${pr('(local.get $u)')})))
        (local.set $e (f64x2.add (f64x2.sub (local.get $s) ${c(1)}) (f64x2.mul (local.get $s) (local.get $e))))
        (local.set $y (f64x2.div (local.get $e) (f64x2.add (local.get $e) ${c(2)})))`;
  const { vars, loops } = pairedLoops(`
        (local.set $x (v128.load (local.get $p)))
        (local.set $a (f32x4.pmin (f32x4.pmax (f32x4.add (local.get $x) (local.get $x)) ${c32(-40)}) ${c32(40)}))
        (local.set $kb (f32x4.add (f32x4.mul (local.get $a) ${c32(LOG2E)}) ${c32(SIGMOID_MAGIC)}))
        (local.set $k (f32x4.sub (local.get $kb) ${c32(SIGMOID_MAGIC)}))
        (local.set $t (f32x4.sub (local.get $a) (f32x4.mul (local.get $k) ${c32(EXP_LN2_HI)})))
        (local.set $c (f32x4.mul (local.get $k) ${c32(EXP_LN2_LO)}))
        (local.set $r (f32x4.sub (local.get $t) (local.get $c)))
        (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
        (local.set $r4 (f32x4.mul (local.get $r2) (local.get $r2)))
        (local.set $u (f32x4.add
          (f32x4.mul (local.get $r2) (f32x4.add ${q0} (f32x4.mul ${q1} (local.get $r))))
          (f32x4.mul (local.get $r4) (f32x4.add (f32x4.add ${q2} (f32x4.mul ${q3} (local.get $r))) (f32x4.mul ${q4} (local.get $r2))))))
        (local.set $kb (i32x4.sub (local.get $kb) (v128.const i32x4 ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023})))
        ${half((v) => v, 'i64x2.extend_low_i32x4_s')}
        (local.set $lo (f32x4.demote_f64x2_zero (local.get $y)))
        ${half(hi, 'i64x2.extend_high_i32x4_s')}
        (v128.store (local.get $p) (v128.bitselect (local.get $x)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (f32x4.demote_f64x2_zero (local.get $y)))
          (v128.or (f32x4.eq (local.get $x) (v128.const i32x4 0 0 0 0)) (f32x4.ne (local.get $x) (local.get $x)))))`,
    ['x', 'a', 'kb', 'k', 't', 'c', 'r', 'r2', 'r4', 'u', 's', 'e', 'y', 'lo'], { p: 16 }, '$end');
  return `
  (func (export "tanh_f32") (param $p i32) (param $n i32)
    (local $end i32) ${vars}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))${loops}
  )`;
}

/**
 * sigmoid_f32(p, n): the stable sigmoid in place over [p, p + 4n) bytes, n a multiple of 4, e^-|v|
 * in f32x4 as for softmax above (no subtraction, so no 2Sum): a = max(-|v|, -105) (NaN kept),
 * k = nearest(a log2e) (the 1.5 2^23 addition), r = (a - k ln2hi) - k ln2lo (one rounding),
 * u = r + r^2 q(r); then in double e = (1 + u) 2^k and (v >= 0 ? 1 : e) / (1 + e), rounded to
 * float32. The float32 JS loop in src/kernels/unary.ts does the same float32 operations (each a
 * double operation rounded by Math.fround, which is the float32 operation: double has more than
 * 2 * 24 + 2 bits) and the same double ones, so the values are the same.
 */

/**
 * $u = r + (r^2 (q0 + q1 r) + r^4 ((q2 + q3 r) + q4 r^2)) from $r (Estrin: a shorter dependency
 * chain than Horner; the large rounding is the final addition's alone), using $r2 and $r4
 */
function expm1Estrin(): string {
  const [q0, q1, q2, q3, q4] = EXPQ4.map(c32) as [string, string, string, string, string];
  return `
        (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
        (local.set $r4 (f32x4.mul (local.get $r2) (local.get $r2)))
        (local.set $u (f32x4.add (local.get $r) (f32x4.add
          (f32x4.mul (local.get $r2) (f32x4.add ${q0} (f32x4.mul ${q1} (local.get $r))))
          (f32x4.mul (local.get $r4) (f32x4.add (f32x4.add ${q2} (f32x4.mul ${q3} (local.get $r))) (f32x4.mul ${q4} (local.get $r2)))))))`;
}
function sigmoidF32(): string {
  const half = (u: string, kb: string, m: string) => `
        (local.set $e (f64x2.mul (f64x2.add ${c(1)} (f64x2.promote_low_f32x4 ${u}))
          (i64x2.shl ${kb} (i32.const 52))))
        (local.set $y (f64x2.div (f64x2.pmax (local.get $e) (v128.and ${m} ${c(1)})) (f64x2.add ${c(1)} (local.get $e))))`;
  const { vars, loops } = pairedLoops(`
        (local.set $x (v128.load (local.get $p)))
        (local.set $a (f32x4.pmax (v128.or (local.get $x) ${c32(-0)}) ${c32(-105)}))
        (local.set $kb (f32x4.add (f32x4.mul (local.get $a) ${c32(LOG2E)}) ${c32(SIGMOID_MAGIC)}))
        (local.set $k (f32x4.sub (local.get $kb) ${c32(SIGMOID_MAGIC)}))
        (local.set $r (f32x4.sub (f32x4.sub (local.get $a) (f32x4.mul (local.get $k) ${c32(EXP_LN2_HI)}))
          (f32x4.mul (local.get $k) ${c32(EXP_LN2_LO)})))
        ${expm1Estrin()}
        (local.set $kb (i32x4.sub (local.get $kb) (v128.const i32x4 ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023} ${0x4b400000 - 1023})))
        (local.set $ge (f32x4.ge (local.get $x) (v128.const i32x4 0 0 0 0)))
        ${half('(local.get $u)', '(i64x2.extend_low_i32x4_s (local.get $kb))', '(i64x2.extend_low_i32x4_s (local.get $ge))')}
        (local.set $lo (f32x4.demote_f64x2_zero (local.get $y)))
        ${half('(i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $u) (local.get $u))', '(i64x2.extend_high_i32x4_s (local.get $kb))', '(i64x2.extend_high_i32x4_s (local.get $ge))')}
        (v128.store (local.get $p)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $lo) (f32x4.demote_f64x2_zero (local.get $y))))`,
    ['x', 'a', 'kb', 'k', 'r', 'u', 'ge', 'e', 'y', 'lo', 'r2', 'r4'], { p: 16 }, '$end');
  return `
  (func (export "sigmoid_f32") (param $p i32) (param $n i32)
    (local $end i32) ${vars}
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))${loops}
  )`;
}

/**
 * Softmax / log-softmax row passes (float32 rows, any length n):
 * - expsum2_f32(p, n, m, q, store): the double sum of e^(x - m) over the row (two f64x2 partial
 *   sums, the tail in order), storing each e^(x - m) as a double at q when `store` is set;
 * - scale_f32(q, n, a, p): p[i] = f32(q[i] * a) (q doubles, p float32);
 * - sublog_f32(p, n, m, l): p[i] = f32((x[i] - m) - l) in double, as JS's x - m - l.
 */
const SOFTMAX = `${EXPSUM_F32X4}
  (func (export "scale_f32") (param $q i32) (param $n i32) (param $a f64) (param $p i32)
    (local $end i32) (local $end4 i32) (local $as v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $as (f64x2.splat (local.get $a)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end4)))
        (v128.store (local.get $p)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.mul (v128.load (local.get $q)) (local.get $as)))
            (f32x4.demote_f64x2_zero (f64x2.mul (v128.load offset=16 (local.get $q)) (local.get $as)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 32)))
        (br $next)))
    (block $tdone
      (loop $tnext
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (f32.store (local.get $p) (f32.demote_f64 (f64.mul (f64.load (local.get $q)) (local.get $a))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $tnext))))
  (func (export "sublog_f32") (param $p i32) (param $n i32) (param $mm f64) (param $l f64)
    (local $end i32) (local $end4 i32) (local $x v128) (local $ms v128) (local $ls v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $ms (f64x2.splat (local.get $mm)))
    (local.set $ls (f64x2.splat (local.get $l)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end4)))
        (local.set $x (v128.load (local.get $p)))
        (v128.store (local.get $p)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.sub (f64x2.sub (f64x2.promote_low_f32x4 (local.get $x)) (local.get $ms)) (local.get $ls)))
            (f32x4.demote_f64x2_zero (f64x2.sub (f64x2.sub (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x) (local.get $x))) (local.get $ms)) (local.get $ls)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (block $tdone
      (loop $tnext
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (f32.store (local.get $p) (f32.demote_f64 (f64.sub (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (local.get $mm)) (local.get $l))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tnext))))`;

/**
 * Reductions over a contiguous run [p, p + n elements), any n: sum (in double: float32 lanes are
 * promoted), max and min (NaN-propagating, f32x4.max / f64x2.max: any NaN gives NaN; of +0 and -0
 * max gives +0, min -0). Each returns a double. Eight elements per step: the sum keeps four f64x2
 * accumulators (lane j of accumulator a holds the elements congruent to 2a + j modulo 8), added as a
 * tree at the end, then the remaining n % 8 in order; max/min keep two vectors. `reduce_<op>_<dtype>` is the run function; `rows_<op>_<dtype>`
 * applies the run function to `rows` consecutive runs of k elements and stores the doubles at q.
 */
export const REDUCE_OPS = ['sum', 'max', 'min'] as const;
export const REDUCE_DTYPES = ['f32', 'f64'] as const;

function reduceFunc(op: (typeof REDUCE_OPS)[number], dt: (typeof REDUCE_DTYPES)[number]): string {
  const b = dt === 'f32' ? 4 : 8;
  const shift = dt === 'f32' ? 2 : 3;
  const name = `reduce_${op}_${dt}`;
  const hi = (v: string) => `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${v} ${v}))`;
  const lo = (v: string) => `(f64x2.promote_low_f32x4 ${v})`;
  let init: string, step: string, fold: string, tail: string;
  if (op === 'sum') {
    init = '';
    if (dt === 'f32') {
      step = `
        (local.set $x (v128.load (local.get $p)))
        (local.set $y (v128.load offset=16 (local.get $p)))
        (local.set $a0 (f64x2.add (local.get $a0) ${lo('(local.get $x)')}))
        (local.set $a1 (f64x2.add (local.get $a1) ${hi('(local.get $x)')}))
        (local.set $a2 (f64x2.add (local.get $a2) ${lo('(local.get $y)')}))
        (local.set $a3 (f64x2.add (local.get $a3) ${hi('(local.get $y)')}))`;
    } else {
      step = `
        (local.set $a0 (f64x2.add (local.get $a0) (v128.load (local.get $p))))
        (local.set $a1 (f64x2.add (local.get $a1) (v128.load offset=16 (local.get $p))))
        (local.set $a2 (f64x2.add (local.get $a2) (v128.load offset=32 (local.get $p))))
        (local.set $a3 (f64x2.add (local.get $a3) (v128.load offset=48 (local.get $p))))`;
    }
    fold = `
    (local.set $a0 (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3))))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))`;
    tail = dt === 'f32' ? `(f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $p))))` : `(f64.add (local.get $s) (f64.load (local.get $p)))`;
  } else {
    const vop = `${dt === 'f32' ? 'f32x4' : 'f64x2'}.p${op}`;
    const idv = op === 'max' ? '-inf' : 'inf';
    const splat = dt === 'f32' ? `(f32x4.splat (f32.const ${idv}))` : `(f64x2.splat (f64.const ${idv}))`;
    init = `
    (local.set $a0 ${splat})
    (local.set $a1 (local.get $a0))
    (local.set $s (f64.const ${idv}))`;
    // pmax(a, v) = a < v ? v : a (one maxps/maxpd), which skips a NaN v: NaNs are tracked in $y
    const vp = `${dt === 'f32' ? 'f32x4' : 'f64x2'}.p${op}`;
    const ne = `${dt === 'f32' ? 'f32x4' : 'f64x2'}.ne`;
    const one = (acc: string, off: number) => `
        (local.set $x (v128.load offset=${off} (local.get $p)))
        (local.set ${acc} (${vp} (local.get ${acc}) (local.get $x)))
        (local.set $y (v128.or (local.get $y) (${ne} (local.get $x) (local.get $x))))`;
    step = dt === 'f32' ? one('$a0', 0) + one('$a1', 16) : one('$a0', 0) + one('$a1', 16) + one('$a0', 32) + one('$a1', 48);
    const sop = `f64.${op}`;
    fold = dt === 'f32'
      ? `
    (local.set $a0 (${vop} (local.get $a0) (local.get $a1)))
    (if (v128.any_true (local.get $y)) (then (return (f64.const nan))))
    (local.set $s (${sop}
      (${sop} (f64.promote_f32 (f32x4.extract_lane 0 (local.get $a0))) (f64.promote_f32 (f32x4.extract_lane 1 (local.get $a0))))
      (${sop} (f64.promote_f32 (f32x4.extract_lane 2 (local.get $a0))) (f64.promote_f32 (f32x4.extract_lane 3 (local.get $a0))))))`
      : `
    (local.set $a0 (${vop} (local.get $a0) (local.get $a1)))
    (if (v128.any_true (local.get $y)) (then (return (f64.const nan))))
    (local.set $s (${sop} (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))`;
    tail = dt === 'f32' ? `(${sop} (local.get $s) (f64.promote_f32 (f32.load (local.get $p))))` : `(${sop} (local.get $s) (f64.load (local.get $p)))`;
  }
  return `
  (func $${name} (export "${name}") (param $p i32) (param $n i32) (result f64)
    (local $end i32) (local $end8 i32) (local $x v128) (local $y v128) (local $s f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const ${shift}))))
    (local.set $end8 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const ${shift}))))${init}
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end8)))${step}
        (local.set $p (i32.add (local.get $p) (i32.const ${8 * b})))
        (br $next)))${fold}
    (block $tdone
      (loop $tnext
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s ${tail})
        (local.set $p (i32.add (local.get $p) (i32.const ${b})))
        (br $tnext)))
    (local.get $s))
  (func (export "rows_${op}_${dt}") (param $p i32) (param $k i32) (param $rows i32) (param $q i32)
    (local $step i32) (local $qend i32)
    (local.set $step (i32.shl (local.get $k) (i32.const ${shift})))
    (local.set $qend (i32.add (local.get $q) (i32.shl (local.get $rows) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $q) (local.get $qend)))
        (f64.store (local.get $q) (call $${name} (local.get $p) (local.get $k)))
        (local.set $p (i32.add (local.get $p) (local.get $step)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $next))))`;
}

/**
 * Column reductions: cols_<op>_<dtype>(p, w, rows, q) folds `rows` consecutive rows of w elements
 * at p into the w doubles at q, acc[j] = op(acc[j], x[r][j]), rows in order: sum in double (a
 * float32 input promoted), max/min NaN-propagating (any NaN gives NaN).
 */
function colsFunc(op: (typeof REDUCE_OPS)[number], dt: (typeof REDUCE_DTYPES)[number]): string {
  const b = dt === 'f32' ? 4 : 8;
  const sf = `f64.${op === 'sum' ? 'add' : op}`;
  // acc at offset `off` of $a folded with the f64x2 in $u. max/min: pmax(acc, u) = acc < u ? u : acc
  // (one maxpd), and u itself where u is NaN; a NaN acc stays (NaN < u is false): NaN-propagating
  // like f64x2.max, which costs several instructions more on x64
  const fold = (off: number) => op === 'sum'
    ? `
          (v128.store offset=${off} (local.get $a) (f64x2.add (v128.load offset=${off} (local.get $a)) (local.get $u)))`
    : `
          (v128.store offset=${off} (local.get $a) (v128.bitselect (local.get $u)
            (f64x2.p${op} (v128.load offset=${off} (local.get $a)) (local.get $u)) (f64x2.ne (local.get $u) (local.get $u))))`;
  const vec = dt === 'f32'
    ? `
          (local.set $x (v128.load (local.get $p)))
          (local.set $u (f64x2.promote_low_f32x4 (local.get $x)))${fold(0)}
          (local.set $u (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $x) (local.get $x))))${fold(16)}
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $a (i32.add (local.get $a) (i32.const 32)))`
    : `
          (local.set $u (v128.load (local.get $p)))${fold(0)}
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $a (i32.add (local.get $a) (i32.const 16)))`;
  const per = dt === 'f32' ? 4 : 2;
  const load = dt === 'f32' ? '(f64.promote_f32 (f32.load (local.get $p)))' : '(f64.load (local.get $p))';
  return `
  (func (export "cols_${op}_${dt}") (param $p i32) (param $w i32) (param $rows i32) (param $q i32)
    (local $x v128) (local $u v128) (local $a i32) (local $aend i32) (local $vend i32) (local $r i32)
    (local.set $aend (i32.add (local.get $q) (i32.shl (local.get $w) (i32.const 3))))
    (local.set $vend (i32.add (local.get $q) (i32.shl (i32.and (local.get $w) (i32.const ${-per})) (i32.const 3))))
    (block $rdone
      (loop $rnext
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $a (local.get $q))
        (block $vdone
          (loop $vnext
            (br_if $vdone (i32.ge_u (local.get $a) (local.get $vend)))${vec}
            (br $vnext)))
        (block $tdone
          (loop $tnext
            (br_if $tdone (i32.ge_u (local.get $a) (local.get $aend)))
            (f64.store (local.get $a) (${sf} (f64.load (local.get $a)) ${load}))
            (local.set $p (i32.add (local.get $p) (i32.const ${b})))
            (local.set $a (i32.add (local.get $a) (i32.const 8)))
            (br $tnext)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rnext))))`;
}

/**
 * Arithmetic: bin_<op>_<dtype>(p, q, n) sets p[i] = p[i] op q[i], rbin_<op>_<dtype> p[i] = q[i] op p[i],
 * for n elements (any n). In float32 the f32x4 operation is the correctly rounded result, which is
 * what JS's double operation rounded to float32 gives for + - * / (double has more than 2 * 24 + 2
 * bits), so the values are those of the JS loops.
 */
export const ARITH_OPS = ['add', 'sub', 'mul', 'div'] as const;

/**
 * The two loops every in-place map below shares: two v128 (32 bytes) per step while they fit, then
 * one element at a time. `pointers` ($p first) advance together; `vec` and `scalar` are the bodies.
 * Needs the locals $end and $end2 and the parameters $p and $n; the caller closes the function.
 */
function mapLoops(dt: (typeof REDUCE_DTYPES)[number], pointers: readonly string[], vec: string, scalar: string): string {
  const b = dt === 'f32' ? 4 : 8;
  const shift = dt === 'f32' ? 2 : 3;
  const advance = (bytes: number): string =>
    pointers.map((q) => `
        (local.set ${q} (i32.add (local.get ${q}) (i32.const ${bytes})))`).join('');
  return `
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const ${shift}))))
    (local.set $end2 (i32.sub (local.get $end) (i32.const 31)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $p) (local.get $end2)))${vec}${advance(32)}
        (br $next)))
    (block $tdone
      (loop $tnext
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))${scalar}${advance(b)}
        (br $tnext)))`;
}

function binFunc(op: (typeof ARITH_OPS)[number], dt: (typeof REDUCE_DTYPES)[number], rev: boolean): string {
  const v = `${dt === 'f32' ? 'f32x4' : 'f64x2'}.${op}`;
  const sc = `${dt}.${op}`;
  const [l, r] = rev ? ['$y', '$x'] : ['$x', '$y'];
  const vstep = (off: number) => `
        (local.set $x (v128.load offset=${off} (local.get $p)))
        (local.set $y (v128.load offset=${off} (local.get $q)))
        (v128.store offset=${off} (local.get $p) (${v} (local.get ${l}) (local.get ${r})))`;
  const [sl, sr] = rev ? [`(${dt}.load (local.get $q))`, `(${dt}.load (local.get $p))`] : [`(${dt}.load (local.get $p))`, `(${dt}.load (local.get $q))`];
  return `
  (func (export "${rev ? 'rbin' : 'bin'}_${op}_${dt}") (param $p i32) (param $q i32) (param $n i32)
    (local $end i32) (local $end2 i32) (local $x v128) (local $y v128)${mapLoops(dt, ['$p', '$q'], vstep(0) + vstep(16), `
        (${dt}.store (local.get $p) (${sc} ${sl} ${sr}))`)})`;
}

/**
 * With a scalar: bins_<op>_<dtype>(p, n, s) sets p[i] = p[i] op s, rbins_ p[i] = s op p[i] (s a
 * double, of the dtype's value), any n; the values of the JS loops as for bin_.
 */
function binsFunc(op: (typeof ARITH_OPS)[number], dt: (typeof REDUCE_DTYPES)[number], rev: boolean): string {
  const V = dt === 'f32' ? 'f32x4' : 'f64x2';
  const splat = dt === 'f32' ? `(f32x4.splat (f32.demote_f64 (local.get $s)))` : `(f64x2.splat (local.get $s))`;
  const sv = dt === 'f32' ? `(f32.demote_f64 (local.get $s))` : `(local.get $s)`;
  const vop = (x: string) => (rev ? `(${V}.${op} (local.get $y) ${x})` : `(${V}.${op} ${x} (local.get $y))`);
  const sop = (x: string) => (rev ? `(${dt}.${op} ${sv} ${x})` : `(${dt}.${op} ${x} ${sv})`);
  return `
  (func (export "${rev ? 'rbins' : 'bins'}_${op}_${dt}") (param $p i32) (param $n i32) (param $s f64)
    (local $end i32) (local $end2 i32) (local $y v128)
    (local.set $y ${splat})${mapLoops(dt, ['$p'], `
        (v128.store (local.get $p) ${vop('(v128.load (local.get $p))')})
        (v128.store offset=16 (local.get $p) ${vop('(v128.load offset=16 (local.get $p))')})`, `
        (${dt}.store (local.get $p) ${sop(`(${dt}.load (local.get $p))`)})`)})`;
}

/**
 * Comparisons in place, cmp_<op>_<dtype>(p, q, n): p[i] = p[i] op q[i] ? 1 : 0, any n. IEEE
 * comparisons as JS's (=== is eq: NaN unequal, -0 equal to +0; !== is ne; < <= > >= false with NaN).
 */
export const COMPARE_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

function cmpFunc(op: (typeof COMPARE_OPS)[number], dt: (typeof REDUCE_DTYPES)[number]): string {
  const V = dt === 'f32' ? 'f32x4' : 'f64x2';
  const vstep = (off: number) => `
        (v128.store offset=${off} (local.get $p) (v128.and (local.get $one)
          (${V}.${op} (v128.load offset=${off} (local.get $p)) (v128.load offset=${off} (local.get $q)))))`;
  return `
  (func (export "cmp_${op}_${dt}") (param $p i32) (param $q i32) (param $n i32)
    (local $end i32) (local $end2 i32) (local $one v128)
    (local.set $one (${V}.splat (${dt}.const 1)))${mapLoops(dt, ['$p', '$q'], vstep(0) + vstep(16), `
        (${dt}.store (local.get $p) (select (${dt}.const 1) (${dt}.const 0)
          (${dt}.${op} (${dt}.load (local.get $p)) (${dt}.load (local.get $q)))))`)})`;
}

/**
 * Exact unary maps in place, un_<op>_<dtype>(p, n), any n: neg, abs, square (v * v), sqrt,
 * reciprocal (1 / v), relu (v < 0 ? +0 : v; NaN and -0 kept, as PyTorch). Each is one correctly rounded IEEE
 * operation (or exact), so float32 gives Math.fround of the JS double result and float64 the JS
 * result itself (sqrt and / are correctly rounded in both).
 */
export const EXACT_UNARY = ['neg', 'abs', 'square', 'sqrt', 'reciprocal', 'relu'] as const;

function unFunc(op: (typeof EXACT_UNARY)[number], dt: (typeof REDUCE_DTYPES)[number]): string {
  const V = dt === 'f32' ? 'f32x4' : 'f64x2';
  const vec = (x: string): string => {
    switch (op) {
      case 'neg': return `(${V}.neg ${x})`;
      case 'abs': return `(${V}.abs ${x})`;
      case 'square': return `(${V}.mul ${x} ${x})`;
      case 'sqrt': return `(${V}.sqrt ${x})`;
      case 'reciprocal': return `(${V}.div (${V}.splat (${dt}.const 1)) ${x})`;
      case 'relu': return `(v128.andnot ${x} (${V}.lt ${x} (v128.const i64x2 0 0)))`;
    }
  };
  const sc = (x: string): string => {
    switch (op) {
      case 'neg': return `(${dt}.neg ${x})`;
      case 'abs': return `(${dt}.abs ${x})`;
      case 'square': return `(${dt}.mul ${x} ${x})`;
      case 'sqrt': return `(${dt}.sqrt ${x})`;
      case 'reciprocal': return `(${dt}.div (${dt}.const 1) ${x})`;
      case 'relu': return `(select (${dt}.const 0) ${x} (${dt}.lt ${x} (${dt}.const 0)))`;
    }
  };
  return `
  (func (export "un_${op}_${dt}") (param $p i32) (param $n i32)
    (local $end i32) (local $end2 i32) (local $x v128) (local $s ${dt})${mapLoops(dt, ['$p'], `
        (local.set $x (v128.load (local.get $p)))
        (v128.store (local.get $p) ${vec('(local.get $x)')})
        (local.set $x (v128.load offset=16 (local.get $p)))
        (v128.store offset=16 (local.get $p) ${vec('(local.get $x)')})`, `
        (local.set $s (${dt}.load (local.get $p)))
        (${dt}.store (local.get $p) ${sc('(local.get $s)')})`)})`;
}

/**
 * maxpool2_f32(p, h, w, oh, ow, planes, q, qi, withIndex): maxPool2d's 2x2 window, stride 2, no
 * padding or dilation, over `planes` float32 planes of h x w at p (2 oh <= h, 2 ow <= w): the
 * maxima at q (oh x ow per plane) and, when withIndex is set, the arg-max at qi as plane-relative
 * flat indices (int32). The comparisons of the JS loop (conv-im2col.ts maxPool2x2), made
 * branch-free: the window's top-left value starts, then top-right, bottom-left, bottom-right each
 * take over where they are greater or NaN (bitselect on f32x4.gt | f32x4.ne), so ties keep the
 * first maximum, -0 and +0 keep the first, and NaN propagates with the last NaN's index. Four
 * windows a step (the evens and odds of two rows of eight floats), then one at a time.
 */
const MAXPOOL2 = (() => {
  // the window element v (offset `off` from the window's first) takes over $m / $c (four windows) or
  // $s / $k (one) where it is greater or NaN
  const take = (v: string, off: string) => `
        (local.set $t (v128.or (f32x4.gt ${v} (local.get $m)) (f32x4.ne ${v} ${v})))
        (local.set $m (v128.bitselect ${v} (local.get $m) (local.get $t)))
        (local.set $c (v128.bitselect ${off} (local.get $c) (local.get $t)))`;
  // the end of a step: $q, $r0, $r1 and $x move on by `n` windows (bytes for the pointers)
  const advance = (n: number, pad: string) => ['q', 'r0', 'r1', 'x']
    .map((v, i) => `\n${pad}(local.set $${v} (i32.add (local.get $${v}) (i32.const ${n * [4, 8, 8, 1][i]!})))`).join('');
  const stake = (v: string, off: string) => `
            (local.set $v ${v})
            (if (i32.or (f32.gt (local.get $v) (local.get $s)) (f32.ne (local.get $v) (local.get $v)))
              (then (local.set $s (local.get $v)) (local.set $k (i32.add (local.get $kw) ${off}))))`;
  return `
  (func (export "maxpool2_f32") (param $p i32) (param $h i32) (param $w i32) (param $oh i32) (param $ow i32)
    (param $planes i32) (param $q i32) (param $qi i32) (param $withIndex i32)
    (local $plane i32) (local $y i32) (local $x i32) (local $r0 i32) (local $r1 i32) (local $k0 i32) (local $kw i32) (local $k i32)
    (local $a v128) (local $b v128) (local $c2 v128) (local $d v128) (local $m v128) (local $c v128) (local $t v128)
    (local $offW v128) (local $offW1 v128) (local $lanes v128) (local $s f32) (local $v f32) (local $ow4 i32)
    (local.set $offW (i32x4.splat (local.get $w)))
    (local.set $offW1 (i32x4.splat (i32.add (local.get $w) (i32.const 1))))
    (local.set $lanes (v128.const i32x4 0 2 4 6))
    (local.set $ow4 (i32.and (local.get $ow) (i32.const -4)))
    (block $pdone (loop $pnext
      (br_if $pdone (i32.ge_u (local.get $plane) (local.get $planes)))
      (local.set $y (i32.const 0))
      (block $ydone (loop $ynext
        (br_if $ydone (i32.ge_u (local.get $y) (local.get $oh)))
        ;; k0: the plane-relative index of the row pair's first element
        (local.set $k0 (i32.mul (i32.shl (local.get $y) (i32.const 1)) (local.get $w)))
        (local.set $r0 (i32.add (local.get $p) (i32.shl (local.get $k0) (i32.const 2))))
        (local.set $r1 (i32.add (local.get $r0) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $x (i32.const 0))
        (block $xdone (loop $xnext
          (br_if $xdone (i32.ge_u (local.get $x) (local.get $ow4)))
          (local.set $a (v128.load (local.get $r0)))
          (local.set $b (v128.load offset=16 (local.get $r0)))
          (local.set $c2 (v128.load (local.get $r1)))
          (local.set $d (v128.load offset=16 (local.get $r1)))
          (local.set $m (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $b)))
          (local.set $b (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $b)))
          (local.set $a (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $c2) (local.get $d)))
          (local.set $d (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $c2) (local.get $d)))
          (local.set $c (v128.const i32x4 0 0 0 0))${take('(local.get $b)', '(v128.const i32x4 1 1 1 1)')}${take('(local.get $a)', '(local.get $offW)')}${take('(local.get $d)', '(local.get $offW1)')}
          (v128.store (local.get $q) (local.get $m))
          (if (local.get $withIndex) (then
            (v128.store (local.get $qi) (i32x4.add (local.get $c)
              (i32x4.add (local.get $lanes) (i32x4.splat (i32.add (local.get $k0) (i32.shl (local.get $x) (i32.const 1)))))))
            (local.set $qi (i32.add (local.get $qi) (i32.const 16)))))${advance(4, '          ')}
          (br $xnext)))
        (block $tdone (loop $tnext
          (br_if $tdone (i32.ge_u (local.get $x) (local.get $ow)))
            ;; kw: the window's first element
            (local.set $kw (i32.add (local.get $k0) (i32.shl (local.get $x) (i32.const 1))))
            (local.set $s (f32.load (local.get $r0)))
            (local.set $k (local.get $kw))${stake('(f32.load offset=4 (local.get $r0))', '(i32.const 1)')}${stake('(f32.load (local.get $r1))', '(local.get $w)')}${stake('(f32.load offset=4 (local.get $r1))', '(i32.add (local.get $w) (i32.const 1))')}
            (f32.store (local.get $q) (local.get $s))
            (if (local.get $withIndex) (then
              (i32.store (local.get $qi) (local.get $k))
              (local.set $qi (i32.add (local.get $qi) (i32.const 4)))))${advance(1, '            ')}
          (br $tnext)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $ynext)))
      (local.set $p (i32.add (local.get $p) (i32.shl (i32.mul (local.get $h) (local.get $w)) (i32.const 2))))
      (local.set $plane (i32.add (local.get $plane) (i32.const 1)))
      (br $pnext))))`;
})();

/**
 * Moves every v128.const of each function into a local read once, before the body, from a mutable
 * global holding it. V8 (TurboFan, V8 11 in Node 20) folds a constant local back into its uses and
 * rebuilds a 128-bit constant at each one (movabs, movq, punpcklqdq: three instructions), which was
 * more than a third of the exp kernel's instructions; a mutable global is not folded, so the value
 * is loaded once and stays in a register (or a stack slot). The values, and so the results, are
 * unchanged.
 */
export function hoistConstants(module: string): string {
  const globals = new Map<string, string>();
  const named = (k: string): string => {
    let g = globals.get(k);
    if (g === undefined) globals.set(k, (g = `$G${globals.size}`));
    return g;
  };
  const funcs = module.replace(/(\(func \(export "[^"]*"\)(?:\s*\((?:param|result|local) [^()]*\))*)([\s\S]*?)(?=\n  \(func |\n\)\s*$)/g, (_m, head: string, body: string) => {
    const consts = [...new Set(body.match(/\(v128\.const [^()]*\)/g) ?? [])];
    if (consts.length === 0) return head + body;
    const local = new Map(consts.map((k, i) => [k, `$K${i}`]));
    const decls = consts.map((k) => `(local ${local.get(k)} v128)`).join(' ');
    const sets = consts.map((k) => `\n    (local.set ${local.get(k)} (global.get ${named(k)}))`).join('');
    return `${head} ${decls}${sets}${body.replace(/\(v128\.const [^()]*\)/g, (k) => `(local.get ${local.get(k)})`)}`;
  });
  const decls = [...globals].map(([k, g]) => `\n  (global ${g} (mut v128) ${k})`).join('');
  return funcs.replace(/(\(memory [^\n]*)/, `$1${decls}`);
}

export function elementwiseWat(): string {
  return hoistConstants(elementwiseWatPlain());
}

function elementwiseWatPlain(): string {
  const reductions = REDUCE_OPS.flatMap((op) => REDUCE_DTYPES.map((dt) => reduceFunc(op, dt) + colsFunc(op, dt)));
  return `(module
  (memory (export "memory") 1 65536)
${expF32Func()}
${sigmoidF32()}
${tanhF32()}
${ROWS}
${SOFTMAX}
${reductions.join('\n')}
${ARITH_OPS.flatMap((op) => REDUCE_DTYPES.flatMap((dt) => [binFunc(op, dt, false), binFunc(op, dt, true), binsFunc(op, dt, false), binsFunc(op, dt, true)])).join('\n')}
${EXACT_UNARY.flatMap((op) => REDUCE_DTYPES.map((dt) => unFunc(op, dt))).join('\n')}
${COMPARE_OPS.flatMap((op) => REDUCE_DTYPES.map((dt) => cmpFunc(op, dt))).join('\n')}
${MAXPOOL2}
)`;
}
