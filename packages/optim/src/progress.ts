/**
 * The Keras-style progress display of `fit()`:
 *
 * - verbose 0: nothing;
 * - verbose 1: on a TTY, a bar redrawn in place (`\r`) with batches, ETA, running loss and metrics;
 *   when stdout is not a TTY, one line per epoch instead (a log file gets no control characters);
 * - verbose 2: one line per epoch.
 */

import { stdoutIsTTY, writeStdout } from './stdout.ts';

export type Verbosity = 0 | 1 | 2;

export interface ProgressOptions {
  /** Number of epochs (for `Epoch i/N`). */
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  verbose: Verbosity;
  /** Override TTY detection (default: `process.stdout.isTTY` in Node, false where there is no `process`). */
  isTTY?: boolean;
  /** Where to write (default: `process.stdout.write`, looked up at each call; `console.log` where there is no `process`). */
  write?: (s: string) => void;
  /** Bar width in characters (default 30, as Keras). */
  width?: number;
  /** Minimum milliseconds between redraws of the bar (default 50). */
  intervalMs?: number;
}

/** Formats a logs record as ` - loss: 0.1234 - accuracy: 0.9500`. */
export function formatLogs(logs: Readonly<Record<string, number>>): string {
  let s = '';
  for (const [k, v] of Object.entries(logs)) {
    if (typeof v !== 'number' || k === 'batch' || k === 'size') continue;
    s += ` - ${k}: ${formatValue(v)}`;
  }
  return s;
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

/** `1h02m`, `3m05s`, `12s`, `250ms`, `0.4ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10) return `${ms.toFixed(1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The bar itself: `[=====>........]`. */
export function renderBar(done: number, total: number, width = 30): string {
  if (total <= 0) return `[${'='.repeat(width)}]`;
  const filled = Math.min(width, Math.floor((done / total) * width));
  if (done >= total) return `[${'='.repeat(width)}]`;
  return `[${'='.repeat(filled)}>${'.'.repeat(Math.max(0, width - filled - 1))}]`;
}

export class ProgressBar {
  readonly mode: 'silent' | 'bar' | 'line';
  private readonly epochs: number;
  private readonly steps: number;
  private readonly width: number;
  private readonly intervalMs: number;
  private readonly writeFn: ((s: string) => void) | undefined;
  private epochStart = 0;
  private lastDraw = -Infinity;
  private lastLength = 0;
  private epoch = 0;

  constructor(options: ProgressOptions) {
    this.epochs = options.epochs;
    this.steps = options.steps;
    this.width = options.width ?? 30;
    this.intervalMs = options.intervalMs ?? 50;
    this.writeFn = options.write;
    const tty = options.isTTY ?? stdoutIsTTY();
    this.mode = options.verbose === 0 ? 'silent' : options.verbose === 1 && tty ? 'bar' : 'line';
  }

  private write(s: string): void {
    if (this.writeFn) this.writeFn(s);
    else writeStdout(s);
  }

  private stepsWidth(): number {
    return String(this.steps).length;
  }

  epochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
    this.lastDraw = -Infinity;
    this.lastLength = 0;
    if (this.mode === 'bar') this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  /** After batch `batch` (0-based) with the running logs of the epoch. */
  update(batch: number, logs: Readonly<Record<string, number>>): void {
    if (this.mode !== 'bar') return;
    const now = performance.now();
    const done = batch + 1;
    if (done < this.steps && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const elapsed = now - this.epochStart;
    const eta = done > 0 ? (elapsed / done) * (this.steps - done) : NaN;
    const line = `${String(done).padStart(this.stepsWidth())}/${this.steps} ${renderBar(done, this.steps, this.width)}` +
      ` - ETA: ${formatDuration(eta)}${formatLogs(logs)}`;
    this.redraw(line);
  }

  private redraw(line: string): void {
    const pad = this.lastLength > line.length ? ' '.repeat(this.lastLength - line.length) : '';
    this.write(`\r${line}${pad}`);
    this.lastLength = line.length;
  }

  /** At the end of an epoch, with its final logs (training and validation). */
  epochEnd(logs: Readonly<Record<string, number>>): void {
    if (this.mode === 'silent') return;
    const elapsed = performance.now() - this.epochStart;
    const perStep = this.steps > 0 ? elapsed / this.steps : 0;
    if (this.mode === 'bar') {
      const line = `${this.steps}/${this.steps} ${renderBar(this.steps, this.steps, this.width)}` +
        ` - ${formatDuration(elapsed)} ${formatDuration(perStep)}/step${formatLogs(logs)}`;
      this.redraw(line);
      this.write('\n');
    } else {
      this.write(`Epoch ${this.epoch + 1}/${this.epochs} - ${this.steps} steps - ${formatDuration(elapsed)}` +
        ` ${formatDuration(perStep)}/step${formatLogs(logs)}\n`);
    }
  }
}
