import { ArgumentError, ShapeError } from './errors.ts';

export type Shape = readonly number[];

/**
 * The most elements one tensor may hold: 2^31 - 1. Node 20's typed arrays stop at 2^32 elements
 * (`buffer.constants.MAX_LENGTH`; a longer Float32Array/Float64Array is a raw RangeError), and the
 * index ops store positions in an Int32Array, whose largest value is 2^31 - 1: below this limit
 * every valid index and every flat offset fits. Shapes above it are refused up front, before
 * anything is allocated, with an ArgumentError naming the function, the shape and this limit.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** The most axes a shape may have (and the deepest nesting `tensor()` accepts). */
export const MAX_RANK = 64;

/**
 * A short, safe description of any value for error messages (exported as `describeValue`; optim uses
 * it too): never throws and never calls user code (no toString/valueOf; getters are not read), whatever
 * the value (BigInt, Symbol, cyclic or huge arrays, proxies, objects without a prototype).
 */
export function describe(value: unknown): string {
  try {
    return describeAt(value, 0);
  } catch {
    return typeof value;
  }
}

function describeAt(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return `Symbol(${value.description ?? ''})`;
    case 'function': {
      const d = Object.getOwnPropertyDescriptor(value, 'name');
      const name = d && typeof d.value === 'string' && d.value !== '' ? d.value : '(anonymous)';
      return `function ${name}`;
    }
    default:
      break;
  }
  if (value === null) return 'null';
  const o = value as object;
  if (Array.isArray(o)) {
    if (depth >= 2) return `[array of ${o.length}]`;
    const n = Math.min(o.length, 6);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const d = Object.getOwnPropertyDescriptor(o, i);
      items.push(d === undefined ? '<empty>' : d.get ? '<getter>' : describeAt(d.value, depth + 1));
    }
    if (o.length > n) items.push(`... ${o.length - n} more`);
    return `[${items.join(', ')}]`;
  }
  const proto = Object.getPrototypeOf(o) as object | null;
  const ctor = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  const cname = typeof ctor === 'function' ? Object.getOwnPropertyDescriptor(ctor, 'name')?.value : undefined;
  const name = typeof cname === 'string' && cname !== '' ? cname : proto === null ? 'object without prototype' : 'object';
  if (ArrayBuffer.isView(o)) {
    const len = (o as unknown as { length?: unknown }).length;
    return `${name}(${typeof len === 'number' ? len : o.byteLength})`;
  }
  if (name === 'Tensor') {
    const shape = Object.getOwnPropertyDescriptor(o, 'shape')?.value ?? safeGet(o, 'shape');
    return Array.isArray(shape) ? `Tensor of shape ${describeAt(shape, 1)}` : 'Tensor';
  }
  if (name === 'Object' || proto === null) {
    if (depth >= 2) return '{...}';
    const keys = Object.keys(o);
    const parts = keys.slice(0, 6).map((k) => {
      const d = Object.getOwnPropertyDescriptor(o, k);
      return `${k}: ${d === undefined ? '<gone>' : d.get ? '<getter>' : describeAt(d.value, depth + 1)}`;
    });
    if (keys.length > 6) parts.push('...');
    const body = parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    return proto === null ? `${body} (without prototype)` : body;
  }
  return `a ${name}`;
}

/** Reads a property through a getter (Tensor accessors are library code), giving undefined if it throws. */
function safeGet(o: object, key: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `[2, 3]`; safe on any array (elements that are not numbers are described). */
export function formatShape(shape: Shape): string {
  if (!Array.isArray(shape)) throw new ArgumentError('formatShape', `shape must be an array of sizes, got ${describe(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    if (typeof shape[i] !== 'number') return `[${Array.from(shape, (d) => describeAt(d, 1)).join(', ')}]`;
  }
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
  if (!Array.isArray(a) || !Array.isArray(b)) {
    throw new ArgumentError(opName(op), `shapes must be arrays of sizes, got ${describe(a)} and ${describe(b)}`);
  }
  if (shapesEqual(a, b)) return a.slice();
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i]! : 1;
    const db = i <= b.length ? b[b.length - i]! : 1;
    if (!isSize(da) || !isSize(db)) {
      throw new ArgumentError(opName(op), `shapes ${formatShape(a)} and ${formatShape(b)} must hold integer sizes >= 0 (dim -${i}: ${describe(da)} vs ${describe(db)})`);
    }
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        opName(op),
        `shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast (dim -${i}: ${da} vs ${db})`,
        [a, b],
      );
    }
    out[rank - i] = da === 1 ? db : da;
  }
  checkElementCount(op, out, 'broadcasting', true);
  return out;
}

/** `op` when it reads as an op name (an identifier, 'Class.method', 'Tensor#add'), else 'broadcastShapes'. */
function opName(op: unknown): string {
  return isOpName(op) ? op : 'broadcastShapes';
}

/** Whether a caller-supplied op name reads as one: an identifier, 'Class.method' or 'Tensor#add'. */
export function isOpName(op: unknown): op is string {
  return typeof op === 'string' && /^[A-Za-z_$][\w$]*(?:[.#][A-Za-z_$][\w$]*)*$/.test(op);
}

/**
 * The public broadcastShapes: like the internal one (which trusts the shapes of tensors), but equal
 * shapes are validated too, so that `broadcastShapes('op', [null], [null])` is refused.
 */
export function publicBroadcastShapes(op: string, a: Shape, b: Shape): number[] {
  if (Array.isArray(a) && Array.isArray(b) && shapesEqual(a, b)) {
    for (let i = 0; i < a.length; i++) {
      if (!isSize(a[i])) throw new ArgumentError(opName(op), `shapes ${formatShape(a)} and ${formatShape(b)} must hold integer sizes >= 0 (dim ${i}: ${describe(a[i])})`);
    }
  }
  return broadcastShapes(op, a, b);
}

function isSize(d: unknown): boolean {
  return typeof d === 'number' && Number.isInteger(d) && d >= 0;
}

/** Strides for reading `shape` as if it were broadcast to `target` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const strides = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  const offset = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + offset] = shape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/**
 * Resolves a possibly negative axis against a rank (a 0-d tensor accepts 0 and -1, as in PyTorch),
 * with an ArgumentError naming the op, the argument, the axis and the rank otherwise.
 */
export function normalizeAxis(op: string, axis: unknown, rank: number, arg = 'axis'): number {
  const r = Math.max(rank, 1);
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ArgumentError(op, `${arg} must be an integer, got ${describe(axis)}`);
  }
  if (axis < -r || axis > r - 1) {
    throw new ArgumentError(op, `${arg} ${axis} is out of range for rank ${rank} (expected ${-r}..${r - 1})`);
  }
  return axis < 0 ? axis + r : axis;
}

/** Resolves `axis` (undefined = all axes, a number or a list) to a sorted list of distinct axes. */
export function normalizeAxes(op: string, axis: unknown, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  let out: number[];
  if (typeof axis === 'number') out = [normalizeAxis(op, axis, rank)];
  else if (Array.isArray(axis) && axis.length <= MAX_RANK) out = axis.map((a) => normalizeAxis(op, a, rank));
  else throw new ArgumentError(op, `axis must be an integer or an array of integers, got ${describe(axis)}`);
  const sorted = [...new Set(out)].sort((x, y) => x - y);
  if (sorted.length !== out.length) throw new ArgumentError(op, `axis ${describe(axis)} repeats an axis`);
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

/** Throws unless the shape's element count is at most MAX_ELEMENTS (O(rank)). */
export function checkElementCount(op: string, shape: Shape, what = 'the result', fromBroadcast = false): void {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  if (n > MAX_ELEMENTS) {
    throw new ArgumentError(fromBroadcast ? opName(op) : op, `${what} would have shape ${formatShape(shape)} (${n} elements), above the limit of ${MAX_ELEMENTS} elements (MAX_ELEMENTS)`);
  }
}

/**
 * Validates a shape argument: an array of at most MAX_RANK sizes, each an integer >= 0 (or exactly
 * -1 where `allowInfer`), and at most MAX_ELEMENTS elements in all. Returns a fresh copy. Throws an
 * ArgumentError naming the op, the argument and the offending value; O(rank).
 */
export function checkShape(op: string, arg: string, value: unknown, allowInfer = false): number[] {
  if (!Array.isArray(value)) {
    throw new ArgumentError(op, `${arg} must be an array of sizes, got ${describe(value)}`);
  }
  if (value.length > MAX_RANK) {
    throw new ArgumentError(op, `${arg} has ${value.length} sizes, more than the ${MAX_RANK} axes a tensor may have`);
  }
  const out = new Array<number>(value.length);
  let n = 1;
  for (let i = 0; i < value.length; i++) {
    const d: unknown = value[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < (allowInfer ? -1 : 0) || d > MAX_ELEMENTS) {
      throw new ArgumentError(
        op,
        `${arg} ${formatShape(value)} has an invalid size ${describe(d)} at position ${i} (sizes are integers from 0 to ${MAX_ELEMENTS}${allowInfer ? ', or -1' : ''})`,
      );
    }
    out[i] = d;
    if (d >= 0) n *= d;
  }
  if (n > MAX_ELEMENTS) {
    throw new ArgumentError(op, `${arg} ${formatShape(out)} has ${n} elements, above the limit of ${MAX_ELEMENTS} elements (MAX_ELEMENTS)`);
  }
  return out;
}

/** The validated shape of a creation function (kept for callers of the old name). */
export function validateShape(op: string, shape: unknown): number[] {
  return checkShape(op, 'shape', shape);
}

/** An integer argument in [min, max], else an ArgumentError naming the op and the argument. */
export function checkInteger(op: string, arg: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = min === -Infinity ? (max === Infinity ? '' : ` <= ${max}`) : max === Infinity ? ` >= ${min}` : ` from ${min} to ${max}`;
    throw new ArgumentError(op, `${arg} must be an integer${range}, got ${describe(value)}`);
  }
  return value;
}

/** A finite number, else an ArgumentError naming the op and the argument. */
export function checkFinite(op: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(op, `${arg} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** A boolean or undefined (then `fallback`). */
export function checkBoolean(op: string, arg: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ArgumentError(op, `${arg} must be true or false, got ${describe(value)}`);
  return value;
}

const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * An options object: undefined (no options) or a plain object whose keys are all in `allowed`.
 * Anything else (a number, a string, null, an array, a misspelt key such as `dim` for `axis`) is an
 * ArgumentError, so that a wrong call cannot silently fall back to the defaults.
 */
export function checkOptions<T extends object>(op: string, options: T | undefined, allowed: readonly string[]): T {
  if (options === undefined) return NO_OPTIONS as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new ArgumentError(op, `options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ArgumentError(op, `unknown option ${describe(key)} (expected ${allowed.length === 0 ? 'none' : allowed.join(', ')})`);
    }
  }
  return options;
}
