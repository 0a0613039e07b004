/**
 * The property tests' inputs and oracles of the decomposition ops (their `test` descriptions):
 * well-conditioned, symmetric positive definite and distinct-spectrum matrices drawn from the
 * case's random stream, and independent plain-loop references (cofactor-expansion det, Gauss-Jordan
 * inverse and solve, Cholesky-Banachiewicz, modified Gram-Schmidt QR, unshifted QR iteration for
 * the symmetric eigenproblem, SVD through the eigenvectors of AᵀA). None of them uses a memograd op
 * or the kernels of kernels/decomp-kernels.ts.
 */
import type { OracleInput, OracleOutput, Pick } from './define.ts';

type Random = () => number;
type Mat = number[][];

const zerosM = (r: number, c: number): Mat => Array.from({ length: r }, () => new Array<number>(c).fill(0));
const flat = (m: Mat): number[] => m.flat();
const toMat = (d: ArrayLike<number>, off: number, r: number, c: number): Mat =>
  Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => d[off + i * c + j]!));
const mm = (a: Mat, b: Mat): Mat => a.map((row) => b[0] === undefined ? [] : b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: Mat, cols = a[0]?.length ?? 0): Mat => Array.from({ length: cols }, (_, j) => a.map((row) => row[j]!));

/** k orthonormal columns of length m (modified Gram-Schmidt of random vectors). */
function orthonormalColumns(m: number, k: number, random: Random): Mat {
  const cols: number[][] = [];
  while (cols.length < k) {
    const v = Array.from({ length: m }, () => random() * 2 - 1);
    for (const c of cols) {
      const d = v.reduce((s, x, i) => s + x * c[i]!, 0);
      for (let i = 0; i < m; i++) v[i] = v[i]! - d * c[i]!;
    }
    const nrm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    if (nrm > 0.1) cols.push(v.map((x) => x / nrm));
  }
  return tr(cols, m);
}

/** U diag(s) Vᵀ with orthonormal U, V and the given singular values (m×n, k = min(m, n) = s.length). */
function withSingularValues(m: number, n: number, s: readonly number[], random: Random): Mat {
  const k = s.length;
  const u = orthonormalColumns(m, k, random);
  const v = orthonormalColumns(n, k, random);
  return mm(u.map((row) => row.map((x, j) => x * s[j]!)), tr(v, k));
}

/** Distinct values in [1, 3] (gaps at least 0.4 for k <= 4), shuffled. */
function distinctSpectrum(k: number, random: Random): number[] {
  const s = Array.from({ length: k }, (_, i) => 1 + (2 / Math.max(k, 1)) * i + 0.2 * random() * (2 / Math.max(k, 1)));
  return s;
}

/** Per matrix of a [...batch, m, n] shape, the values `make(m, n)`. */
function perMatrix(shape: readonly number[], make: (m: number, n: number) => Mat): number[] {
  const m = shape[shape.length - 2]!;
  const n = shape[shape.length - 1]!;
  const nb = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let b = 0; b < nb; b++) out.push(...flat(make(m, n)));
  return out;
}

/** Well-conditioned matrices: singular values distinct in [1, 3]. */
export const wellConditioned = (shape: readonly number[], random: Random): number[] =>
  perMatrix(shape, (m, n) => withSingularValues(m, n, distinctSpectrum(Math.min(m, n), random), random));

/** Symmetric positive definite: M Mᵀ + n I. */
export const spd = (shape: readonly number[], random: Random): number[] =>
  perMatrix(shape, (n) => {
    const mat = Array.from({ length: n }, () => Array.from({ length: n }, () => random() * 2 - 1));
    return mm(mat, tr(mat, n)).map((row, i) => row.map((x, j) => x + (i === j ? n : 0)));
  });

/** Symmetric with distinct eigenvalues in [1, 3]. */
export const symmetricDistinct = (shape: readonly number[], random: Random): number[] =>
  perMatrix(shape, (n) => {
    const q = orthonormalColumns(n, n, random);
    const w = distinctSpectrum(n, random);
    const a = mm(q.map((row) => row.map((x, j) => x * w[j]!)), tr(q, n));
    return a.map((row, i) => row.map((_, j) => (i >= j ? a[i]![j]! : a[j]![i]!))); // exactly symmetric
  });

/** Uniform values in [-2, 2). */
export const uniform = (shape: readonly number[], random: Random): number[] =>
  Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 4 - 2);

/** A batch shape for the samples: none, [2] or [2, 1]. */
export const sampleBatch = (pick: Pick): number[] => [[], [2], [2, 1]][pick(3)]!;

// ------------------------------------------------------------------ oracles

/** Applies `f` to each matrix of the only input and concatenates the results. */
function mapMatrices(x: OracleInput, f: (a: Mat, m: number, n: number) => number[], outTail: (m: number, n: number) => number[]): OracleOutput {
  const m = x.shape[x.shape.length - 2]!;
  const n = x.shape[x.shape.length - 1]!;
  const batch = x.shape.slice(0, -2);
  const nb = batch.reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let b = 0; b < nb; b++) data.push(...f(toMat(x.data, b * m * n, m, n), m, n));
  return { shape: [...batch, ...outTail(m, n)], data };
}

/** det by cofactor expansion along the first row. */
export function detCofactor(a: Mat): number {
  const n = a.length;
  if (n === 0) return 1;
  if (n === 1) return a[0]![0]!;
  let d = 0;
  for (let j = 0; j < n; j++) {
    const minor = a.slice(1).map((row) => row.filter((_, c) => c !== j));
    d += (j % 2 === 0 ? 1 : -1) * a[0]![j]! * detCofactor(minor);
  }
  return d;
}

/** Gauss-Jordan elimination with partial pivoting: A⁻¹ B. */
export function gaussJordan(a: Mat, b: Mat): Mat {
  const n = a.length;
  const k = b[0]?.length ?? 0;
  const aug = a.map((row, i) => [...row, ...b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(aug[r]![c]!) > Math.abs(aug[p]![c]!)) p = r;
    [aug[c], aug[p]] = [aug[p]!, aug[c]!];
    const piv = aug[c]![c]!;
    for (let j = 0; j < n + k; j++) aug[c]![j] = aug[c]![j]! / piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = aug[r]![c]!;
      for (let j = 0; j < n + k; j++) aug[r]![j] = aug[r]![j]! - f * aug[c]![j]!;
    }
  }
  return aug.map((row) => row.slice(n));
}

const eye = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

export const detOracle = ([x]: readonly OracleInput[]): OracleOutput => mapMatrices(x!, (a) => [detCofactor(a)], () => []);
export const logAbsDetOracle = ([x]: readonly OracleInput[]): OracleOutput => mapMatrices(x!, (a) => [Math.log(Math.abs(detCofactor(a)))], () => []);
export const invOracle = ([x]: readonly OracleInput[]): OracleOutput => mapMatrices(x!, (a, n) => flat(gaussJordan(a, eye(n))), (m, n) => [m, n]);

/** torch.linalg.solve: B a batch of vectors when it is 1-D or A's shape without its last axis. */
export function solveOracle([a, b]: readonly OracleInput[]): OracleOutput {
  const n = a!.shape[a!.shape.length - 1]!;
  const vector = b!.shape.length === 1 || (b!.shape.length === a!.shape.length - 1 && b!.shape.every((d, i) => d === a!.shape[i]));
  const bShape = vector ? [...b!.shape, 1] : b!.shape;
  const k = bShape[bShape.length - 1]!;
  const ab = a!.shape.slice(0, -2);
  const bb = bShape.slice(0, -2);
  const rank = Math.max(ab.length, bb.length);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const pa = pad(ab);
  const pb = pad(bb);
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const nb = batch.reduce((x, y) => x * y, 1);
  const data: number[] = [];
  for (let i = 0; i < nb; i++) {
    let r = i;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const q = r % batch[d]!;
      r = Math.floor(r / batch[d]!);
      ia += (pa[d] === 1 ? 0 : q) * sa;
      ib += (pb[d] === 1 ? 0 : q) * sb;
      sa *= pa[d]!;
      sb *= pb[d]!;
    }
    data.push(...flat(gaussJordan(toMat(a!.data, ia * n * n, n, n), toMat(b!.data, ib * n * k, n, k))));
  }
  return { shape: vector ? [...batch, n] : [...batch, n, k], data };
}

/** Cholesky-Banachiewicz (row by row) of the symmetrised input. */
export const choleskyOracle = ([x]: readonly OracleInput[]): OracleOutput =>
  mapMatrices(x!, (a0, n) => {
    const a = a0.map((row, i) => row.map((v, j) => (v + a0[j]![i]!) / 2));
    const l = zerosM(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[i]![j]!;
        for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
        l[i]![j] = i === j ? Math.sqrt(s) : s / l[j]![j]!;
      }
    }
    return flat(l);
  }, (m, n) => [m, n]);

/** The QR factorisation with R's diagonal positive (modified Gram-Schmidt): [Q | R] flattened. */
export const qrOracle = ([x]: readonly OracleInput[]): OracleOutput =>
  mapMatrices(x!, (a, m, n) => {
    const k = Math.min(m, n);
    const cols = tr(a, n).slice(0, k);
    const q: number[][] = [];
    for (const c of cols) {
      const v = c.slice();
      for (const u of q) {
        const d = v.reduce((s, x, i) => s + x * u[i]!, 0);
        for (let i = 0; i < m; i++) v[i] = v[i]! - d * u[i]!;
      }
      const nrm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      q.push(v.map((x) => x / nrm));
    }
    const qm = tr(q, m);
    const r = mm(tr(qm, k), a).map((row, i) => row.map((v, j) => (j < i ? 0 : v)));
    return [...flat(qm), ...flat(r)];
  }, (m, n) => [Math.min(m, n) * (m + n)]);

/** Eigen-decomposition of a symmetric positive definite matrix with distinct eigenvalues by unshifted QR iteration: ascending values, vector columns signed by their largest entry. */
export function symEigOracle(a0: Mat): { w: number[]; v: Mat } {
  const n = a0.length;
  let a = a0.map((row) => row.slice());
  let v = eye(n);
  for (let it = 0; it < 2000; it++) {
    const { q, r } = gramSchmidt(a);
    a = mm(r, q);
    v = mm(v, q);
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) off = Math.max(off, Math.abs(a[i]![j]!));
    if (off < 1e-17) break;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x]![x]! - a[y]![y]!);
  const w = order.map((i) => a[i]![i]!);
  const vs = tr(v, n);
  const cols = order.map((i) => signed(vs[i]!));
  return { w, v: tr(cols, n) };
}

function gramSchmidt(a: Mat): { q: Mat; r: Mat } {
  const n = a.length;
  const cols = tr(a, n);
  const q: number[][] = [];
  const r = zerosM(n, n);
  cols.forEach((c, j) => {
    const v = c.slice();
    q.forEach((u, i) => {
      const d = v.reduce((s, x, t) => s + x * u[t]!, 0);
      r[i]![j] = d;
      for (let t = 0; t < n; t++) v[t] = v[t]! - d * u[t]!;
    });
    const nrm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    r[j]![j] = nrm;
    q.push(v.map((x) => x / nrm));
  });
  return { q: tr(q, n), r };
}

/** A vector with its first entry of largest magnitude made positive. */
function signed(c: readonly number[]): number[] {
  let at = 0;
  c.forEach((x, i) => { if (Math.abs(x) > Math.abs(c[at]!)) at = i; });
  return c[at]! < 0 ? c.map((x) => -x) : c.slice();
}

/** [λ | V] flattened (the packed eigh output) of the symmetrised input. */
export const eighOracle = ([x]: readonly OracleInput[]): OracleOutput =>
  mapMatrices(x!, (a0) => {
    const a = a0.map((row, i) => row.map((v, j) => (v + a0[j]![i]!) / 2));
    const { w, v } = symEigOracle(a);
    return [...w, ...flat(v)];
  }, (_m, n) => [n + n * n]);

/** The reduced SVD through the eigenvectors of AᵀA (or AAᵀ): U, S descending, Vh, U's columns signed by their largest entry. */
export function svdOracle(a: Mat, m: number, n: number): { u: Mat; s: number[]; vh: Mat } {
  const k = Math.min(m, n);
  if (m >= n) {
    const { w, v } = symEigOracle(mm(tr(a, n), a));
    const idx = w.map((_, i) => k - 1 - i);
    const s = idx.map((i) => Math.sqrt(w[i]!));
    const vc = tr(v, n);
    const av = idx.map((i) => mm(a, tr([vc[i]!], n)).map((r) => r[0]!));
    const ucols = av.map((c, j) => c.map((x) => x / s[j]!));
    const flip = ucols.map((c) => {
      let at = 0;
      c.forEach((x, i) => { if (Math.abs(x) > Math.abs(c[at]!)) at = i; });
      return c[at]! < 0 ? -1 : 1;
    });
    return { u: tr(ucols.map((c, j) => c.map((x) => x * flip[j]!)), m), s, vh: idx.map((i, j) => vc[i]!.map((x) => x * flip[j]!)) };
  }
  const { w, v } = symEigOracle(mm(a, tr(a, n)));
  const idx = w.map((_, i) => k - 1 - i);
  const s = idx.map((i) => Math.sqrt(w[i]!));
  const uc = tr(v, m);
  const ucols = idx.map((i) => signed(uc[i]!));
  const vh = ucols.map((c, j) => mm([c], a)[0]!.map((x) => x / s[j]!));
  return { u: tr(ucols, m), s, vh };
}

export const svdOracle1 = ([x]: readonly OracleInput[]): OracleOutput =>
  mapMatrices(x!, (a, m, n) => {
    const { u, s, vh } = svdOracle(a, m, n);
    return [...flat(u), ...s, ...flat(vh)];
  }, (m, n) => {
    const k = Math.min(m, n);
    return [m * k + k + k * n];
  });

export const svdvalsOracle = ([x]: readonly OracleInput[]): OracleOutput =>
  mapMatrices(x!, (a, m, n) => svdOracle(a, m, n).s, (m, n) => [Math.min(m, n)]);

/** A⁺ of a full-rank matrix by the normal equations. */
export const pinvOracle = ([x]: readonly OracleInput[]): OracleOutput =>
  mapMatrices(x!, (a, m, n) => {
    const at = tr(a, n);
    return flat(m >= n ? gaussJordan(mm(at, a), at) : tr(gaussJordan(mm(a, at), a), n));
  }, (m, n) => [n, m]);

export const matrixNormOracle = ([x]: readonly OracleInput[], { ord }: { ord: 'fro' | 'nuc' }): OracleOutput =>
  mapMatrices(x!, (a, m, n) => [ord === 'fro' ? Math.sqrt(flat(a).reduce((s, v) => s + v * v, 0)) : svdOracle(a, m, n).s.reduce((s, v) => s + v, 0)], () => []);

export const matrixPowerOracle = ([x]: readonly OracleInput[], { n: p }: { n: number }): OracleOutput =>
  mapMatrices(x!, (a0, n) => {
    const a = p < 0 ? gaussJordan(a0, eye(n)) : a0;
    let r = eye(n);
    for (let i = 0; i < Math.abs(p); i++) r = mm(r, a);
    return flat(r);
  }, (m, n) => [m, n]);

/** Kronecker product of two tensors (the lower rank padded with leading 1s). */
export function kronOracle([a, b]: readonly OracleInput[]): OracleOutput {
  const rank = Math.max(a!.shape.length, b!.shape.length);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const sa = pad(a!.shape);
  const sb = pad(b!.shape);
  const shape = sa.map((d, i) => d * sb[i]!);
  const size = shape.reduce((x, y) => x * y, 1);
  const data = new Array<number>(size).fill(0);
  const idx = (i: number, s: readonly number[]) => {
    const out: number[] = new Array<number>(s.length);
    for (let d = s.length - 1; d >= 0; d--) {
      out[d] = i % s[d]!;
      i = Math.floor(i / s[d]!);
    }
    return out;
  };
  const lin = (ix: readonly number[], s: readonly number[]) => ix.reduce((acc, v, d) => acc * s[d]! + v, 0);
  for (let i = 0; i < a!.data.length; i++) {
    const ia = idx(i, sa);
    for (let j = 0; j < b!.data.length; j++) {
      const ib = idx(j, sb);
      data[lin(ia.map((v, d) => v * sb[d]! + ib[d]!), shape)] = a!.data[i]! * b!.data[j]!;
    }
  }
  return { shape, data };
}

/** The cross product along `axis` of two broadcast tensors. */
export function crossOracle([a, b]: readonly OracleInput[], { axis }: { axis: number }): OracleOutput {
  const rank = Math.max(a!.shape.length, b!.shape.length);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const sa = pad(a!.shape);
  const sb = pad(b!.shape);
  const shape = sa.map((d, i) => Math.max(d, sb[i]!));
  const ax = axis < 0 ? axis + rank : axis;
  const size = shape.reduce((x, y) => x * y, 1);
  const at = (t: OracleInput, s: readonly number[], ix: readonly number[]) => t.data[ix.reduce((acc, v, d) => acc * s[d]! + (s[d] === 1 ? 0 : v), 0)]!;
  const data: number[] = [];
  for (let i = 0; i < size; i++) {
    const ix: number[] = new Array<number>(rank);
    let r = i;
    for (let d = rank - 1; d >= 0; d--) {
      ix[d] = r % shape[d]!;
      r = Math.floor(r / shape[d]!);
    }
    const c = ix[ax]!;
    const j = (c + 1) % 3;
    const k = (c + 2) % 3;
    const get = (t: OracleInput, s: readonly number[], comp: number) => at(t, s, ix.map((v, d) => (d === ax ? comp : v)));
    data.push(get(a!, sa, j) * get(b!, sb, k) - get(a!, sa, k) * get(b!, sb, j));
  }
  return { shape, data };
}
