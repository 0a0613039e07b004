// Generator for the WebAssembly text of the matmul micro-kernels.
//
// The module holds one macro-kernel per dtype. A macro-kernel multiplies a packed block of A
// (mPanels panels of MR rows, each panel stored k-major: panel[p*MR + r]) by a packed block of
// B (nPanels panels of NR columns, each stored k-major: panel[p*NR + c]) and ADDS the product
// into a row-major C block with leading dimension ldc (elements), or, when $store is nonzero,
// STORES it there (the first k block of a product that does not accumulate: C needs no zero fill
// and is not read; the same values, as the register tile starts from +0). Panels are zero-padded by the
// packer, so the kernel never sees a partial tile; the caller's C buffer is padded likewise.
//
// The register tile is MR x NR, held in MR * NR/LANES v128 accumulators. Loop order inside the
// macro-kernel is jr (B micro-panel, stays in L1) outer, ir (A micro-panel, streamed from L2)
// inner, as in BLIS.
//
// Used by scripts/gen-matmul-wasm.ts (writes src/kernels/wasm/matmul-wasm.generated.ts) and by
// the tuning script.

export interface KernelSpec {
  /** exported function name */
  name: string;
  dtype: 'f32' | 'f64';
  /** rows of the register tile */
  mr: number;
  /** columns of the register tile, a multiple of the lane count (4 for f32, 2 for f64) */
  nr: number;
  /** k-loop unroll factor (1 or 2) */
  unroll: number;
}

export function kernelWat(spec: KernelSpec): string {
  const { name, dtype, mr, nr, unroll } = spec;
  const lanes = dtype === 'f32' ? 4 : 2;
  const esz = dtype === 'f32' ? 4 : 8;
  const vx = dtype === 'f32' ? 'f32x4' : 'f64x2';
  const splat = dtype === 'f32' ? 'v128.load32_splat' : 'v128.load64_splat';
  if (nr % lanes !== 0) throw new Error('nr must be a multiple of the lane count');
  const nv = nr / lanes;
  const acc = (i: number, v: number) => `$c${i}_${v}`;
  const L: string[] = [];
  const e = (s: string) => L.push(s);

  e(`  (func $${name} (export "${name}")`);
  e(`    (param $ap i32) (param $bp i32) (param $cp i32) (param $mPanels i32) (param $nPanels i32) (param $kc i32) (param $ldc i32) (param $store i32)`);
  e(`    (local $jr i32) (local $ir i32) (local $a i32) (local $b i32) (local $c i32) (local $kk i32)`);
  e(`    (local $ldcb i32) (local $aStride i32) (local $bStride i32) (local $bPanel i32) (local $cCol i32)`);
  e(`    (local $av v128)`);
  for (let v = 0; v < nv; v++) e(`    (local $b${v} v128)`);
  for (let i = 0; i < mr; i++) for (let v = 0; v < nv; v++) e(`    (local ${acc(i, v)} v128)`);
  e(`    (local.set $ldcb (i32.mul (local.get $ldc) (i32.const ${esz})))`);
  e(`    (local.set $aStride (i32.mul (local.get $kc) (i32.const ${mr * esz})))`);
  e(`    (local.set $bStride (i32.mul (local.get $kc) (i32.const ${nr * esz})))`);
  e(`    (if (i32.eqz (local.get $kc)) (then (return)))`);
  e(`    (local.set $bPanel (local.get $bp))`);
  e(`    (local.set $cCol (local.get $cp))`);
  e(`    (local.set $jr (local.get $nPanels))`);
  e(`    (block $jdone (loop $jloop`);
  e(`      (br_if $jdone (i32.eqz (local.get $jr)))`);
  e(`      (local.set $a (local.get $ap))`);
  e(`      (local.set $c (local.get $cCol))`);
  e(`      (local.set $ir (local.get $mPanels))`);
  e(`      (block $idone (loop $iloop`);
  e(`        (br_if $idone (i32.eqz (local.get $ir)))`);
  for (let i = 0; i < mr; i++) for (let v = 0; v < nv; v++) e(`        (local.set ${acc(i, v)} (v128.const i32x4 0 0 0 0))`);
  e(`        (local.set $b (local.get $bPanel))`);

  const step = (aOffEl: number, bOffEl: number) => {
    for (let v = 0; v < nv; v++)
      e(`          (local.set $b${v} (v128.load offset=${(bOffEl + v * lanes) * esz} align=${Math.min(esz * lanes, 16)} (local.get $b)))`);
    for (let i = 0; i < mr; i++) {
      e(`          (local.set $av (${splat} offset=${(aOffEl + i) * esz} (local.get $a)))`);
      for (let v = 0; v < nv; v++)
        e(`          (local.set ${acc(i, v)} (${vx}.add (local.get ${acc(i, v)}) (${vx}.mul (local.get $av) (local.get $b${v}))))`);
    }
  };

  if (unroll === 2) {
    // pairs of k steps, then one remainder step
    e(`        (local.set $kk (i32.shr_u (local.get $kc) (i32.const 1)))`);
    e(`        (block $k2done (loop $k2loop`);
    e(`          (br_if $k2done (i32.eqz (local.get $kk)))`);
    step(0, 0);
    step(mr, nr);
    e(`          (local.set $a (i32.add (local.get $a) (i32.const ${2 * mr * esz})))`);
    e(`          (local.set $b (i32.add (local.get $b) (i32.const ${2 * nr * esz})))`);
    e(`          (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))`);
    e(`          (br $k2loop)))`);
    e(`        (if (i32.and (local.get $kc) (i32.const 1)) (then`);
    step(0, 0);
    e(`          (local.set $a (i32.add (local.get $a) (i32.const ${mr * esz})))`);
    e(`        ))`);
  } else {
    e(`        (local.set $kk (local.get $kc))`);
    e(`        (loop $kloop`);
    step(0, 0);
    e(`          (local.set $a (i32.add (local.get $a) (i32.const ${mr * esz})))`);
    e(`          (local.set $b (i32.add (local.get $b) (i32.const ${nr * esz})))`);
    e(`          (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))`);
    e(`          (br_if $kloop (local.get $kk)))`);
  }
  // C += acc, or C = acc with $store   ($a already points at the next A panel)
  const writeC = (add: boolean) => {
    for (let i = 0; i < mr; i++) {
      const row = i === 0 ? `(local.get $c)` : `(i32.add (local.get $c) (i32.mul (local.get $ldcb) (i32.const ${i})))`;
      e(`        (local.set $kk ${row})`);
      for (let v = 0; v < nv; v++) {
        const off = v * lanes * esz;
        const val = add ? `(${vx}.add (v128.load offset=${off} (local.get $kk)) (local.get ${acc(i, v)}))` : `(local.get ${acc(i, v)})`;
        e(`        (v128.store offset=${off} (local.get $kk) ${val})`);
      }
    }
  };
  e(`        (if (local.get $store) (then`);
  writeC(false);
  e(`        ) (else`);
  writeC(true);
  e(`        ))`);
  e(`        (local.set $c (i32.add (local.get $c) (i32.mul (local.get $ldcb) (i32.const ${mr}))))`);
  e(`        (local.set $ir (i32.sub (local.get $ir) (i32.const 1)))`);
  e(`        (br $iloop)))`);
  e(`      (local.set $bPanel (i32.add (local.get $bPanel) (local.get $bStride)))`);
  e(`      (local.set $cCol (i32.add (local.get $cCol) (i32.const ${nr * esz})))`);
  e(`      (local.set $jr (i32.sub (local.get $jr) (i32.const 1)))`);
  e(`      (br $jloop)))`);
  e(`  )`);
  return L.join('\n');
}

/**
 * Packing routine `pack_<dtype>_<w>`: copies an operand block into panels of width W, k-major.
 * Element (r, p) of the source block is at byte address src + r*rs + p*cs; panel t holds rows
 * r in [t*W, t*W + W) as dst[t][p][0..W), rows at or past nValid are written as zeros. Serves A
 * (W = MR, r = row of op(A), p = k index) and B (W = NR, r = column of op(B)).
 * When rs equals the element size (the W elements are contiguous: plain B, transposed A) the
 * full panels are copied with v128 loads/stores.
 */
export function packWat(dtype: 'f32' | 'f64', w: number): string {
  const esz = dtype === 'f32' ? 4 : 8;
  const ld = `${dtype}.load`;
  const st = `${dtype}.store`;
  const L: string[] = [];
  const e = (x: string) => L.push(x);
  e(`  (func $pack_${dtype}_${w} (export "pack_${dtype}_${w}")`);
  e(`    (param $src i32) (param $rs i32) (param $cs i32) (param $nValid i32) (param $panels i32) (param $kc i32) (param $dst i32)`);
  e(`    (local $t i32) (local $p i32) (local $s i32) (local $x i32) (local $rows i32) (local $r i32)`);
  e(`    (local.set $t (i32.const 0))`);
  e(`    (block $tdone (loop $tloop`);
  e(`      (br_if $tdone (i32.ge_u (local.get $t) (local.get $panels)))`);
  e(`      (local.set $rows (i32.sub (local.get $nValid) (i32.mul (local.get $t) (i32.const ${w}))))`);
  e(`      (local.set $s (i32.add (local.get $src) (i32.mul (i32.mul (local.get $t) (i32.const ${w})) (local.get $rs))))`);
  e(`      (local.set $p (local.get $kc))`);
  e(`      (if (i32.ge_s (local.get $rows) (i32.const ${w})) (then`);
  e(`        (if (i32.eq (local.get $rs) (i32.const ${esz})) (then`);
  // contiguous: vector copy
  e(`          (block $vdone (loop $vloop`);
  e(`            (br_if $vdone (i32.eqz (local.get $p)))`);
  for (let o = 0; o < w * esz; o += 16) e(`            (v128.store offset=${o} align=4 (local.get $dst) (v128.load offset=${o} align=4 (local.get $s)))`);
  e(`            (local.set $s (i32.add (local.get $s) (local.get $cs)))`);
  e(`            (local.set $dst (i32.add (local.get $dst) (i32.const ${w * esz})))`);
  e(`            (local.set $p (i32.sub (local.get $p) (i32.const 1)))`);
  e(`            (br $vloop)))`);
  e(`        ) (else`);
  // strided full panel: unrolled gather
  e(`          (block $fdone (loop $floop`);
  e(`            (br_if $fdone (i32.eqz (local.get $p)))`);
  e(`            (local.set $x (local.get $s))`);
  for (let r = 0; r < w; r++) {
    e(`            (${st} offset=${r * esz} (local.get $dst) (${ld} (local.get $x)))`);
    if (r < w - 1) e(`            (local.set $x (i32.add (local.get $x) (local.get $rs)))`);
  }
  e(`            (local.set $s (i32.add (local.get $s) (local.get $cs)))`);
  e(`            (local.set $dst (i32.add (local.get $dst) (i32.const ${w * esz})))`);
  e(`            (local.set $p (i32.sub (local.get $p) (i32.const 1)))`);
  e(`            (br $floop)))`);
  e(`        ))`);
  e(`      ) (else`);
  // partial panel: zero-padded
  e(`        (block $pdone (loop $ploop`);
  e(`          (br_if $pdone (i32.eqz (local.get $p)))`);
  e(`          (local.set $x (local.get $s))`);
  e(`          (local.set $r (i32.const 0))`);
  e(`          (loop $rloop`);
  e(`            (${st} (i32.add (local.get $dst) (i32.mul (local.get $r) (i32.const ${esz})))`);
  e(`              (if (result ${dtype}) (i32.lt_s (local.get $r) (local.get $rows)) (then (${ld} (local.get $x))) (else (${dtype}.const 0))))`);
  e(`            (local.set $x (i32.add (local.get $x) (local.get $rs)))`);
  e(`            (local.set $r (i32.add (local.get $r) (i32.const 1)))`);
  e(`            (br_if $rloop (i32.lt_u (local.get $r) (i32.const ${w}))))`);
  e(`          (local.set $s (i32.add (local.get $s) (local.get $cs)))`);
  e(`          (local.set $dst (i32.add (local.get $dst) (i32.const ${w * esz})))`);
  e(`          (local.set $p (i32.sub (local.get $p) (i32.const 1)))`);
  e(`          (br $ploop)))`);
  e(`      ))`);
  e(`      (local.set $t (i32.add (local.get $t) (i32.const 1)))`);
  e(`      (br $tloop)))`);
  e(`  )`);
  return L.join('\n');
}

/**
 * The module. With sharedMemory it imports `env.memory` as a shared memory (for the worker
 * threads, which instantiate the same bytes on the same memory); otherwise it owns and exports
 * its memory.
 */
export function moduleWat(specs: KernelSpec[], sharedMemory = false): string {
  const packs = new Set<string>();
  const packFuncs: string[] = [];
  for (const s of specs)
    for (const w of [s.mr, s.nr]) {
      const key = `${s.dtype}_${w}`;
      if (!packs.has(key)) {
        packs.add(key);
        packFuncs.push(packWat(s.dtype, w));
      }
    }
  const mem = sharedMemory
    ? '  (import "env" "memory" (memory 1 65536 shared))'
    : '  (memory (export "memory") 1)';
  return ['(module', mem, ...specs.map(kernelWat), ...packFuncs, ')', ''].join('\n');
}

/** Assemble WebAssembly text to bytes with the wabt package (a devDependency). */
export async function assemble(wat: string): Promise<Uint8Array> {
  const { default: wabtInit } = await import('wabt');
  const wabt = await wabtInit();
  const mod = wabt.parseWat('matmul.wat', wat, { simd: true, threads: true });
  try {
    // wabt 1.0.39's validator rejects shared memories even with `threads` on; V8 validates
    // the shared variant instead (WebAssembly.validate below)
    if (!wat.includes(' shared)')) mod.validate();
    const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
    const bytes = new Uint8Array(buffer);
    const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    if (!WA.validate(bytes)) throw new Error('assembled module does not validate');
    return bytes;
  } finally {
    mod.destroy();
  }
}
