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
 */
export function renameError(op: string, e: unknown): unknown {
  checkOpName('renameError', op);
  if (!(e instanceof MemogradError) || e.op === op || e.message.startsWith(`${op}:`)) return e;
  const Ctor = e.constructor as new (op: string, message: string, shapes?: unknown) => MemogradError;
  let out: MemogradError;
  try {
    out = new Ctor(op, e.message, (e as { shapes?: unknown }).shapes);
  } catch {
    return e; // a subclass with another constructor signature: keep it as it is
  }
  // fields a subclass adds (shapes, keys, ...) are carried over
  for (const k of Object.keys(e)) {
    if (k !== 'op' && k !== 'message') (out as unknown as Record<string, unknown>)[k] = (e as unknown as Record<string, unknown>)[k];
  }
  Object.defineProperty(out, 'cause', { value: e, enumerable: false, writable: true, configurable: true });
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
