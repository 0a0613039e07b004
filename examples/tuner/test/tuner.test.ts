import { describe, expect, it } from 'vitest';
import { HyperParameters } from '@memograd/optim';
import { buildModel, compareTuners, comparisonTable, loadPenguins, meanResults } from '../tuner.ts';

describe('tuner example', () => {
  it('loads the penguins: 333 complete rows, 7 features, both sexes', () => {
    const d = loadPenguins(0);
    expect(d.rows).toBe(333);
    expect(d.x.shape).toEqual([266, 7]);
    expect(d.xVal.shape).toEqual([67, 7]);
    const males = Array.from(d.y.data).filter((v) => v === 1).length;
    expect(males / 266).toBeGreaterThan(0.4);
    expect(males / 266).toBeLessThan(0.6);
  });

  it("build_model registers the seed's hyper-parameters", () => {
    const hp = new HyperParameters();
    hp.values = { num_layers: 2 };
    buildModel(hp);
    expect(hp.space.map((h) => h.name)).toEqual(['input_units', 'dropout_input', 'num_layers', 'layer_0_units', 'dropout0', 'layer_1_units', 'dropout1', 'optimizer']);
    expect(hp.space.find((h) => h.name === 'optimizer')).toMatchObject({ type: 'choice', values: ['adam', 'sgd', 'rmsprop', 'adadelta'] });
    expect(hp.space.find((h) => h.name === 'input_units')).toMatchObject({ type: 'int', min: 8, max: 128, step: 8 });
  });

  it('a small seeded comparison is repeatable and its summary and table are well formed', () => {
    const run = () => compareTuners({ seed: 1, epochs: 3, trials: 3 });
    const a = run();
    const b = run();
    expect(a.results.map((r) => [r.name, r.trials, r.epochs, r.best])).toEqual(b.results.map((r) => [r.name, r.trials, r.epochs, r.best]));
    expect(a.results.map((r) => r.name)).toEqual(['RandomSearch', 'Hyperband', 'BayesianOptimization']);
    for (const r of a.results) {
      expect(r.best).toBeGreaterThan(0.4);
      const summary = r.tuner.resultsSummary(2, { print: false });
      expect(summary).toMatch(/^Results summary\nResults in memory\nShowing 2 best trials\nObjective\(name="val_accuracy", direction="max"\)\n\nTrial \d\d summary\nHyperparameters:\ninput_units: \d+\ndropout_input: [\d.]+\nnum_layers: \d+\n/);
      expect(summary).toMatch(/optimizer: (adam|sgd|rmsprop|adadelta)\n/);
    }
    const table = comparisonTable(a.results).split('\n');
    expect(table[0]).toMatch(/^\| tuner +\| trials \| epochs \| best val_accuracy \|/);
    expect(table).toHaveLength(5);
    const mean = meanResults([a.results, b.results]);
    expect(mean.map((m) => [m.name, m.best, m.wins >= 0 && m.wins <= 2])).toEqual(a.results.map((r) => [r.name, r.best, true]));
    expect(Math.max(...mean.map((m) => m.wins))).toBe(2);
  });
});
