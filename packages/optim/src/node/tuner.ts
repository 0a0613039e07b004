/**
 * Tuner project directories (Keras Tuner's `directory` / `project_name` / `overwrite`): a
 * `TrialStore` that writes one folder per trial, `trial_<id>/trial.json` (the hyper-parameter values,
 * status, metrics and score, and the search state needed to resume) and `trial_<id>/checkpoint.safetensors`
 * (the weights of the trial's best epoch). A search given a project with `overwrite: false` resumes:
 * completed trials are kept, a trial left RUNNING is run again, and the next trials are those an
 * uninterrupted search would have run. With `logDir`, each completed trial is also logged as one
 * session of TensorBoard's HParams dashboard.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, tensor } from '@memograd/autograd';
import { decodeSafetensors, encodeSafetensors } from '@memograd/nn';
import type { Objective, TrialRecord } from '../tuner/oracle.ts';
import type { StoredSearch, TrialStore } from '../tuner/tuner.ts';
import { argumentError, describe } from '../util.ts';

/** 'got <value>', or 'it is missing' for undefined (a missing option is not a value the caller gave). */
function got(v: unknown): string {
  return v === undefined ? 'it is missing' : `got ${describe(v)}`;
}
import { SummaryWriter } from './tensorboard.ts';

/** Options of `TunerProject`. */
export interface TunerProjectOptions {
  /** The folder that holds projects. */
  directory: string;
  /** The project's folder name (default 'untitled_project', Keras Tuner's). */
  projectName?: string;
  /** Delete the project and start afresh (default false: resume it). */
  overwrite?: boolean;
  /** A TensorBoard log directory: each completed trial becomes an HParams session (sub-run `trial_<id>`). */
  logDir?: string;
}

interface TrialFile extends StoredSearch {
  trial: TrialRecord;
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  // a search killed mid-write must not leave a truncated trial.json behind
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * A project directory for a tuner: `new RandomSearch(build, { ..., store: new TunerProject({ directory: 'tuning', projectName: 'mlp' }) })`.
 */
export class TunerProject implements TrialStore {
  /** The project folder (directory/projectName). */
  readonly path: string;
  /** Whether the project is deleted when the search starts. */
  readonly overwrite: boolean;
  /** The TensorBoard log directory, or null. */
  readonly logDir: string | null;
  private writer: SummaryWriter | null = null;

  constructor(options: TunerProjectOptions) {
    const op = 'TunerProject';
    if (options === null || typeof options !== 'object') throw argumentError(`${op}: options must be an object with a directory, ${got(options)}`);
    if (typeof options.directory !== 'string' || options.directory === '') throw argumentError(`${op}: directory must be a non-empty string, ${got(options.directory)}`);
    const name = options.projectName ?? 'untitled_project';
    if (typeof name !== 'string' || name === '' || /[/\\]/.test(name) || name === '.' || name === '..') throw argumentError(`${op}: projectName must be a folder name (no slashes), ${got(name)}`);
    if (options.overwrite !== undefined && typeof options.overwrite !== 'boolean') throw argumentError(`${op}: overwrite must be a boolean, ${got(options.overwrite)}`);
    if (options.logDir !== undefined && (typeof options.logDir !== 'string' || options.logDir === '')) throw argumentError(`${op}: logDir must be a non-empty string, ${got(options.logDir)}`);
    this.path = join(options.directory, name);
    this.overwrite = options.overwrite ?? false;
    this.logDir = options.logDir ?? null;
  }

  /** The project folder. */
  get description(): string {
    return this.path;
  }

  /**
   * trial_<id> in the project. The id is 1 to 64 letters, digits, '_' or '-' (the tuners' ids are
   * zero-padded numbers), so that no id reaches outside the project or makes a name too long.
   */
  private trialDir(op: string, trialId: unknown): string {
    if (typeof trialId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(trialId)) {
      throw argumentError(`${op}: a trial id must be 1 to 64 letters, digits, '_' or '-', ${got(trialId)}`);
    }
    return join(this.path, `trial_${trialId}`);
  }

  /** Reads every trial.json (deleting the project first with `overwrite`); null when there are none. */
  load(): StoredSearch | null {
    const op = 'TunerProject.load';
    if (this.overwrite && existsSync(this.path)) rmSync(this.path, { recursive: true, force: true });
    if (!existsSync(this.path)) return null;
    const files: TrialFile[] = [];
    for (const entry of readdirSync(this.path, { withFileTypes: true })) {
      if (!entry.isDirectory() || !entry.name.startsWith('trial_')) continue;
      const file = join(this.path, entry.name, 'trial.json');
      if (!existsSync(file)) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw argumentError(`${op}: ${file} is not valid JSON (${(e as Error).message}); delete it or use overwrite: true`);
      }
      const f = parsed as Partial<TrialFile> | null;
      if (f === null || typeof f !== 'object' || f.trial === undefined || typeof f.trial.index !== 'number' || typeof f.oracle !== 'string' || !Array.isArray(f.space)) {
        throw argumentError(`${op}: ${file} is not a trial file written by a memograd tuner`);
      }
      files.push(f as TrialFile);
    }
    if (files.length === 0) return null;
    files.sort((a, b) => a.trial.index - b.trial.index);
    const last = files[files.length - 1]!;
    return { oracle: last.oracle, seed: last.seed, space: last.space, oracleState: last.oracleState, trials: files.map((f) => f.trial) };
  }

  /** Writes `trial_<id>/trial.json`. */
  saveTrial(trial: TrialRecord, search: StoredSearch): void {
    const op = 'TunerProject.saveTrial';
    if (trial === null || typeof trial !== 'object') throw argumentError(`${op}: trial must be a trial record, ${got(trial)}`);
    const dir = this.trialDir(op, trial.trialId);
    const file: TrialFile = { oracle: search.oracle, seed: search.seed, space: search.space, oracleState: search.oracleState, trials: [], trial };
    const { trials: _unused, ...rest } = file;
    let text: string;
    try {
      text = `${JSON.stringify(rest, null, 2)}\n`;
    } catch (e) {
      throw argumentError(`${op}: the trial cannot be written as JSON (${(e as Error).message})`);
    }
    mkdirSync(dir, { recursive: true });
    writeAtomic(join(dir, 'trial.json'), text);
  }

  /** Writes `trial_<id>/checkpoint.safetensors`. */
  saveWeights(trialId: string, state: Record<string, Tensor>): void {
    const dir = this.trialDir('TunerProject.saveWeights', trialId);
    mkdirSync(dir, { recursive: true });
    const tensors: Record<string, { dtype: 'float32' | 'float64'; shape: readonly number[]; data: Float32Array | Float64Array }> = {};
    for (const [k, t] of Object.entries(state)) tensors[k] = { dtype: t.dtype, shape: t.shape, data: t.data };
    writeAtomic(join(dir, 'checkpoint.safetensors'), encodeSafetensors(tensors));
  }

  /** Reads `trial_<id>/checkpoint.safetensors`, or null when there is none. */
  loadWeights(trialId: string): Record<string, Tensor> | null {
    const file = join(this.trialDir('TunerProject.loadWeights', trialId), 'checkpoint.safetensors');
    if (!existsSync(file)) return null;
    const decoded = decodeSafetensors(new Uint8Array(readFileSync(file)));
    const out: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(decoded.tensors)) {
      if (t.dtype === 'uint8') throw argumentError(`TunerProject.loadWeights: ${file} holds a uint8 tensor '${k}', not weights`);
      out[k] = tensor(t.data, { dtype: t.dtype, shape: t.shape });
    }
    return out;
  }

  /**
   * Logs a completed trial to TensorBoard's HParams dashboard (with `logDir`): its active
   * hyper-parameters (Hyperband's `tuner/` entries left out) and its metrics, in sub-run `trial_<id>`.
   */
  onTrialEnd(trial: TrialRecord, _objective: Objective): void {
    if (this.logDir === null) return;
    this.writer ??= new SummaryWriter(this.logDir);
    const hparams = Object.fromEntries(Object.entries(trial.values).filter(([k]) => !k.startsWith('tuner/')));
    const metrics = Object.fromEntries(Object.entries(trial.metrics).filter(([, v]) => Number.isFinite(v)));
    // no experiment summary: trials have different keys (conditional hyper-parameters, Hyperband's
    // promotions), and TensorBoard would take its columns from the first summary it finds
    this.writer.addHparams(hparams, metrics, { runName: `trial_${trial.trialId}`, experiment: false });
    this.writer.flush();
  }

  /** Closes the TensorBoard writer (if any). */
  close(): void {
    this.writer?.close();
    this.writer = null;
  }
}
