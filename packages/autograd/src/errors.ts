/**
 * One error class per kind of mistake. Each message names the operation first, then what is wrong,
 * with shapes written as `[2, 3]`; the structured fields let tests and callers inspect the cause
 * without parsing text.
 */
export class MemogradError extends Error {
  /** The name of the operation that threw. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.op = op;
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the operation (broadcasting, matmul inner sizes, reshape sizes, axes). */
export class ShapeError extends MemogradError {
  /** The shapes involved in the mismatch. */
  readonly shapes: readonly (readonly number[])[];
  constructor(op: string, message: string, shapes: readonly (readonly number[])[] = []) {
    super(op, message);
    this.shapes = shapes;
  }
}

/** Element types that cannot be combined, or a dtype an operation does not accept. */
export class DTypeError extends MemogradError {}

/** A bad argument value: an axis out of range, a non-finite number, a ragged nested array. */
export class ArgumentError extends MemogradError {}

/** The graph is in a state that forbids the request (released graph, non-scalar backward, ...). */
export class GraphError extends MemogradError {}

/** Raised by anomaly mode when an op's forward or backward first produces NaN or infinity. */
export class AnomalyError extends MemogradError {}

/** Raised by the throwing form of gradcheck when analytical and numerical derivatives disagree. */
export class GradcheckError extends MemogradError {}

/**
 * The error a composite function (`std`, `linear`, `stack`, gradcheck, ...) throws when one of the
 * operations it is built from refuses its arguments: the same class and fields, with the message
 * prefixed by the function the caller called (`std: var: axis 2 is out of range ...`) and `op` set
 * to it, so that every message starts with the name the user wrote. Anything else (a user error
 * thrown by a callback, an error already naming `op`) passes through unchanged. Used in a `catch`
 * block, so it costs nothing on the success path:
 *
 *     try { ... } catch (e) { throw renameError('std', e); }
 *
 * With `inner`, the inner op's own prefix is replaced by it instead of kept (`inner` = 'target ':
 * 'tensor: element [1] is …' becomes 'mseLoss: target element [1] is …').
 */
export function renameError(op: string, e: unknown, inner?: string): unknown {
  checkOpName('renameError', op);
  if (!(e instanceof MemogradError) || e.op === op || e.message.startsWith(`${op}:`)) return e;
  if (inner !== undefined && typeof inner !== 'string') {
    throw new ArgumentError('renameError', `argument 'inner' must be a string or undefined, got ${typeof inner}`);
  }
  // with `inner`, the inner op's own prefix is replaced: 'tensor: element [1] is …' → 'mseLoss: target element [1] is …'
  const rest = inner !== undefined && e.message.startsWith(`${e.op}: `) ? `${inner}${e.message.slice(e.op.length + 2)}` : e.message;
  // A copy made without the constructor (subclasses' constructors take other arguments, e.g.
  // StateDictError's list of problems): same prototype, every own field, a new op and message.
  const out = Object.create(Object.getPrototypeOf(e) as object) as MemogradError;
  for (const k of Object.getOwnPropertyNames(e)) Object.defineProperty(out, k, Object.getOwnPropertyDescriptor(e, k)!);
  const message = `${op}: ${rest}`;
  Object.defineProperty(out, 'message', { value: message, writable: true, configurable: true });
  Object.defineProperty(out, 'op', { value: op, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(out, 'cause', { value: e, enumerable: false, writable: true, configurable: true });
  if (typeof e.stack === 'string') Object.defineProperty(out, 'stack', { value: e.stack.replace(e.message, message), writable: true, configurable: true });
  return out;
}

/** Runs `f`, renaming a MemogradError it throws after `op` (see renameError). For cold paths. */
export function renameErrors<T>(op: string, f: () => T): T {
  checkOpName('renameErrors', op);
  if (typeof f !== 'function') throw new ArgumentError('renameErrors', `argument 'f' must be a function () => value, got ${typeof f}`);
  try {
    return f();
  } catch (e) {
    throw renameError(op, e);
  }
}

function checkOpName(fn: string, op: unknown): void {
  if (typeof op !== 'string' || op === '') {
    throw new ArgumentError(fn, `argument 'op' must be a non-empty string (the function to name), got ${typeof op === 'string' ? 'an empty string' : typeof op}`);
  }
}
