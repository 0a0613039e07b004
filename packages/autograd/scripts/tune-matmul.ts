// Tuning harness for the wasm matmul kernels: assembles several register-tile shapes and block
// sizes at runtime and times them. Not part of the build; run with
//   node --import tsx packages/autograd/scripts/tune-matmul.ts [--dtype=f64] [--sizes=256,1024]
import { moduleWat, assemble, type KernelSpec } from './matmul-wat.ts';
import { WasmGemm, wasmApi, type MacroKernel, type PackFn, type WasmMemory } from '../src/kernels/matmul-wasm.ts';
import { matmulTiled } from '../src/kernels/matmul-js.ts';

const argv = Object.fromEntries(
  process.argv.slice(2).map((s) => {
    const [k, v] = s.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const dtype = (argv.dtype ?? 'f32') as 'f32' | 'f64';
const sizes = (argv.sizes ?? '256,512,1024').split(',').map(Number);
const tiles = (argv.tiles ?? (dtype === 'f32' ? '4x8,5x8,6x8,3x12,2x16' : '4x4,2x8,6x4,3x6')).split(',');
const unrolls = (argv.unroll ?? '1,2').split(',').map(Number);
const blocks = (argv.blocks ?? '256/128/4096').split(','); // kc/mc/nc

const specs: KernelSpec[] = [];
for (const t of tiles) {
  const [mr, nr] = t.split('x').map(Number);
  for (const u of unrolls) specs.push({ name: `k_${mr}x${nr}_u${u}`, dtype, mr: mr!, nr: nr!, unroll: u });
}
const bytes = await assemble(moduleWat(specs));
const Arr = dtype === 'f32' ? Float32Array : Float64Array;

for (const spec of specs) {
  for (const blk of blocks) {
    const [kc, mc0, nc0] = blk.split('/').map(Number);
    const WA = wasmApi()!;
    const inst = new WA.Instance(new WA.Module(bytes), {});
    const mc = Math.floor(mc0! / spec.mr) * spec.mr;
    const nc = Math.floor(nc0! / spec.nr) * spec.nr;
    const g = new WasmGemm({
      dtype,
      kernel: inst.exports[spec.name] as MacroKernel,
      packA: inst.exports[`pack_${dtype}_${spec.mr}`] as PackFn,
      packB: inst.exports[`pack_${dtype}_${spec.nr}`] as PackFn,
      memory: inst.exports.memory as WasmMemory,
      mr: spec.mr,
      nr: spec.nr,
      kc: kc!,
      mc,
      nc,
    });
    const row: string[] = [`${spec.name} ${kc}/${mc}/${nc}`];
    for (const n of sizes) {
      const a = new Arr(n * n).map(() => Math.random() - 0.5);
      const b = new Arr(n * n).map(() => Math.random() - 0.5);
      const c = new Arr(n * n);
      const r = new Arr(n * n);
      g.gemm(a, 0, b, 0, c, 0, n, n, n, false, false, false);
      matmulTiled(a, 0, b, 0, r, 0, n, n, n, false, false, false);
      let err = 0;
      for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(c[i]! - r[i]!));
      const reps = Math.max(1, Math.round(2e9 / (2 * n * n * n)));
      let best = Infinity;
      for (let s = 0; s < 5; s++) {
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) g.gemm(a, 0, b, 0, c, 0, n, n, n, false, false, false);
        best = Math.min(best, (performance.now() - t0) / reps);
      }
      row.push(`n=${n}: ${((2 * n * n * n) / best / 1e6).toFixed(1)} GF (err ${err.toExponential(1)})`);
    }
    console.log(row.join('  '));
  }
}
