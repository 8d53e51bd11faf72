import { ks2Samp } from '../stats/kolmogorov-smirnov';
import { chi2Sf, normalCdf } from '../stats/special-functions';
import { HISTOGRAM_MIN_DISTINCT, countsOfSorted, histogram, sturgesEdges, total, unionKeys } from './binning';
import type { Counts } from './binning';

export const DRIFT_METHODS = [
  'ks',
  'wasserstein',
  'chisquare',
  'z',
  'jensenshannon',
  'psi',
  'kl_div',
  'hellinger',
] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];
export type FeatureType = 'numerical' | 'categorical';

/** One side of a column comparison: sorted finite values (numerical) and/or value counts. */
export interface DriftSide {
  values?: ArrayLike<number>;
  counts: Counts;
  /** Distinct values, when known without building `counts`. */
  distinct?: number;
}

/** A numerical side whose distinct values and value counts are only computed if a method asks for them (they can be large). */
export function numericSide(sorted: ArrayLike<number>): DriftSide {
  let counts: Counts | undefined;
  let distinct: number | undefined;
  return {
    values: sorted,
    get distinct(): number {
      distinct ??= distinctSorted(sorted);
      return distinct;
    },
    get counts(): Counts {
      counts ??= countsOfSorted(sorted);
      return counts;
    },
  };
}

export function distinctSorted(a: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) n++;
  return n;
}

/** Distinct values of the union of two sorted arrays, by merging; counting stops at `limit` (enough to choose a method). */
export function distinctUnionSorted(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  limit = Number.POSITIVE_INFINITY,
): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while ((i < a.length || j < b.length) && n < limit) {
    const va = i < a.length ? (a[i] as number) : Infinity;
    const vb = j < b.length ? (b[j] as number) : Infinity;
    const v = va <= vb ? va : vb;
    n++;
    while (i < a.length && (a[i] as number) <= v) i++;
    while (j < b.length && (b[j] as number) <= v) j++;
  }
  return n;
}

export interface MethodResult {
  statistic: number;
  pValue: number | null;
}

/** Whether the method is a hypothesis test (drift when p is small) or a distance (drift when large). */
export const METHOD_KIND: Record<DriftMethod, 'p_value' | 'distance'> = {
  ks: 'p_value',
  wasserstein: 'distance',
  chisquare: 'p_value',
  z: 'p_value',
  jensenshannon: 'distance',
  psi: 'distance',
  kl_div: 'distance',
  hellinger: 'distance',
};

/** Evidently's default thresholds. */
export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = {
  ks: 0.05,
  wasserstein: 0.1,
  chisquare: 0.05,
  z: 0.05,
  jensenshannon: 0.1,
  psi: 0.1,
  kl_div: 0.1,
  hellinger: 0.1,
};

/** Evidently's comparison per method: KS drifts at p <= t, chi-square and Z at p < t, distances at >= t. */
export function isDrift(method: DriftMethod, r: MethodResult, threshold: number): boolean {
  switch (method) {
    case 'ks':
      return (r.pValue as number) <= threshold;
    case 'chisquare':
    case 'z':
      return (r.pValue as number) < threshold;
    case 'wasserstein':
    case 'jensenshannon':
    case 'psi':
    case 'kl_div':
    case 'hellinger':
      return r.statistic >= threshold;
  }
}

export function runMethod(method: DriftMethod, ref: DriftSide, cur: DriftSide, type: FeatureType): MethodResult {
  switch (method) {
    case 'ks': {
      const r = ks2Samp(numeric(ref), numeric(cur));
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case 'wasserstein':
      return { statistic: normedWasserstein(numeric(ref), numeric(cur)), pValue: null };
    case 'chisquare':
      return chiSquare(ref.counts, cur.counts);
    case 'z':
      return zTest(ref.counts, cur.counts);
    case 'jensenshannon': {
      const [p, q] = binned(ref, cur, type, false);
      return { statistic: jensenShannon(p, q), pValue: null };
    }
    case 'psi': {
      const [p, q] = binned(ref, cur, type, true);
      let s = 0;
      for (let i = 0; i < p.length; i++)
        s += ((p[i] as number) - (q[i] as number)) * Math.log((p[i] as number) / (q[i] as number));
      return { statistic: s, pValue: null };
    }
    case 'kl_div': {
      const [p, q] = binned(ref, cur, type, true);
      return { statistic: klDivergence(p, q), pValue: null };
    }
    case 'hellinger': {
      const [p, q] = binned(ref, cur, type, false);
      let s = 0;
      for (let i = 0; i < p.length; i++) s += (Math.sqrt(p[i] as number) - Math.sqrt(q[i] as number)) ** 2;
      return { statistic: Math.sqrt(s / 2), pValue: null };
    }
  }
}

function numeric(side: DriftSide): ArrayLike<number> {
  if (!side.values) throw new TypeError('this method needs numerical values');
  return side.values;
}

/** scipy `wasserstein_distance` (area between the ECDFs) divided by max(std(ref, ddof=0), 0.001). */
export function normedWasserstein(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let prev = Math.min(a[0] as number, b[0] as number);
  while (i < n1 || j < n2) {
    const va = i < n1 ? (a[i] as number) : Infinity;
    const vb = j < n2 ? (b[j] as number) : Infinity;
    const v = va <= vb ? va : vb;
    sum += Math.abs(i / n1 - j / n2) * (v - prev);
    prev = v;
    while (i < n1 && (a[i] as number) <= v) i++;
    while (j < n2 && (b[j] as number) <= v) j++;
  }
  return sum / Math.max(std(a), 0.001);
}

/** Population standard deviation, two-pass as numpy computes it. */
export function std(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  const mean = s / a.length;
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += ((a[i] as number) - mean) ** 2;
  return Math.sqrt(ss / a.length);
}

/**
 * Evidently's chi-square: expected = reference counts scaled to the current size, over the union of values.
 * A value seen only in current data has expected 0: statistic infinity, p = 0.
 */
export function chiSquare(ref: Counts, cur: Counts): MethodResult {
  const keys = unionKeys(ref, cur);
  const k = total(cur) / total(ref);
  let stat = 0;
  for (const key of keys) {
    const e = (ref.get(key) ?? 0) * k;
    const o = cur.get(key) ?? 0;
    stat += e === 0 ? (o === 0 ? NaN : Infinity) : ((o - e) * (o - e)) / e;
  }
  if (Number.isNaN(stat)) stat = Infinity;
  const dof = keys.length - 1;
  return { statistic: stat, pValue: stat === Infinity ? 0 : dof <= 0 ? 1 : chi2Sf(stat, dof) };
}

/** Two-proportion Z-test on "is not the smallest value" (Evidently's `z` for binary columns). */
export function zTest(ref: Counts, cur: Counts): MethodResult {
  const keys = unionKeys(ref, cur);
  if (keys.length <= 1) return { statistic: 0, pValue: 1 };
  const first = keys[0] as string | number;
  const n1 = total(ref);
  const n2 = total(cur);
  const p1 = (n1 - (ref.get(first) ?? 0)) / n1;
  const p2 = (n2 - (cur.get(first) ?? 0)) / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

/**
 * Evidently's `get_binned_data`: Sturges histogram over ref ∪ cur for numerical columns whose reference has
 * more than 20 distinct values, else one bin per value; shares per side; optionally the empty-bin fill
 * (zero -> min non-zero share / 1e6 when that is <= 1e-4, else 1e-4), each side separately.
 */
export function binned(
  ref: DriftSide,
  cur: DriftSide,
  type: FeatureType,
  fillZeros: boolean,
): [Float64Array, Float64Array] {
  let p: Float64Array;
  let q: Float64Array;
  if (type === 'numerical' && ref.values && cur.values && (ref.distinct ?? ref.counts.size) > HISTOGRAM_MIN_DISTINCT) {
    const edges = sturgesEdges(ref.values, cur.values);
    p = histogram(ref.values, edges).map((c) => c / (ref.values as ArrayLike<number>).length);
    q = histogram(cur.values, edges).map((c) => c / (cur.values as ArrayLike<number>).length);
  } else {
    const keys = unionKeys(ref.counts, cur.counts);
    const nr = total(ref.counts);
    const nc = total(cur.counts);
    p = Float64Array.from(keys, (k) => (ref.counts.get(k) ?? 0) / nr);
    q = Float64Array.from(keys, (k) => (cur.counts.get(k) ?? 0) / nc);
  }
  if (fillZeros) {
    fill(p);
    fill(q);
  }
  return [p, q];
}

function fill(a: Float64Array): void {
  let m = Infinity;
  for (const v of a) if (v !== 0 && v < m) m = v;
  if (m === Infinity) return;
  const f = m <= 1e-4 ? m / 1e6 : 1e-4;
  for (let i = 0; i < a.length; i++) if (a[i] === 0) a[i] = f;
}

/** scipy `jensenshannon` (natural log): shares renormalised, sqrt of the mean KL to the midpoint. */
export function jensenShannon(p0: Float64Array, q0: Float64Array): number {
  const sp = p0.reduce((s, v) => s + v, 0);
  const sq = q0.reduce((s, v) => s + v, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p0.length; i++) {
    const p = (p0[i] as number) / sp;
    const q = (q0[i] as number) / sq;
    const m = (p + q) / 2;
    if (p > 0) left += p * Math.log(p / m);
    if (q > 0) right += q * Math.log(q / m);
  }
  return Math.sqrt((left + right) / 2);
}

/** scipy `stats.entropy(p, q)`: both renormalised, Σ p ln(p / q). */
export function klDivergence(p0: Float64Array, q0: Float64Array): number {
  const sp = p0.reduce((s, v) => s + v, 0);
  const sq = q0.reduce((s, v) => s + v, 0);
  let s = 0;
  for (let i = 0; i < p0.length; i++) {
    const p = (p0[i] as number) / sp;
    const q = (q0[i] as number) / sq;
    if (p > 0) s += q > 0 ? p * Math.log(p / q) : Infinity;
  }
  return s;
}

export { countsOfSorted };
