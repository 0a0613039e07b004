/**
 * The convolution primitives conv1d, conv2d and convTranspose2d are built on: `conv2dCore` (x ⋆ w, no
 * bias) and its two adjoints, `conv2dInputGrad` (the gradient in x, which is also the transposed
 * convolution) and `conv2dWeightGrad` (the gradient in w). Their kernels (kernels/conv-gemm.ts) run on
 * the fast matmul with the im2col columns written straight into its buffer a chunk of images at a
 * time, so no column tensor is allocated in either direction.
 *
 * The three are bilinear, each the adjoint of the others in one argument:
 *   ⟨core(x, w), g⟩ = ⟨x, inputGrad(g, w)⟩ = ⟨w, weightGrad(x, g)⟩,
 * so every backward rule is one of the three again, and gradients of any order stay on them.
 */
import { allocate, allocateForOverwrite } from '../dtype.ts';
import { apply } from '../engine.ts';
import { ShapeError } from '../errors.ts';
import { conv2dForward, conv2dInputGrad, conv2dWeightGrad, type ConvGeometry } from '../kernels/conv-gemm.ts';
import { checkInteger, formatShape, sizeOf, type Shape } from '../shape.ts';
import { defineOp, type OpDef, type Pick } from './define.ts';
import { checkWindow, positions } from './conv-unfold.ts';

export type { ConvGeometry };

/** The geometry's own checks: the window, groups >= 1, the input size. */
function checkGeometry(op: string, p: ConvGeometry): void {
  checkWindow(op, p);
  checkInteger(op, 'groups', p.groups, 1);
  checkInteger(op, 'h', p.h, 0);
  checkInteger(op, 'w', p.w, 0);
}

/**
 * Checks that a 4-D operand has the sizes `want` (null: any), naming the op, the operand, its
 * layout and the geometry's groups; `divisible` lists dimensions the groups must divide.
 */
function checkOperand(op: string, name: string, layout: string, s: Shape, want: readonly (number | null)[], groups: number, divisible: readonly number[] = []): void {
  const ok = s.length === 4 && want.every((d, i) => d === null || s[i] === d) && divisible.every((i) => s[i]! % groups === 0);
  if (!ok) {
    const sizes = want.map((d, i) => (d === null ? layout.split(', ')[i] : String(d))).join(', ');
    throw new ShapeError(op, `${name} must be 4-D [${sizes}] (${layout}, groups ${groups}), got ${formatShape(s)}`, [s]);
  }
}

/** x ⋆ w for x [N, Cin, h, w] and w [Cout, Cin/groups, kh, kw]: [N, Cout, oh, ow] (conv2d without bias). */
export const conv2dCoreOp: OpDef<ConvGeometry> = defineOp<ConvGeometry>({
  name: 'conv2dCore',
  inputs: ['x', 'weight'],
  saves: [0, 1],
  shape: ([x, w], p) => {
    checkGeometry('conv2dCore', p);
    checkOperand('conv2dCore', 'weight', 'Cout, Cin/groups, kH, kW', w!, [null, null, p.kh, p.kw], p.groups, [0]);
    checkOperand('conv2dCore', 'x', 'N, Cin, H, W', x!, [null, w![1]! * p.groups, p.h, p.w], p.groups);
    return [x![0]!, w![0]!, p.oh, p.ow];
  },
  forward: ([x, w], p, shape) => {
    const out = allocateForOverwrite(x!.dtype, sizeOf(shape));
    conv2dForward(x!.data, w!.data, x!.shape[0]!, x!.shape[1]!, w!.shape[0]!, p, out);
    return out;
  },
  backward: ({ grad, inputs: [x, w], params }) => [
    apply(conv2dInputGradOp, [grad, w!], params),
    apply(conv2dWeightGradOp, [x!, grad], params),
  ],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { n, cin, cout, geo } = sampleGeometry(pick);
      return { shapes: [[n, cin, geo.h, geo.w], [cout, cin / geo.groups, geo.kh, geo.kw]], params: geo };
    },
    oracle: ([x, w], p) => {
      const [n, cin] = x!.shape as [number, number];
      const cout = w!.shape[0]!;
      const data = new Array<number>(n * cout * p.oh * p.ow).fill(0);
      convPairs(n, cin, cout, p, (xi, wi, yi) => {
        data[yi] = data[yi]! + x!.data[xi]! * w!.data[wi]!;
      });
      return { shape: [n, cout, p.oh, p.ow], data };
    },
  },
});

/** conv2dCore's gradient in x (the transposed convolution): g [N, Cout, oh, ow] and w give [N, Cin, h, w]. */
export const conv2dInputGradOp: OpDef<ConvGeometry> = defineOp<ConvGeometry>({
  name: 'conv2dInputGrad',
  inputs: ['grad', 'weight'],
  saves: [0, 1],
  shape: ([g, w], p) => {
    checkGeometry('conv2dInputGrad', p);
    checkOperand('conv2dInputGrad', 'weight', 'Cout, Cin/groups, kH, kW', w!, [null, null, p.kh, p.kw], p.groups, [0]);
    checkOperand('conv2dInputGrad', 'grad', 'N, Cout, oH, oW', g!, [null, w![0]!, p.oh, p.ow], p.groups);
    return [g![0]!, w![1]! * p.groups, p.h, p.w];
  },
  forward: ([g, w], p, shape) => {
    const out = allocate(g!.dtype, sizeOf(shape));
    conv2dInputGrad(g!.data, w!.data, shape[0]!, shape[1]!, w!.shape[0]!, p, out);
    return out;
  },
  // ⟨inputGrad(g, w), z⟩ = ⟨core(z, w), g⟩ = ⟨weightGrad(z, g), w⟩
  backward: ({ grad, inputs: [g, w], params }) => [
    apply(conv2dCoreOp, [grad, w!], params),
    apply(conv2dWeightGradOp, [grad, g!], params),
  ],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { n, cin, cout, geo } = sampleGeometry(pick);
      return { shapes: [[n, cout, geo.oh, geo.ow], [cout, cin / geo.groups, geo.kh, geo.kw]], params: geo };
    },
    oracle: ([g, w], p) => {
      const [n, cout] = g!.shape as [number, number];
      const cin = w!.shape[1]! * p.groups;
      const data = new Array<number>(n * cin * p.h * p.w).fill(0);
      convPairs(n, cin, cout, p, (xi, wi, yi) => {
        data[xi] = data[xi]! + g!.data[yi]! * w!.data[wi]!;
      });
      return { shape: [n, cin, p.h, p.w], data };
    },
  },
});

/** conv2dCore's gradient in w: x [N, Cin, h, w] and g [N, Cout, oh, ow] give [Cout, Cin/groups, kh, kw]. */
export const conv2dWeightGradOp: OpDef<ConvGeometry> = defineOp<ConvGeometry>({
  name: 'conv2dWeightGrad',
  inputs: ['x', 'grad'],
  saves: [0, 1],
  shape: ([x, g], p) => {
    checkGeometry('conv2dWeightGrad', p);
    checkOperand('conv2dWeightGrad', 'x', 'N, Cin, H, W', x!, [null, null, p.h, p.w], p.groups, [1]);
    checkOperand('conv2dWeightGrad', 'grad', 'N, Cout, oH, oW', g!, [x![0]!, null, p.oh, p.ow], p.groups, [1]);
    return [g![1]!, x![1]! / p.groups, p.kh, p.kw];
  },
  forward: ([x, g], p, shape) => {
    const out = allocate(x!.dtype, sizeOf(shape));
    conv2dWeightGrad(x!.data, g!.data, x!.shape[0]!, x!.shape[1]!, shape[0]!, p, out);
    return out;
  },
  // ⟨weightGrad(x, g), z⟩ = ⟨inputGrad(g, z), x⟩ = ⟨core(x, z), g⟩
  backward: ({ grad, inputs: [x, g], params }) => [
    apply(conv2dInputGradOp, [g!, grad], params),
    apply(conv2dCoreOp, [x!, grad], params),
  ],
  test: {
    shapes: 'unary',
    sample: (pick) => {
      const { n, cin, cout, geo } = sampleGeometry(pick);
      return { shapes: [[n, cin, geo.h, geo.w], [n, cout, geo.oh, geo.ow]], params: geo };
    },
    oracle: ([x, g], p) => {
      const [n, cin] = x!.shape as [number, number];
      const cout = g!.shape[1]!;
      const cg = cin / p.groups;
      const data = new Array<number>(cout * cg * p.kh * p.kw).fill(0);
      convPairs(n, cin, cout, p, (xi, wi, yi) => {
        data[wi] = data[wi]! + x!.data[xi]! * g!.data[yi]!;
      });
      return { shape: [cout, cg, p.kh, p.kw], data };
    },
  },
});

// ------------------------------------------------------------------ property-test samples and oracles

/**
 * The direct convolution's index triples: `visit(xi, wi, yi)` for every input element x[xi] that
 * weight w[wi] multiplies into output y[yi] (flat row-major indices). The three oracles are this
 * one loop, accumulating into y, x or w.
 */
function convPairs(n: number, cin: number, cout: number, p: ConvGeometry, visit: (xi: number, wi: number, yi: number) => void): void {
  const cg = cin / p.groups;
  const og = cout / p.groups;
  for (let b = 0; b < n; b++) for (let co = 0; co < cout; co++) for (let y = 0; y < p.oh; y++) for (let xx = 0; xx < p.ow; xx++) {
    for (let ci = 0; ci < cg; ci++) for (let i = 0; i < p.kh; i++) for (let j = 0; j < p.kw; j++) {
      const iy = y * p.sh - p.ph + i * p.dh;
      const ix = xx * p.sw - p.pw + j * p.dw;
      if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w) continue;
      const c = Math.floor(co / og) * cg + ci;
      visit(((b * cin + c) * p.h + iy) * p.w + ix, ((co * cg + ci) * p.kh + i) * p.kw + j, ((b * cout + co) * p.oh + y) * p.ow + xx);
    }
  }
}

/** A random convolution: batch, channels and a geometry that fits (padding after may exceed padding before, as 'same'). */
function sampleGeometry(pick: Pick): { n: number; cin: number; cout: number; geo: ConvGeometry } {
  const groups = 1 + pick(2);
  const dim = (size: number): [number, number, number, number, number] => {
    const d = 1 + pick(2);
    const k = 1 + pick(Math.min(3, Math.floor((size - 1) / d) + 1));
    const p = pick(k);
    const s = 1 + pick(2);
    return [k, s, p, d, positions('sample', 'axis', size, k, s, p, p + pick(2), d)];
  };
  const [h, w] = [1 + pick(4), 1 + pick(4)];
  const [kh, sh, ph, dh, oh] = dim(h);
  const [kw, sw, pw, dw, ow] = dim(w);
  return { n: 1 + pick(2), cin: groups * (1 + pick(2)), cout: groups * (1 + pick(2)), geo: { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, groups, h, w } };
}
