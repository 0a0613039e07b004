// Character-level LSTM on Shakespeare's sonnets: prints the loss falling and a sampled continuation.
//   node --conditions=source --import tsx examples/char-rnn/main.ts [--steps N] [--seed S] [--prompt TEXT] [--length N] [--temperature T] [--quick]
import { parseArgs } from 'node:util';
import { trainCharRnn } from './char-rnn.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string' },
    seed: { type: 'string' },
    prompt: { type: 'string' },
    length: { type: 'string' },
    temperature: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});

function num(name: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a non-negative ${integer ? 'integer' : 'number'}, got '${v}'`);
  return n;
}

const quick = values.quick;
console.log('char-rnn: embedding 32 → LSTM 2x128 (dropout 0.25 between the layers) → linear, Adam, windows of 64 characters, batch 32');
const r = trainCharRnn({
  steps: num('steps', values.steps, true) ?? (quick ? 60 : 400),
  seed: num('seed', values.seed, true),
  prompt: values.prompt,
  sampleLength: num('length', values.length, true),
  temperature: num('temperature', values.temperature, false),
  logEvery: quick ? 10 : 50,
});
console.log(`\n${r.vocab} characters, ${r.params} parameters, ${(1000 * r.secondsPerStep).toFixed(0)} ms per step`);
const best = r.losses.reduce((a, b) => (b.validation < a.validation ? b : a));
console.log(`training loss ${r.losses[0]!.loss.toFixed(3)} → ${r.losses.at(-1)!.loss.toFixed(3)} nats/char (a uniform guess: ${r.uniformLoss.toFixed(3)});` +
  ` held-out ${r.losses.at(-1)!.validation.toFixed(3)}, lowest ${best.validation.toFixed(3)} at step ${best.step}`);
console.log(`\nSample (temperature ${values.temperature ?? 0.8}):\n\n${r.sample}`);
