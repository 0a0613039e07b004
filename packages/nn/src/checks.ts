/**
 * Argument checks shared by the layers: each throws an ArgumentError naming the layer and the
 * argument.
 */
import { ArgumentError, Generator } from '@memograd/autograd';
import type { DType } from '@memograd/autograd';
import { describe } from './module.ts';

/** The dtype option (default float32); anything else is an ArgumentError. */
export function checkDType(op: string, dtype: DType | undefined): DType {
  const d = dtype ?? 'float32';
  if (d !== 'float32' && d !== 'float64') throw new ArgumentError(op, `dtype must be 'float32' or 'float64', got ${typeof d === 'string' ? `'${d}'` : describe(d)}`);
  return d;
}

/** Throws an ArgumentError unless `v` is a positive integer (a size). */
export function checkPositiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new ArgumentError(op, `${name} must be a positive integer, got ${describe(v)}`);
}

/** Throws an ArgumentError unless `v` is a number other than NaN (a layer's scalar setting). */
export function checkScalar(op: string, name: string, v: unknown): void {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ArgumentError(op, `${name} must be a number, got ${describe(v)}`);
}

/** The value of a boolean option (its default when undefined); anything else is an ArgumentError. */
export function boolOption(op: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ArgumentError(op, `${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** Throws an ArgumentError unless `v` is an integer (an axis). */
export function checkAxis(op: string, name: string, v: unknown): void {
  if (!Number.isInteger(v)) throw new ArgumentError(op, `${name} must be an integer, got ${describe(v)}`);
}

/** The generator option: undefined or a Generator; anything else is an ArgumentError. */
export function checkGenerator(op: string, g: unknown): Generator | undefined {
  if (g !== undefined && !(g instanceof Generator)) throw new ArgumentError(op, `generator must be a Generator, got ${describe(g)}`);
  return g;
}
