/**
 * Recurrent layers with PyTorch's parameters, shapes and defaults: RNN (tanh or relu), LSTM and
 * GRU, with several layers, bidirectional, batchFirst and dropout between layers. Parameters are
 * named as PyTorch's (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, and *_reverse for the
 * backward direction), with gates stacked in PyTorch's order (LSTM: input, forget, cell, output;
 * GRU: reset, update, new), so a state dict moves between the two unchanged.
 *
 * Each layer projects the whole input sequence with one matrix product, then steps through time
 * with the hidden-to-hidden product and the gates: a composite of autograd ops, so gradients (and
 * gradients of gradients) come from the tape.
 */
import { ArgumentError, MAX_ELEMENTS, ShapeError, Tensor, cat, defaultGenerator, formatShape, matmul, stack, zeros } from '@memograd/autograd';
import type { DType, Generator } from '@memograd/autograd';
import { Module, Parameter, checkOptions, describe } from './module.ts';
import { uniform_ } from './init.ts';
import { dropout } from './layers.ts';
import { named } from './errors.ts';
import { boolOption, checkDType, checkGenerator, checkPositiveInt } from './checks.ts';

/** Options of `RNN`, `LSTM` and `GRU` (PyTorch's, camel-cased). */
export interface RecurrentOptions {
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Whether the layers have bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output as [batch, time, features] instead of [time, batch, features] (default false). */
  batchFirst?: boolean;
  /** Dropout on the outputs of each layer but the last, in training (default 0). */
  dropout?: number;
  /** Run a second set of layers backward in time and concatenate the features (default false). */
  bidirectional?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** The generator for the initial weights and the dropout masks (default: the global one). */
  generator?: Generator;
}

/** Options of `RNN`: the recurrent options and the nonlinearity. */
export interface RNNOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/** What `forwardWithState` returns: the output sequence and the final hidden (and LSTM cell) state. */
export interface RecurrentResult {
  /** Every time step's hidden state of the last layer (both directions concatenated). */
  output: Tensor;
  /** The final hidden state of each layer and direction: [numLayers · directions, batch, hidden]. */
  hN: Tensor;
  /** LSTM only: the final cell state, shaped like hN. */
  cN?: Tensor;
}

/** An initial state: h0 (RNN, GRU), or { h0, c0 } for LSTM; zeros when absent. */
export type RecurrentState = Tensor | RecurrentStates;

/** The initial states by name. */
export interface RecurrentStates {
  /** Initial hidden state, [numLayers · directions, batch, hidden]. */
  h0?: Tensor;
  /** LSTM only: initial cell state, shaped like h0. */
  c0?: Tensor;
}

type Mode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

interface Weights {
  wIh: Parameter;
  wHh: Parameter;
  bIh: Parameter | null;
  bHh: Parameter | null;
}

/** The base of RNN, LSTM and GRU. */
export abstract class RecurrentBase extends Module {
  /** Features of each input step. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the layers have biases. */
  readonly bias: boolean;
  /** Whether input and output are [batch, time, features]. */
  readonly batchFirst: boolean;
  /** Dropout between layers (in training). */
  readonly dropout: number;
  /** Whether a backward direction runs too. */
  readonly bidirectional: boolean;
  private readonly mode: Mode;
  private readonly generator: Generator | undefined;

  protected constructor(mode: Mode, inputSize: number, hiddenSize: number, options: RNNOptions) {
    super();
    const op = mode === 'LSTM' ? 'LSTM' : mode === 'GRU' ? 'GRU' : 'RNN';
    checkPositiveInt(op, 'inputSize', inputSize);
    checkPositiveInt(op, 'hiddenSize', hiddenSize);
    checkOptions(op, options);
    options ??= {};
    const numLayers = options.numLayers ?? 1;
    checkPositiveInt(op, 'numLayers', numLayers);
    const p = options.dropout ?? 0;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(op, `dropout must be a number in [0, 1], got ${describe(p)}`);
    checkGenerator(op, options.generator);
    const dtype = checkDType(op, options.dtype);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = boolOption(op, 'bias', options.bias, true);
    this.batchFirst = boolOption(op, 'batchFirst', options.batchFirst, false);
    this.bidirectional = boolOption(op, 'bidirectional', options.bidirectional, false);
    this.dropout = p;
    this.generator = options.generator;
    const g = options.generator ?? defaultGenerator;
    const gate = GATES[mode] * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const total = dirs * (gate * (inputSize + hiddenSize + 2) + (numLayers - 1) * gate * (hiddenSize * dirs + hiddenSize + 2));
    if (total > MAX_ELEMENTS) throw new ArgumentError(op, `${numLayers} layers of ${hiddenSize} units would hold ${total} parameters, above memograd's limit of ${MAX_ELEMENTS} elements`);
    // PyTorch's reset_parameters: every weight and bias uniform in ±1/√hidden, in registration order
    const bound = 1 / Math.sqrt(hiddenSize);
    const make = (shape: number[]) => {
      const t = named(op, () => zeros(shape, { dtype }));
      uniform_(t, -bound, bound, { generator: g });
      return new Parameter(t);
    };
    for (let layer = 0; layer < numLayers; layer++) {
      const inFeatures = layer === 0 ? inputSize : hiddenSize * this.directions;
      for (let d = 0; d < this.directions; d++) {
        const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih${suffix}`, make([gate, inFeatures]));
        this.registerParameter(`weight_hh${suffix}`, make([gate, hiddenSize]));
        if (this.bias) {
          this.registerParameter(`bias_ih${suffix}`, make([gate]));
          this.registerParameter(`bias_hh${suffix}`, make([gate]));
        }
      }
    }
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The name used in errors: `LSTM(10 → 20)`. */
  get label(): string {
    return `${this.typeName}(${this.inputSize} → ${this.hiddenSize})`;
  }

  override extraRepr(): string {
    const extra = [
      this.numLayers !== 1 ? `numLayers=${this.numLayers}` : '', !this.bias ? 'bias=false' : '', this.batchFirst ? 'batchFirst=true' : '',
      this.dropout ? `dropout=${this.dropout}` : '', this.bidirectional ? 'bidirectional=true' : '',
      this.mode === 'RNN_RELU' ? "nonlinearity='relu'" : '',
    ].filter(Boolean);
    return [`${this.inputSize}, ${this.hiddenSize}`, ...extra].join(', ');
  }

  private weights(layer: number, d: number): Weights {
    const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
    const self = this as unknown as Record<string, Parameter | null>;
    return { wIh: self[`weight_ih${suffix}`]!, wHh: self[`weight_hh${suffix}`]!, bIh: self[`bias_ih${suffix}`] ?? null, bHh: self[`bias_hh${suffix}`] ?? null };
  }

  /** The output sequence of the last layer (use `forwardWithState` for the final states too). */
  forward(input: Tensor, state?: RecurrentState): Tensor {
    return this.forwardWithState(input, state).output;
  }

  override call(input: Tensor, state?: RecurrentState): Tensor {
    if (!(input instanceof Tensor)) throw new ArgumentError(`${this.label}.call`, `input must be a Tensor, got ${describe(input)}`);
    return this.forward(input, state);
  }

  /**
   * Runs the layers over a sequence: `input` is [time, batch, inputSize] ([batch, time, inputSize]
   * with batchFirst, or [time, inputSize] unbatched). Returns the output sequence and the final
   * states, as PyTorch's `output, h_n` (`output, (h_n, c_n)` for LSTM).
   */
  forwardWithState(input: Tensor, state?: RecurrentState): RecurrentResult {
    const op = this.label;
    if (!(input instanceof Tensor)) throw new ArgumentError(op, `input must be a Tensor, got ${describe(input)}`);
    if (input.rank !== 2 && input.rank !== 3) {
      throw new ShapeError(op, `input must be [time, batch, ${this.inputSize}]${this.batchFirst ? ' (batchFirst: [batch, time, features])' : ''} or unbatched [time, ${this.inputSize}], got ${formatShape(input.shape)}`, [input.shape]);
    }
    if (input.shape[input.rank - 1] !== this.inputSize) {
      throw new ShapeError(op, `input has ${input.shape[input.rank - 1]} features per step, expected inputSize ${this.inputSize} (shape ${formatShape(input.shape)})`, [input.shape]);
    }
    const unbatched = input.rank === 2;
    let x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const batch = x.shape[1]!;
    const states = this.initialStates(op, state, batch, unbatched, x.dtype);
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      if (layer > 0 && this.dropout > 0 && this.training) x = dropout(x, this.dropout, { generator: this.generator });
      const outs: Tensor[] = [];
      for (let d = 0; d < this.directions; d++) {
        const k = layer * this.directions + d;
        const h0 = states.h.slice([k, 0, 0], [1, batch, this.hiddenSize]).reshape([batch, this.hiddenSize]);
        const c0 = states.c?.slice([k, 0, 0], [1, batch, this.hiddenSize]).reshape([batch, this.hiddenSize]) ?? null;
        const r = named(op, () => this.runDirection(x, this.weights(layer, d), h0, c0, d === 1));
        outs.push(r.output);
        hs.push(r.h);
        if (r.c) cs.push(r.c);
      }
      x = outs.length === 1 ? outs[0]! : cat(outs, 2);
    }
    let output = x;
    let hN = stack(hs, 0);
    let cN = cs.length > 0 ? stack(cs, 0) : undefined;
    if (unbatched) {
      output = output.reshape([output.shape[0]!, output.shape[2]!]);
      hN = hN.reshape([hN.shape[0]!, this.hiddenSize]);
      cN = cN?.reshape([cN.shape[0]!, this.hiddenSize]);
    } else if (this.batchFirst) output = output.transpose(0, 1);
    return cN ? { output, hN, cN } : { output, hN };
  }

  private initialStates(op: string, state: RecurrentState | undefined, batch: number, unbatched: boolean, dtype: DType): { h: Tensor; c: Tensor | null } {
    const n = this.numLayers * this.directions;
    const want = unbatched ? [n, this.hiddenSize] : [n, batch, this.hiddenSize];
    const isLSTM = this.mode === 'LSTM';
    let h0: Tensor | undefined;
    let c0: Tensor | undefined;
    if (state instanceof Tensor) {
      if (isLSTM) throw new ArgumentError(op, 'an LSTM takes its initial state as { h0, c0 }');
      h0 = state;
    } else if (state !== undefined && state !== null) {
      if (typeof state !== 'object') throw new ArgumentError(op, `the initial state must be a Tensor${isLSTM ? ' or { h0, c0 }' : ''}, got ${describe(state)}`);
      checkOptions(op, state);
      h0 = state.h0;
      c0 = state.c0;
      if (c0 !== undefined && !isLSTM) throw new ArgumentError(op, `only an LSTM has a cell state c0; ${this.typeName} takes h0`);
    }
    const check = (t: Tensor | undefined, name: string): Tensor => {
      if (t === undefined) return zeros([n, batch, this.hiddenSize], { dtype });
      if (!(t instanceof Tensor)) throw new ArgumentError(op, `${name} must be a Tensor, got ${describe(t)}`);
      if (t.rank !== want.length || t.shape.some((s, i) => s !== want[i])) {
        throw new ShapeError(op, `${name} must have shape ${formatShape(want)} (layers × directions, ${unbatched ? '' : 'batch, '}hidden), got ${formatShape(t.shape)}`, [t.shape]);
      }
      return unbatched ? t.unsqueeze(1) : t;
    };
    return { h: check(h0, 'h0'), c: isLSTM ? check(c0, 'c0') : null };
  }

  /** One layer in one direction over the whole sequence x [T, B, F]. */
  private runDirection(x: Tensor, w: Weights, h0: Tensor, c0: Tensor | null, reverse: boolean): { output: Tensor; h: Tensor; c: Tensor | null } {
    const [steps, batch, features] = x.shape as [number, number, number];
    const H = this.hiddenSize;
    const G = GATES[this.mode] * H;
    // every step's input projection in one product: [T·B, F] · W_ihᵀ (+ b_ih)
    let xw = matmul(x.reshape([steps * batch, features]), w.wIh.transpose());
    if (w.bIh) xw = xw.add(w.bIh);
    xw = xw.reshape([steps, batch, G]);
    const wHhT = w.wHh.transpose();
    const gate = (t: Tensor, k: number) => t.slice([0, k * H], [batch, H]);
    let h = h0;
    let c = c0;
    const outs: Tensor[] = new Array<Tensor>(steps);
    for (let i = 0; i < steps; i++) {
      const t = reverse ? steps - 1 - i : i;
      const xt = xw.slice([t, 0, 0], [1, batch, G]).reshape([batch, G]);
      let hw = matmul(h, wHhT);
      if (w.bHh) hw = hw.add(w.bHh);
      switch (this.mode) {
        case 'RNN_TANH': h = xt.add(hw).tanh(); break;
        case 'RNN_RELU': h = xt.add(hw).relu(); break;
        case 'LSTM': {
          const z = xt.add(hw);
          const ig = gate(z, 0).sigmoid();
          const fg = gate(z, 1).sigmoid();
          const cg = gate(z, 2).tanh();
          const og = gate(z, 3).sigmoid();
          c = fg.mul(c!).add(ig.mul(cg));
          h = og.mul(c.tanh());
          break;
        }
        case 'GRU': {
          // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)): the reset gate scales the hidden product, bias included
          const r = gate(xt, 0).add(gate(hw, 0)).sigmoid();
          const z = gate(xt, 1).add(gate(hw, 1)).sigmoid();
          const n = gate(xt, 2).add(r.mul(gate(hw, 2))).tanh();
          h = z.neg().add(1).mul(n).add(z.mul(h));
          break;
        }
      }
      outs[t] = h;
    }
    return { output: steps === 0 ? zeros([0, batch, H], { dtype: x.dtype }) : stack(outs, 0), h, c };
  }
}

/** An Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) (or relu), as `torch.nn.RNN`. */
export class RNN extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const nl = (options ?? {}).nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new ArgumentError('RNN', `nonlinearity must be 'tanh' or 'relu', got ${describe(nl)}`);
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, options);
  }
}

/** A long short-term memory layer, as `torch.nn.LSTM` (gates i, f, g, o; no projections). */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    if (options && typeof options === 'object' && 'nonlinearity' in options) throw new ArgumentError('LSTM', 'LSTM has no nonlinearity option');
    super('LSTM', inputSize, hiddenSize, options);
  }
}

/** A gated recurrent unit layer, as `torch.nn.GRU` (gates r, z, n). */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    if (options && typeof options === 'object' && 'nonlinearity' in options) throw new ArgumentError('GRU', 'GRU has no nonlinearity option');
    super('GRU', inputSize, hiddenSize, options);
  }
}
