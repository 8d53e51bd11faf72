import { ValueReservoir } from './value-reservoir';

describe('ValueReservoir', () => {
  const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 100 + (i % 7));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);

  it.each([
    ['a finite cap (running update)', 100],
    ['no cap (two passes at the end)', Number.POSITIVE_INFINITY],
  ])('gives mean, std, min and max over every value with %s', (_label, cap) => {
    const r = new ValueReservoir(cap);
    for (const v of values) r.add(v);
    r.add(Number.NaN);
    const stats = r.stats();
    expect(Math.abs((stats.mean as number) - mean)).toBeLessThan(1e-12 * Math.abs(mean));
    expect(Math.abs((stats.std as number) - std)).toBeLessThan(1e-12 * std);
    expect([r.count, r.nonFinite, r.min, r.max, r.exact]).toEqual([
      5000,
      1,
      Math.min(...values),
      Math.max(...values),
      cap > 5000,
    ]);
    expect(r.sorted()).toHaveLength(Math.min(cap, 5000));
  });
});
