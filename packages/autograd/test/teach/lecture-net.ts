import { scalar, type Tensor } from '../../src/index.ts';

/** The backprop lecture's 2-2-1 sigmoid network (examples/backprop-lecture), with named nodes. */
export function lectureNetwork() {
  const w = (v: number, name: string) => scalar(v, { name, dtype: 'float64' });
  const [w13, w23, w14, w24, w35, w45] = [w(0.1, 'w13'), w(0.8, 'w23'), w(0.4, 'w14'), w(0.6, 'w24'), w(0.3, 'w35'), w(0.9, 'w45')];
  const x1 = scalar(0.35, { name: 'x1', requiresGrad: false, dtype: 'float64' });
  const x2 = scalar(0.9, { name: 'x2', requiresGrad: false, dtype: 'float64' });
  const named = (t: Tensor, name: string) => { t.name = name; return t; };
  const a1 = named(w13.mul(x1).add(w23.mul(x2)), 'a1');
  const y3 = named(a1.sigmoid(), 'y3');
  const a2 = named(w14.mul(x1).add(w24.mul(x2)), 'a2');
  const y4 = named(a2.sigmoid(), 'y4');
  const a3 = named(w35.mul(y3).add(w45.mul(y4)), 'a3');
  const y5 = named(a3.sigmoid(), 'y5');
  const error = named(scalar(0.5, { requiresGrad: false, dtype: 'float64' }).sub(y5), 'error');
  const loss = named(error.square().mul(0.5), 'E');
  return { loss, params: [w13, w23, w14, w24, w35, w45] };
}
