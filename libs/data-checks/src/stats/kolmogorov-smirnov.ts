import { logGamma } from './special-functions';

/** Above this many values on either side, p-values come from the finite-n Kolmogorov distribution (as scipy's `auto`). */
export const KS_EXACT_MAX_N = 10_000;

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/**
 * Two-sample, two-sided Kolmogorov-Smirnov test on sorted finite samples, with scipy `ks_2samp`'s
 * `method='auto'` semantics: D is the largest gap between the right-continuous ECDFs; the p-value is the
 * exact lattice-path probability when max(n1, n2) <= 10,000, else kstwo.sf(D, round(n1 n2 / (n1 + n2))).
 */
export function ks2Samp(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('KS test needs non-empty samples');
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    // Advance past every copy of the next value in both samples, then compare the ECDFs there.
    const va = i < n1 ? (a[i] as number) : Infinity;
    const vb = j < n2 ? (b[j] as number) : Infinity;
    const v = va <= vb ? va : vb;
    while (i < n1 && (a[i] as number) <= v) i++;
    while (j < n2 && (b[j] as number) <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  let d = Math.max(Math.min(Math.max(-minS, 0), 1), maxS);
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: clip(kolmogorovSf(roundHalfEven(en), d)), method: 'asymptotic' };
}

/**
 * P(D_{n,n} >= h/n) for equal sample sizes: 2 Σ_{k>=1} (-1)^{k+1} C(2n, n-kh) / C(2n, n). Each ratio is a
 * product of h factors times the previous one, so the alternating sum is evaluated innermost-first
 * (P_k = r_k (1 - P_{k+1})), which keeps every partial result in [0, 1].
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let r = 1;
    for (let t = 0; t < h; t++) r = (r * (n - k * h - t)) / (n + k * h + t + 1);
    p = r * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D_{m,n} >= h / lcm(m, n)) by the lattice-path recursion on the probability of having left the band
 * |x/m - y/n| < h/lcm (Hodges' inside method, rewritten to carry 1 - p so small p-values keep their
 * digits; Viehmann 2021). Each lattice point's value is the mean of its two predecessors weighted by the
 * share of paths arriving from each; points outside the band are 1. O(m * band width) time, O(n) memory.
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  // Column x = i holds rows y with |ng*i - mg*y| < h, i.e. lo(i) <= y <= hi(i).
  const lo = (i: number): number => Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
  const hi = (i: number): number => Math.min(Math.ceil((ng * i + h) / mg) - 1, n);
  let prev = new Float64Array(n + 1);
  let cur = new Float64Array(n + 1);
  let pLo = lo(0);
  let pHi = hi(0);
  for (let y = pLo; y <= pHi; y++) prev[y] = 0;
  for (let i = 1; i <= m; i++) {
    const cLo = lo(i);
    const cHi = hi(i);
    if (cHi < cLo) return 1;
    // Below the band the value is 1 (every path there has left it).
    let below = cLo === 0 ? 0 : 1;
    for (let y = cLo; y <= cHi; y++) {
      const left = y >= pLo && y <= pHi ? (prev[y] as number) : 1;
      const v = (left * i + below * y) / (i + y);
      cur[y] = v;
      below = v;
    }
    const t = prev;
    prev = cur;
    cur = t;
    pLo = cLo;
    pHi = cHi;
  }
  return n >= pLo && n <= pHi ? (prev[n] as number) : 1;
}

/**
 * Survival function of the two-sided one-sample Kolmogorov statistic for finite n (scipy's `kstwo.sf`),
 * choosing the method by region as Simard and L'Ecuyer (2011) do: Ruben-Gambino closed forms at the ends,
 * 2 x Smirnov where the two one-sided events cannot both happen or the tail is small, Durbin's matrix
 * (Marsaglia-Tsang-Wang) for small n x^1.5, and Pelz-Good's asymptotic series otherwise.
 */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = n <= 140 ? prodRange(n, 2 * t - 1) : Math.exp(logNFactorialOverNPowN(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - x, n));
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    // Durbin's matrix is exact everywhere; scipy switches to Pomeranz's (also exact) recursion in the middle band.
    if (nx2 <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) cdf = durbinCdf(n, x);
  else cdf = pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

function prodRange(n: number, f: number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= (i / n) * f;
  return p;
}

/** ln(n! / n^n) by Stirling's series with n ln n removed analytically (no cancellation). */
function logNFactorialOverNPowN(n: number): number {
  // B_2j / (2j (2j - 1)) for j = 8..1 (Bernoulli numbers), highest order first.
  const coeffs = [-3617 / 122400, 1 / 156, -691 / 360360, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12];
  const rn = 1 / n;
  const r2 = rn / n;
  let poly = 0;
  for (const c of coeffs) poly = poly * r2 + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

/**
 * One-sided Smirnov survival P(D_n^+ >= x) by the Birnbaum-Tingey sum
 * x Σ_{j=0}^{floor(n(1-x))} C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1), terms added in log space.
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const jmax = Math.floor(n * (1 - x) + 1e-9);
  const logs = new Float64Array(jmax + 1);
  let max = -Infinity;
  const lgn1 = logGamma(n + 1);
  for (let j = 0; j <= jmax; j++) {
    const a = 1 - x - j / n;
    const b = x + j / n;
    const logBinom = lgn1 - logGamma(j + 1) - logGamma(n - j + 1);
    const term = logBinom + (n - j === 0 ? 0 : (n - j) * Math.log(a)) + (j - 1) * Math.log(b);
    logs[j] = term;
    if (term > max) max = term;
  }
  if (max === -Infinity) return 0;
  let sum = 0;
  for (let j = 0; j <= jmax; j++) sum += Math.exp((logs[j] as number) - max);
  return x * Math.exp(max) * sum;
}

/** P(D_n <= d) by Durbin's matrix method as arranged by Marsaglia, Tsang and Wang (2003), with scaling. */
function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * fac;
  }
  const tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  v[m - 1] = (1 + tt) * fac;
  for (let c = 1; c < m; c++) for (let r = c - 1; r < m; r++) H[r * m + c] = w[r - c + 1] as number;
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number;

  const SCALE = 2 ** 128;
  let power: Float64Array | undefined;
  let base: Float64Array = H;
  let baseExp = 0;
  let exp = 0;
  let nn = n;
  while (nn > 0) {
    if (nn % 2 === 1) {
      power = power ? matMul(power, base, m) : base.slice();
      exp += baseExp;
    }
    nn = Math.floor(nn / 2);
    if (nn === 0) break;
    base = matMul(base, base, m);
    baseExp *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)] as number) > SCALE) {
      for (let i = 0; i < base.length; i++) base[i] = (base[i] as number) / SCALE;
      baseExp += 128;
    }
  }
  let p = (power as Float64Array)[(k - 1) * m + (k - 1)] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 1 / SCALE) {
      p *= SCALE;
      exp -= 128;
    }
  }
  return clip(p * Math.pow(2, exp));
}

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      const rowB = k * m;
      const rowO = i * m;
      for (let j = 0; j < m; j++) out[rowO + j] = (out[rowO + j] as number) + aik * (b[rowB + j] as number);
    }
  }
  return out;
}

/**
 * Pelz and Good's (1976) form of the Li-Chien/Korolyuk expansion P(D_n <= x) ≈ K0 + K1/√n + K2/n + K3/n^1.5
 * with z = x√n, each K rewritten through Jacobi's theta transformation so it converges fast for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  const PI2 = Math.PI ** 2;
  const PI4 = PI2 * PI2;
  const PI6 = PI4 * PI2;
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  const q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  // Horner in q^8k over odd m = 2k - 1: Σ c(m) q^(m^2) = q Σ c(m) q^(m^2 - 1).
  for (let k = maxk; k >= 1; k--) {
    const mm = 2 * k - 1;
    const m2 = mm * mm;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    K[0] = (K[0] as number) * qp + 1;
    K[1] = (K[1] as number) * qp + (k1a + k1b * m2);
    K[2] = (K[2] as number) * qp + (k2a + k2b * m2 + k2c * m4);
    K[3] = (K[3] as number) * qp + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const denom = [z, 6 * z4, 72 * z4 * z3, 6480 * z4 * z6];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT2PI) / (denom[i] as number);
  const q2 = Math.exp(-PI2 / 2 / z2);
  const s3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const qp = Math.pow(q2, k2);
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (s3z + kpi) * (s3z - kpi) * k2 * qp;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / Math.pow(n, i / 2);
  return sum;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function clip(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
