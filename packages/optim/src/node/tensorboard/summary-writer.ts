/**
 * `SummaryWriter`: TensorBoard event files with the API and semantics of PyTorch's
 * `torch.utils.tensorboard.SummaryWriter` (camelCase names).
 */
import { isAbsolute, join, normalize, sep } from 'node:path';
import { Tensor } from '@memograd/autograd';
import { argumentError, describe } from '../../util.ts';
import { EventFileWriter, TensorBoardError } from './event-file.ts';
import { equalBins, makeHistogram, TENSORFLOW_BINS } from './histogram.ts';
import {
  EXPERIMENT_TAG, experimentContent, HPARAMS_PLUGIN, SESSION_END_INFO_TAG, SESSION_START_INFO_TAG, sessionEndContent, sessionStartContent,
} from './hparams.ts';
import { encodeImage, type ImageFormat } from './image.ts';
import { encodeSummary, type PluginData, type ValueContent } from './messages.ts';

/** Options of `SummaryWriter` (PyTorch's names, camelCase). */
export interface SummaryWriterOptions {
  /** Queued records written at most every this many seconds (default 120, PyTorch's). */
  flushSecs?: number;
  /** The queue is written when it holds this many records (default 10, PyTorch's). */
  maxQueue?: number;
  /** Appended to every event file name (PyTorch's `filename_suffix`; default ''). */
  filenameSuffix?: string;
}

/** Options of `addImage`. */
export interface AddImageOptions {
  /** The tensor's layout: 'CHW' (default, PyTorch's), 'HWC' or 'HW'. */
  dataformats?: ImageFormat;
  /** Wall time in seconds (default: now). */
  wallTime?: number;
}

/** Options of `addHparams`. */
export interface AddHparamsOptions {
  /** The sub-run (a folder under the log directory) of this session (default: the current time in seconds, as PyTorch). */
  runName?: string;
  /** The step of the metric scalars (default 0). */
  step?: number;
  /**
   * Write the experiment summary with the session (default true, as PyTorch). TensorBoard's HParams
   * dashboard takes its columns from the first experiment summary it finds, so when sessions have
   * different keys (conditional hyper-parameters, as in a tuner) pass false: with no experiment summary
   * TensorBoard builds the columns from every session's hyper-parameters and the runs' scalars.
   */
  experiment?: boolean;
}

/** The bins of `addHistogram`: 'tensorflow' (PyTorch's default exponential bins), a count of equal bins, or the edges. */
export type HistogramBins = 'tensorflow' | number | readonly number[];

/** A hyper-parameter value the HParams dashboard can show. */
export type HparamValue = number | string | boolean;

const TEXT_PLUGIN: PluginData = { pluginName: 'text' };

function checkTag(op: string, tag: unknown, name = 'tag'): string {
  if (typeof tag !== 'string' || tag === '') throw argumentError(`${op}: ${name} must be a non-empty string, got ${describe(tag)}`);
  return tag;
}

function checkStep(op: string, step: unknown): number {
  if (step === undefined) return 0;
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw argumentError(`${op}: step must be a non-negative integer, got ${describe(step)}`);
  }
  return step;
}

function checkWallTime(op: string, wallTime: unknown): number {
  if (wallTime === undefined) return Date.now() / 1000;
  if (typeof wallTime !== 'number' || !Number.isFinite(wallTime) || wallTime <= 0) {
    throw argumentError(`${op}: wallTime must be a positive number of seconds since the epoch, got ${describe(wallTime)}`);
  }
  return wallTime;
}

function scalarValue(op: string, value: unknown, name = 'value'): number {
  if (typeof value === 'number') return value;
  if (value instanceof Tensor && value.size === 1) return value.data[0]!;
  throw argumentError(`${op}: ${name} must be a number or a one-element Tensor, got ${describe(value)}`);
}

function plainObject(op: string, name: string, v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Tensor) {
    throw argumentError(`${op}: ${name} must be an object, got ${describe(v)}`);
  }
  return v as Record<string, unknown>;
}

function optionsObject(op: string, v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  return plainObject(op, 'options', v);
}

function checkKeys(op: string, opts: Record<string, unknown>, known: readonly string[]): void {
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw argumentError(`${op}: unknown option '${k}' (known: ${known.join(', ')})`);
  }
}

/** A relative sub-run path that stays inside the log directory. */
function checkSubRun(op: string, name: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw argumentError(`${op}: ${name} must be a non-empty string, got ${describe(v)}`);
  const n = normalize(v);
  if (isAbsolute(v) || n === '.' || n === '..' || n.startsWith(`..${sep}`) || v.includes('\0')) {
    throw argumentError(`${op}: ${name} must be a relative folder name inside the log directory, got ${describe(v)}`);
  }
  return v;
}

/** The values of a Tensor or array-like of numbers, checked finite and non-empty. */
function numericValues(op: string, values: unknown): ArrayLike<number> {
  let data: ArrayLike<number>;
  if (values instanceof Tensor) data = values.data;
  else if (ArrayBuffer.isView(values) && !(values instanceof DataView) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array)) {
    data = values as unknown as ArrayLike<number>;
  } else if (Array.isArray(values)) {
    values.forEach((v, i) => {
      if (typeof v !== 'number') throw argumentError(`${op}: values[${i}] must be a number, got ${describe(v)}`);
    });
    data = values as number[];
  } else {
    throw argumentError(`${op}: values must be a Tensor or an array of numbers, got ${describe(values)}`);
  }
  if (data.length === 0) throw argumentError(`${op}: values must not be empty (a histogram needs at least one value)`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw argumentError(`${op}: values must be finite, but element ${i} is ${data[i]}`);
  }
  return data;
}

function binEdges(op: string, bins: unknown, data: ArrayLike<number>): readonly number[] {
  if (bins === undefined || bins === 'tensorflow') return TENSORFLOW_BINS;
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1 || bins > 1e6) throw argumentError(`${op}: bins must be 'tensorflow', an integer count from 1 to 1e6, or an array of edges, got ${describe(bins)}`);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < data.length; i++) {
      min = Math.min(min, data[i]!);
      max = Math.max(max, data[i]!);
    }
    return equalBins(min, max, bins);
  }
  if (Array.isArray(bins)) {
    if (bins.length < 2) throw argumentError(`${op}: bins as edges needs at least 2 numbers, got ${describe(bins)}`);
    bins.forEach((b, i) => {
      if (typeof b !== 'number' || !Number.isFinite(b)) throw argumentError(`${op}: bins[${i}] must be a finite number, got ${describe(b)}`);
      if (i > 0 && !(b > (bins[i - 1] as number))) throw argumentError(`${op}: bins must increase strictly, but bins[${i}] = ${b} follows ${bins[i - 1]}`);
    });
    return bins as number[];
  }
  throw argumentError(`${op}: bins must be 'tensorflow', an integer count, or an array of increasing edges, got ${describe(bins)}`);
}

/**
 * Writes TensorBoard event files into `logDir` (created if missing), as PyTorch's
 * `torch.utils.tensorboard.SummaryWriter` does: `events.out.tfevents.<seconds>.<host>.<pid>.<n>`,
 * TFRecord framing with masked CRC32C, a first record `file_version: "brain.Event:2"`. View with
 * `tensorboard --logdir <logDir>` (or its parent, to compare runs).
 *
 * Records are queued and written every `maxQueue` records, every `flushSecs` seconds, at `flush()`,
 * `close()` and process exit. After `close()` every method except `close()` throws a
 * `TensorBoardError`. Bad arguments throw an `ArgumentError` naming the method and write nothing.
 *
 * ```ts
 * const w = new SummaryWriter('runs/exp1');
 * for (let step = 0; step < 100; step++) w.addScalar('loss', lossAt(step), step);
 * w.close();
 * ```
 */
export class SummaryWriter {
  /** The run directory this writer writes into. */
  readonly logDir: string;
  private readonly file: EventFileWriter;
  private readonly maxQueue: number;
  private readonly flushSecs: number;
  private readonly suffix: string;
  /** The sub-run writers of `addScalars`, by folder. */
  private readonly subWriters = new Map<string, EventFileWriter>();
  private isClosed = false;

  constructor(logDir: string, options: SummaryWriterOptions = {}) {
    const op = 'SummaryWriter';
    if (typeof logDir !== 'string' || logDir === '' || logDir.includes('\0')) throw argumentError(`${op}: logDir must be a non-empty path string, got ${describe(logDir)}`);
    const o = optionsObject(op, options);
    checkKeys(op, o, ['flushSecs', 'maxQueue', 'filenameSuffix']);
    const flushSecs = o.flushSecs ?? 120;
    if (typeof flushSecs !== 'number' || !(flushSecs > 0)) throw argumentError(`${op}: flushSecs must be a positive number of seconds, got ${describe(flushSecs)}`);
    const maxQueue = o.maxQueue ?? 10;
    if (typeof maxQueue !== 'number' || !Number.isInteger(maxQueue) || maxQueue < 1) throw argumentError(`${op}: maxQueue must be a positive integer, got ${describe(maxQueue)}`);
    const suffix = o.filenameSuffix ?? '';
    if (typeof suffix !== 'string' || /[/\\\0]/.test(suffix)) throw argumentError(`${op}: filenameSuffix must be a string without path separators, got ${describe(suffix)}`);
    this.logDir = logDir;
    this.maxQueue = maxQueue;
    this.flushSecs = flushSecs;
    this.suffix = suffix;
    this.file = new EventFileWriter(op, logDir, maxQueue, flushSecs, suffix);
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.isClosed;
  }

  #open(op: string): void {
    if (this.isClosed) throw new TensorBoardError(op, `the writer of ${this.logDir} is closed; create a new SummaryWriter to write more`);
  }

  #write(op: string, tag: string, content: ValueContent, step: number, wallTime: number, plugin?: PluginData, file = this.file): void {
    file.add(op, { wallTime, step, summary: encodeSummary(tag, content, plugin) });
  }

  /**
   * Adds one scalar point (`simple_value`, stored as float32, as PyTorch writes it): shown in the
   * Scalars dashboard under `tag`. `value` may be NaN or ±Infinity; `step` defaults to 0 and
   * `wallTime` (seconds) to now.
   */
  addScalar(tag: string, value: number | Tensor, step?: number, wallTime?: number): void {
    const op = 'SummaryWriter.addScalar';
    checkTag(op, tag);
    const v = scalarValue(op, value);
    const s = checkStep(op, step);
    const t = checkWallTime(op, wallTime);
    this.#open(op);
    this.#write(op, tag, { kind: 'simple', value: v }, s, t);
  }

  /**
   * Adds several scalars under one chart, as PyTorch does: each key of `record` goes to its own
   * sub-run `<logDir>/<mainTag with '/' as '_'>_<key>`, under the tag `mainTag`, so TensorBoard draws
   * them as lines of one chart (e.g. `addScalars('loss', { train: 0.3, val: 0.4 }, step)`).
   */
  addScalars(mainTag: string, record: Record<string, number | Tensor>, step?: number, wallTime?: number): void {
    const op = 'SummaryWriter.addScalars';
    checkTag(op, mainTag, 'mainTag');
    const r = plainObject(op, 'record', record);
    const entries = Object.entries(r);
    if (entries.length === 0) throw argumentError(`${op}: record must have at least one key`);
    const values = entries.map(([k, v]) => {
      if (k === '' || k.includes('\0')) throw argumentError(`${op}: record keys must be non-empty names, got ${describe(k)}`);
      checkSubRun(op, `record key '${k}'`, `${mainTag.replaceAll('/', '_')}_${k}`);
      return [k, scalarValue(op, v, `record['${k}']`)] as const;
    });
    const s = checkStep(op, step);
    const t = checkWallTime(op, wallTime);
    this.#open(op);
    for (const [k, v] of values) {
      const dir = join(this.logDir, `${mainTag.replaceAll('/', '_')}_${k}`);
      let w = this.subWriters.get(dir);
      if (w === undefined) {
        w = new EventFileWriter(op, dir, this.maxQueue, this.flushSecs, this.suffix);
        this.subWriters.set(dir, w);
      }
      this.#write(op, mainTag, { kind: 'simple', value: v }, s, t, undefined, w);
    }
  }

  /**
   * Adds a histogram of `values` (finite numbers, at least one) for the Histograms and Distributions
   * dashboards, in PyTorch's bucket format (`make_histogram`): NumPy-style counts over `bins` — the
   * default 'tensorflow' exponential edges (±1e-12·1.1^k and 0), a count of equal bins over
   * [min, max], or explicit increasing edges (which must cover every value) — trimmed to the data,
   * with min, max, count, sum and sum of squares.
   */
  addHistogram(tag: string, values: Tensor | ArrayLike<number>, step?: number, bins?: HistogramBins, wallTime?: number): void {
    const op = 'SummaryWriter.addHistogram';
    checkTag(op, tag);
    const data = numericValues(op, values);
    const edges = binEdges(op, bins, data);
    const s = checkStep(op, step);
    const t = checkWallTime(op, wallTime);
    let outside = 0;
    for (let i = 0; i < data.length; i++) if (data[i]! < edges[0]! || data[i]! > edges[edges.length - 1]!) outside++;
    // NumPy would drop them, and TensorBoard would then see a count that differs from num
    if (outside > 0) throw argumentError(`${op}: ${outside} of the ${data.length} values lie outside the bins [${edges[0]}, ${edges[edges.length - 1]}]; give bins that cover them`);
    const histo = makeHistogram(data, edges);
    this.#open(op);
    this.#write(op, tag, { kind: 'histo', histo }, s, t);
  }

  /**
   * Adds a text (shown by the Text dashboard, which renders Markdown) under `<tag>/text_summary`,
   * as PyTorch names it.
   */
  addText(tag: string, text: string, step?: number, wallTime?: number): void {
    const op = 'SummaryWriter.addText';
    checkTag(op, tag);
    if (typeof text !== 'string') throw argumentError(`${op}: text must be a string, got ${describe(text)}`);
    const s = checkStep(op, step);
    const t = checkWallTime(op, wallTime);
    this.#open(op);
    this.#write(op, `${tag}/text_summary`, { kind: 'text', text }, s, t, TEXT_PLUGIN);
  }

  /**
   * Adds an image (PNG) for the Images dashboard. `img` holds values in [0, 1] laid out as
   * `dataformats` ('CHW' by default, 'HWC' or 'HW') with 1, 3 or 4 channels; as PyTorch does, values
   * become bytes as `uint8(clip(v * 255, 0, 255))` and one channel is shown as gray.
   */
  addImage(tag: string, img: Tensor, step?: number, options?: AddImageOptions): void {
    const op = 'SummaryWriter.addImage';
    checkTag(op, tag);
    if (!(img instanceof Tensor)) throw argumentError(`${op}: img must be a Tensor, got ${describe(img)}`);
    const o = optionsObject(op, options);
    checkKeys(op, o, ['dataformats', 'wallTime']);
    const fmt = o.dataformats ?? 'CHW';
    if (fmt !== 'CHW' && fmt !== 'HWC' && fmt !== 'HW') throw argumentError(`${op}: dataformats must be 'CHW', 'HWC' or 'HW', got ${describe(fmt)}`);
    if (img.rank !== fmt.length) throw argumentError(`${op}: an image in '${fmt}' layout needs ${fmt.length} dims, got shape [${img.shape.join(', ')}]`);
    const c = fmt === 'HW' ? 1 : img.shape[fmt.indexOf('C')]!;
    if (c !== 1 && c !== 3 && c !== 4) throw argumentError(`${op}: an image needs 1, 3 or 4 channels, got ${c} (shape [${img.shape.join(', ')}], dataformats '${fmt}')`);
    if (img.size === 0) throw argumentError(`${op}: the image is empty (shape [${img.shape.join(', ')}])`);
    const h = img.shape[fmt.indexOf('H')]!;
    const w = img.shape[fmt.indexOf('W')]!;
    if (h > 16384 || w > 16384) throw argumentError(`${op}: the image is ${w}x${h}; width and height must be at most 16384`);
    const data = img.data;
    for (let i = 0; i < data.length; i++) {
      if (Number.isNaN(data[i]!)) throw argumentError(`${op}: img holds NaN at element ${i}; an image needs numbers (values outside [0, 1] are clipped)`);
    }
    const s = checkStep(op, step);
    const t = checkWallTime(op, o.wallTime);
    const image = encodeImage(data, img.shape, fmt);
    this.#open(op);
    this.#write(op, tag, { kind: 'image', image }, s, t);
  }

  /**
   * Logs one session for the HParams dashboard, as PyTorch's `add_hparams`: in the sub-run
   * `options.runName` (default: the current time), the experiment (the hyper-parameter names and
   * types, and the metric tags), the session's start info (its values) and end info (success), then
   * every metric as a scalar with that tag. Call it once per trial; when the trials' keys differ, pass
   * `experiment: false` (see `AddHparamsOptions.experiment`).
   */
  addHparams(hparams: Record<string, HparamValue>, metrics: Record<string, number>, options?: AddHparamsOptions): void {
    const op = 'SummaryWriter.addHparams';
    const hp = plainObject(op, 'hparams', hparams);
    for (const [k, v] of Object.entries(hp)) {
      if (k === '') throw argumentError(`${op}: hyper-parameter names must be non-empty`);
      if (!((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean')) {
        throw argumentError(`${op}: hparams['${k}'] must be a finite number, a string or a boolean, got ${describe(v)}`);
      }
    }
    const m = plainObject(op, 'metrics', metrics);
    for (const [k, v] of Object.entries(m)) {
      if (k === '') throw argumentError(`${op}: metric names must be non-empty tags`);
      if (typeof v !== 'number') throw argumentError(`${op}: metrics['${k}'] must be a number, got ${describe(v)}`);
    }
    const o = optionsObject(op, options);
    checkKeys(op, o, ['runName', 'step', 'experiment']);
    if (o.experiment !== undefined && typeof o.experiment !== 'boolean') throw argumentError(`${op}: experiment must be a boolean, got ${describe(o.experiment)}`);
    const runName = o.runName === undefined ? String(Date.now() / 1000) : checkSubRun(op, 'runName', o.runName);
    const s = checkStep(op, o.step);
    this.#open(op);
    const values = hp as Record<string, HparamValue>;
    const now = Date.now() / 1000;
    const sub = new EventFileWriter(op, join(this.logDir, runName), Number.MAX_SAFE_INTEGER, Infinity, this.suffix);
    try {
      const plugin = (content: Uint8Array): PluginData => ({ pluginName: HPARAMS_PLUGIN, content });
      if (o.experiment !== false) this.#write(op, EXPERIMENT_TAG, { kind: 'empty' }, s, now, plugin(experimentContent(values, Object.keys(m))), sub);
      this.#write(op, SESSION_START_INFO_TAG, { kind: 'empty' }, s, now, plugin(sessionStartContent(values, now)), sub);
      this.#write(op, SESSION_END_INFO_TAG, { kind: 'empty' }, s, now, plugin(sessionEndContent(now)), sub);
      for (const [k, v] of Object.entries(m)) this.#write(op, k, { kind: 'simple', value: v as number }, s, now, undefined, sub);
    } finally {
      sub.close(op);
    }
  }

  /** Writes every queued record to disk. */
  flush(): void {
    const op = 'SummaryWriter.flush';
    this.#open(op);
    this.file.flush(op);
    for (const w of this.subWriters.values()) w.flush(op);
  }

  /** Flushes and closes the files; later calls of any other method throw. Closing twice is allowed. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    let first: unknown = null;
    for (const w of [this.file, ...this.subWriters.values()]) {
      try {
        w.close('SummaryWriter.close');
      } catch (e) {
        first ??= e;
      }
    }
    if (first !== null) throw first;
  }
}
