import type { Tensor } from './tensor.ts';

/** Formats like PyTorch: aligned columns, 4 decimals (scientific for very large/small values). */
export function formatTensor(t: Tensor, options: { precision?: number; maxItems?: number } = {}): string {
  const precision = options.precision ?? 4;
  const maxItems = options.maxItems ?? 6;
  const d = t.data;
  let sci = false;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i]!);
    if (!Number.isFinite(a)) continue;
    maxAbs = Math.max(maxAbs, a);
    if (a > 0) minAbs = Math.min(minAbs, a);
  }
  if (maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity)) sci = true;
  const fmt = (v: number): string => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (Object.is(v, -0)) return '-' + (sci ? (0).toExponential(precision).replace('e+0', 'e+00') : (0).toFixed(precision));
    // two-digit exponents as PyTorch prints them: 1.0000e-05, not 1.0000e-5
    return sci ? v.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2') : v.toFixed(precision);
  };
  const width = Math.max(...Array.from(d.slice(0, 1000), (v) => fmt(v).length), 1);
  const shape = t.shape;
  const lines = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return fmt(d[offset]!).padStart(width);
    const n = shape[dim]!;
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const items: string[] = [];
    const show = (i: number): void => void items.push(lines(dim + 1, offset + i * stride, indent + ' '));
    if (n > maxItems) {
      for (let i = 0; i < maxItems / 2; i++) show(i);
      items.push('...');
      for (let i = n - maxItems / 2; i < n; i++) show(i);
    } else for (let i = 0; i < n; i++) show(i);
    const sep = dim === shape.length - 1 ? ', ' : ',\n' + '\n'.repeat(Math.max(0, shape.length - dim - 2)) + indent + ' ';
    return `[${items.join(sep)}]`;
  };
  const body = lines(0, 0, '       ');
  const extras: string[] = [];
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.node !== null) extras.push(`gradFn=${t.node.op.name}`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  if (t.name !== undefined) extras.push(`name='${t.name}'`);
  return `tensor(${body}${extras.length ? ', ' + extras.join(', ') : ''})`;
}
