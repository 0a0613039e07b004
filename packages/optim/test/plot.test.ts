/**
 * plotHistory and historySpec: the SVG's content read back (axis titles, legend, points per series,
 * the best-epoch marker, the learning-rate panel), the HTML report, and the errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ArgumentError, Generator, MemogradError, randn } from '@memograd/autograd';
import { Linear, ReLU, Sequential, mseLoss } from '@memograd/nn';
import { Adam, LearningRateScheduler, StepLR, fit, historySpec } from '../src/index.ts';
import { plotHistory } from '../src/node.ts';

const ROOT = mkdtempSync(join(tmpdir(), 'memograd-plot-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

// ---- reading the SVG back ----

interface Mark { panel: number; key: string; epoch: number; x: number; y: number }

/** The mark containers of one kind ('line', 'symbol', 'rule', 'text') with their panel (vconcat index) and inner SVG. */
function containers(svg: string, kind: string): { panel: number; body: string }[] {
  const re = new RegExp(`<g class="mark-${kind} role-mark concat_(\\d+)_[^"]*"[^>]*>(.*?)</g>`, 'g');
  return [...svg.matchAll(re)].map((m) => ({ panel: Number(m[1]), body: m[2]! }));
}
const labelField = (aria: string, field: string): string | undefined => new RegExp(`(?:^|; )${field}: ([^;]*)`).exec(aria)?.[1];
const translate = (el: string): [number, number] => {
  const m = /transform="translate\(([-\d.e]+),([-\d.e]+)\)"/.exec(el)!;
  return [Number(m[1]), Number(m[2])];
};
/** Every point symbol: its panel, log key, epoch and position. */
function points(svg: string): Mark[] {
  return containers(svg, 'symbol').flatMap(({ panel, body }) => [...body.matchAll(/<path aria-label="([^"]*)"[^>]*>/g)].map((m) => {
    const [x, y] = translate(m[0]);
    return { panel, key: labelField(m[1]!, 'log key')!, epoch: Number(labelField(m[1]!, 'epoch')), x, y };
  }));
}
/** Every line: its panel, log key (of its first point) and the number of vertices in its path. */
function lines(svg: string): { panel: number; key: string; vertices: number; d: string }[] {
  return containers(svg, 'line').flatMap(({ panel, body }) => [...body.matchAll(/<path aria-label="([^"]*)"[^>]*d="([^"]*)"/g)].map((m) => ({
    panel, key: labelField(m[1]!, 'log key')!, d: m[2]!, vertices: (m[2]!.match(/[MLHV]/g) ?? []).length,
  })));
}
const rules = (svg: string) => containers(svg, 'rule').map(({ panel, body }) => ({ panel, epoch: Number(labelField(/aria-label="([^"]*)"/.exec(body)![1]!, 'epoch')), x: translate(body)[0] }));
const texts = (svg: string, role: string): string[] => [...svg.matchAll(new RegExp(`<g class="mark-text role-${role}[^"]*"[^>]*>(.*?)</g>`, 'g'))].flatMap((m) => [...m[1]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]!));

// ---- histories ----

/** A 12-epoch Keras-style history whose val_loss is lowest at epoch 7 (index 6). */
function kerasHistory(withLr = true): Record<string, number[]> {
  const n = 12;
  const h: Record<string, number[]> = { loss: [], accuracy: [], val_loss: [], val_accuracy: [] };
  for (let i = 0; i < n; i++) {
    h.loss!.push(1 / (i + 1));
    h.accuracy!.push(0.5 + 0.04 * i);
    h.val_loss!.push(0.3 + 0.01 * (i - 6) ** 2);
    h.val_accuracy!.push(0.8 - 0.005 * (i - 8) ** 2);
  }
  if (withLr) h.lr = Array.from({ length: n }, (_, i) => 0.1 * 0.1 ** Math.floor(i / 4));
  return h;
}

describe('plotHistory: the SVG', () => {
  it('draws loss and accuracy (training and validation), the learning rate, and the best epoch', async () => {
    const h = kerasHistory();
    const { svg, best } = await plotHistory(h, { path: false, html: false, title: 'MLP on MNIST' });
    expect(best).toMatchObject({ epoch: 7, monitor: 'val_loss', value: 0.3 });
    expect(texts(svg, 'title-text')).toEqual(['MLP on MNIST']);
    expect(texts(svg, 'axis-title').sort()).toEqual(['accuracy', 'epoch', 'epoch', 'epoch', 'learning rate', 'loss']);
    expect(texts(svg, 'legend-label')).toEqual(['training', 'validation']);
    // one line per series, one vertex per epoch, in the panel of its metric
    const ls = lines(svg);
    expect(ls.map((l) => [l.panel, l.key]).sort()).toEqual([[0, 'loss'], [0, 'val_loss'], [1, 'accuracy'], [1, 'val_accuracy'], [2, 'lr']]);
    for (const l of ls.filter((l) => l.key !== 'lr')) expect(l.vertices).toBe(12);
    // and one point per epoch, at its epoch
    const ps = points(svg);
    for (const key of ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr']) {
      expect(ps.filter((p) => p.key === key).map((p) => p.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    }
    // the best-epoch rule in every panel, at the x of epoch 7's points, and its label in the first
    const rs = rules(svg);
    expect(rs.map((r) => [r.panel, r.epoch])).toEqual([[0, 7], [1, 7], [2, 7]]);
    for (const r of rs) expect(r.x).toBeCloseTo(ps.find((p) => p.panel === r.panel && p.epoch === 7)!.x, 6);
    expect(containers(svg, 'text').map((t) => t.panel)).toEqual([0]);
    expect(texts(svg, 'mark')).toEqual(['best epoch 7 (val_loss 0.3)']);
    // the learning-rate panel spans two decades: a log axis, labelled in powers of ten
    expect(svg).toMatch(/Y-axis titled 'learning rate' for a log scale/);
  });

  it('lower loss is drawn lower: the y pixel order follows the values', async () => {
    const { svg } = await plotHistory({ loss: [3, 1, 2] }, { path: false, html: false });
    const ys = points(svg).map((p) => p.y);
    expect(ys[1]).toBeGreaterThan(ys[2]!);
    expect(ys[2]).toBeGreaterThan(ys[0]!);
  });

  it('has no learning-rate panel when lr was not logged, and no legend without validation', async () => {
    const noLr = (await plotHistory(kerasHistory(false), { path: false, html: false })).svg;
    expect(texts(noLr, 'axis-title')).not.toContain('learning rate');
    expect(new Set(lines(noLr).map((l) => l.panel))).toEqual(new Set([0, 1]));
    const trainOnly = (await plotHistory({ loss: [0.9, 0.5, 0.4, 0.45] }, { path: false, html: false })).svg;
    expect(texts(trainOnly, 'legend-label')).toEqual([]);
    expect(rules(trainOnly).map((r) => r.epoch)).toEqual([3]); // best by loss without val_loss
    expect(texts(trainOnly, 'mark')).toEqual(['best epoch 3 (loss 0.4)']);
  });

  it("accepts fit()'s History, with Keras 3's learning_rate key too", async () => {
    const g = new Generator(0);
    const model = new Sequential(new Linear(2, 8, { generator: g }), new ReLU(), new Linear(8, 1, { generator: g }));
    const x = randn([40, 2], { generator: g });
    const y = x.sum({ axis: 1, keepDims: true });
    const opt = new Adam(model.parameters(), { lr: 0.05 });
    const history = fit(model, {
      x, y, loss: mseLoss, optimizer: opt, epochs: 6, batchSize: 8, validationSplit: 0.25, verbose: 0, seed: 1,
      callbacks: [new LearningRateScheduler(new StepLR(opt, 2, 0.5))],
    });
    const { svg, best } = await plotHistory(history, { path: false, html: false });
    const vl = history.history.val_loss!;
    expect(best!.epoch).toBe(vl.indexOf(Math.min(...vl)) + 1);
    expect(lines(svg).map((l) => l.key).sort()).toEqual(['loss', 'lr', 'val_loss']);
    expect(points(svg).filter((p) => p.key === 'val_loss')).toHaveLength(6);
    const keras3 = (await plotHistory({ loss: [1, 0.5], learning_rate: [0.01, 0.01] }, { path: false, html: false })).svg;
    expect(texts(keras3, 'axis-title')).toContain('learning rate');
  });

  it('leaves a gap for NaN and Infinity, and never picks them as the best', async () => {
    const { svg, best } = await plotHistory({ loss: [1, 0.5, NaN, 0.3, Infinity, 0.35] }, { path: false, html: false });
    expect(best!.epoch).toBe(4);
    expect(points(svg).map((p) => p.epoch)).toEqual([1, 2, 4, 6]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('drops the point markers on long histories but keeps every vertex', async () => {
    const loss = Array.from({ length: 150 }, (_, i) => Math.exp(-i / 40));
    const { svg } = await plotHistory({ loss, val_loss: loss.map((v) => v + 0.1) }, { path: false, html: false });
    expect(points(svg)).toHaveLength(0);
    expect(lines(svg).map((l) => l.vertices)).toEqual([150, 150]);
    expect(rules(svg)[0]!.epoch).toBe(150);
  });

  it('metrics, monitor and mode choose the panels and the best epoch', async () => {
    const h = kerasHistory(false);
    const { svg, best } = await plotHistory(h, { path: false, html: false, metrics: ['val_accuracy'], monitor: 'val_accuracy' });
    expect(lines(svg).map((l) => l.key).sort()).toEqual(['accuracy', 'val_accuracy']);
    expect(best).toMatchObject({ epoch: 9, monitor: 'val_accuracy', value: 0.8 }); // max for an accuracy (auto mode)
    expect((await plotHistory(h, { path: false, html: false, monitor: 'loss', mode: 'max' })).best!.epoch).toBe(1);
    const none = await plotHistory(h, { path: false, html: false, monitor: null });
    expect(none.best).toBeNull();
    expect(rules(none.svg)).toEqual([]);
  });
});

describe('plotHistory: the files', () => {
  it('writes the SVG and a self-contained HTML report (next to it by default), creating folders', async () => {
    const path = join(ROOT, 'run-1', 'plots', 'history.svg');
    const r = await plotHistory(kerasHistory(), { path, title: 'A <run> & more' });
    expect(r.files).toEqual({ svg: path, html: join(ROOT, 'run-1', 'plots', 'history.html') });
    expect(readFileSync(path, 'utf8')).toBe(r.svg);
    const html = readFileSync(r.files.html!, 'utf8');
    expect(html).toBe(r.html);
    expect(html).toContain('<title>A &lt;run&gt; &amp; more</title>');
    expect(html).toContain(r.svg.replace(/^<\?xml[^>]*>\s*/, ''));
    expect(html).not.toMatch(/<script|<link|src=|url\(http/i);
    expect(html).toContain('Best epoch: <strong>7</strong> of 12, by val_loss = 0.3.');
    // the table: each key's final and best-epoch value
    expect(html).toMatch(/<tr><th scope="row">val_loss<\/th><td>0\.55<\/td><td>0\.3<\/td><\/tr>/);
    expect(html).toMatch(/<tr><th scope="row">loss<\/th><td>0\.08333<\/td><td>0\.1429<\/td><\/tr>/);
  });

  it('html: false writes only the SVG; a path without .svg gets .html appended for the report', async () => {
    const only = join(ROOT, 'only.svg');
    expect((await plotHistory({ loss: [1, 0.5] }, { path: only, html: false })).files).toEqual({ svg: only, html: null });
    expect(existsSync(join(ROOT, 'only.html'))).toBe(false);
    const odd = join(ROOT, 'chart');
    expect((await plotHistory({ loss: [1, 0.5] }, { path: odd })).files.html).toBe(`${odd}.html`);
  });
});

describe('plotHistory and historySpec: errors', () => {
  const cases: [string, unknown, unknown, RegExp][] = [
    ['no history', null, undefined, /^plotHistory: history must be fit\(\)'s History or a record of per-epoch number arrays .*got null/],
    ['a number', 42, undefined, /got 42$/],
    ['an array', [1, 2], undefined, /got \[1, 2\]$/],
    ['a non-array series', { loss: 'x' }, undefined, /^plotHistory: history\['loss'\] must be an array of numbers, got "x"$/],
    ['a non-number value', { loss: [1, '2'] }, undefined, /^plotHistory: history\['loss'\]\[1\] must be a number, got "2"$/],
    ['an empty history', {}, undefined, /^plotHistory: the history holds no values to plot/],
    ['an empty History object', { history: {}, epoch: [] }, undefined, /holds no values to plot/],
    ['an unlogged metric', { loss: [1] }, { metrics: ['accuracy'] }, /^plotHistory: options.metrics has "accuracy", which the history did not log \(logged: 'loss'\)/],
    ['empty metrics', { loss: [1] }, { metrics: [] }, /options.metrics must be a non-empty array/],
    ['an unlogged monitor', { loss: [1] }, { monitor: 'val_loss' }, /^plotHistory: options.monitor 'val_loss' was not logged \(logged: 'loss'\)/],
    ['a bad mode', { loss: [1] }, { mode: 'up' }, /options.mode must be 'auto', 'min' or 'max', got "up"$/],
    ['a bad width', { loss: [1] }, { width: 5 }, /options.width must be an integer number of pixels from 100 to 4000, got 5$/],
    ['a bad title', { loss: [1] }, { title: 7 }, /options.title must be a string, got 7$/],
    ['a bad path', { loss: [1] }, { path: '' }, /^plotHistory: options.path must be a non-empty file path or false/],
    ['a bad html path', { loss: [1] }, { html: 3 }, /options.html must be a non-empty file path or false, got 3$/],
    ['options not an object', { loss: [1] }, 'x', /^plotHistory: options must be an object, got "x"$/],
  ];
  it.each(cases)('%s', async (_what, history, options, message) => {
    const err = await plotHistory(history as never, options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toMatch(message);
    expect(existsSync('history.svg')).toBe(false); // nothing written in the working directory
  });

  it('the same path for SVG and HTML is refused before anything is drawn', async () => {
    const p = join(ROOT, 'same.svg');
    await expect(plotHistory({ loss: [1] }, { path: p, html: p })).rejects.toThrow(/options.path and options.html are the same file/);
    expect(existsSync(p)).toBe(false);
  });

  it('an unwritable path is an ArgumentError naming the path', async () => {
    const file = join(ROOT, 'a-file.svg');
    await plotHistory({ loss: [1] }, { path: file, html: false });
    await expect(plotHistory({ loss: [1] }, { path: join(file, 'below.svg'), html: false })).rejects.toThrow(/^plotHistory: cannot write ".*a-file\.svg\/below\.svg"/);
  });

  it('historySpec names itself in its errors and builds the same spec without rendering', () => {
    expect(() => historySpec(null as never)).toThrow(/^historySpec: history must be/);
    const { spec, best, metrics, lrKey } = historySpec(kerasHistory());
    expect(metrics).toEqual(['loss', 'accuracy']);
    expect(lrKey).toBe('lr');
    expect(best!.epoch).toBe(7);
    expect((spec.vconcat as unknown[]).length).toBe(3);
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
  });

  it('without vega installed, says so and names the install command', async () => {
    vi.resetModules();
    vi.doMock('vega', () => {
      throw new Error("Cannot find package 'vega'");
    });
    try {
      const fresh = await import('../src/node/plot.ts');
      const err = await fresh.plotHistory({ loss: [1, 0.5] }, { path: false, html: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as MemogradError).name).toBe('MemogradError');
      expect((err as Error).message).toMatch(/^plotHistory: drawing needs the optional peer dependencies 'vega' and 'vega-lite', which could not be loaded \(.*\); install them with 'npm install vega vega-lite'/);
    } finally {
      vi.doUnmock('vega');
      vi.resetModules();
    }
  });
});
