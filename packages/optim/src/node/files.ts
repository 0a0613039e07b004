/**
 * Keras' file-writing callbacks for `fit()`: `ModelCheckpoint` (weights as safetensors, every epoch,
 * every N batches, or only on improvement) and `CSVLogger` (one row per epoch).
 *
 * `fit()` is synchronous and so are its hooks: these callbacks write with the synchronous `node:fs`
 * calls, so that a checkpoint is on disk when its epoch's hook returns and a failed write stops
 * `fit` with an error naming the callback and the path (an asynchronous write would fail after
 * `fit` had moved on, or after it had returned).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArgumentError } from '@memograd/autograd';
import { Module, saveWeights } from '@memograd/nn';
import { Callback } from '../callbacks.ts';
import type { Logs, MonitorMode } from '../callbacks.ts';
import type { TrainingContext } from '../fit.ts';
import { writeStdout } from '../stdout.ts';
import { argumentError, describe } from '../util.ts';

// ---------------------------------------------------------------------------------------------
// Python's str.format, for Keras' file names ('ckpt-{epoch:02d}-{val_loss:.2f}.safetensors')

interface Spec {
  fill: string;
  align: '<' | '>' | '^' | '=' | '';
  sign: '+' | '-' | ' ' | '';
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: ',' | '_' | '';
  precision: number | null;
  type: string;
}

const SPEC_RE = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;

function parseSpec(op: string, spec: string, template: string): Spec {
  const m = SPEC_RE.exec(spec);
  if (m === null) throw argumentError(`${op}: invalid format spec '${spec}' in ${JSON.stringify(template)} (Python's format mini-language, e.g. 02d or .4f)`);
  const type = m[9] ?? '';
  if (!['', 'd', 'e', 'E', 'f', 'F', 'g', 'G', '%'].includes(type)) {
    throw argumentError(`${op}: format type '${type}' in ${JSON.stringify(template)} is not supported for numbers (use d, e, E, f, F, g, G or %)`);
  }
  return {
    fill: m[1] ?? (m[5] !== undefined && m[2] === undefined ? '0' : ' '),
    align: (m[2] ?? (m[5] !== undefined ? '=' : '')) as Spec['align'],
    sign: (m[3] ?? '') as Spec['sign'],
    alt: m[4] !== undefined,
    zero: m[5] !== undefined,
    width: m[6] === undefined ? 0 : Number(m[6]),
    grouping: (m[7] ?? '') as Spec['grouping'],
    precision: m[8] === undefined ? null : Number(m[8]),
    type,
  };
}

/** Python's exponent: a sign and at least two digits ('1e-05', '1.5e+16'). */
function pyExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/u, 'e$10$2');
}

/** Python's `repr(float)`: the shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = Math.abs(x).toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  const digits = mant.replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}

function group(intDigits: string, sep: string): string {
  return sep === '' ? intDigits : intDigits.replace(/\B(?=(\d{3})+(?!\d))/gu, sep);
}

/** The digits of |x| for one spec (no sign, no padding). */
function formatAbs(op: string, key: string, x: number, isInt: boolean, s: Spec): string {
  const upper = s.type === 'E' || s.type === 'F' || s.type === 'G';
  if (!Number.isFinite(x)) {
    const t = Number.isNaN(x) ? 'nan' : 'inf';
    return upper ? t.toUpperCase() : t;
  }
  const a = Math.abs(x);
  let out: string;
  switch (s.type) {
    case 'd':
      if (!Number.isInteger(x)) throw argumentError(`${op}: {${key}:…d} needs an integer, but ${key} is ${pythonFloatRepr(x)} (use .4f or g for a float)`);
      out = group(a.toFixed(0), s.grouping);
      break;
    case 'f': case 'F': case '%': {
      const v = s.type === '%' ? a * 100 : a;
      const [i, f] = v.toFixed(s.precision ?? 6).split('.') as [string, string | undefined];
      out = group(i, s.grouping) + (f !== undefined ? `.${f}` : s.alt ? '.' : '') + (s.type === '%' ? '%' : '');
      break;
    }
    case 'e': case 'E':
      out = pyExponent(a.toExponential(s.precision ?? 6));
      break;
    case 'g': case 'G': {
      const p = s.precision === null ? 6 : Math.max(s.precision, 1);
      if (a === 0) { out = s.alt ? `0.${'0'.repeat(p - 1)}` : '0'; break; }
      const exp = Number(a.toExponential(p - 1).split('e')[1]);
      if (exp >= -4 && exp < p) {
        out = a.toFixed(p - 1 - exp);
        if (!s.alt && out.includes('.')) out = out.replace(/\.?0+$/u, '');
        const [i, f] = out.split('.') as [string, string | undefined];
        out = group(i, s.grouping) + (f !== undefined ? `.${f}` : '');
      } else {
        let [m, e] = a.toExponential(p - 1).split('e') as [string, string];
        if (!s.alt && m.includes('.')) m = m.replace(/\.?0+$/u, '');
        out = pyExponent(`${m}e${e}`);
      }
      break;
    }
    default: {
      // no type: str() of an int, or repr() of a float, then the precision as 'g' would use it
      if (s.precision !== null) return formatAbs(op, key, x, isInt, { ...s, type: 'g' });
      out = isInt ? group(a.toFixed(0), s.grouping) : pythonFloatRepr(a);
    }
  }
  if (upper) out = out.toUpperCase();
  return out;
}

function formatValue(op: string, key: string, x: number, isInt: boolean, s: Spec): string {
  const digits = formatAbs(op, key, x, isInt, s);
  const neg = x < 0 || Object.is(x, -0) ? '-' : '';
  const sign = neg !== '' ? neg : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  const body = sign + digits;
  const pad = s.width - body.length;
  if (pad <= 0) return body;
  const fill = s.fill.repeat(pad);
  switch (s.align || '>') {
    case '<': return body + fill;
    case '^': return s.fill.repeat(Math.floor(pad / 2)) + body + s.fill.repeat(pad - Math.floor(pad / 2));
    case '=': return sign + fill + digits;
    default: return fill + body;
  }
}

/** One parsed piece of a template: literal text, or a field with its key and spec. */
type Piece = string | { key: string; spec: Spec };

function parseTemplate(op: string, template: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '}') {
      if (template[i + 1] !== '}') throw argumentError(`${op}: single '}' in ${JSON.stringify(template)} (write '}}' for a literal brace)`);
      text += '}';
      i++;
      continue;
    }
    if (c !== '{') { text += c; continue; }
    if (template[i + 1] === '{') { text += '{'; i++; continue; }
    const end = template.indexOf('}', i);
    if (end < 0) throw argumentError(`${op}: unclosed '{' in ${JSON.stringify(template)}`);
    const field = template.slice(i + 1, end);
    const colon = field.indexOf(':');
    const key = colon < 0 ? field : field.slice(0, colon);
    if (!/^[A-Za-z_][\w.-]*$/u.test(key)) throw argumentError(`${op}: '{${field}}' in ${JSON.stringify(template)} must name a log key, as in {epoch:02d} or {val_loss:.2f}`);
    if (text !== '') pieces.push(text);
    text = '';
    pieces.push({ key, spec: parseSpec(op, colon < 0 ? '' : field.slice(colon + 1), template) });
    i = end;
  }
  if (text !== '') pieces.push(text);
  return pieces;
}

function render(op: string, template: string, pieces: readonly Piece[], values: Readonly<Record<string, number>>, ints: ReadonlySet<string>): string {
  return pieces.map((p) => {
    if (typeof p === 'string') return p;
    if (!Object.hasOwn(values, p.key)) {
      throw argumentError(`${op}: ${JSON.stringify(template)} names {${p.key}}, which is not in the logs (they have: ${Object.keys(values).join(', ')})`);
    }
    const v = values[p.key]!;
    if (typeof v !== 'number') throw argumentError(`${op}: the log ${p.key} is not a number, got ${describe(v)}`);
    return formatValue(op, p.key, v, ints.has(p.key), p.spec);
  }).join('');
}

/**
 * A file name from a Keras template and values, as Python's `str.format` writes it:
 * `formatFilepath('ckpt-{epoch:02d}-{val_loss:.2f}.safetensors', { epoch: 3, val_loss: 0.4567 })`
 * is `'ckpt-03-0.46.safetensors'`. Fields are `{key}` or `{key:spec}` with Python's format
 * mini-language for numbers (fill, align, sign, 0, width, grouping, precision; types d, e, E, f, F,
 * g, G, %); `{{` and `}}` are literal braces. `epoch` and `batch` (and the keys in `integers`) are
 * integers; every other value a float (`{loss}` alone is Python's repr: `0.5`, `1.0`, `1e-05`).
 *
 * @throws ArgumentError for a malformed template or a key not in `values`, naming them.
 */
export function formatFilepath(template: string, values: Readonly<Record<string, number>>, integers: readonly string[] = ['epoch', 'batch']): string {
  const op = 'formatFilepath';
  if (typeof template !== 'string') throw argumentError(`${op}: template must be a string, got ${describe(template)}`);
  if (values === null || typeof values !== 'object') throw argumentError(`${op}: values must be an object of numbers, got ${describe(values)}`);
  if (!Array.isArray(integers) || integers.some((k) => typeof k !== 'string')) throw argumentError(`${op}: integers must be an array of key names, got ${describe(integers)}`);
  return render(op, template, parseTemplate(op, template), values, new Set(integers));
}

// ---------------------------------------------------------------------------------------------
// file errors

/** A file-system error as a typed error naming the callback and the path, keeping the code ('ENOENT'). */
function fileError(op: string, verb: string, path: string, e: unknown): ArgumentError {
  const msg = e instanceof Error ? e.message : String(e);
  const err = new ArgumentError(op, `cannot ${verb} ${JSON.stringify(path)}: ${msg}`);
  Object.defineProperty(err, 'cause', { value: e, configurable: true, writable: true });
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.defineProperty(err, 'code', { value: code, configurable: true, enumerable: true });
  return err;
}

function checkFilePath(op: string, name: string, p: unknown): string {
  if (typeof p !== 'string' || p === '' || p.includes('\0')) throw argumentError(`${op}: ${name} must be a non-empty path string, got ${describe(p)}`);
  return p;
}

function modeFor(op: string, mode: unknown, monitor: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw argumentError(`${op}: mode must be 'auto', 'min' or 'max', got ${describe(mode)}`);
  // as EarlyStopping: accuracy-like names are maximized, everything else (losses) minimized
  return /acc|auc|precision|recall/u.test(monitor) ? 'max' : 'min';
}

// ---------------------------------------------------------------------------------------------
// ModelCheckpoint

/** Options of `ModelCheckpoint` (Keras' arguments, camel-cased). */
export interface ModelCheckpointOptions {
  /** The log compared with `saveBestOnly` (default 'val_loss'). */
  monitor?: string;
  /** 1 (or true): print a line when saving or not saving; 0 (default): silent. */
  verbose?: 0 | 1 | boolean;
  /** Save only when `monitor` improves on the best value so far (default false: every time). */
  saveBestOnly?: boolean;
  /** 'min', 'max', or 'auto' (default): 'max' for accuracy-like names, else 'min'. */
  mode?: MonitorMode;
  /** 'epoch' (default): after every epoch; a positive integer N: after every N batches. */
  saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`, the value the first save must beat (default: none, the first value saves). */
  initialValueThreshold?: number;
}

/**
 * Saves the model's weights during `fit()` (Keras' `ModelCheckpoint` with `save_weights_only`),
 * as a safetensors file that `loadWeights` / `loadWeightsFile` of @memograd/nn read back.
 *
 * `filepath` is a template filled with Python's `str.format` rules: `{epoch}` (from 1, as in
 * Keras), `{batch}` (from 1, with `saveFreq: N`) and every log (`{val_loss:.2f}`); see
 * `formatFilepath`. It must end in `.safetensors`. Without placeholders one file is overwritten.
 * Missing folders are created. Each file is written to a temporary name and renamed, so a reader
 * never sees half a checkpoint.
 *
 * With `saveBestOnly`, a checkpoint is written only when `monitor` is better than the best value
 * so far (strictly; NaN never is), as Keras does; the best value carries over to the next `fit`
 * call, as in Keras. The file's safetensors metadata holds `epoch` (from 1), `batch` (from 1, batch
 * saves only) and every log value (`loss`, `val_loss`, ... as decimal strings).
 *
 * Node only (`@memograd/optim/node`). A failed write throws an ArgumentError naming
 * ModelCheckpoint and the path, with the file system's `code`; training stops there.
 *
 * @example
 * fit(model, { ..., callbacks: [new ModelCheckpoint('ckpt/best-{epoch:02d}-{val_loss:.2f}.safetensors', { saveBestOnly: true })] });
 */
export class ModelCheckpoint extends Callback {
  /** The file name template. */
  readonly filepath: string;
  /** The log compared (with `saveBestOnly`). */
  readonly monitor: string | undefined;
  /** Whether lower or higher is better. */
  readonly mode: 'min' | 'max';
  /** Whether only improvements are saved. */
  readonly saveBestOnly: boolean;
  /** 'epoch', or every how many batches. */
  readonly saveFreq: 'epoch' | number;
  /** Whether a line is printed per decision. */
  readonly verbose: boolean;
  /** The best monitored value so far (starts at `initialValueThreshold`, else ±Infinity). */
  best: number;
  /** The paths written, in order (a path written twice appears twice). */
  readonly saved: string[] = [];
  private readonly pieces: Piece[];
  private batchesSinceSave = 0;
  private currentEpoch = 0;

  constructor(filepath: string, options: ModelCheckpointOptions = {}) {
    super();
    const op = 'ModelCheckpoint';
    this.filepath = checkFilePath(op, 'filepath', filepath);
    if (!filepath.endsWith('.safetensors')) {
      throw argumentError(`${op}: filepath must end in .safetensors (the weights are saved in the safetensors format), got ${JSON.stringify(filepath)}`);
    }
    this.pieces = parseTemplate(op, filepath);
    if (options === null || typeof options !== 'object') throw argumentError(`${op}: options must be an object, got ${describe(options)}`);
    const { monitor = 'val_loss', verbose = 0, saveBestOnly = false, mode = 'auto', saveFreq = 'epoch', initialValueThreshold } = options;
    if (typeof monitor !== 'string' || monitor === '') throw argumentError(`${op}: monitor must be a non-empty string, got ${describe(monitor)}`);
    if (typeof saveBestOnly !== 'boolean') throw argumentError(`${op}: saveBestOnly must be a boolean, got ${describe(saveBestOnly)}`);
    if (verbose !== 0 && verbose !== 1 && typeof verbose !== 'boolean') throw argumentError(`${op}: verbose must be 0, 1 or a boolean, got ${describe(verbose)}`);
    if (saveFreq !== 'epoch' && !(typeof saveFreq === 'number' && Number.isInteger(saveFreq) && saveFreq >= 1)) {
      throw argumentError(`${op}: saveFreq must be 'epoch' or a positive integer (batches), got ${describe(saveFreq)}`);
    }
    if (initialValueThreshold !== undefined && (typeof initialValueThreshold !== 'number' || Number.isNaN(initialValueThreshold))) {
      throw argumentError(`${op}: initialValueThreshold must be a number, got ${describe(initialValueThreshold)}`);
    }
    if (saveBestOnly && saveFreq !== 'epoch' && monitor.startsWith('val_')) {
      // batch logs hold running training values only; Keras would warn and save every time
      throw argumentError(`${op}: saveBestOnly with saveFreq ${saveFreq} compares batch logs, which have no validation values; monitor '${monitor.slice(4)}' or save per epoch`);
    }
    this.mode = modeFor(op, mode, monitor);
    // fit checks before training that a callback's monitor will be in the logs: only a compared one
    this.monitor = saveBestOnly ? monitor : undefined;
    this.saveBestOnly = saveBestOnly;
    this.saveFreq = saveFreq;
    this.verbose = verbose === 1 || verbose === true;
    this.best = initialValueThreshold ?? (this.mode === 'min' ? Infinity : -Infinity);
  }

  override onTrainBegin(_logs: Logs, ctx: TrainingContext): void {
    const model = (ctx ?? this.context)?.model;
    if (!(model instanceof Module)) {
      throw argumentError(`ModelCheckpoint: the model must be a @memograd/nn Module (its weights are saved with saveWeights), got ${describe(model)}`);
    }
    this.batchesSinceSave = 0;
    this.currentEpoch = 0;
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override onBatchEnd(batch: number, logs: Logs, ctx: TrainingContext): void {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave < this.saveFreq) return;
    this.batchesSinceSave = 0;
    this.save(this.currentEpoch, batch, logs, ctx);
  }

  override onEpochEnd(epoch: number, logs: Logs, ctx: TrainingContext): void {
    if (this.saveFreq === 'epoch') this.save(epoch, null, logs, ctx);
  }

  private save(epoch: number, batch: number | null, logs: Logs, ctx: TrainingContext): void {
    const op = 'ModelCheckpoint';
    if (logs === null || typeof logs !== 'object') throw argumentError(`${op}: logs must be an object of numbers, got ${describe(logs)}`);
    const model = (ctx ?? this.context)?.model;
    if (!(model instanceof Module)) throw argumentError(`${op}: the training context's model must be a @memograd/nn Module, got ${describe(model)}`);
    // fit's batch logs carry its own 0-based batch index and size: the file sees Keras' 1-based batch
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(logs)) if (typeof v === 'number' && k !== 'batch' && k !== 'size') values[k] = v;
    values.epoch = epoch + 1;
    if (batch !== null) values.batch = batch + 1;
    const path = render(op, this.filepath, this.pieces, values, new Set(['epoch', 'batch']));
    if (this.saveBestOnly) {
      const monitor = this.monitor!;
      const current = logs[monitor];
      if (typeof current !== 'number') throw argumentError(`${op}: the monitored value '${monitor}' is not a number in the logs (available: ${Object.keys(logs).join(', ')})`);
      const better = this.mode === 'min' ? current < this.best : current > this.best;
      const bestStr = formatValue(op, monitor, this.best, false, parseSpec(op, '.5f', ''));
      if (!better) {
        if (this.verbose) writeStdout(`\nEpoch ${epoch + 1}: ${monitor} did not improve from ${bestStr}\n`);
        return;
      }
      if (this.verbose) writeStdout(`\nEpoch ${epoch + 1}: ${monitor} improved from ${bestStr} to ${formatValue(op, monitor, current, false, parseSpec(op, '.5f', ''))}, saving model to ${path}\n`);
      this.writeCheckpoint(model, path, values);
      this.best = current;
    } else {
      if (this.verbose) writeStdout(`\nEpoch ${epoch + 1}: saving model to ${path}\n`);
      this.writeCheckpoint(model, path, values);
    }
  }

  private writeCheckpoint(model: Module, path: string, values: Readonly<Record<string, number>>): void {
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) metadata[k] = String(v);
    const bytes = saveWeights(model, metadata);
    const tmp = `${path}.tmp-${process.pid}`;
    try {
      const dir = dirname(path);
      if (dir !== '' && dir !== '.') mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    } catch (e) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // the folder itself could not be made: there is no temporary file to remove
      }
      throw fileError('ModelCheckpoint', 'write the checkpoint', path, e);
    }
    this.saved.push(path);
  }
}

// ---------------------------------------------------------------------------------------------
// CSVLogger

/** Options of `CSVLogger`. */
export interface CSVLoggerOptions {
  /** The field separator, one character (default ','). */
  separator?: string;
  /** Append to an existing file (its header kept, none written again) instead of overwriting it (default false). */
  append?: boolean;
}

/**
 * Streams each epoch's logs to a CSV file (Keras' `CSVLogger`): the header `epoch` then the log
 * keys sorted as strings (taken from the first epoch's logs), one row per epoch written when the
 * epoch ends (epoch from 0, as in Keras; a key missing from a later epoch is `NA`). Numbers are
 * written as Python writes floats (`0.25`, `1.0`, `1e-05`, `nan`), fields holding the separator or a
 * quote are quoted, lines end in `\r\n` (Python's csv module, which Keras uses).
 *
 * The file is truncated when training begins, unless `append` is set: then rows are added and the
 * header is written only if the file is missing or its first line is empty, so a resumed run
 * continues the same table. Node only (`@memograd/optim/node`); a failed write throws an
 * ArgumentError naming CSVLogger and the path.
 *
 * @example
 * fit(model, { ..., callbacks: [new CSVLogger('training.csv')] });
 */
export class CSVLogger extends Callback {
  /** The file written. */
  readonly filename: string;
  /** The field separator. */
  readonly separator: string;
  /** Whether rows are appended to an existing file. */
  readonly append: boolean;
  /** The log keys of the columns after `epoch`, fixed by the first epoch; null before. */
  keys: string[] | null = null;
  private writeHeader = true;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    const op = 'CSVLogger';
    this.filename = checkFilePath(op, 'filename', filename);
    if (options === null || typeof options !== 'object') throw argumentError(`${op}: options must be an object, got ${describe(options)}`);
    const { separator = ',', append = false } = options;
    // Python's csv module takes a one-character delimiter; a quote or line break would break the table
    if (typeof separator !== 'string' || [...separator].length !== 1 || separator === '"' || separator === '\n' || separator === '\r') {
      throw argumentError(`${op}: separator must be one character other than a quote or line break, got ${describe(separator)}`);
    }
    if (typeof append !== 'boolean') throw argumentError(`${op}: append must be a boolean, got ${describe(append)}`);
    this.separator = separator;
    this.append = append;
  }

  override onTrainBegin(): void {
    this.keys = null;
    try {
      if (this.append && existsSync(this.filename)) {
        const first = readFileSync(this.filename, 'utf8').split('\n', 1)[0]!;
        this.writeHeader = first.replace(/\r$/u, '') === '';
      } else {
        this.writeHeader = true;
        // Keras opens the file here ('w', or 'a' creating it): a folder that is missing fails now
        if (this.append) appendFileSync(this.filename, '');
        else writeFileSync(this.filename, '');
      }
    } catch (e) {
      throw fileError('CSVLogger', this.append ? 'read' : 'write', this.filename, e);
    }
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const op = 'CSVLogger';
    if (logs === null || typeof logs !== 'object') throw argumentError(`${op}: logs must be an object of numbers, got ${describe(logs)}`);
    // sorted by code point, as Python's sorted() orders strings
    this.keys ??= Object.keys(logs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let text = '';
    if (this.writeHeader) {
      text += this.row(['epoch', ...this.keys]);
      this.writeHeader = false;
    }
    text += this.row([String(epoch), ...this.keys.map((k) => (Object.hasOwn(logs, k) ? cell(logs[k]) : 'NA'))]);
    try {
      appendFileSync(this.filename, text);
    } catch (e) {
      throw fileError(op, 'write', this.filename, e);
    }
  }

  private row(fields: readonly string[]): string {
    const sep = this.separator;
    return `${fields.map((f) => (f.includes(sep) || f.includes('"') || /[\r\n]/u.test(f) ? `"${f.replace(/"/gu, '""')}"` : f)).join(sep)}\r\n`;
  }
}

function cell(v: unknown): string {
  // logs hold numbers; anything else a callback put there is written as text, never converted by calling it
  return typeof v === 'number' ? pythonFloatRepr(v) : typeof v === 'string' ? v : describe(v);
}
