import { numericValue } from './cell-kind';

/**
 * The sorted values of a column rebuilt from its category counts, when these account for every finite value
 * kept (`count`): a few hundred distinct values cost a small sort and a fill instead of sorting a million
 * doubles. Undefined when some finite value is not in the counts, or a key reads as a number its cell was
 * not (" 12", "0x10" are strings to the scan but numbers to `Number`), so the counts cannot be trusted.
 * -0 sorts before +0, as the radix sort puts it.
 */
export function sortedFromCounts(
  counts: ReadonlyMap<string, number>,
  count: number,
): Float64Array<ArrayBuffer> | undefined {
  const distinct: [number, number][] = [];
  let total = 0;
  for (const [key, n] of counts) {
    const v = numericValue(key);
    if (!Number.isFinite(v)) continue;
    distinct.push([v, n]);
    total += n;
  }
  if (total !== count) return undefined;
  distinct.sort(([a], [b]) => a - b || (Object.is(a, -0) ? -1 : 0) - (Object.is(b, -0) ? -1 : 0));
  const out = new Float64Array(count);
  let at = 0;
  for (const [v, n] of distinct) {
    out.fill(v, at, at + n);
    at += n;
  }
  return out;
}
