import { sortFloat64 } from './float-sort';
import { sortedFromCounts } from './sorted-from-counts';

describe('sortedFromCounts', () => {
  it('rebuilds the sorted values from counts, -0 before +0 and non-finite keys left out', () => {
    const out = sortedFromCounts(
      new Map([
        ['3', 2],
        ['0', 1],
        ['1.5', 3],
        ['-0', 1],
        ['nan', 1],
        ['-inf', 2],
      ]),
      7,
    );
    expect(Array.from(out ?? [])).toEqual([-0, 0, 1.5, 1.5, 1.5, 3, 3]);
    expect(Object.is(out?.[0], -0)).toBe(true);
  });

  it('equals sorting the values themselves', () => {
    let s = 5;
    const r = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const texts = ['-2', '-1.25', '0', '-0', '1', '1.0', '2.5', '10', '1e3', '-0.001'];
    const counts = new Map<string, number>();
    const values = new Float64Array(20_000);
    for (let i = 0; i < values.length; i++) {
      const t = texts[Math.floor(r() * texts.length)] as string;
      counts.set(t, (counts.get(t) ?? 0) + 1);
      values[i] = Number(t);
    }
    const expected = sortFloat64(values);
    const got = sortedFromCounts(counts, values.length);
    expect(got && Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });

  it('gives up when the counts do not account for exactly the values kept', () => {
    // " 12" was a string to the scan (no value kept) but reads as 12.
    expect(
      sortedFromCounts(
        new Map([
          [' 12', 1],
          ['1', 2],
        ]),
        2,
      ),
    ).toBeUndefined();
    expect(sortedFromCounts(new Map([['1', 2]]), 3)).toBeUndefined();
  });
});
