import { ArgumentError, ShapeError } from './errors.ts';

export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes; throws a ShapeError that names the op and the clashing dim. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  if (shapesEqual(a, b)) return a.slice();
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i]! : 1;
    const db = i <= b.length ? b[b.length - i]! : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        `shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast (dim -${i}: ${da} vs ${db})`,
        [a, b],
      );
    }
    out[rank - i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides for reading `shape` as if it were broadcast to `target` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const strides = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  const offset = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + offset] = shape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/** Resolves a possibly negative axis against a rank, with a clear error when out of range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis)) throw new ArgumentError(op, `axis must be an integer, got ${axis}`);
  const lo = -Math.max(rank, 1);
  const hi = Math.max(rank, 1) - 1;
  if (axis < lo || axis > hi) {
    throw new ArgumentError(op, `axis ${axis} is out of range for rank ${rank} (expected ${lo}..${hi})`);
  }
  return axis < 0 ? axis + Math.max(rank, 1) : axis;
}

/** Resolves `axis` (undefined = all axes, a number or a list) to a sorted list of distinct axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const sorted = [...new Set(out)].sort((x, y) => x - y);
  if (sorted.length !== out.length) throw new ArgumentError(op, `axis ${JSON.stringify(list)} repeats an axis`);
  return rank === 0 ? [] : sorted;
}

/** The shape after reducing `axes` of `shape`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

export function validateShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new ArgumentError(op, `shape must be an array of sizes, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ArgumentError(op, `shape ${JSON.stringify(shape)} has an invalid size ${String(d)} (sizes are integers >= 0)`);
    }
  }
  return shape.slice() as number[];
}
