import { sortFloat64 } from './float-sort';

describe('sortFloat64', () => {
  it('sorts like Float64Array.prototype.sort, negatives, zeros, duplicates and extremes included', () => {
    let s = 12345;
    const r = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const a = new Float64Array(100_000);
    for (let i = 0; i < a.length; i++) {
      const k = r();
      a[i] =
        k < 0.1
          ? Math.round(r() * 10) - 5
          : k < 0.15
            ? r() < 0.5
              ? -0
              : 0
            : (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    }
    a[0] = Number.MAX_VALUE;
    a[1] = -Number.MAX_VALUE;
    a[2] = Number.MIN_VALUE;
    a[3] = -Number.MIN_VALUE;
    const expected = a.slice().sort();
    const got = sortFloat64(a.slice());
    expect(Object.is(got[0], -Number.MAX_VALUE)).toBe(true);
    for (let i = 0; i < a.length; i++)
      if (!Object.is(got[i], expected[i])) throw new Error(`index ${i}: ${got[i]} vs ${expected[i]}`);
  });

  it('sorts a subarray view in place without touching the rest of the buffer', () => {
    const buf = new Float64Array(40_000).map((_, i) => ((i * 7919) % 40_000) - 20_000);
    const view = buf.subarray(10, 30_010);
    const expected = view.slice().sort();
    sortFloat64(view);
    expect(Array.from(view)).toEqual(Array.from(expected));
    expect(buf[0]).toBe(-20_000);
  });

  it('skips passes whose digit never changes: integer-valued doubles, and one repeated value', () => {
    const ints = new Float64Array(50_000).map((_, i) => ((i * 7919) % 50_000) - 25_000);
    expect(Array.from(sortFloat64(ints.slice()))).toEqual(Array.from(ints.slice().sort()));
    const same = new Float64Array(30_000).fill(2.5);
    same[7] = -1;
    const sorted = sortFloat64(same);
    expect([sorted[0], sorted[1], sorted[29_999]]).toEqual([-1, 2.5, 2.5]);
  });
});
