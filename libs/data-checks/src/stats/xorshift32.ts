/**
 * A tiny seeded PRNG (Marsaglia xorshift32) for reservoir sampling: the same data and seed always give
 * the same sample, so profiles and findings are reproducible run to run.
 */
export class XorShift32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** The next unsigned 32-bit value. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
}
