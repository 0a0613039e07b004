/**
 * The training-history chart as a Vega-Lite specification: pure data, no rendering and no `node:`
 * import, so a browser page can hand it to vega-embed while Node's `plotHistory` (in
 * `@memograd/optim/node`) renders the same spec to SVG with Vega's headless view.
 *
 * One panel per metric (loss first, then accuracy and the other metrics in the order they were
 * logged), each with the training curve and its `val_` twin, a shared colour legend
 * (training / validation), the best epoch marked by a dashed rule in every panel and labelled in the
 * first, and the learning rate in a panel of its own when the history logged `lr`.
 */
import { argumentError, describe } from './util.ts';

/** What `historySpec` and `plotHistory` draw: fit()'s History, or Keras-style `history.history` (log key to per-epoch values). */
export type HistoryInput = HistoryLike | Readonly<Record<string, readonly number[]>>;

/** An object holding a `history` record, as fit()'s `History` callback does. */
export interface HistoryLike {
  /** Each log key's value per epoch (Keras's `History.history`). */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** The epoch numbers recorded, from 0 (not needed: epochs are numbered from 1 by position). */
  readonly epoch?: readonly number[];
}

/** Options of `historySpec` (and of `plotHistory`, which adds file paths). */
export interface HistorySpecOptions {
  /** The chart's title (default 'Training history'). */
  title?: string;
  /**
   * The metrics to draw, by their training name ('loss', 'accuracy'); each panel also shows the
   * `val_` twin when logged. Default: every logged metric but the learning rate, loss first.
   */
  metrics?: readonly string[];
  /**
   * The log key that picks the best epoch (default 'val_loss' when logged, else 'loss', as Keras'
   * EarlyStopping); `null` marks no best epoch.
   */
  monitor?: string | null;
  /** Whether the monitored value is best when smallest or largest (default: 'max' for accuracy-like names, else 'min'). */
  mode?: 'auto' | 'min' | 'max';
  /** Width of each panel in pixels (default 480). */
  width?: number;
}

/** The best epoch found by `historySpec`: 1-based, as Keras prints epochs. */
export interface BestEpoch {
  /** The epoch number, from 1. */
  epoch: number;
  /** The log key it was chosen by. */
  monitor: string;
  /** The monitored value at that epoch. */
  value: number;
  /** Every logged metric's value at that epoch (keys whose series is shorter are absent). */
  logs: Record<string, number>;
}

/** What `historySpec` returns: the Vega-Lite spec and the facts drawn in it. */
export interface HistorySpec {
  /** A Vega-Lite (v6) specification; render it with vega-embed or `plotHistory`. */
  spec: Record<string, unknown>;
  /** The best epoch marked, or null (no monitor, or no finite value of it). */
  best: BestEpoch | null;
  /** The metrics drawn, one panel each, in order (the training names: 'loss', 'accuracy'). */
  metrics: string[];
  /** The learning-rate key drawn in its own panel ('lr' or 'learning_rate'), or null. */
  lrKey: string | null;
  /** The validated history: every key to its values. */
  history: Record<string, number[]>;
}

/** The log keys that hold the learning rate (memograd's and Keras 2's `lr`, Keras 3's `learning_rate`). */
const LR_KEYS = ['lr', 'learning_rate'];
const TRAIN_COLOR = '#1f77b4';
const VAL_COLOR = '#e6550d';
/** One legend above the panels, with line symbols that show each series' colour and dash. */
const LEGEND = { orient: 'top', direction: 'horizontal', symbolType: 'stroke', symbolSize: 400, symbolStrokeWidth: 2.5, labelFontSize: 12 };

/** Reads a History or a record into a fresh `Record<string, number[]>`, validating every value. */
export function readHistory(op: string, input: unknown): Record<string, number[]> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw argumentError(`${op}: history must be fit()'s History or a record of per-epoch number arrays (Keras' history.history), got ${describe(input)}`);
  }
  const inner = Object.getOwnPropertyDescriptor(input, 'history')?.value ?? (input as { history?: unknown }).history;
  const rec: unknown = inner !== undefined && inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : input;
  const out: Record<string, number[]> = {};
  for (const key of Object.keys(rec as object)) {
    const v = (rec as Record<string, unknown>)[key];
    if (!Array.isArray(v)) throw argumentError(`${op}: history['${key}'] must be an array of numbers, got ${describe(v)}`);
    const bad = v.findIndex((x) => typeof x !== 'number');
    if (bad >= 0) throw argumentError(`${op}: history['${key}'][${bad}] must be a number, got ${describe(v[bad])}`);
    if (v.length > 0) out[key] = v.slice() as number[];
  }
  if (Object.keys(out).length === 0) throw argumentError(`${op}: the history holds no values to plot (train with fit() first, or pass a record such as { loss: [0.9, 0.5] })`);
  return out;
}

/** The training name of a key: 'val_accuracy' → 'accuracy'. */
function baseName(key: string): string {
  return key.startsWith('val_') ? key.slice(4) : key;
}

function pickMode(mode: unknown, monitor: string, op: string): 'min' | 'max' {
  if (mode === undefined || mode === 'auto') return /acc|auc|precision|recall/.test(monitor) ? 'max' : 'min';
  if (mode === 'min' || mode === 'max') return mode;
  throw argumentError(`${op}: options.mode must be 'auto', 'min' or 'max', got ${describe(mode)}`);
}

/** The best epoch by `monitor` (the first one on ties, as Keras keeps the first best), or null without a finite value. */
function findBest(h: Record<string, number[]>, monitor: string, mode: 'min' | 'max'): BestEpoch | null {
  const values = h[monitor]!;
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (best < 0 || (mode === 'min' ? v < values[best]! : v > values[best]!)) best = i;
  }
  if (best < 0) return null;
  const logs: Record<string, number> = {};
  for (const [k, vs] of Object.entries(h)) if (best < vs.length) logs[k] = vs[best]!;
  return { epoch: best + 1, monitor, value: values[best]!, logs };
}

/** A number as the chart and report print it: 4 significant digits. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

/** Checks the options object and returns the metrics to draw, in panel order. */
function chooseMetrics(op: string, h: Record<string, number[]>, metrics: unknown): string[] {
  const available: string[] = [];
  for (const key of Object.keys(h)) {
    if (LR_KEYS.includes(key)) continue;
    const b = baseName(key);
    if (b !== '' && !available.includes(b)) available.push(b);
  }
  // loss first (Keras users read it first), the rest in logging order
  available.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
  if (metrics === undefined) return available;
  if (!Array.isArray(metrics) || metrics.length === 0) throw argumentError(`${op}: options.metrics must be a non-empty array of metric names, got ${describe(metrics)}`);
  const out: string[] = [];
  for (const m of metrics) {
    if (typeof m !== 'string' || !available.includes(baseName(m))) {
      throw argumentError(`${op}: options.metrics has ${describe(m)}, which the history did not log (logged: ${available.map((a) => `'${a}'`).join(', ') || 'none'})`);
    }
    if (!out.includes(baseName(m))) out.push(baseName(m));
  }
  return out;
}

function checkOptions(op: string, options: unknown): HistorySpecOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw argumentError(`${op}: options must be an object, got ${describe(options)}`);
  const o = options as HistorySpecOptions;
  if (o.title !== undefined && typeof o.title !== 'string') throw argumentError(`${op}: options.title must be a string, got ${describe(o.title)}`);
  if (o.width !== undefined && (typeof o.width !== 'number' || !Number.isInteger(o.width) || o.width < 100 || o.width > 4000)) {
    throw argumentError(`${op}: options.width must be an integer number of pixels from 100 to 4000, got ${describe(o.width)}`);
  }
  if (o.monitor !== undefined && o.monitor !== null && typeof o.monitor !== 'string') throw argumentError(`${op}: options.monitor must be a log key or null, got ${describe(o.monitor)}`);
  return o;
}

/** A panel: one metric's training and validation curves, the best-epoch rule (and its label in the first panel). */
function panel(metric: string, h: Record<string, number[]>, best: BestEpoch | null, first: boolean, width: number, epochs: number, split: boolean): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  const add = (key: string, series: string): void => {
    h[key]?.forEach((v, i) => rows.push({ epoch: i + 1, value: Number.isFinite(v) ? v : null, series, key }));
  };
  add(metric, 'training');
  add(`val_${metric}`, 'validation');
  const showPoints = epochs <= 60;
  const layers: Record<string, unknown>[] = [{
    data: { values: rows },
    mark: { type: 'line', point: showPoints ? { size: 28, filled: true } : false, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [1, Math.max(2, epochs)], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      // padded so the extreme points sit inside the frame, not on it
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false, padding: 8 } },
      color: {
        field: 'series', type: 'nominal', title: null,
        scale: { domain: ['training', 'validation'], range: [TRAIN_COLOR, VAL_COLOR] },
        legend: split ? LEGEND : null,
      },
      // the same field, title and legend as color: Vega-Lite merges them into one legend of coloured, dashed lines
      strokeDash: {
        field: 'series', type: 'nominal', title: null,
        scale: { domain: ['training', 'validation'], range: [[1, 0], [6, 3]] },
        legend: split ? LEGEND : null,
      },
      tooltip: [{ field: 'key', title: 'log key' }, { field: 'epoch' }, { field: 'value', format: '.4~g' }],
    },
  }];
  if (best !== null) {
    layers.push({
      data: { values: [{ epoch: best.epoch, label: `best epoch ${best.epoch} (${best.monitor} ${formatValue(best.value)})` }] },
      mark: { type: 'rule', color: '#555', strokeDash: [4, 4], strokeWidth: 1.5 },
      encoding: { x: { field: 'epoch', type: 'quantitative' } },
    });
    if (first) {
      // the label sits just below the top edge, on the side of the rule with more room
      const right = best.epoch <= (epochs + 1) / 2;
      layers.push({
        data: { values: [{ epoch: best.epoch, label: `best epoch ${best.epoch} (${best.monitor} ${formatValue(best.value)})` }] },
        mark: { type: 'text', align: right ? 'left' : 'right', dx: right ? 5 : -5, baseline: 'top', y: 4, fontSize: 11, color: '#333' },
        encoding: { x: { field: 'epoch', type: 'quantitative' }, text: { field: 'label' } },
      });
    }
  }
  return { width, height: 200, layer: layers };
}

/** The powers of ten from below the smallest value to above the largest. */
function decades(values: readonly number[]): number[] {
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  return Array.from({ length: hi - lo + 1 }, (_, i) => Number(`1e${lo + i}`));
}

/** The learning-rate panel: a step line (the rate holds for the whole epoch), log scale when it spans a decade or more. */
function lrPanel(lrKey: string, h: Record<string, number[]>, best: BestEpoch | null, width: number, epochs: number): Record<string, unknown> {
  const values = h[lrKey]!;
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const log = finite.length === values.length && finite.length > 0 && Math.max(...finite) / Math.min(...finite) >= 10;
  const layers: Record<string, unknown>[] = [{
    data: { values: values.map((v, i) => ({ epoch: i + 1, value: Number.isFinite(v) ? v : null, key: lrKey })) },
    mark: { type: 'line', interpolate: 'step-after', color: '#2ca02c', strokeWidth: 2, point: epochs <= 60 ? { size: 20, filled: true, color: '#2ca02c' } : false },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { domain: [1, Math.max(2, epochs)], nice: false }, axis: { tickMinStep: 1, format: 'd' } },
      // on a log axis only the powers of ten are labelled (and gridded): Vega's default ticks crowd the decades
      y: { field: 'value', type: 'quantitative', title: 'learning rate', scale: log ? { type: 'log' } : { zero: false, padding: 8 }, axis: log ? { format: '.0e', values: decades(finite) } : { format: '.3~g' } },
      tooltip: [{ field: 'key', title: 'log key' }, { field: 'epoch' }, { field: 'value', format: '.4~g' }],
    },
  }];
  if (best !== null) {
    layers.push({
      data: { values: [{ epoch: best.epoch }] },
      mark: { type: 'rule', color: '#555', strokeDash: [4, 4], strokeWidth: 1.5 },
      encoding: { x: { field: 'epoch', type: 'quantitative' } },
    });
  }
  return { width, height: 120, layer: layers };
}

/**
 * The Vega-Lite specification of a training-history chart: one panel per metric with its training
 * and validation curves, the best epoch marked (by `val_loss` when logged, else `loss`, as Keras'
 * EarlyStopping), and the learning rate in its own panel when `lr` was logged. Pure: render it in a
 * browser with vega-embed, or in Node to SVG with `plotHistory` from `@memograd/optim/node`.
 *
 * @example
 * const { spec, best } = historySpec(history);       // history = fit(model, {...})
 * await vegaEmbed('#chart', spec);                    // in a page
 */
export function historySpec(history: HistoryInput, options: HistorySpecOptions = {}): HistorySpec {
  return buildHistorySpec('historySpec', history, options);
}

/** `historySpec` with the name errors start with (plotHistory's own). */
export function buildHistorySpec(op: string, history: unknown, options: unknown): HistorySpec {
  const o = checkOptions(op, options);
  const h = readHistory(op, history);
  const metrics = chooseMetrics(op, h, o.metrics);
  const lrKey = LR_KEYS.find((k) => k in h) ?? null;
  if (metrics.length === 0 && lrKey === null) throw argumentError(`${op}: the history holds no metric to plot`);
  let monitor: string | null;
  if (o.monitor === undefined) monitor = 'val_loss' in h ? 'val_loss' : 'loss' in h ? 'loss' : null;
  else monitor = o.monitor;
  if (monitor !== null && !(monitor in h)) {
    throw argumentError(`${op}: options.monitor '${monitor}' was not logged (logged: ${Object.keys(h).map((k) => `'${k}'`).join(', ')})`);
  }
  const mode = monitor === null ? 'min' : pickMode(o.mode, monitor, op);
  const best = monitor === null ? null : findBest(h, monitor, mode);
  const width = o.width ?? 480;
  const shown = [...metrics.flatMap((m) => [m, `val_${m}`]), ...(lrKey ? [lrKey] : [])];
  const epochs = Math.max(...shown.map((k) => h[k]?.length ?? 0));
  const split = metrics.some((m) => `val_${m}` in h);
  const panels = metrics.map((m, i) => panel(m, h, best, i === 0, width, epochs, split));
  if (lrKey !== null) panels.push(lrPanel(lrKey, h, best, width, epochs));
  const spec: Record<string, unknown> = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: o.title ?? 'Training history', anchor: 'start', fontSize: 15 },
    background: 'white',
    padding: 12,
    config: { font: 'sans-serif', axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e8e8e8' }, legend: { labelFontSize: 12, symbolStrokeWidth: 2.5 }, view: { stroke: '#ccc' } },
    vconcat: panels,
    spacing: 18,
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  };
  return { spec, best, metrics, lrKey, history: h };
}
