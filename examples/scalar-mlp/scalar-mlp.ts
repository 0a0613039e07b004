/**
 * A neural network built from scalars, the way micrograd teaches it: every weight is a 0-d tensor
 * (`scalar()`), every neuron computes tanh(b + Σ wᵢ xᵢ) one multiply and one add at a time, and one
 * `backward()` through the whole graph of scalar ops gives every weight its gradient. It learns the
 * two-moons dataset with a max-margin loss, L2 regularization and plain SGD (micrograd's demo).
 *
 * Each training step records about 65,000 scalar ops. memograd runs float64 0-d tensors on a lane
 * of their own (numbers in and out, no typed arrays, a number rule per op in backward), so a step
 * costs about what a hand-written scalar tape would.
 */
import { Generator, scalar, type Tensor } from '@memograd/autograd';

export class Neuron {
  readonly w: Tensor[];
  readonly b: Tensor;
  constructor(nin: number, g: Generator, readonly nonlinear = true) {
    this.w = Array.from({ length: nin }, () => scalar(g.uniform(-1, 1)));
    this.b = scalar(0);
  }
  call(x: readonly (Tensor | number)[]): Tensor {
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i]!.mul(x[i]!));
    return this.nonlinear ? act.tanh() : act;
  }
  parameters(): Tensor[] {
    return [...this.w, this.b];
  }
}

export class Layer {
  readonly neurons: Neuron[];
  constructor(nin: number, nout: number, g: Generator, nonlinear: boolean) {
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, g, nonlinear));
  }
  call(x: readonly (Tensor | number)[]): Tensor[] {
    return this.neurons.map((n) => n.call(x));
  }
  parameters(): Tensor[] {
    return this.neurons.flatMap((n) => n.parameters());
  }
}

/** An MLP of scalar neurons: tanh hidden layers, a linear output layer. */
export class MLP {
  readonly layers: Layer[];
  constructor(nin: number, nouts: readonly number[], g: Generator) {
    const sizes = [nin, ...nouts];
    this.layers = nouts.map((_, i) => new Layer(sizes[i]!, sizes[i + 1]!, g, i !== nouts.length - 1));
  }
  call(x: readonly (Tensor | number)[]): Tensor[] {
    let h: readonly (Tensor | number)[] = x;
    for (const layer of this.layers) h = layer.call(h);
    return h as Tensor[];
  }
  parameters(): Tensor[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}

/** scikit-learn's make_moons: two interleaved half circles with Gaussian noise, labels -1 and +1. */
export function makeMoons(n: number, noise: number, g: Generator): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  const outer = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const isOuter = i < outer;
    const t = Math.PI * (isOuter ? i / Math.max(1, outer - 1) : (i - outer) / Math.max(1, n - outer - 1));
    const px = isOuter ? Math.cos(t) : 1 - Math.cos(t);
    const py = isOuter ? Math.sin(t) : 0.5 - Math.sin(t);
    x.push([px + noise * g.normal(), py + noise * g.normal()]);
    y.push(isOuter ? -1 : 1);
  }
  return { x, y };
}

/** How many ops a graph recorded (the nodes reachable from `t` through recorded inputs). */
export function countOps(t: Tensor): number {
  const seen = new Set<Tensor>();
  const stack = [t];
  while (stack.length > 0) {
    const u = stack.pop()!;
    const node = u.node;
    if (node === null || seen.has(u)) continue;
    seen.add(u);
    for (const input of node.inputs) stack.push(input);
  }
  return seen.size;
}

export interface ScalarMlpOptions {
  steps?: number;
  samples?: number;
  seed?: number;
  /** Called after each step with its number, loss and accuracy. */
  onStep?: (step: number, loss: number, accuracy: number) => void;
}

export interface ScalarMlpResult {
  loss: number;
  accuracy: number;
  parameters: number;
  /** Scalar ops recorded by one training step (forward of every sample, loss, regularization). */
  opsPerStep: number;
  /** Wall time of forward + backward + update per recorded op, averaged over the steps. */
  nsPerOp: number;
}

export function runScalarMlp(options: ScalarMlpOptions = {}): ScalarMlpResult {
  const g = new Generator(options.seed ?? 1337);
  const { x, y } = makeMoons(options.samples ?? 100, 0.1, g);
  const model = new MLP(2, [16, 16, 1], g);
  const params = model.parameters();
  const steps = options.steps ?? 100;
  let loss = NaN;
  let accuracy = 0;
  let opsPerStep = 0;
  let elapsed = 0;
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    // max-margin loss: mean of relu(1 - y·score), plus alpha·Σ w²
    const scores = x.map((xi) => model.call(xi)[0]!);
    let dataLoss = scalar(0, { requiresGrad: false });
    let correct = 0;
    for (let i = 0; i < scores.length; i++) {
      dataLoss = dataLoss.add(scores[i]!.mul(-y[i]!).add(1).relu());
      if (scores[i]!.item() > 0 === y[i]! > 0) correct++;
    }
    let reg = scalar(0, { requiresGrad: false });
    for (const p of params) reg = reg.add(p.mul(p));
    const total = dataLoss.mul(1 / scores.length).add(reg.mul(1e-4));
    if (k === 0) opsPerStep = countOps(total);
    for (const p of params) p.grad = null;
    total.backward();
    const lr = 1 - (0.9 * k) / steps;
    for (const p of params) p.data[0] -= lr * p.grad!.item();
    elapsed += performance.now() - t0;
    loss = total.item();
    accuracy = correct / scores.length;
    options.onStep?.(k, loss, accuracy);
  }
  return { loss, accuracy, parameters: params.length, opsPerStep, nsPerOp: (elapsed * 1e6) / (steps * opsPerStep) };
}
