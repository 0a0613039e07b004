/**
 * A Keras-like `summary()` of a model: each layer with its type, output shape and parameter
 * count, then the totals.
 */
import { ArgumentError, Tensor, noGrad, zeros } from '@memograd/autograd';
import type { DType } from '@memograd/autograd';
import { Module, checkOptions, describe, show } from './module.ts';
import { named } from './errors.ts';

/** Options of `summary`. */
export interface SummaryOptions {
  /** The dtype of the zero input (default: the model's first parameter's, else float32). */
  dtype?: DType;
  /** The batch size of the probe input (default 1); shown as `None` in shapes. */
  batchSize?: number;
  /** Print the table with console.log (default true). */
  print?: boolean;
}

/** 101770 → '101,770'. */
export function formatCount(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new ArgumentError('formatCount', `n must be a finite number, got ${describe(n)}`);
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function shapeText(shape: readonly number[] | undefined): string {
  if (shape === undefined) return '?';
  if (shape.length === 0) return '[]';
  return `[None${shape.length > 1 ? ', ' : ''}${shape.slice(1).join(', ')}]`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

/**
 * Runs a forward pass on zeros of shape [batch, ...inputShape] (in eval mode and under noGrad;
 * the model's modes are restored afterwards) and returns (and by default prints) a table of the
 * leaf layers with their output shapes and parameter counts, then total, trainable and
 * non-trainable parameter counts.
 *
 * @example
 * summary(new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10)), [784]);
 * // Total params: 101,770
 */
export function summary(model: Module, inputShape: readonly number[], options: SummaryOptions = {}): string {
  if (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ArgumentError('summary', `inputShape must be a list of positive integers (without the batch axis), got ${show(inputShape)}`);
  }
  if (!(model instanceof Module)) throw new ArgumentError('summary', `model must be a Module, got ${describe(model)}`);
  checkOptions('summary', options);
  options ??= {};
  const batch = options.batchSize ?? 1;
  if (!Number.isInteger(batch) || batch <= 0) throw new ArgumentError('summary', `batchSize must be a positive integer, got ${describe(batch)}`);
  const dtype = options.dtype ?? model.parameters()[0]?.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new ArgumentError('summary', `dtype must be 'float32' or 'float64', got ${typeof dtype === 'string' ? `'${dtype}'` : describe(dtype)}`);
  // the size of the zero input is checked before any module is patched
  const input = named('summary', () => zeros([batch, ...inputShape], { dtype }));
  const all = [...model.namedModules()];
  const leaves = all.filter(([, m]) => m.children().length === 0);
  const rows = leaves.length > 0 ? leaves : all.slice(0, 1);
  const shapes = new Map<Module, readonly number[]>();
  const modes = all.map(([, m]) => m.training);
  const patched: [Module, PropertyDescriptor | undefined][] = [];
  for (const [, m] of all) {
    const original = m.call;
    patched.push([m, Object.getOwnPropertyDescriptor(m, 'call')]);
    Object.defineProperty(m, 'call', {
      configurable: true,
      enumerable: false,
      writable: true,
      value: (x: Tensor, ...rest: never[]): Tensor => {
        const y = original.call(m, x, ...rest);
        if (!shapes.has(m) && y instanceof Tensor) shapes.set(m, y.shape);
        return y;
      },
    });
  }
  let outShape: readonly number[] | undefined;
  try {
    model.eval();
    noGrad(() => {
      // an error of a layer reads 'summary: Linear(4 → 8): …'
      outShape = named('summary', () => model.call(input)).shape;
    });
  } finally {
    for (const [m, own] of patched) {
      delete (m as unknown as Record<string, unknown>).call;
      if (own !== undefined) Object.defineProperty(m, 'call', own);
    }
    all.forEach(([, m], i) => { m.training = modes[i]!; });
  }
  const table: [string, string, string][] = rows.map(([name, m]) => {
    let n = 0;
    for (const [, p] of m.ownNamedParameters()) n += p.size;
    return [`${name || '(root)'} (${m.typeName})`, shapeText(shapes.get(m)), formatCount(n)];
  });
  const header: [string, string, string] = ['Layer (type)', 'Output Shape', 'Param #'];
  const w0 = Math.max(24, header[0].length, ...table.map((r) => r[0].length)) + 2;
  const w1 = Math.max(18, header[1].length, ...table.map((r) => r[1].length)) + 2;
  const w2 = Math.max(10, header[2].length, ...table.map((r) => r[2].length));
  const width = w0 + w1 + w2;
  const line = (r: [string, string, string]): string => pad(r[0], w0) + pad(r[1], w1) + r[2].padStart(w2);
  const total = model.numParameters();
  const trainable = model.numParameters({ onlyTrainable: true });
  const out = [
    `Model: "${model.typeName}"`,
    '_'.repeat(width),
    line(header),
    '='.repeat(width),
    ...table.map(line),
    '='.repeat(width),
    `Total params: ${formatCount(total)}`,
    `Trainable params: ${formatCount(trainable)}`,
    `Non-trainable params: ${formatCount(total - trainable)}`,
    `Output shape: ${shapeText(outShape)}`,
    '_'.repeat(width),
  ].join('\n');
  if (options.print ?? true) console.log(out);
  return out;
}
