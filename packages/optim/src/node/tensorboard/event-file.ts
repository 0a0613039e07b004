/**
 * One event file: created with its `file_version` record, then appended to in whole TFRecords.
 * Records are queued and written when the queue reaches `maxQueue`, every `flushSecs` seconds, at
 * `flush()`/`close()`, and at process exit (PyTorch's EventFileWriter queues the same way; its default
 * is 10 records and 120 s).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MemogradError } from '@memograd/autograd';
import { describe } from '../../util.ts';
import { frameRecord } from './crc32c.ts';
import { encodeEvent } from './messages.ts';

/**
 * A TensorBoard log could not be written: the file system refused (the message names the path and
 * the system's reason), or a `SummaryWriter` was used after `close()`.
 */
export class TensorBoardError extends MemogradError {
  /** `op` names the method that failed (`SummaryWriter.addScalar`); both are described safely if not strings. */
  constructor(op: string, message: string) {
    super(typeof op === 'string' ? op : describe(op), typeof message === 'string' ? message : describe(message));
  }
}

/** Every event file's number in this process: the `<n>` of `events.out.tfevents.<s>.<host>.<pid>.<n>`. */
let fileCounter = 0;
/** Open writers, flushed at process exit so that queued records are not lost. */
const live = new Set<EventFileWriter>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const w of live) {
      try {
        w.close();
      } catch {
        // at exit there is no one left to report to; the records written so far are whole
      }
    }
  });
}

function ioError(op: string, what: string, e: unknown): TensorBoardError {
  const reason = e instanceof Error ? e.message : String(e);
  return new TensorBoardError(op, `${what}: ${reason}`);
}

/** Writes one event file of one run directory. */
export class EventFileWriter {
  readonly path: string;
  private fd: number;
  private queue: Uint8Array[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  /** Creates `dir` and the file, and writes the `brain.Event:2` record at once. */
  constructor(op: string, dir: string, private readonly maxQueue: number, flushSecs: number, suffix = '') {
    const now = Date.now() / 1000;
    const name = `events.out.tfevents.${String(Math.floor(now)).padStart(10, '0')}.${hostname()}.${process.pid}.${fileCounter++}${suffix}`;
    this.path = join(dir, name);
    try {
      mkdirSync(dir, { recursive: true });
      this.fd = openSync(this.path, 'wx');
    } catch (e) {
      throw ioError(op, `cannot create the event file ${this.path}`, e);
    }
    try {
      writeSync(this.fd, frameRecord(encodeEvent({ wallTime: now, fileVersion: 'brain.Event:2' })));
    } catch (e) {
      closeSync(this.fd);
      throw ioError(op, `cannot write to ${this.path}`, e);
    }
    if (flushSecs > 0 && Number.isFinite(flushSecs)) {
      this.timer = setInterval(() => {
        try {
          this.flush('SummaryWriter');
        } catch {
          // a failing timer flush leaves the records queued; the next flush()/close() reports the error
        }
      }, flushSecs * 1000);
      this.timer.unref();
    }
    live.add(this);
    installExitHook();
  }

  /** Queues one Event; writes the queue when it is full. */
  add(op: string, event: { wallTime: number; step?: number; summary?: Uint8Array }): void {
    this.queue.push(frameRecord(encodeEvent(event)));
    if (this.queue.length >= this.maxQueue) this.flush(op);
  }

  /** Writes the queued records (whole records, in order) to the file (the OS's cache; TensorBoard reads it from there). */
  flush(op: string): void {
    if (this.closed || this.queue.length === 0) return;
    let total = 0;
    for (const r of this.queue) total += r.length;
    const all = new Uint8Array(total);
    let o = 0;
    for (const r of this.queue) {
      all.set(r, o);
      o += r.length;
    }
    let written = 0;
    try {
      while (written < all.length) written += writeSync(this.fd, all, written, all.length - written);
    } catch (e) {
      // keep what did not reach the file: a later flush continues the byte stream where it stopped,
      // so a record cut by the failure is completed rather than duplicated
      this.queue = [all.subarray(written)];
      throw ioError(op, `cannot write to ${this.path}`, e);
    }
    this.queue = [];
  }

  /** Flushes and closes the file. */
  close(op = 'SummaryWriter.close'): void {
    if (this.closed) return;
    try {
      this.flush(op);
    } finally {
      this.closed = true;
      if (this.timer !== null) clearInterval(this.timer);
      live.delete(this);
      try {
        closeSync(this.fd);
      } catch {
        // the records are written; a failing close of the descriptor loses nothing
      }
    }
  }
}
