/**
 * Tuner project directories: one trial.json per trial, resume after an interruption, HParams
 * sessions read back by TensorBoard's own loader (tb-read --strict).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Generator, tensor } from '@memograd/autograd';
import * as nn from '@memograd/nn';
import { Hyperband, RandomSearch, SGD } from '@memograd/optim';
import type { HyperParameters, TrialRecord } from '@memograd/optim';
import { TunerProject } from '@memograd/optim/node';
import { tbDump, tbRead, tempDir } from './tensorboard-helpers.ts';
import { binaryProblem } from './tuner-fixtures.ts';

const problem = () => binaryProblem(11, -1);
function build(hp: HyperParameters) {
  const units = hp.int('units', { min: 2, max: 8, step: 2 })!;
  const lr = hp.choice('lr', [0.01, 0.1, 0.5])!;
  const model = new nn.Sequential(new nn.Linear(2, units), new nn.ReLU(), new nn.Linear(units, 1), new nn.Sigmoid());
  return { model, optimizer: (p: nn.Parameter[]) => new SGD(p, { lr }), loss: 'binary_crossentropy' as const, metrics: ['accuracy'] as const };
}
const strip = (ts: readonly TrialRecord[]) => ts.map((t) => [t.trialId, t.values, t.score, t.metrics, t.status, t.epochsRun]);

describe('TunerProject', () => {
  it('writes one trial.json per trial and resumes an interrupted search exactly', () => {
    const dir = tempDir();
    const { x, y } = problem();
    const opts = { objective: 'val_accuracy', maxEpochs: 3, factor: 3, seed: 5 } as const;
    const full = new Hyperband(build as never, opts);
    full.search({ x, y, validationSplit: 0.25, verbose: 0 });

    let epochs = 0;
    const bomb = { onEpochEnd: () => { if (++epochs === 6) throw new Error('interrupted'); } };
    const first = new Hyperband(build as never, { ...opts, store: new TunerProject({ directory: dir, projectName: 'p' }) });
    expect(() => first.search({ x, y, validationSplit: 0.25, verbose: 0, callbacks: [bomb] })).toThrow('interrupted');
    const files = readdirSync(join(dir, 'p')).sort();
    const saved = files.map((f) => JSON.parse(readFileSync(join(dir, 'p', f, 'trial.json'), 'utf8')) as { trial: TrialRecord; oracle: string });
    expect(saved.at(-1)!.trial.status).toBe('RUNNING');
    expect(saved.slice(0, -1).every((s) => s.trial.status === 'COMPLETED' && existsSync(join(dir, 'p', `trial_${s.trial.trialId}`, 'checkpoint.safetensors')))).toBe(true);
    expect(saved[0]!.oracle).toBe('Hyperband');
    const done = saved.length - 1;

    let runs = 0;
    const counter = { onTrainBegin: () => { runs++; } };
    const second = new Hyperband(build as never, { ...opts, store: new TunerProject({ directory: dir, projectName: 'p' }) });
    second.search({ x, y, validationSplit: 0.25, verbose: 0, callbacks: [counter] });
    expect(runs).toBe(full.oracle.trials.length - done);
    expect(strip(second.oracle.trials)).toEqual(strip(full.oracle.trials));
    expect(second.resultsSummary(3, { print: false })).toBe(full.resultsSummary(3, { print: false }).replace('Results in memory', `Results in ${join(dir, 'p')}`));

    // overwrite: true starts afresh
    let runs2 = 0;
    const third = new Hyperband(build as never, { ...opts, store: new TunerProject({ directory: dir, projectName: 'p', overwrite: true }) });
    third.search({ x, y, validationSplit: 0.25, verbose: 0, callbacks: [{ onTrainBegin: () => { runs2++; } }] });
    expect(runs2).toBe(full.oracle.trials.length);
  });

  it('refuses a project made by another tuner or seed', () => {
    const dir = tempDir();
    const { x, y } = problem();
    new RandomSearch(build as never, { objective: 'val_loss', maxTrials: 1, seed: 1, store: new TunerProject({ directory: dir }) }).search({ x, y, epochs: 1, validationSplit: 0.25, verbose: 0 });
    const other = new RandomSearch(build as never, { objective: 'val_loss', maxTrials: 2, seed: 2, store: new TunerProject({ directory: dir }) });
    expect(() => other.search({ x, y, epochs: 1, validationSplit: 0.25, verbose: 0 })).toThrow(/^RandomSearch.search: the stored search was made by RandomSearch with seed 1, not RandomSearch with seed 2/);
  });

  it('logs each trial as an HParams session that TensorBoard reads (tb-read --strict)', () => {
    const dir = tempDir();
    const logDir = join(dir, 'logs');
    const { x, y } = problem();
    const store = new TunerProject({ directory: dir, projectName: 'hp', logDir });
    const t = new RandomSearch(build as never, { objective: 'val_accuracy', maxTrials: 3, seed: 4, store });
    t.search({ x, y, epochs: 2, validationSplit: 0.25, verbose: 0 });
    store.close();
    const res = tbRead(logDir);
    expect(res.status).toBe(0);
    const dump = tbDump(logDir);
    for (const trial of t.oracle.trials) {
      const run = `trial_${trial.trialId}`;
      expect(res.json!.runs[run]!.other_plugins.hparams).toEqual({ '_hparams_/session_end_info': 1, '_hparams_/session_start_info': 1 });
      expect(dump[run]!.hparams!.session_start_info.hparams).toEqual(trial.values);
      for (const [k, v] of Object.entries(trial.metrics)) expect(res.json!.runs[run]!.scalars[k]!.points[0]!.value).toBe(Math.fround(v));
    }
  }, 300_000);
});
