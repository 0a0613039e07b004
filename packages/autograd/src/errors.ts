/**
 * One error class per kind of mistake. Each message names the operation first, then what is wrong,
 * with shapes written as `[2, 3]`; the structured fields let tests and callers inspect the cause
 * without parsing text.
 */
export class MemogradError extends Error {
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.op = op;
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the operation (broadcasting, matmul inner sizes, reshape sizes, axes). */
export class ShapeError extends MemogradError {
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
