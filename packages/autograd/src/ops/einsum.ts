/**
 * einsum (PyTorch's torch.einsum), a composite: each operand's repeated labels become a diagonal,
 * labels found in one operand only (and not in the output) are summed away, and the operands are
 * contracted pairwise from left to right, each contraction a batched `matmul` (so large einsums run
 * on the matmul kernels) or, when nothing is summed, a broadcasting `mul`. The gradient is that of
 * the composition, so gradients of gradients work.
 */
import { apply } from '../engine.ts';
import { ArgumentError, renameError, ShapeError } from '../errors.ts';
import { describe, formatShape, sizeOf } from '../shape.ts';
import { Tensor, toTensor, type TensorLike } from '../tensor.ts';
import type { OpTest, OracleInput, Pick } from './define.ts';
import { mul } from './elementwise.ts';
import { diagonalOp } from './layout-diag.ts';
import { matmul } from './linalg.ts';
import { sum } from './reduce.ts';
import { expand, permute, reshape } from './shape-ops.ts';

/** Labels are numbers: a letter is its char code, the i-th axis of the ellipsis is ELLIPSIS + i. */
const ELLIPSIS = 1000;

/** A parsed equation: each operand's label per axis, the output's labels, and each label's size. */
export interface EinsumPlan {
  readonly terms: readonly (readonly number[])[];
  readonly output: readonly number[];
  /** The broadcast size of each label (equal sizes, or 1 and n). */
  readonly sizes: ReadonlyMap<number, number>;
}

const labelName = (l: number) => (l >= ELLIPSIS ? `...[${l - ELLIPSIS}]` : String.fromCharCode(l));

/** Splits one subscript string into letters and at most one ellipsis (-1). */
function tokens(term: string, where: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < term.length; i++) {
    const c = term[i]!;
    if (c === '.') {
      if (term.slice(i, i + 3) !== '...') throw new ArgumentError('einsum', `${where} '${term}' has a '.' that is not part of '...'`);
      if (out.includes(-1)) throw new ArgumentError('einsum', `${where} '${term}' has more than one '...'`);
      out.push(-1);
      i += 2;
    } else if (/^[a-zA-Z]$/.test(c)) out.push(c.charCodeAt(0));
    else throw new ArgumentError('einsum', `${where} '${term}' has the character '${c}': subscripts are letters a-z, A-Z and '...'`);
  }
  return out;
}

/** Parses and validates `equation` against the operands' shapes (PyTorch's rules). */
export function planEinsum(equation: unknown, shapes: readonly (readonly number[])[]): EinsumPlan {
  if (typeof equation !== 'string') throw new ArgumentError('einsum', `equation must be a string, got ${describe(equation)}`);
  if (shapes.length === 0) throw new ArgumentError('einsum', 'needs at least one operand');
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  if (arrow >= 0 && eq.indexOf('->', arrow + 1) >= 0) throw new ArgumentError('einsum', `equation '${equation}' has more than one '->'`);
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const parts = lhs.split(',');
  if (parts.length !== shapes.length) {
    throw new ArgumentError('einsum', `equation '${equation}' has subscripts for ${parts.length} operands but ${shapes.length} were given`);
  }
  const raw = parts.map((p, k) => tokens(p, `operand ${k}'s subscripts`));
  // the ellipsis covers the axes the letters leave; shorter ellipses align to the right
  const ellRanks = raw.map((r, k) => {
    const named = r.filter((l) => l >= 0).length;
    const rank = shapes[k]!.length;
    const has = r.includes(-1);
    if (has ? rank < named : rank !== named) {
      throw new ShapeError('einsum', `operand ${k} has shape ${formatShape(shapes[k]!)} but subscripts '${parts[k]}' name ${named} axes${has ? ' plus an ellipsis' : ''}`, shapes);
    }
    return has ? rank - named : 0;
  });
  const ell = Math.max(0, ...ellRanks);
  const terms = raw.map((r, k) => r.flatMap((l) => (l >= 0 ? [l] : Array.from({ length: ellRanks[k]! }, (_, i) => ELLIPSIS + ell - ellRanks[k]! + i))));
  const sizes = new Map<number, number>();
  terms.forEach((term, k) => {
    const own = new Map<number, number>();
    term.forEach((l, axis) => {
      const n = shapes[k]![axis]!;
      const prev = own.get(l);
      if (prev !== undefined && prev !== n) {
        throw new ShapeError('einsum', `subscript ${labelName(l)} is repeated in operand ${k} (shape ${formatShape(shapes[k]!)}) with different sizes ${prev} and ${n}`, shapes);
      }
      own.set(l, n);
      const seen = sizes.get(l);
      if (seen === undefined || seen === 1) sizes.set(l, n);
      else if (n !== 1 && n !== seen) {
        throw new ShapeError('einsum', `subscript ${labelName(l)} has size ${seen} in one operand and ${n} in operand ${k}, which do not broadcast (shapes ${shapes.map(formatShape).join(', ')})`, shapes);
      }
    });
  });
  let output: number[];
  if (arrow >= 0) {
    const r = tokens(eq.slice(arrow + 2), 'the output');
    output = r.flatMap((l) => (l >= 0 ? [l] : Array.from({ length: ell }, (_, i) => ELLIPSIS + i)));
    r.forEach((l) => {
      if (l < 0) return;
      if (!sizes.has(l)) throw new ArgumentError('einsum', `output subscript ${labelName(l)} does not appear in any operand of '${equation}'`);
      if (r.indexOf(l) !== r.lastIndexOf(l)) throw new ArgumentError('einsum', `output subscript ${labelName(l)} appears more than once in '${equation}'`);
    });
  } else {
    // implicit output: the ellipsis, then the letters used exactly once, in alphabetical (ASCII) order
    const counts = new Map<number, number>();
    for (const term of terms) for (const l of term) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([l, c]) => l < ELLIPSIS && c === 1).map(([l]) => l).sort((a, b) => a - b);
    output = [...Array.from({ length: ell }, (_, i) => ELLIPSIS + i), ...once];
  }
  return { terms, output, sizes };
}

/** An operand with its labels during the contraction. */
interface Labelled {
  t: Tensor;
  labels: number[];
}

/** Takes the diagonal of each repeated label and sums the labels no one else needs. */
function prepare(x: Labelled, needed: ReadonlySet<number>): Labelled {
  let { t, labels } = x;
  for (;;) {
    const q = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (q < 0) break;
    const p = labels.indexOf(labels[q]!);
    // diagonal removes both axes and appends their diagonal last
    t = apply(diagonalOp, [t], { offset: 0, axis1: p, axis2: q });
    labels = [...labels.filter((_, i) => i !== p && i !== q), labels[p]!];
  }
  const drop = labels.flatMap((l, i) => (needed.has(l) ? [] : [i]));
  if (drop.length > 0) {
    t = sum(t, { axis: drop });
    labels = labels.filter((l) => needed.has(l));
  }
  return { t, labels };
}

/** Permutes `x` to the label order `order` (a permutation of its labels). */
function arrange(x: Labelled, order: readonly number[]): Tensor {
  return permute(x.t, order.map((l) => x.labels.indexOf(l)));
}

/** Expands the axes of `x` whose label has a larger broadcast size than the axis (1 -> n). */
function broadcastLabels(x: Labelled, labels: readonly number[], sizes: ReadonlyMap<number, number>): Tensor {
  const shape = x.t.shape.map((d, i) => (labels.includes(x.labels[i]!) ? sizes.get(x.labels[i]!)! : d));
  return shape.every((d, i) => d === x.t.shape[i]) ? x.t : expand(x.t, shape);
}

/** Contracts two labelled operands over the shared labels not in `needed`. */
function contract(a: Labelled, b: Labelled, needed: ReadonlySet<number>, sizes: ReadonlyMap<number, number>): Labelled {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => needed.has(l));
  const summed = shared.filter((l) => !needed.has(l));
  const aOnly = a.labels.filter((l) => !shared.includes(l));
  const bOnly = b.labels.filter((l) => !shared.includes(l));
  const labels = [...batch, ...aOnly, ...bOnly];
  const sizeOfLabel = (x: Labelled, l: number) => x.t.shape[x.labels.indexOf(l)]!;
  if (summed.length === 0) {
    // nothing to sum: a broadcasting product over [batch, aOnly, bOnly]
    const ta = reshape(arrange(a, [...batch, ...aOnly]), [...batch.map((l) => sizeOfLabel(a, l)), ...aOnly.map((l) => sizeOfLabel(a, l)), ...bOnly.map(() => 1)]);
    const tb = reshape(arrange(b, [...batch, ...bOnly]), [...batch.map((l) => sizeOfLabel(b, l)), ...aOnly.map(() => 1), ...bOnly.map((l) => sizeOfLabel(b, l))]);
    return { t: mul(ta, tb), labels };
  }
  // a batched matrix product [batch, M, K] x [batch, K, N]; matmul broadcasts the batch axes, and a
  // summed label of size 1 on one side only is expanded to the other's size first
  const ea: Labelled = { t: broadcastLabels(a, summed, sizes), labels: a.labels };
  const eb: Labelled = { t: broadcastLabels(b, summed, sizes), labels: b.labels };
  const m = sizeOf(aOnly.map((l) => sizeOfLabel(a, l)));
  const n = sizeOf(bOnly.map((l) => sizeOfLabel(b, l)));
  const k = sizeOf(summed.map((l) => sizes.get(l)!));
  const ta = reshape(arrange(ea, [...batch, ...aOnly, ...summed]), [...batch.map((l) => sizeOfLabel(a, l)), m, k]);
  const tb = reshape(arrange(eb, [...batch, ...summed, ...bOnly]), [...batch.map((l) => sizeOfLabel(b, l)), k, n]);
  const prod = matmul(ta, tb);
  const batchShape = prod.shape.slice(0, batch.length);
  return { t: reshape(prod, [...batchShape, ...aOnly.map((l) => sizeOfLabel(a, l)), ...bOnly.map((l) => sizeOfLabel(b, l))]), labels };
}

/**
 * Einstein summation, as `torch.einsum`: `'ij,jk->ik'` is the matrix product. Subscripts are
 * letters (a-z, A-Z) and one `...` per operand for its leading (broadcast) axes. Without `->` the
 * output lists the ellipsis, then the letters used once, alphabetically. A letter repeated within
 * one operand takes its diagonal (`'ii->i'`); a letter missing from the output is summed. Sizes of
 * a letter broadcast (1 against n). Operands are contracted pairwise, left to right, each step a
 * batched matmul.
 */
export function einsum(equation: string, ...operands: TensorLike[]): Tensor {
  const first = operands.find((o) => o instanceof Tensor) as Tensor | undefined;
  const ts = operands.map((o, i) => toTensor(o, `operands[${i}]`, 'einsum', first?.dtype ?? 'float32'));
  const plan = planEinsum(equation, ts.map((t) => t.shape));
  try {
    const { terms, output, sizes } = plan;
    // the labels still needed after operand k: the output's and those of the later operands
    const neededAfter = terms.map((_, k) => new Set([...output, ...terms.slice(k + 1).flat()]));
    const neededFor = (k: number) => new Set([...neededAfter[k]!, ...(k > 0 ? terms.slice(0, k).flat() : [])]);
    let acc = prepare({ t: ts[0]!, labels: terms[0]!.slice() }, neededFor(0));
    for (let k = 1; k < ts.length; k++) {
      const next = prepare({ t: ts[k]!, labels: terms[k]!.slice() }, neededFor(k));
      acc = contract(acc, next, neededAfter[k]!, sizes);
    }
    // every label left is an output label, at its broadcast size (each was broadcast by a contraction)
    return arrange(acc, output);
  } catch (e) {
    throw renameError('einsum', e);
  }
}

// ------------------------------------------------------------------ property tests

/** The plain-loop reference: every assignment of the labels, the operands' product summed into the output. */
export function einsumOracle(inputs: readonly OracleInput[], { equation }: { equation: string }) {
  const { terms, output, sizes } = planEinsum(equation, inputs.map((x) => x.shape));
  const labels = [...sizes.keys()];
  const dims = labels.map((l) => sizes.get(l)!);
  const outShape = output.map((l) => sizes.get(l)!);
  const data = new Array<number>(sizeOf(outShape)).fill(0);
  const value = new Map<number, number>();
  const total = sizeOf(dims);
  for (let a = 0; a < total; a++) {
    let rem = a;
    for (let i = labels.length - 1; i >= 0; i--) {
      value.set(labels[i]!, rem % dims[i]!);
      rem = Math.floor(rem / dims[i]!);
    }
    let p = 1;
    inputs.forEach((x, k) => {
      let flat = 0;
      // an axis of size 1 broadcasts: it is read at 0
      terms[k]!.forEach((l, axis) => (flat = flat * x.shape[axis]! + (x.shape[axis] === 1 ? 0 : value.get(l)!)));
      p *= x.data[flat]!;
    });
    let o = 0;
    output.forEach((l, i) => (o = o * outShape[i]! + value.get(l)!));
    data[o] = data[o]! + p;
  }
  return { shape: outShape, data };
}

/** Equations the property tests draw, each with the sizes of its letters picked at random. */
const EQUATIONS: readonly string[] = [
  'ij,jk->ik', 'ij,jk', 'ii->i', 'ii', 'bij,bjk->bik', '...ij,...jk', 'i,j->ij', 'ijk->kji', 'ij,jk,kl->il',
  'i,i->', 'ij->', 'ij,ij->ij', 'ba', 'bn,anm,bm->ba', 'iij->j', '...i,...i->...', 'ij,kj',
];

function sampleEinsum(pick: Pick): { shapes: number[][]; params: { equation: string } } {
  const equation = EQUATIONS[pick(EQUATIONS.length)]!;
  const size = new Map<string, number>();
  const ell = Array.from({ length: pick(3) }, () => 1 + pick(3));
  const lhs = equation.split('->')[0]!.split(',');
  const shapes = lhs.map((term) => {
    const s: number[] = [];
    for (const c of term.replace('...', '.')) {
      if (c === '.') s.push(...ell.slice(pick(ell.length + 1)));
      else {
        if (!size.has(c)) size.set(c, 1 + pick(3));
        s.push(size.get(c)!);
      }
    }
    return s;
  });
  return { shapes, params: { equation } };
}

/** einsum's property-test description (the registry entry is in layout.ts). */
export const einsumTest: OpTest<{ equation: string }> = {
  shapes: (pick) => sampleEinsum(pick).shapes,
  sample: sampleEinsum,
  oracle: einsumOracle,
};
