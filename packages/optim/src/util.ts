import { ArgumentError } from '@memograd/autograd';
/** PyTorch's CPU `lerp`: `a + w*(b-a)` for |w| < 0.5, else `b - (b-a)*(1-w)`. */
export function lerp(a: number, b: number, w: number): number {
  return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}


/**
 * An ArgumentError (memograd's error class for bad arguments) from a message written as
 * "op: what is wrong", so that optim's errors are caught like every other memograd error.
 */
export function argumentError(message: string): ArgumentError {
  const i = message.indexOf(': ');
  return i > 0 ? new ArgumentError(message.slice(0, i), message.slice(i + 2)) : new ArgumentError('optim', message);
}

/**
 * A short, safe description of any value for error messages (mirrors @memograd/autograd's internal
 * `describe`): never throws and never calls user code (no toString/valueOf, getters are not read), bounded
 * in depth and length, so BigInt, Symbol, objects without a prototype, cyclic or 20,000-deep arrays are fine.
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
