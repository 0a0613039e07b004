import { describe, expect, it } from 'vitest';
import { parseOptions, randomArray, table, type Row } from '../harness.ts';

describe('bench harness', () => {
  it('parses --quick and --key=value', () => {
    const o = parseOptions(['--quick', '--sizes=1,2', 'stray']);
    expect(o.quick).toBe(true);
    expect(o.args.sizes).toBe('1,2');
  });

  it('table: GFLOP/s and one ratio column per thread count of our rows', () => {
    const rows: Row[] = [
      { group: 'g', impl: 'ours', ours: true, threads: 1, hz: 100, rme: 1, samples: 5, flop: 2e7 },
      { group: 'g', impl: 'ours mt', ours: true, threads: 2, hz: 200, rme: 1, samples: 5, flop: 2e7 },
      { group: 'g', impl: 'peer', hz: 50, rme: 2, samples: 5, flop: 2e7 },
    ];
    const lines = table(rows).split('\n');
    expect(lines[0]).toContain('ours 1T / this');
    expect(lines[0]).toContain('ours 2T / this');
    expect(lines[4]).toBe('| g | peer | 50.00 | 2.0 | 1.00 | 2.00x | 4.00x | 5 |');
    expect(lines[2]).toContain('| 2.00 | 1 | - |');
  });

  it('randomArray is deterministic and in [-1, 1)', () => {
    const a = randomArray(Float64Array, 1000, 7);
    expect(Array.from(a)).toEqual(Array.from(randomArray(Float64Array, 1000, 7)));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
  });
});

describe('loadJax', () => {
  it('initialises the wasm device and counts buffer references (a leaked array is caught)', async () => {
    const { loadJax } = await import('../harness.ts');
    const jx = await loadJax();
    expect(jx.jax.defaultDevice()).toBe('wasm');
    expect(Number.isNaN(jx.liveRefs())).toBe(false);
    const a = jx.np.array(new Float32Array([1, 2, 3]));
    const done = await jx.mark();
    expect(Array.from(a.ref.mul(2).dataSync())).toEqual([2, 4, 6]);
    await done('no leak');
    const leaked = a.ref.add(a.ref);
    leaked.dataSync.call(leaked.ref); // reads it but keeps one reference
    await expect(done('leak')).rejects.toThrow(/buffer references leaked/);
    leaked.dispose();
    a.dispose();
  });
});
