/**
 * Plain Float64Array kernels of the matrix decompositions (ops/decomp*.ts): LU with partial pivoting,
 * Cholesky, Householder QR (LAPACK's sign convention), the cyclic Jacobi eigenvalue algorithm and the
 * one-sided (Hestenes) Jacobi SVD. Each works on one row-major matrix copied out of its batch into a
 * float64 scratch array (float32 tensors are computed in float64 and rounded once on the way out).
 * The sizes this library targets are small (n up to a few dozen), where these simple O(n³) methods
 * are accurate to a few ulps and fast enough; no blocking.
 */

/** Copies matrix `b` (size n) of a batch out of `src` into a float64 scratch array. */
export function readMatrix(src: ArrayLike<number>, offset: number, size: number, dst: Float64Array = new Float64Array(size)): Float64Array {
  for (let i = 0; i < size; i++) dst[i] = src[offset + i]!;
  return dst;
}

/** Whether every value of a matrix is finite (the iterative kernels refuse NaN and ±Infinity). */
export function allFinite(a: ArrayLike<number>, offset = 0, size = a.length): boolean {
  for (let i = 0; i < size; i++) if (!Number.isFinite(a[offset + i]!)) return false;
  return true;
}

/** Whether a matrix holds a NaN. */
export function hasNaN(a: ArrayLike<number>, offset = 0, size = a.length): boolean {
  for (let i = 0; i < size; i++) if (Number.isNaN(a[offset + i]!)) return true;
  return false;
}

/**
 * LU factorisation with partial pivoting, in place (PA = LU, L unit lower, U upper, both stored in
 * `a`; `piv[i]` the row swapped with row i at step i). Returns the permutation's sign, or 0 when a
 * pivot is exactly zero (an exactly singular matrix; the factorisation then stops).
 */
export function luFactor(a: Float64Array, n: number, piv: Int32Array): number {
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    piv[k] = p;
    if (best === 0) return 0;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j]!;
        a[k * n + j] = a[p * n + j]!;
        a[p * n + j] = t;
      }
    }
    const d = a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k]! / d;
      a[i * n + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j] = a[i * n + j]! - f * a[k * n + j]!;
    }
  }
  return sign;
}

/** Solves A X = B (B n×k, in place) from luFactor's output. */
export function luSolve(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array, k: number): void {
  for (let i = 0; i < n; i++) {
    const p = piv[i]!;
    if (p !== i) {
      for (let j = 0; j < k; j++) {
        const t = b[i * k + j]!;
        b[i * k + j] = b[p * k + j]!;
        b[p * k + j] = t;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < i; r++) {
      const f = lu[i * n + r]!;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) b[i * k + j] = b[i * k + j]! - f * b[r * k + j]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const f = lu[i * n + r]!;
      if (f === 0) continue;
      for (let j = 0; j < k; j++) b[i * k + j] = b[i * k + j]! - f * b[r * k + j]!;
    }
    const d = lu[i * n + i]!;
    for (let j = 0; j < k; j++) b[i * k + j] = b[i * k + j]! / d;
  }
}

/**
 * The lower Cholesky factor of the matrix whose lower triangle is `a` (A = L Lᵀ; the upper triangle
 * is not read, as LAPACK's potrf with UPLO='L'), written to `l` (upper part zero). Returns -1, or
 * the order (1-based) of the first leading minor that is not positive-definite (NaN included).
 */
export function choleskyLower(a: Float64Array, n: number, l: Float64Array): number {
  l.fill(0);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > 0)) return j + 1;
    const djj = Math.sqrt(d);
    l[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / djj;
    }
  }
  return -1;
}

/**
 * Reduced Householder QR of the m×n matrix `a` (destroyed): Q m×k and R k×n, k = min(m, n). The
 * reflectors follow LAPACK's dgeqrf/dlarfg, so that the signs agree with torch.linalg.qr: at step
 * j, beta = -sign(alpha)·‖x‖ becomes R[j, j] (negative where the column's head is positive), and
 * a column already zero below the diagonal gets no reflection (R[j, j] keeps its sign).
 */
export function householderQR(a: Float64Array, m: number, n: number, q: Float64Array, r: Float64Array): void {
  const k = Math.min(m, n);
  const taus = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const alpha = a[j * n + j]!;
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, a[i * n + j]!);
    if (xnorm === 0) {
      taus[j] = 0;
      continue;
    }
    const norm = Math.hypot(alpha, xnorm);
    const beta = alpha >= 0 ? -norm : norm;
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) a[i * n + j] = a[i * n + j]! * scale; // v (v[j] = 1 implied)
    a[j * n + j] = beta;
    taus[j] = tau;
    // apply H = I - tau v vᵀ to the remaining columns
    for (let c = j + 1; c < n; c++) {
      let s = a[j * n + c]!;
      for (let i = j + 1; i < m; i++) s += a[i * n + j]! * a[i * n + c]!;
      s *= tau;
      a[j * n + c] = a[j * n + c]! - s;
      for (let i = j + 1; i < m; i++) a[i * n + c] = a[i * n + c]! - s * a[i * n + j]!;
    }
  }
  r.fill(0);
  for (let i = 0; i < k; i++) for (let c = i; c < n; c++) r[i * n + c] = a[i * n + c]!;
  // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity (dorgqr), last first
  q.fill(0);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = 0; c < k; c++) {
      let s = q[j * k + c]!;
      for (let i = j + 1; i < m; i++) s += a[i * n + j]! * q[i * k + c]!;
      s *= tau;
      q[j * k + c] = q[j * k + c]! - s;
      for (let i = j + 1; i < m; i++) q[i * k + c] = q[i * k + c]! - s * a[i * n + j]!;
    }
  }
}

const MAX_SWEEPS = 100;

/**
 * Eigen-decomposition of the symmetric matrix whose lower triangle is `a` (torch's UPLO='L'), by the
 * cyclic Jacobi method (Rutishauser's stable rotation formulas; accurate to a few ulps of ‖A‖ for
 * small n). Writes the eigenvalues ascending to `w` and the eigenvectors as the columns of `v`
 * (n×n), each signed so that its entry of largest magnitude (the first such) is positive.
 */
export function jacobiEigh(a: Float64Array, n: number, w: Float64Array, v: Float64Array): void {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      s[i * n + j] = a[i * n + j]!;
      s[j * n + i] = a[i * n + j]!;
    }
  }
  const vv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vv[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += s[p * n + q]! * s[p * n + q]!;
    if (off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (apq === 0) continue;
        const app = s[p * n + p]!;
        const aqq = s[q * n + q]!;
        // skip rotations below the diagonal entries' rounding (as in Numerical Recipes' jacobi)
        if (sweep > 3 && Math.abs(apq) * 1e18 < Math.abs(app) && Math.abs(apq) * 1e18 < Math.abs(aqq)) {
          s[p * n + q] = 0;
          s[q * n + p] = 0;
          continue;
        }
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = t * c;
        const tau = sn / (1 + c);
        s[p * n + p] = app - t * apq;
        s[q * n + q] = aqq + t * apq;
        s[p * n + q] = 0;
        s[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = s[r * n + p]!;
          const arq = s[r * n + q]!;
          const np = arp - sn * (arq + tau * arp);
          const nq = arq + sn * (arp - tau * arq);
          s[r * n + p] = np;
          s[p * n + r] = np;
          s[r * n + q] = nq;
          s[q * n + r] = nq;
        }
        for (let r = 0; r < n; r++) {
          const vp = vv[r * n + p]!;
          const vq = vv[r * n + q]!;
          vv[r * n + p] = vp - sn * (vq + tau * vp);
          vv[r * n + q] = vq + sn * (vp - tau * vq);
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => s[x * n + x]! - s[y * n + y]! || x - y);
  order.forEach((src, dst) => {
    w[dst] = s[src * n + src]!;
    for (let r = 0; r < n; r++) v[r * n + dst] = vv[r * n + src]!;
  });
  signColumns(v, n, n);
}

/** Signs each column of the m×k matrix `u` so that its first entry of largest magnitude is positive. */
function signColumns(u: Float64Array, m: number, k: number, other?: Float64Array, otherCols?: number): void {
  for (let c = 0; c < k; c++) {
    let best = 0;
    let at = 0;
    for (let r = 0; r < m; r++) {
      const x = Math.abs(u[r * k + c]!);
      if (x > best) {
        best = x;
        at = r;
      }
    }
    if (u[at * k + c]! < 0) {
      for (let r = 0; r < m; r++) u[r * k + c] = -u[r * k + c]!;
      // the partner vectors (rows of Vh) flip with it
      if (other !== undefined) for (let j = 0; j < otherCols!; j++) other[c * otherCols! + j] = -other[c * otherCols! + j]!;
    }
  }
}

/**
 * Reduced SVD of the m×n matrix `a` by one-sided Jacobi (Hestenes): U m×k, S k (descending), Vh
 * k×n, k = min(m, n). A wide matrix is decomposed through its transpose. Each column of U is signed
 * so that its first entry of largest magnitude is positive (the row of Vh with it); columns of U for
 * zero singular values complete an orthonormal basis.
 */
export function jacobiSVD(a: Float64Array, m: number, n: number, u: Float64Array, sv: Float64Array, vh: Float64Array): void {
  if (m < n) {
    // Aᵀ = V S Uᵀ: the tall kernel on the transpose, then swap the roles
    const at = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
    const u2 = new Float64Array(n * m);
    const vh2 = new Float64Array(m * m);
    tallSVD(at, n, m, u2, sv, vh2);
    // U = (Vh2)ᵀ (m×m), Vh = (U2)ᵀ (m×n)
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) u[i * m + j] = vh2[j * m + i]!;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) vh[i * n + j] = u2[j * m + i]!;
  } else {
    tallSVD(a, m, n, u, sv, vh);
  }
  signColumns(u, m, Math.min(m, n), vh, n);
}

/** One-sided Jacobi on a tall (m >= n) matrix: rotates column pairs until they are orthogonal. */
function tallSVD(a: Float64Array, m: number, n: number, u: Float64Array, sv: Float64Array, vh: Float64Array): void {
  const w = Float64Array.from(a.subarray(0, m * n));
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const eps = 2.220446049250313e-16;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p]!;
          const y = w[i * n + q]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p]!;
          const y = w[i * n + q]!;
          w[i * n + p] = c * x - s * y;
          w[i * n + q] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v[i * n + p]!;
          const y = v[i * n + q]!;
          v[i * n + p] = c * x - s * y;
          v[i * n + q] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s = Math.hypot(s, w[i * n + j]!);
    norms[j] = s;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const smax = norms[order[0] ?? 0] ?? 0;
  const tiny = smax * n * eps;
  u.fill(0);
  order.forEach((src, dst) => {
    const s = norms[src]!;
    sv[dst] = s;
    for (let r = 0; r < n; r++) vh[dst * n + r] = v[r * n + src]!;
    if (s > tiny && s > 0) for (let i = 0; i < m; i++) u[i * n + dst] = w[i * n + src]! / s;
  });
  // columns of U for (numerically) zero singular values: complete an orthonormal basis
  for (let dst = 0; dst < n; dst++) {
    if (sv[dst]! > tiny && sv[dst]! > 0) continue;
    for (let e = 0; e < m; e++) {
      const col = new Float64Array(m);
      col[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < n; c++) {
          if (c === dst) continue;
          let d = 0;
          for (let i = 0; i < m; i++) d += u[i * n + c]! * col[i]!;
          for (let i = 0; i < m; i++) col[i] = col[i]! - d * u[i * n + c]!;
        }
      }
      let nn = 0;
      for (let i = 0; i < m; i++) nn = Math.hypot(nn, col[i]!);
      if (nn > 0.5) {
        for (let i = 0; i < m; i++) u[i * n + dst] = col[i]! / nn;
        break;
      }
    }
  }
}
