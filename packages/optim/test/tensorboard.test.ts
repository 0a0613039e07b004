/**
 * Conformance: logs written by memograd's SummaryWriter, read back by TensorBoard's own loading code
 * (tb-read: the EventMultiplexer and data provider the `tensorboard --logdir` server uses, CRC-checked,
 * plus the legacy EventAccumulator) and by the HParams plugin's parser (tensorboard-dump.py). Every
 * value is compared with what was written: scalars bit-exact in float32, histogram buckets and counts
 * and the raw HistogramProto fields, text, image bytes and pixels, hparams sessions.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import { Generator, tensor } from '@memograd/autograd';
import { SummaryWriter } from '@memograd/optim/node';
import {
  jsonNumber, migrateHistogram, referenceEqualBins, referenceHistogram, referenceTfBins, tbDump, tbRead, tempDir,
  type Dump, type TbReadResult,
} from './tensorboard-helpers.ts';


const SCALARS: Array<[number, number, number]> = [
  // value, step, wall time (sub-millisecond parts, a step of 2**40)
  [0.1, 0, 1700000000.123456],
  [1 / 3, 1, 1700000000.2500317],
  [-0, 2, 1700000001],
  [1e-30, 3, 1700000002.5],
  [3.4e38, 4, 1700000003.000001],
  [NaN, 5, 1700000004],
  [Infinity, 6, 1700000005],
  [-Infinity, 7, 1700000006],
  [1e-46, 8, 1700000007], // below float32's smallest subnormal: stored as 0
  [123456789.123, 2 ** 40, 1700000008],
];

const gen = new Generator(7);
const r = (): number => gen.uniform();
const normal = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const HISTS = {
  weights: [0, 1, 2].map((s) => Array.from({ length: 500 }, () => normal() * (0.5 + s))),
  ints: [1, 2, 2, 3, 3, 3, 7],
  tiny: [-1e-13, 0, 5e-13, 2e-12, -3e-12],
  zeros: new Array(10).fill(0),
  edges: [-1, -0.5, 0, 0, 0.25, 0.5, 1.999, 2],
};
const EDGES = [-1, 0, 0.5, 2];
const TEXTS = ['plain', 'héllo wörld — ✓ 日本語', 'line 1\nline 2\n\n| a | b |\n|---|---|\n| 1 | 2 |', ''];
const HPARAM_TRIALS: Array<[Record<string, number | string | boolean>, Record<string, number>]> = [
  [{ lr: 0.01, units: 64, optimizer: 'adam', batchnorm: true }, { 'hparam/accuracy': 0.9123, 'hparam/loss': 0.25 }],
  [{ lr: 0.1, units: 0, optimizer: '', batchnorm: false }, { 'hparam/accuracy': 0.5, 'hparam/loss': 1 / 3 }],
];
// a 3x5 RGB image in CHW, a 4x2 gray image in HW, a 2x3 RGBA image in HWC; values outside [0, 1] clip
const CHW = Array.from({ length: 3 }, (_, c) => Array.from({ length: 3 }, (_, y) => Array.from({ length: 5 }, (_, x) => ((c * 15 + y * 5 + x) / 44) * 1.2 - 0.1)));
const HW = [[0, 0.25], [0.5, 0.75], [1, 0.999], [0.3, 0.7]];
const HWC = [[[0, 0.2, 0.4, 1], [0.6, 0.8, 1, 0.5], [1, 1, 1, 0]], [[0.1, 0.1, 0.1, 0.1], [0.5, 0.5, 0.5, 0.5], [0.9, 0.9, 0.9, 0.9]]];

/** PyTorch's byte for a float pixel: uint8(clip(float32(v) * 255, 0, 255)). */
function byte(v: number): number {
  const p = Math.fround(Math.fround(v) * 255);
  return p <= 0 ? 0 : p >= 255 ? 255 : Math.trunc(p);
}

let dir: string;
let res: TbReadResult;
let dump: Dump;
let status: number;
let stderr: string;

beforeAll(() => {
  dir = tempDir();
  const w = new SummaryWriter(join(dir, 'run'), { maxQueue: 3 });
  for (const [v, step, t] of SCALARS) w.addScalar('values/edge_cases', v, step, t);
  w.addScalar('tensor_value', tensor(2.5), 1, 1700000000);
  for (let s = 0; s < 3; s++) w.addScalars('loss/all', { train: 1 / (s + 1), val: 1 / (s + 2) }, s, 1700000100 + s);
  HISTS.weights.forEach((vals, s) => w.addHistogram('weights', vals, s, undefined, 1700000200 + s));
  w.addHistogram('ints', HISTS.ints, 0, 3, 1700000300);
  w.addHistogram('tiny', Float32Array.from(HISTS.tiny), 0, 'tensorflow', 1700000301);
  w.addHistogram('zeros', tensor(HISTS.zeros), 0, undefined, 1700000302);
  w.addHistogram('edges', HISTS.edges, 0, EDGES, 1700000303);
  TEXTS.forEach((t, s) => w.addText('notes', t, s, 1700000400 + s));
  w.addImage('img/chw', tensor(CHW), 0, { wallTime: 1700000500 });
  w.addImage('img/hw', tensor(HW, { dtype: 'float64' }), 1, { dataformats: 'HW', wallTime: 1700000501 });
  w.addImage('img/hwc', tensor(HWC), 2, { dataformats: 'HWC', wallTime: 1700000502 });
  HPARAM_TRIALS.forEach(([hp, m], i) => w.addHparams(hp, m, { runName: `trial_${i}` }));
  // a session without the experiment summary (for trials whose keys differ), at step 3
  w.addHparams({ layers: 2, units_1: 32 }, { 'hparam/accuracy': 0.625 }, { runName: 'trial_2', step: 3, experiment: false });
  w.close();
  const out = tbRead(dir, ['--strict', '--images-b64']);
  status = out.status;
  stderr = out.stderr;
  res = out.json!;
  dump = tbDump(dir);
}, 300_000);

describe('SummaryWriter read back by TensorBoard (tb-read --strict)', () => {
  it('passes tb-read --strict with no error or warning, every record loaded by TensorBoard', () => {
    expect(stderr).not.toMatch(/Traceback/);
    expect(status).toBe(0);
    expect(res.ok).toBe(true);
    expect(res.errors).toEqual([]);
    expect(res.warnings).toEqual([]);
    expect(Object.keys(res.runs).sort()).toEqual(['run', 'run/loss_all_train', 'run/loss_all_val', 'run/trial_0', 'run/trial_1', 'run/trial_2']);
    for (const f of res.files) {
      expect(f.file_version).toBe('brain.Event:2');
      expect(f.tensorboard_records).toBe(f.records);
      expect(f.problems).toEqual([]);
      expect(f.path.split('/').pop()).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.[^.]+(\\.[^.]+)*\\.${process.pid}\\.\\d+$`));
    }
    // one file per run: the main writer's, one per addScalars key, one per hparams session
    expect(res.files).toHaveLength(6);
    expect(readdirSync(join(dir, 'run')).filter((f) => f.includes('tfevents'))).toHaveLength(1);
  });

  it('scalars: every step, wall time and float32 value', () => {
    const pts = res.runs.run!.scalars['values/edge_cases']!;
    expect(pts.dtype).toBe('DT_FLOAT');
    expect(pts.points).toHaveLength(SCALARS.length);
    pts.points.forEach((p, i) => {
      const [v, step, t] = SCALARS[i]!;
      expect(p.step).toBe(step);
      expect(p.wall_time).toBe(t);
      expect(Object.is(p.value, jsonNumber(Math.fround(v))), `point ${i}: ${p.value} vs ${Math.fround(v)}`).toBe(true);
    });
    expect(res.runs.run!.scalars.tensor_value!.points).toEqual([{ step: 1, wall_time: 1700000000, value: 2.5 }]);
  });

  it('addScalars: one sub-run per key, the main tag in each, as PyTorch', () => {
    for (const [key, f] of [['train', (s: number) => 1 / (s + 1)], ['val', (s: number) => 1 / (s + 2)]] as const) {
      const run = res.runs[`run/loss_all_${key}`]!;
      expect(Object.keys(run.scalars)).toEqual(['loss/all']);
      expect(run.scalars['loss/all']!.points).toEqual([0, 1, 2].map((s) => ({ step: s, wall_time: 1700000100 + s, value: Math.fround(f(s)) })));
    }
  });

  it('histograms: buckets and counts as TensorBoard migrates PyTorch\'s make_histogram', () => {
    const hs = res.runs.run!.histograms;
    expect(Object.keys(hs).sort()).toEqual(['edges', 'ints', 'tiny', 'weights', 'zeros']);
    const cases: Array<[string, number[][], number[]]> = [
      ['weights', HISTS.weights, referenceTfBins()],
      ['ints', [HISTS.ints], referenceEqualBins(HISTS.ints, 3)],
      ['tiny', [HISTS.tiny.map(Math.fround)], referenceTfBins()],
      ['zeros', [HISTS.zeros], referenceTfBins()],
      ['edges', [HISTS.edges], EDGES],
    ];
    for (const [tag, series, edges] of cases) {
      expect(hs[tag]!.steps).toHaveLength(series.length);
      series.forEach((vals, s) => {
        const ref = referenceHistogram(vals, edges);
        const got = hs[tag]!.steps[s]!;
        expect(got.step, tag).toBe(s);
        expect(got.buckets, `${tag} step ${s}`).toEqual(migrateHistogram(ref));
        expect(got.count).toBe(vals.length);
        // the raw HistogramProto, as the legacy EventAccumulator returns it
        const raw = dump.run!.histograms![tag]![s]!;
        expect(raw).toMatchObject({ step: s, min: ref.min, max: ref.max, num: ref.num, sum: ref.sum, sum_squares: ref.sumSquares, bucket_limit: ref.limits, bucket: ref.counts });
      });
    }
    // hand-checked: [1, 2, 2, 3, 3, 3, 7] in 3 bins of [1, 7]: edges 1, 3, 5, 7
    expect(dump.run!.histograms!.ints![0]).toMatchObject({ bucket_limit: [1, 3, 5, 7], bucket: [0, 3, 3, 1] });
    expect(hs.ints!.steps[0]!.buckets).toEqual([[1, 3, 3], [3, 5, 3], [5, 7, 1]]);
    expect(hs.zeros!.steps[0]!.buckets).toEqual([[0, 0, 10]]);
  });

  it('text: every string under <tag>/text_summary, one per step', () => {
    const t = res.runs.run!.text['notes/text_summary']!;
    expect(t.steps.map((s) => [s.step, s.wall_time, s.shape, s.values])).toEqual(TEXTS.map((x, i) => [i, 1700000400 + i, [1], [x]]));
  });

  it('images: PNG bytes as written and pixels as PyTorch converts them', () => {
    const ims = res.runs.run!.images;
    const expected: Record<string, { w: number; h: number; ch: number; px: (x: number, y: number, c: number) => number }> = {
      'img/chw': { w: 5, h: 3, ch: 3, px: (x, y, c) => CHW[c]![y]![x]! },
      'img/hw': { w: 2, h: 4, ch: 3, px: (x, y) => HW[y]![x]! },
      'img/hwc': { w: 3, h: 2, ch: 4, px: (x, y, c) => HWC[y]![x]![c]! },
    };
    expect(Object.keys(ims).sort()).toEqual(Object.keys(expected));
    Object.entries(expected).forEach(([tag, e], step) => {
      const s = ims[tag]!.steps[0]!;
      expect([s.step, s.width, s.height]).toEqual([step, String(e.w), String(e.h)]);
      const img = s.images[0]!;
      expect(img.format).toBe('PNG');
      expect(img.decoded).toEqual({ width: e.w, height: e.h, mode: e.ch === 4 ? 'RGBA' : 'RGB' });
      const bytes = Buffer.from(img.base64!, 'base64');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(img.sha256);
      const png = decode(bytes);
      expect([png.width, png.height, png.channels, png.depth]).toEqual([e.w, e.h, e.ch, 8]);
      const want: number[] = [];
      for (let y = 0; y < e.h; y++) for (let x = 0; x < e.w; x++) for (let c = 0; c < e.ch; c++) want.push(byte(e.px(x, y, c)));
      expect(Array.from(png.data)).toEqual(want);
    });
  });

  it('hparams: one session per call, as the HParams plugin parses it, with the metric scalars', () => {
    HPARAM_TRIALS.forEach(([hp, metrics], i) => {
      const run = `run/trial_${i}`;
      expect(res.runs[run]!.other_plugins.hparams).toEqual({ '_hparams_/experiment': 1, '_hparams_/session_end_info': 1, '_hparams_/session_start_info': 1 });
      const h = dump[run]!.hparams!;
      const type = (v: unknown) => (typeof v === 'number' ? 'DATA_TYPE_FLOAT64' : typeof v === 'string' ? 'DATA_TYPE_STRING' : 'DATA_TYPE_BOOL');
      expect(h.experiment).toEqual({
        hparam_infos: Object.entries(hp).map(([name, v]) => ({ name, type: type(v) })),
        metric_infos: Object.keys(metrics).map((tag) => ({ name: { tag } })),
      });
      expect(h.session_start_info.hparams).toEqual(hp);
      expect(typeof h.session_start_info.start_time_secs).toBe('number');
      expect(h.session_end_info.status).toBe('STATUS_SUCCESS');
      const sc = res.runs[run]!.scalars;
      expect(Object.keys(sc).sort()).toEqual(Object.keys(metrics).sort());
      for (const [k, v] of Object.entries(metrics)) expect(sc[k]!.points.map((p) => [p.step, p.value])).toEqual([[0, Math.fround(v)]]);
    });
    // experiment: false writes the session only
    expect(res.runs['run/trial_2']!.other_plugins.hparams).toEqual({ '_hparams_/session_end_info': 1, '_hparams_/session_start_info': 1 });
    expect(Object.keys(dump['run/trial_2']!.hparams!).sort()).toEqual(['session_end_info', 'session_start_info']);
    expect(dump['run/trial_2']!.hparams!.session_start_info.hparams).toEqual({ layers: 2, units_1: 32 });
    expect(res.runs['run/trial_2']!.scalars['hparam/accuracy']!.points.map((p) => [p.step, p.value])).toEqual([[3, 0.625]]);
  });

  it('no tag is left without a dashboard, and the legacy EventAccumulator agrees on the scalars', () => {
    expect(Object.keys(res.runs)).toHaveLength(6);
    for (const run of Object.values(res.runs)) {
      expect(run.tags_without_plugin).toEqual([]);
      expect((run as unknown as { legacy_event_accumulator: { scalars_agree_with_data_provider: boolean } }).legacy_event_accumulator.scalars_agree_with_data_provider).toBe(true);
    }
  });
});
