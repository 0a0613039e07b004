/**
 * A character-level language model (Karpathy's char-rnn) on fourteen of Shakespeare's sonnets
 * (public domain, sonnets.txt): an embedding, a two-layer LSTM and a linear read-out trained with
 * Adam on random windows of the text to predict each next character (the last tenth of the text held
 * out), then sampled one character at a time. Everything is memograd: nn's LSTM (PyTorch's layout), crossEntropy over every time step,
 * gradient clipping, and the sampling loop carrying the LSTM's state.
 */
import { readFileSync } from 'node:fs';
import { Generator, Tensor, embedding, noGrad, randn, tensor } from '@memograd/autograd';
import { LSTM, Linear, Module, Parameter, crossEntropy } from '@memograd/nn';
import { Adam, clipGradNorm } from '@memograd/optim';

/** The text shipped with the example. */
export const SONNETS = readFileSync(new URL('./sonnets.txt', import.meta.url), 'utf8');

/** The characters of a text, sorted, and the index of each. */
export class Vocabulary {
  readonly chars: string[];
  private readonly index: Map<string, number>;
  constructor(text: string) {
    this.chars = [...new Set(text)].sort();
    this.index = new Map(this.chars.map((c, i) => [c, i]));
  }
  get size(): number {
    return this.chars.length;
  }
  encode(text: string): number[] {
    return [...text].map((c) => {
      const i = this.index.get(c);
      if (i === undefined) throw new Error(`char-rnn: the character ${JSON.stringify(c)} is not in the training text`);
      return i;
    });
  }
}

/** Embedding → LSTM → Linear; its forward maps [batch, time] character indices to [batch, time, vocab] logits. */
export class CharLSTM extends Module {
  readonly embed: Parameter;
  readonly lstm: LSTM;
  readonly head: Linear;
  constructor(vocab: number, options: { embed: number; hidden: number; layers: number; dropout?: number; generator: Generator }) {
    super();
    // nn.Embedding's initialisation (N(0, 1)); the lookup is autograd's `embedding` op
    this.embed = new Parameter(randn([vocab, options.embed], { generator: options.generator }));
    this.lstm = new LSTM(options.embed, options.hidden, { numLayers: options.layers, batchFirst: true, dropout: options.dropout ?? 0, generator: options.generator });
    this.head = new Linear(options.hidden, vocab, { generator: options.generator });
  }
  forward(indices: Tensor): Tensor {
    return this.head.call(this.lstm.call(embedding(indices, this.embed)));
  }
}

/** What `trainCharRnn` takes; every field has a default. */
export interface CharRnnOptions {
  text?: string;
  /** Training steps (default 400, as the command line's). */
  steps?: number;
  batchSize?: number;
  seqLength?: number;
  hidden?: number;
  embed?: number;
  layers?: number;
  /** Dropout between the LSTM layers (default 0.25): the text is small, and the model memorises it without. */
  dropout?: number;
  lr?: number;
  seed?: number;
  /** Print the mean loss every this many steps (0: never). */
  logEvery?: number;
  /** The sample's first characters and its length. */
  prompt?: string;
  sampleLength?: number;
  temperature?: number;
}

/** The training run's record. */
export interface CharRnnResult {
  vocab: number;
  params: number;
  /** Mean training loss (nats per character) over each logging window, and the loss on the held-out text then. */
  losses: { step: number; loss: number; validation: number }[];
  /** Loss of a uniform guess, ln(vocab): where training starts. */
  uniformLoss: number;
  sample: string;
  secondsPerStep: number;
}

/** Draws an index from logits / temperature (a softmax computed in float64). */
function sampleIndex(logits: ArrayLike<number>, temperature: number, generator: Generator): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]! / temperature);
  const p = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! / temperature - max));
  let u = generator.random() * p.reduce((a, b) => a + b, 0);
  for (let i = 0; i < p.length; i++) {
    u -= p[i]!;
    if (u <= 0) return i;
  }
  return p.length - 1;
}

/** Continues `prompt` by `length` characters, feeding each sampled character back with the LSTM's state. */
export function sample(model: CharLSTM, vocab: Vocabulary, prompt: string, length: number, temperature: number, generator: Generator): string {
  return noGrad(() => {
    let state: { h0?: Tensor; c0?: Tensor } = {};
    let logits: Float32Array | Float64Array | null = null;
    const step = (index: number): void => {
      const x = embedding(tensor([[index]]), model.embed);
      const r = model.lstm.forwardWithState(x, state);
      state = { h0: r.hN, c0: r.cN };
      logits = model.head.call(r.output).data as Float32Array;
    };
    for (const i of vocab.encode(prompt)) step(i);
    let out = prompt;
    for (let n = 0; n < length; n++) {
      const next = sampleIndex(logits!, temperature, generator);
      out += vocab.chars[next]!;
      step(next);
    }
    return out;
  });
}

/** Trains the model on random windows of the text and returns the loss curve and a sample. */
export function trainCharRnn(options: CharRnnOptions = {}): CharRnnResult {
  const text = options.text ?? SONNETS;
  const steps = options.steps ?? 400;
  const batch = options.batchSize ?? 32;
  const seqLength = options.seqLength ?? 64;
  const logEvery = options.logEvery ?? 50;
  const generator = new Generator(options.seed ?? 0);
  const vocab = new Vocabulary(text);
  const all = vocab.encode(text);
  // the last tenth of the text is held out: its loss shows when the model starts to memorise
  const cut = Math.floor(all.length * 0.9);
  const data = all.slice(0, cut);
  const heldOut = all.slice(cut);
  if (heldOut.length <= seqLength + 1) throw new Error(`char-rnn: the held-out tenth of the text (${heldOut.length} characters) is shorter than seqLength + 2`);
  const model = new CharLSTM(vocab.size, { embed: options.embed ?? 32, hidden: options.hidden ?? 128, layers: options.layers ?? 2, dropout: options.dropout ?? 0.25, generator });
  const optimizer = new Adam(model.parameters(), { lr: options.lr ?? 3e-3 });

  const windows = (source: number[], starts: number[]) => ({
    inputs: tensor(starts.map((at) => source.slice(at, at + seqLength))),
    targets: starts.flatMap((at) => source.slice(at + 1, at + seqLength + 1)),
  });
  const lossOn = (w: { inputs: Tensor; targets: number[] }) => crossEntropy(model.call(w.inputs).reshape([w.targets.length, vocab.size]), w.targets);
  // every non-overlapping window of the held-out text
  const validation = windows(heldOut, Array.from({ length: Math.floor((heldOut.length - 1) / seqLength) }, (_, i) => i * seqLength));
  const validationLoss = () => noGrad(() => {
    model.eval();
    const l = lossOn(validation).item();
    model.train();
    return l;
  });
  const losses: CharRnnResult['losses'] = [];
  let windowLoss = 0;
  let windowSteps = 0;
  const start = performance.now();
  for (let step = 1; step <= steps; step++) {
    // a batch of windows: the input is each window, the target the same window shifted by one character
    const starts = Array.from({ length: batch }, () => generator.randint(0, data.length - seqLength - 1));
    const loss = lossOn(windows(data, starts));
    optimizer.zeroGrad();
    loss.backward();
    clipGradNorm(model.parameters(), 1);
    optimizer.step();
    windowLoss += loss.item();
    windowSteps++;
    if ((logEvery > 0 && step % logEvery === 0) || step === steps) {
      const v = validationLoss();
      losses.push({ step, loss: windowLoss / windowSteps, validation: v });
      if (logEvery > 0) console.log(`step ${String(step).padStart(5)}   loss ${(windowLoss / windowSteps).toFixed(3)}   held-out ${v.toFixed(3)} nats/char`);
      windowLoss = 0;
      windowSteps = 0;
    }
  }
  const secondsPerStep = (performance.now() - start) / 1000 / steps;
  model.eval();
  const text_ = sample(model, vocab, options.prompt ?? 'Shall I', options.sampleLength ?? 300, options.temperature ?? 0.8, generator);
  return { vocab: vocab.size, params: model.numParameters(), losses, uniformLoss: Math.log(vocab.size), sample: text_, secondsPerStep };
}
