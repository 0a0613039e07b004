/**
 * The `TensorBoard` callback for `fit()`, after Keras' `keras.callbacks.TensorBoard`.
 */
import { join } from 'node:path';
import { Tensor } from '@memograd/autograd';
import { Callback, type Logs } from '../../callbacks.ts';
import type { TrainingContext } from '../../fit.ts';
import { argumentError, describe } from '../../util.ts';
import { TENSORFLOW_BINS } from './histogram.ts';
import { SummaryWriter } from './summary-writer.ts';

/** Options of the `TensorBoard` callback (Keras' names, camelCase). */
export interface TensorBoardOptions {
  /** The log directory (default 'logs', Keras'); runs go to `<logDir>/train` and `<logDir>/validation`. */
  logDir?: string;
  /**
   * 'epoch' (default): scalars once per epoch. 'batch' or a number N: also the batch logs every N
   * batches as `batch_<name>`, at the global batch count (from 1).
   */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Weight histograms every N epochs (0, the default, writes none). */
  histogramFreq?: number;
  /** With histograms, also the gradients (of the epoch's last batch) as `<name>_grad` (default false). */
  writeGrads?: boolean;
  /** Queued records are written at least this often (seconds; default 120). */
  flushSecs?: number;
}

/** Something with an optimizer's `paramGroups`. */
interface LrGroups { paramGroups?: Array<{ lr?: unknown }> }

/** The learning rate of the optimizer's first param group, if it has one. */
function learningRate(ctx: TrainingContext | null): number | undefined {
  const groups = (ctx?.optimizer as LrGroups | undefined)?.paramGroups;
  const lr = Array.isArray(groups) ? groups[0]?.lr : undefined;
  return typeof lr === 'number' ? lr : undefined;
}

/** The model's parameters with names: `namedParameters()` when it has it, else `param_<i>`. */
function namedTensors(model: unknown): Array<[string, Tensor]> {
  const m = model as { namedParameters?: unknown; parameters?: unknown } | null;
  if (m !== null && typeof m === 'object' && typeof m.namedParameters === 'function') {
    const named: unknown = m.namedParameters();
    if (Array.isArray(named)) return named.filter((e): e is [string, Tensor] => Array.isArray(e) && typeof e[0] === 'string' && e[1] instanceof Tensor);
  }
  if (m !== null && typeof m === 'object' && typeof m.parameters === 'function') {
    const ps: unknown = m.parameters();
    if (Array.isArray(ps)) return ps.filter((p): p is Tensor => p instanceof Tensor).map((p, i) => [`param_${i}`, p]);
  }
  return [];
}

/** Whether every value is finite and inside the default histogram bins (|v| < 1e20). */
function histogrammable(t: Tensor): boolean {
  const d = t.data;
  if (d.length === 0) return false;
  for (let i = 0; i < d.length; i++) if (!(Math.abs(d[i]!) <= TENSORFLOW_BINS[TENSORFLOW_BINS.length - 1]!)) return false;
  return true;
}

/**
 * Writes TensorBoard logs during `fit()`, as Keras' `TensorBoard` callback does:
 *
 * - at each epoch's end, in the run `<logDir>/train`: `epoch_loss`, `epoch_<metric>` and
 *   `epoch_learning_rate` (the optimizer's first param group's lr at the epoch's start); in `<logDir>/validation`: the
 *   `val_` logs without their prefix (`epoch_loss`, `epoch_accuracy`), so TensorBoard draws train and
 *   validation as two lines of one chart; the step is the epoch (from 0);
 * - with `updateFreq` 'batch' or N: `batch_loss`, `batch_<metric>` and `batch_learning_rate` every N
 *   batches, at the global batch count;
 * - with `histogramFreq` N > 0: every N epochs, a histogram of each parameter (`<name>/histogram`,
 *   names from `namedParameters()`), and with `writeGrads` of its gradient (`<name>_grad`); a tensor
 *   holding NaN, ±Infinity or values beyond ±1e20 (the histogram bins' range) is skipped.
 *
 * The writers are closed (flushed) at the end of training. View with `tensorboard --logdir <logDir>`.
 */
export class TensorBoard extends Callback {
  /** The log directory. */
  readonly logDir: string;
  /** 'epoch', or write the batch logs every this many batches. */
  readonly updateFreq: 'epoch' | number;
  /** Histograms every this many epochs (0: none). */
  readonly histogramFreq: number;
  /** Whether gradient histograms are written with the weight histograms. */
  readonly writeGrads: boolean;
  private readonly flushSecs: number;
  private trainWriter: SummaryWriter | null = null;
  private valWriter: SummaryWriter | null = null;
  private globalBatch = 0;
  /** The learning rate at the start of the epoch: a schedule stepped at the epoch's end does not change it. */
  private epochLr: number | undefined = undefined;

  constructor(options: TensorBoardOptions = {}) {
    super();
    const op = 'TensorBoard';
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw argumentError(`${op}: options must be an object, got ${describe(options)}`);
    const known = ['logDir', 'updateFreq', 'histogramFreq', 'writeGrads', 'flushSecs'];
    for (const k of Object.keys(options)) if (!known.includes(k)) throw argumentError(`${op}: unknown option '${k}' (known: ${known.join(', ')})`);
    const logDir = options.logDir ?? 'logs';
    if (typeof logDir !== 'string' || logDir === '' || logDir.includes('\0')) throw argumentError(`${op}: logDir must be a non-empty path string, got ${describe(logDir)}`);
    const u = options.updateFreq ?? 'epoch';
    if (!(u === 'epoch' || u === 'batch' || (typeof u === 'number' && Number.isSafeInteger(u) && u >= 1))) {
      throw argumentError(`${op}: updateFreq must be 'epoch', 'batch' or a positive integer number of batches, got ${describe(u)}`);
    }
    const h = options.histogramFreq ?? 0;
    if (typeof h !== 'number' || !Number.isSafeInteger(h) || h < 0) throw argumentError(`${op}: histogramFreq must be a non-negative integer, got ${describe(h)}`);
    const g = options.writeGrads ?? false;
    if (typeof g !== 'boolean') throw argumentError(`${op}: writeGrads must be a boolean, got ${describe(g)}`);
    const f = options.flushSecs ?? 120;
    if (typeof f !== 'number' || !(f > 0)) throw argumentError(`${op}: flushSecs must be a positive number of seconds, got ${describe(f)}`);
    this.logDir = logDir;
    this.updateFreq = u === 'batch' ? 1 : u;
    this.histogramFreq = h;
    this.writeGrads = g;
    this.flushSecs = f;
  }

  #train(): SummaryWriter {
    return (this.trainWriter ??= new SummaryWriter(join(this.logDir, 'train'), { flushSecs: this.flushSecs }));
  }

  #validation(): SummaryWriter {
    return (this.valWriter ??= new SummaryWriter(join(this.logDir, 'validation'), { flushSecs: this.flushSecs }));
  }

  #ctxOf(ctx: unknown): TrainingContext | null {
    const c = ctx ?? this.context;
    return c !== null && typeof c === 'object' ? (c as TrainingContext) : null;
  }

  /**
   * Starts the global batch count; the run writers open on first use (writers left open by a fit()
   * that threw are closed first, so each fit writes new files).
   */
  override onTrainBegin(_logs?: Logs, _ctx?: TrainingContext): void {
    this.onTrainEnd();
    this.globalBatch = 0;
    this.epochLr = undefined;
  }

  /** Notes the learning rate this epoch runs with. */
  override onEpochBegin(_epoch: number, _logs?: Logs, ctx?: TrainingContext): void {
    this.epochLr = learningRate(this.#ctxOf(ctx));
  }

  /** With `updateFreq` 'batch' or N: writes the batch logs every N batches. */
  override onBatchEnd(batch: number, logs: Logs, ctx?: TrainingContext): void {
    const op = 'TensorBoard.onBatchEnd';
    if (typeof batch !== 'number' || !Number.isSafeInteger(batch) || batch < 0) throw argumentError(`${op}: batch must be a non-negative integer, got ${describe(batch)}`);
    if (logs === null || typeof logs !== 'object') throw argumentError(`${op}: logs must be an object of numbers, got ${describe(logs)}`);
    this.globalBatch += 1;
    if (this.updateFreq === 'epoch' || this.globalBatch % this.updateFreq !== 0) return;
    const w = this.#train();
    for (const [k, v] of Object.entries(logs)) {
      // fit's batch logs also carry the batch index and size, which Keras' do not
      if (k === 'batch' || k === 'size' || typeof v !== 'number') continue;
      w.addScalar(`batch_${k}`, v, this.globalBatch);
    }
    const lr = learningRate(this.#ctxOf(ctx));
    if (lr !== undefined) w.addScalar('batch_learning_rate', lr, this.globalBatch);
  }

  /** Writes the epoch's train and validation scalars, and the histograms every `histogramFreq` epochs. */
  override onEpochEnd(epoch: number, logs: Logs, ctx?: TrainingContext): void {
    const op = 'TensorBoard.onEpochEnd';
    if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) throw argumentError(`${op}: epoch must be a non-negative integer, got ${describe(epoch)}`);
    if (logs === null || typeof logs !== 'object') throw argumentError(`${op}: logs must be an object of numbers, got ${describe(logs)}`);
    const c = this.#ctxOf(ctx);
    const train = this.#train();
    for (const [k, v] of Object.entries(logs)) {
      if (typeof v !== 'number' || k.startsWith('val_')) continue;
      train.addScalar(`epoch_${k}`, v, epoch);
    }
    const lr = this.epochLr ?? learningRate(c);
    this.epochLr = undefined;
    if (lr !== undefined) train.addScalar('epoch_learning_rate', lr, epoch);
    const val = Object.entries(logs).filter(([k, v]) => k.startsWith('val_') && k.length > 4 && typeof v === 'number');
    if (val.length > 0) {
      const w = this.#validation();
      for (const [k, v] of val) w.addScalar(`epoch_${k.slice(4)}`, v, epoch);
    }
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) {
      for (const [name, p] of namedTensors(c?.model)) {
        if (histogrammable(p)) train.addHistogram(`${name}/histogram`, p, epoch);
        const grad = this.writeGrads ? p.grad : null;
        if (grad instanceof Tensor && histogrammable(grad)) train.addHistogram(`${name}_grad`, grad, epoch);
      }
    }
    // every epoch ends with its points on disk, so a running TensorBoard shows them
    train.flush();
    this.valWriter?.flush();
  }

  /** Closes (flushes) the run writers. */
  override onTrainEnd(_logs?: Logs, _ctx?: TrainingContext): void {
    const writers = [this.trainWriter, this.valWriter];
    this.trainWriter = null;
    this.valWriter = null;
    for (const w of writers) w?.close();
  }
}
