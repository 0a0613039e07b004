import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Generator, randn } from '@memograd/autograd';
import {
  BatchNorm1d, Linear, ReLU, SafetensorsError, Sequential, StateDictError, decodeSafetensors, loadWeights,
  saveWeights,
} from '../src/index.ts';
import { loadWeightsFile, saveWeightsFile } from '../src/node.ts';

function makeModel(seed: number, dtype: 'float32' | 'float64' = 'float32') {
  const g = new Generator(seed);
  return new Sequential(new Linear(3, 4, { dtype, generator: g }), new BatchNorm1d(4, { dtype }), new ReLU(), new Linear(4, 2, { dtype, generator: g }));
}

function snapshot(m: Sequential): Record<string, number[]> {
  return Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, Array.from(v.data)]));
}

describe('saveWeights / loadWeights', () => {
  it('round-trips through safetensors with stateDict names', () => {
    const a = makeModel(1);
    a.call(randn([5, 3], { generator: new Generator(2) }));
    const bytes = saveWeights(a, { format: 'pt' });
    const decoded = decodeSafetensors(bytes);
    expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(a.stateDict()).sort());
    expect(decoded.tensors['0.weight']!.shape).toEqual([4, 3]);
    expect(decoded.metadata).toEqual({ format: 'pt' });
    const b = makeModel(99);
    expect(snapshot(b)).not.toEqual(snapshot(a));
    loadWeights(b, bytes);
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('a truncated or corrupt file leaves the model unchanged', () => {
    const bytes = saveWeights(makeModel(1));
    const b = makeModel(2);
    const before = snapshot(b);
    expect(() => loadWeights(b, bytes.slice(0, bytes.length - 5))).toThrow(SafetensorsError);
    expect(() => loadWeights(b, bytes.slice(0, 6))).toThrow(SafetensorsError);
    const corrupt = bytes.slice();
    corrupt[10] = 0x7b; // garble the JSON header
    expect(() => loadWeights(b, corrupt)).toThrow();
    expect(snapshot(b)).toEqual(before);
  });

  it('mismatched architecture or dtype is rejected before anything is written', () => {
    const bytes = saveWeights(makeModel(1));
    const other = new Sequential(new Linear(3, 5), new BatchNorm1d(5), new ReLU(), new Linear(5, 2));
    const before = snapshot(other);
    expect(() => loadWeights(other, bytes)).toThrow(StateDictError);
    expect(() => loadWeights(other, bytes)).toThrow(/key '0.weight': shape mismatch: the module has \[5, 3\], the dict has \[4, 3\]/);
    expect(snapshot(other)).toEqual(before);
    const f64 = makeModel(3, 'float64');
    expect(() => loadWeights(f64, bytes)).toThrow(/dtype mismatch: the module has float64, the dict has float32/);
  });

  it('float64 models round-trip exactly, and files work', async () => {
    const a = makeModel(4, 'float64');
    const dir = mkdtempSync(join(tmpdir(), 'memograd-nn-'));
    try {
      const path = join(dir, 'model.safetensors');
      await saveWeightsFile(a, path);
      const b = makeModel(5, 'float64');
      await loadWeightsFile(b, path);
      expect(snapshot(b)).toEqual(snapshot(a));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips random MLP architectures (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }), fc.boolean(), fc.integer({ min: 0, max: 1e6 }), (sizes, f64, seed) => {
        const dtype = f64 ? 'float64' as const : 'float32' as const;
        const build = (s: number) => {
          const g = new Generator(s);
          const layers = [];
          for (let i = 0; i + 1 < sizes.length; i++) layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { dtype, generator: g, bias: i % 2 === 0 }), new ReLU());
          return new Sequential(...layers);
        };
        const a = build(seed);
        const b = build(seed + 1);
        loadWeights(b, saveWeights(a));
        expect(snapshot(b)).toEqual(snapshot(a));
      }),
      { numRuns: 20 },
    );
  });
});
