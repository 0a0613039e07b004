/**
 * einsum's own tests: parsing errors (each naming einsum and the offending part), implicit output
 * order, broadcasting, empty and 0-d operands, float32, that contractions run as matmul, NaN, and
 * second order through the composition. Values against PyTorch are in torch-layout.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as M from '../src/index.ts';
import { ArgumentError, ShapeError, Tensor } from '../src/index.ts';
import { einsumOracle } from '../src/ops/einsum.ts';

const rand = (shape: number[], seed: number) => {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  return M.tensor(Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1), { shape, requiresGrad: true });
};

describe('einsum: parsing and validation', () => {
  const a = rand([2, 3], 1);
  const b = rand([3, 4], 2);
  it.each([
    ['ij,jk,kl', [a, b], ArgumentError, /^einsum: equation 'ij,jk,kl' has subscripts for 3 operands but 2 were given/],
    ['ij->ii', [a], ArgumentError, /^einsum: output subscript i appears more than once/],
    ['ij->k', [a], ArgumentError, /^einsum: output subscript k does not appear in any operand/],
    ['i1', [a], ArgumentError, /^einsum: operand 0's subscripts 'i1' has the character '1'/],
    ['i.j', [a], ArgumentError, /^einsum: .* has a '\.' that is not part of '\.\.\.'/],
    ['......', [a], ArgumentError, /more than one '\.\.\.'/],
    ['ij->i->j', [a], ArgumentError, /more than one '->'/],
    ['ijk', [a], ShapeError, /^einsum: operand 0 has shape \[2, 3\] but subscripts 'ijk' name 3 axes/],
    ['ii', [a], ShapeError, /^einsum: subscript i is repeated in operand 0 \(shape \[2, 3\]\) with different sizes 2 and 3/],
    ['ij,ij', [a, b], ShapeError, /^einsum: subscript i has size 2 in one operand and 3 in operand 1/],
  ] as const)('%s is refused', (eq, xs, type, message) => {
    expect.hasAssertions();
    expect(() => M.einsum(eq, ...xs)).toThrow(type);
    expect(() => M.einsum(eq, ...xs)).toThrow(message);
  });
  it('needs a string equation and an operand', () => {
    expect(() => M.einsum(3 as never, a)).toThrow(/^einsum: equation must be a string, got 3/);
    expect(() => M.einsum('')).toThrow(/^einsum: needs at least one operand/);
    expect(() => M.einsum('i', 'x' as never)).toThrow(/^einsum: argument 'operands\[0\]' must be a Tensor/);
  });
});

describe('einsum: semantics', () => {
  it('implicit output: the ellipsis first, then the letters used once in ASCII order (upper case first)', () => {
    expect(M.einsum('ba', rand([2, 3], 3)).shape).toEqual([3, 2]);
    expect(M.einsum('bA,Zb', rand([2, 3], 3), rand([4, 2], 4)).shape).toEqual([3, 4]);
    expect(M.einsum('i...j', rand([2, 5, 6, 3], 3)).shape).toEqual([5, 6, 2, 3]);
    expect(M.einsum('ii', rand([3, 3], 5)).shape).toEqual([]);
  });
  it('broadcasts a size-1 axis against any size, for ellipsis axes and letters', () => {
    const a = rand([2, 1], 6);
    const b = rand([3, 2], 7);
    const out = M.einsum('ij,jk->ik', a, b);
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.data)).toEqual(Array.from(einsumOracle([a, b], { equation: 'ij,jk->ik' }).data));
    expect(M.einsum('...ij,...jk', rand([4, 1, 2, 3], 8), rand([5, 3, 2], 9)).shape).toEqual([4, 5, 2, 2]);
  });
  it('handles empty axes (a sum over nothing is 0) and 0-d operands', () => {
    const out = M.einsum('ij,jk->ik', M.zeros([2, 0], { dtype: 'float64' }), M.zeros([0, 3], { dtype: 'float64' }));
    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual(new Array(6).fill(0));
    expect(M.einsum('i,j->ij', M.zeros([0]), M.ones([2])).shape).toEqual([0, 2]);
    expect(M.einsum(',i->i', M.scalar(2), M.tensor([1, 3])).data).toEqual(Float32Array.of(2, 6));
  });
  it('keeps float32', () => {
    expect(M.einsum('ij,jk', M.ones([2, 3]), M.ones([3, 2])).dtype).toBe('float32');
  });
  it('contracts through matmul (the recorded graph holds a matmul, not a product and a sum)', () => {
    const out = M.einsum('bij,bjk->bik', rand([2, 3, 4], 10), rand([2, 4, 5], 11));
    const dot = M.toDot(out);
    expect(dot).toMatch(/matmul/);
    expect(dot).not.toMatch(/\bsum\b|\bmul\b/);
  });
  it('propagates NaN to exactly the outputs that depend on it', () => {
    const a = M.tensor(Float64Array.of(NaN, 1, 2, 3), { shape: [2, 2] });
    const out = M.einsum('ij,jk->ik', a, M.tensor(Float64Array.of(1, 0, 0, 1), { shape: [2, 2] }));
    expect(Array.from(out.data).map(Number.isNaN)).toEqual([true, true, false, false]);
  });
});

describe('einsum: gradients of the composition', () => {
  it.each([
    ['ij,jk->ik', [[2, 3], [3, 2]]],
    ['ii->i', [[3, 3]]],
    ['bn,anm,bm->ba', [[2, 3], [2, 3, 2], [2, 2]]],
    ['...ij,...jk', [[2, 1, 2, 3], [3, 3, 2]]],
    ['iij->j', [[2, 2, 3]]],
  ] as const)('%s: first and second order (gradcheck, gradgradcheck)', (eq, shapes) => {
    expect.hasAssertions();
    const xs = shapes.map((s, i) => rand([...s], 20 + i));
    const f = (...ts: Tensor[]) => M.einsum(eq, ...ts);
    expect(M.gradcheck(f, xs).ok).toBe(true);
    expect(M.gradgradcheck(f, xs).ok).toBe(true);
  });
});
