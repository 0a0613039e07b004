/**
 * memograd's SummaryWriter against PyTorch's own torch.utils.tensorboard.SummaryWriter: both write the
 * same calls, TensorBoard's loader (tb-read) reads both logs, and every value must agree: scalars,
 * addScalars sub-runs, histogram buckets and the raw HistogramProto fields, text, image pixels and
 * hparams sessions. Runs where Debian's python3-torch is installed (it is on the project's machines;
 * elsewhere the suite says it skipped this file).
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import { tensor } from '@memograd/autograd';
import { SummaryWriter } from '@memograd/optim/node';
import { ensureTbReadDeps, tbDump, tbRead, tbToolsDir, tempDir, type Dump, type TbReadResult } from './tensorboard-helpers.ts';

const hasTorch = spawnSync('/usr/bin/python3', ['-s', '-c', 'import torch'], { timeout: 120_000 }).status === 0;

const W0 = 1700000000.25;
const SCALARS = [0.1, 1 / 3, -0, 1e-30, 3.4e38, NaN, Infinity, -Infinity, 123456.789, -2.5];
const HISTS: number[][] = [
  [0.5, -1.25, 3, 3, 0, 1e-13, -7.5, 2.25],
  Array.from({ length: 200 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7))),
  [1, 2, 2, 3, 3, 3],
];
const TEXTS = ['héllo\nwörld', '| a | b |\n|---|---|'];
// inside [0, 1]: torch 1.13 casts out-of-range values to uint8 with wrap-around (1.5 -> 126); PyTorch 2
// clips them to [0, 255] as memograd does (tensorboard.test.ts checks the clipping)
const CHW = [[[0, 0.5, 1], [0.25, 0.75, 0.999]], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[1, 0, 1], [0, 1, 0.001]]];
const HW = [[0, 0.3], [0.6, 0.999], [1, 0.5]];
const HPARAMS: Record<string, number | string> = { lr: 0.01, units: 64, optimizer: 'adam' };
const METRICS = { 'hparam/accuracy': 0.875, 'hparam/loss': 0.3125 };

const TORCH_WRITER = `
import sys, numpy as np, torch
from torch.utils.tensorboard import SummaryWriter
import torch.utils.tensorboard.summary as S
# torch 1.13 with numpy >= 1.24: make_histogram's np.greater(..., dtype=np.int32) fails; shim that call only
class _Np:
    def __getattr__(self, n): return getattr(np, n)
    @staticmethod
    def greater(a, b, dtype=None):
        r = np.greater(a, b)
        return r.astype(dtype) if dtype is not None else r
S.np = _Np()
W0 = ${W0}
w = SummaryWriter(sys.argv[1] + '/run')
for i, v in enumerate(${JSON.stringify(SCALARS.map((v) => (Object.is(v, -0) ? '-0.0' : String(v))))}):
    w.add_scalar('edge', float(v), i, walltime=W0 + i)
for s in range(3):
    w.add_scalars('loss/all', {'train': 1 / (s + 1), 'val': 1 / (s + 2)}, s, walltime=W0 + 10 + s)
for s, vals in enumerate(${JSON.stringify(HISTS)}):
    w.add_histogram('h', np.array(vals), s, walltime=W0 + 20 + s)
w.add_histogram('h_bins3', np.array(${JSON.stringify(HISTS[2])}), 0, bins=3, walltime=W0 + 30)
for s, t in enumerate(${JSON.stringify(TEXTS)}):
    w.add_text('notes', t, s, walltime=W0 + 40 + s)
w.add_image('chw', torch.tensor(${JSON.stringify(CHW)}), 0, walltime=W0 + 50)
w.add_image('hw', np.array(${JSON.stringify(HW)}, dtype=np.float32), 1, walltime=W0 + 51, dataformats='HW')
w.add_hparams(${JSON.stringify(HPARAMS)}, ${JSON.stringify(METRICS)}, run_name='trial')
w.close()
`;

function writeMemograd(dir: string): void {
  const w = new SummaryWriter(join(dir, 'run'));
  SCALARS.forEach((v, i) => w.addScalar('edge', v, i, W0 + i));
  for (let s = 0; s < 3; s++) w.addScalars('loss/all', { train: 1 / (s + 1), val: 1 / (s + 2) }, s, W0 + 10 + s);
  HISTS.forEach((vals, s) => w.addHistogram('h', vals, s, undefined, W0 + 20 + s));
  w.addHistogram('h_bins3', HISTS[2]!, 0, 3, W0 + 30);
  TEXTS.forEach((t, s) => w.addText('notes', t, s, W0 + 40 + s));
  w.addImage('chw', tensor(CHW), 0, { wallTime: W0 + 50 });
  w.addImage('hw', tensor(HW), 1, { dataformats: 'HW', wallTime: W0 + 51 });
  w.addHparams(HPARAMS, METRICS, { runName: 'trial' });
  w.close();
}

let torchLog: TbReadResult;
let ourLog: TbReadResult;
let torchDump: Dump;
let ourDump: Dump;

describe.skipIf(!hasTorch)('memograd vs PyTorch SummaryWriter, both read by TensorBoard', () => {
  beforeAll(() => {
    ensureTbReadDeps();
    const dir = tempDir();
    // PyTorch's writer imports TensorBoard's writer modules: tb-read's test-vendor merged over vendor
    const path = join(dir, 'pythonpath');
    cpSync(join(tbToolsDir(), 'vendor'), path, { recursive: true });
    cpSync(join(tbToolsDir(), 'test-vendor'), path, { recursive: true });
    const r = spawnSync('/usr/bin/python3', ['-s', '-c', TORCH_WRITER, join(dir, 'torch')], {
      encoding: 'utf8', timeout: 240_000, env: { ...process.env, PYTHONPATH: path, PYTHONNOUSERSITE: '1' },
    });
    if (r.status !== 0) throw new Error(`the PyTorch writer failed: ${r.stderr}`);
    writeMemograd(join(dir, 'memograd'));
    const t = tbRead(join(dir, 'torch'), ['--strict', '--images-b64', '--no-legacy']);
    const o = tbRead(join(dir, 'memograd'), ['--strict', '--images-b64']);
    expect(o.status).toBe(0);
    torchLog = t.json!;
    ourLog = o.json!;
    torchDump = tbDump(join(dir, 'torch'));
    ourDump = tbDump(join(dir, 'memograd'));
  }, 600_000);

  it('the same runs; every scalar point (step, wall time, float32 value) equal', () => {
    expect(Object.keys(ourLog.runs).sort()).toEqual(Object.keys(torchLog.runs).sort());
    expect(Object.keys(ourLog.runs).sort()).toEqual(['run', 'run/loss_all_train', 'run/loss_all_val', 'run/trial']);
    for (const run of Object.keys(torchLog.runs)) {
      if (run !== 'run/trial') expect(ourLog.runs[run]!.scalars, run).toEqual(torchLog.runs[run]!.scalars);
    }
    // add_hparams stamps its metric scalars with the current time: compare the rest
    const noTime = (l: TbReadResult) => Object.entries(l.runs['run/trial']!.scalars).map(([k, v]) => [k, v.dtype, v.points.map((p) => [p.step, p.value])]);
    expect(noTime(ourLog)).toEqual(noTime(torchLog));
  });

  it('histograms: the same buckets after TensorBoard\'s migration, and the same HistogramProto fields', () => {
    const ours = ourLog.runs.run!.histograms;
    const theirs = torchLog.runs.run!.histograms;
    expect(Object.keys(ours).sort()).toEqual(['h', 'h_bins3']);
    for (const tag of Object.keys(theirs)) {
      expect(ours[tag]!.steps.map((s) => [s.step, s.wall_time, s.buckets])).toEqual(theirs[tag]!.steps.map((s) => [s.step, s.wall_time, s.buckets]));
      ourDump.run!.histograms![tag]!.forEach((h, i) => {
        const p = torchDump.run!.histograms![tag]![i]!;
        expect([h.step, h.min, h.max, h.num, h.bucket_limit, h.bucket]).toEqual([p.step, p.min, p.max, p.num, p.bucket_limit, p.bucket]);
        // NumPy sums pairwise, memograd left to right: equal up to rounding
        expect(h.sum).toBeCloseTo(p.sum, 9);
        expect(h.sum_squares).toBeCloseTo(p.sum_squares, 9);
      });
    }
  });

  it('text and image pixels', () => {
    expect(ourLog.runs.run!.text).toEqual(torchLog.runs.run!.text);
    for (const tag of ['chw', 'hw']) {
      const a = ourLog.runs.run!.images[tag]!.steps[0]!;
      const b = torchLog.runs.run!.images[tag]!.steps[0]!;
      expect([a.step, a.wall_time, a.width, a.height]).toEqual([b.step, b.wall_time, b.width, b.height]);
      const pa = decode(Buffer.from(a.images[0]!.base64!, 'base64'));
      const pb = decode(Buffer.from(b.images[0]!.base64!, 'base64'));
      expect([pa.width, pa.height, pa.channels, Array.from(pa.data)]).toEqual([pb.width, pb.height, pb.channels, Array.from(pb.data)]);
    }
  });

  it('hparams: the same experiment and session values', () => {
    const a = ourDump['run/trial']!.hparams!;
    const b = torchDump['run/trial']!.hparams!;
    expect(a.experiment).toEqual(b.experiment);
    expect(a.session_start_info.hparams).toEqual(b.session_start_info.hparams);
    expect(a.session_end_info.status).toBe(b.session_end_info.status);
    expect(ourLog.runs['run/trial']!.other_plugins).toEqual(torchLog.runs['run/trial']!.other_plugins);
  });
});
