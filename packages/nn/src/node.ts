/**
 * `@memograd/nn/node`: the Node-only part of `@memograd/nn`, saving and loading weights to and from
 * files. The main entry (`@memograd/nn`) imports nothing from `node:` and runs in browsers and
 * workers; its `saveWeights` / `loadWeights` work on bytes.
 *
 * @example
 * import { saveWeightsFile, loadWeightsFile } from '@memograd/nn/node';
 * await saveWeightsFile(model, 'model.safetensors');
 * await loadWeightsFile(model, 'model.safetensors');
 *
 * @module \@memograd/nn/node
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ArgumentError } from '@memograd/autograd';
import type { LoadStateDictOptions, LoadStateDictResult, Module } from './module.ts';
import { Module as ModuleClass, describe } from './module.ts';
import { named } from './errors.ts';
import { loadWeights, saveWeights } from './weights.ts';

/** Writes `saveWeights(model)` to a file. */
export async function saveWeightsFile(model: Module, path: string, metadata?: Record<string, string>): Promise<void> {
  checkPath('saveWeightsFile', path);
  const bytes = named('saveWeightsFile', () => saveWeights(model, metadata), '');
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw fsError('saveWeightsFile', 'write', path, e);
  }
}

/** Throws unless `path` is a non-empty string or a file: URL. */
function checkPath(op: string, path: unknown): void {
  if (!((typeof path === 'string' && path !== '' && !path.includes('\0')) || path instanceof URL)) {
    throw new ArgumentError(op, `path must be a non-empty string (or a file URL), got ${typeof path === 'string' ? JSON.stringify(path) : describe(path)}`);
  }
}

/** A file-system error as a typed error naming the function and the path, keeping the error code ('ENOENT: …'). */
function fsError(op: string, verb: string, path: string | URL, e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const err = new ArgumentError(op, `cannot ${verb} ${JSON.stringify(String(path))}: ${e.message}`);
  Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') Object.defineProperty(err, 'code', { value: code, configurable: true, enumerable: true });
  return err;
}

/** Reads a safetensors file and loads it with `loadWeights`. */
export async function loadWeightsFile(model: Module, path: string, options: LoadStateDictOptions = {}): Promise<LoadStateDictResult> {
  if (!(model instanceof ModuleClass)) throw new ArgumentError('loadWeightsFile', `model must be a Module, got ${describe(model)}`);
  checkPath('loadWeightsFile', path);
  let buf: Uint8Array;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw fsError('loadWeightsFile', 'read', path, e);
  }
  return loadWeights(model, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), options);
}
