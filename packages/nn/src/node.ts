/**
 * `@memograd/nn/node`: the Node-only part of `@memograd/nn`, saving and loading weights to and from
 * files, and whole models (architecture and weights) to and from directories. The main entry (`@memograd/nn`) imports nothing from `node:` and runs in browsers and
 * workers; its `saveWeights` / `loadWeights` work on bytes.
 *
 * @example
 * import { saveWeightsFile, loadWeightsFile } from '@memograd/nn/node';
 * await saveWeightsFile(model, 'model.safetensors');
 * await loadWeightsFile(model, 'model.safetensors');
 *
 * @module \@memograd/nn/node
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError, MemogradError } from '@memograd/autograd';
import type { LoadStateDictOptions, LoadStateDictResult, Module } from './module.ts';
import { Module as ModuleClass, StateDictError, describe } from './module.ts';
import type { Sequential } from './layers.ts';
import { ModelFormatError, fromJSON, toJSON } from './model.ts';
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

/** The architecture file of a saved model directory. */
const MODEL_JSON_FILE = 'model.json';
/** The weights file of a saved model directory. */
const MODEL_WEIGHTS_FILE = 'model.safetensors';

/**
 * Saves a whole `Sequential` model of built-in layers into the directory `dir` (created if needed;
 * Keras's `model.save`): `model.json`, the architecture (`modelToJSON`: each layer's class and
 * options, a format version), and `model.safetensors`, the weights (`saveWeights`). `loadModel(dir)`
 * rebuilds it with bit-identical predictions. A custom Module cannot be saved whole: save its
 * weights with `saveWeightsFile` and rebuild it in code. The architecture is checked before
 * anything is written; the JSON is written last, so a directory with a `model.json` is complete.
 *
 * @example
 * await saveModel(model, 'runs/mnist-model');
 * const same = await loadModel('runs/mnist-model');
 */
export async function saveModel(model: Sequential, dir: string | URL): Promise<void> {
  checkPath('saveModel', dir);
  const json = toJSON('saveModel', model);
  const bytes = named('saveModel', () => saveWeights(model), '');
  const base = String(dir instanceof URL ? fileURLToPath(dir) : dir);
  try {
    await mkdir(base, { recursive: true });
    await writeFile(join(base, MODEL_WEIGHTS_FILE), bytes);
    await writeFile(join(base, MODEL_JSON_FILE), `${JSON.stringify(json, null, 2)}\n`);
  } catch (e) {
    throw fsError('saveModel', 'write into', base, e);
  }
}

/**
 * Loads a model saved by `saveModel` from the directory `dir` (Keras's `load_model`): rebuilds the
 * architecture from `model.json` and loads `model.safetensors` into it. The directory is rejected
 * whole, with one `ModelFormatError` listing the problems, when a file is missing or unreadable, the
 * JSON is corrupt or of another format version, a layer is unknown or has bad options, or the weights'
 * names, shapes or dtypes do not match the architecture. The model comes back in the training mode it
 * was saved in (call `eval()` for inference, as always).
 */
export async function loadModel(dir: string | URL): Promise<Sequential> {
  checkPath('loadModel', dir);
  const base = String(dir instanceof URL ? fileURLToPath(dir) : dir);
  const read = async (file: string): Promise<Uint8Array> => {
    const path = join(base, file);
    try {
      const buf = await readFile(path);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      const err = new ModelFormatError('loadModel', [`cannot read ${JSON.stringify(path)} (${e instanceof Error ? e.message : String(e)}); a saved model directory holds ${MODEL_JSON_FILE} and ${MODEL_WEIGHTS_FILE}, written by saveModel`]);
      Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
      throw err;
    }
  };
  const [jsonBytes, weights] = await Promise.all([read(MODEL_JSON_FILE), read(MODEL_WEIGHTS_FILE)]);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes);
  } catch {
    throw new ModelFormatError('loadModel', [`${MODEL_JSON_FILE} is not UTF-8 text`]);
  }
  const model = fromJSON('loadModel', text);
  try {
    loadWeights(model, weights);
  } catch (e) {
    if (!(e instanceof MemogradError)) throw e;
    const problems = e instanceof StateDictError ? e.problems : [e.message.replace(/^[^:]*: /, '')];
    const err = new ModelFormatError('loadModel', problems.map((p) => `${MODEL_WEIGHTS_FILE} does not fit ${MODEL_JSON_FILE}: ${p}`));
    Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
    throw err;
  }
  return model;
}
