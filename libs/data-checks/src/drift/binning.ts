/** A categorical side: value -> count. Keys are numbers for numeric columns, strings otherwise. */
export type Counts = Map<string | number, number>;

/** Evidently bins numerical columns whose reference has more than this many distinct values. */
export const HISTOGRAM_MIN_DISTINCT = 20;

/**
 * numpy's `histogram_bin_edges(ref ∪ cur, bins='sturges')`: width = range / (log2(n) + 1), ceil(range / width)
 * equal bins, edges from `linspace` (i * step + start, last edge set to the maximum).
 */
export function sturgesEdges(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const n = a.length + b.length;
  let first = Math.min(a[0] ?? Infinity, b[0] ?? Infinity);
  let last = Math.max(a[a.length - 1] ?? -Infinity, b[b.length - 1] ?? -Infinity);
  const width = (last - first) / (Math.log2(n) + 1);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const bins = width > 0 ? Math.ceil((last - first) / width) : 1;
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i <= bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** Counts per bin of sorted values as numpy does with explicit edges: [e_i, e_i+1), the last bin closed. */
export function histogram(sorted: ArrayLike<number>, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let prev = lowerBound(sorted, edges[0] as number);
  for (let i = 1; i <= bins; i++) {
    const at = i === bins ? upperBound(sorted, edges[i] as number) : lowerBound(sorted, edges[i] as number);
    counts[i - 1] = at - prev;
    prev = at;
  }
  return counts;
}

/** Value counts of a sorted numeric array. */
export function countsOfSorted(sorted: ArrayLike<number>): Counts {
  const counts: Counts = new Map();
  let i = 0;
  while (i < sorted.length) {
    const v = sorted[i] as number;
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    counts.set(v, j - i);
    i = j;
  }
  return counts;
}

/** Keys of both sides, sorted (numbers numerically, strings by code unit), as Python's `sorted` would. */
export function unionKeys(a: Counts, b: Counts): (string | number)[] {
  const keys = new Set<string | number>([...a.keys(), ...b.keys()]);
  return [...keys].sort((x, y) =>
    typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0,
  );
}

export function total(c: Counts): number {
  let t = 0;
  for (const v of c.values()) t += v;
  return t;
}

function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
