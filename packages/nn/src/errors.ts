/**
 * Error re-labelling for functions that delegate: an error thrown by an inner function names the
 * function the user called (`smoothL1Loss: …`, not `huberLoss: …`). Used only on the throw path.
 */
import { MemogradError, renameError } from '@memograd/autograd';

/**
 * Makes a MemogradError thrown inside `op` name `op` first: `op: <inner message>` (with `inner`,
 * the inner function's own prefix is replaced by it: `op: target element [1] is …`): autograd's
 * `renameError`, which keeps the class and fields. An error already naming `op` (`op:`, `op(…)`,
 * `op.method:`) and other values are returned unchanged.
 */
export function relabel(op: string, e: unknown, inner?: string): unknown {
  if (!(e instanceof MemogradError)) return e;
  const m = e.message;
  if (m.startsWith(`${op}:`) || m.startsWith(`${op}(`) || m.startsWith(`${op}.`)) return e;
  return renameError(op, e, inner);
}

/**
 * `String(v)` for messages, never throwing: a value that cannot be converted (an object without
 * toString, an array nested too deep to print) is described by its type instead.
 */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return String(v);
  } catch {
    if (v === null || typeof v !== 'object') return typeof v;
    return Array.isArray(v) ? 'Array' : (v.constructor as { name?: string } | undefined)?.name ?? 'object';
  }
}

/** Runs `fn`, re-labelling a MemogradError it throws so that it names `op` (see `relabel`). */
export function named<T>(op: string, fn: () => T, inner?: string): T {
  try {
    return fn();
  } catch (e) {
    throw relabel(op, e, inner);
  }
}

/**
 * The problems an error lists (StateDictError, ModelFormatError), as strings, and its message: the
 * one problem, or "N problems:" followed by one per line.
 */
export function problemList(problems: readonly string[]): { list: string[]; message: string } {
  const list = Array.isArray(problems) ? problems.map(text) : [text(problems)];
  return { list, message: list.length === 1 ? list[0]! : `${list.length} problems:\n  ${list.join('\n  ')}` };
}
