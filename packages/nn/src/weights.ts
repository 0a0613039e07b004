/**
 * Saving and loading a module's weights (its state dict) in the safetensors format.
 */
import { ArgumentError } from '@memograd/autograd';
import type { Module, LoadStateDictOptions, LoadStateDictResult, TensorRecord } from './module.ts';
import { Module as ModuleClass, StateDictError, describe } from './module.ts';
import { decodeSafetensors, encodeSafetensors } from './safetensors.ts';
import { named } from './errors.ts';
import type { SafetensorsInput } from './safetensors.ts';

/**
 * The bytes of a safetensors file holding every parameter and buffer of `model`, named as in
 * `stateDict()` (`0.weight`, `bn.runningMean`, ...).
 *
 * @example
 * const bytes = saveWeights(model);
 * loadWeights(otherModel, bytes);
 */
export function saveWeights(model: Module, metadata?: Record<string, string>): Uint8Array {
  if (!(model instanceof ModuleClass)) throw new ArgumentError('saveWeights', `model must be a Module, got ${describe(model)}`);
  const tensors: Record<string, SafetensorsInput> = {};
  for (const [name, t] of model.stateEntries()) {
    Object.defineProperty(tensors, name, {
      value: { dtype: t.dtype, shape: t.shape.slice(), data: t.data.slice() },
      enumerable: true, writable: true, configurable: true,
    });
  }
  // 'saveWeights: metadata value for key "a" must be a string …'
  return named('saveWeights', () => encodeSafetensors(tensors, metadata), '');
}

/**
 * Loads weights saved by `saveWeights` (or any safetensors file with the same names, shapes and
 * dtypes). The file is parsed and every name, shape and dtype validated before anything is
 * written: a truncated or corrupt file (`SafetensorsError`) or a mismatch (`StateDictError`)
 * leaves the model unchanged. Integer tensors (I32, I64: PyTorch's `num_batches_tracked`) load
 * into float32 tensors too, when every value is exact in float32.
 */
export function loadWeights(model: Module, bytes: Uint8Array, options: LoadStateDictOptions = {}): LoadStateDictResult {
  if (!(model instanceof ModuleClass)) throw new ArgumentError('loadWeights', `model must be a Module, got ${describe(model)}`);
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError('loadWeights', 'expected the file contents as a Uint8Array');
  const decoded = decodeSafetensors(bytes);
  const dict: Record<string, TensorRecord> = {};
  const problems: string[] = [];
  // integer tensors (PyTorch's int64 num_batches_tracked) take the dtype of the module's tensor of that name
  const targets = new Map(model.stateEntries().map(([n, t]) => [n, t.dtype]));
  for (const [name, t] of Object.entries(decoded.tensors)) {
    if (t.dtype === 'uint8') {
      problems.push(`key '${name}': the file stores U8, which cannot be loaded into a float tensor`);
      continue;
    }
    let { data, dtype } = t;
    if ((t.fileDtype === 'I32' || t.fileDtype === 'I64') && targets.get(name) === 'float32') {
      const f = Float32Array.from(data);
      const bad = f.findIndex((v, i) => v !== data[i]);
      if (bad >= 0) {
        problems.push(`key '${name}': the file's ${t.fileDtype} element ${bad} = ${data[bad]} cannot be represented exactly in float32`);
        continue;
      }
      data = f;
      dtype = 'float32';
    }
    Object.defineProperty(dict, name, { value: { data, shape: t.shape, dtype }, enumerable: true, writable: true, configurable: true });
  }
  if (problems.length > 0) throw new StateDictError('loadWeights', problems);
  return model.loadStateDict(dict, options);
}

// The file-path helpers (saveWeightsFile, loadWeightsFile) are Node-only: they live in node.ts,
// the `@memograd/nn/node` subpath, so that this module and the main entry import nothing from `node:`.
