/**
 * For each row, the share of its k nearest neighbours (Euclidean, on z-scored columns, missing values at
 * the column mean) whose label differs from its own. Exact brute force, O(n^2 d): callers cap n.
 */
export function knnLabelDisagreement(
  rows: readonly (readonly number[])[],
  labels: readonly string[],
  k: number,
): number[] {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const x = new Float64Array(n * d);
  for (let c = 0; c < d; c++) {
    let sum = 0;
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      const v = (rows[i] as readonly number[])[c] as number;
      if (Number.isFinite(v)) {
        sum += v;
        cnt++;
      }
    }
    const mean = cnt > 0 ? sum / cnt : 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = (rows[i] as readonly number[])[c] as number;
      if (Number.isFinite(v)) ss += (v - mean) ** 2;
    }
    const sd = cnt > 0 ? Math.sqrt(ss / cnt) : 0;
    for (let i = 0; i < n; i++) {
      const v = (rows[i] as readonly number[])[c] as number;
      x[i * d + c] = Number.isFinite(v) && sd > 0 ? (v - mean) / sd : 0;
    }
  }
  const scores = new Array<number>(n).fill(0);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    bestD.fill(Infinity);
    bestI.fill(-1);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dist = 0;
      for (let c = 0; c < d; c++) {
        const t = (x[i * d + c] as number) - (x[j * d + c] as number);
        dist += t * t;
      }
      if (dist >= (bestD[k - 1] as number)) continue;
      // Insert into the sorted top-k.
      let p = k - 1;
      while (p > 0 && (bestD[p - 1] as number) > dist) {
        bestD[p] = bestD[p - 1] as number;
        bestI[p] = bestI[p - 1] as number;
        p--;
      }
      bestD[p] = dist;
      bestI[p] = j;
    }
    let differ = 0;
    let count = 0;
    for (let t = 0; t < k; t++) {
      const j = bestI[t] as number;
      if (j < 0) continue;
      count++;
      if (labels[j] !== labels[i]) differ++;
    }
    scores[i] = count === 0 ? 0 : differ / count;
  }
  return scores;
}
