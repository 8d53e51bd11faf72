import { sortFloat64 } from './float-sort';
import { XorShift32 } from '../stats/xorshift32';

/**
 * Keeps every finite value up to `cap`, then a uniform reservoir sample (Algorithm R with a seeded
 * xorshift generator, so a profile is reproducible). Min, max, mean and std (ddof 0) cover all values:
 * Welford's running update under a finite cap; with no cap every value is at hand, so mean and std are
 * computed from them in two passes at the end, which spares a division per value on the exact drift path.
 */
export class ValueReservoir {
  private buf: Float64Array<ArrayBuffer>;
  private n = 0;
  private seen = 0;
  private readonly rng = new XorShift32(0x2545f491);
  min = Infinity;
  max = -Infinity;
  private mean = 0;
  private m2 = 0;
  nonFinite = 0;
  private readonly keepsAll: boolean;

  constructor(readonly cap: number) {
    this.buf = new Float64Array(Math.min(cap, 1024));
    this.keepsAll = cap === Number.POSITIVE_INFINITY;
  }

  get count(): number {
    return this.seen;
  }

  add(v: number): void {
    if (!Number.isFinite(v)) {
      this.nonFinite++;
      return;
    }
    this.seen++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (!this.keepsAll) {
      const d = v - this.mean;
      this.mean += d / this.seen;
      this.m2 += d * (v - this.mean);
    }
    if (this.n < this.cap) {
      if (this.n === this.buf.length) {
        const next = new Float64Array(Math.min(this.cap, this.buf.length * 2));
        next.set(this.buf);
        this.buf = next;
      }
      this.buf[this.n++] = v;
      return;
    }
    const j = this.rng.next() % this.seen;
    if (j < this.cap) this.buf[j] = v;
  }

  /** The kept values, sorted ascending, in place: call once, when the pass is over. */
  sorted(): Float64Array<ArrayBuffer> {
    return sortFloat64(this.buf.subarray(0, this.n));
  }

  get exact(): boolean {
    return this.seen <= this.cap;
  }

  stats(): { mean: number | null; std: number | null } {
    if (this.seen === 0) return { mean: null, std: null };
    if (this.keepsAll) return twoPass(this.buf, this.n);
    return { mean: this.mean, std: Math.sqrt(this.m2 / this.seen) };
  }
}

function twoPass(values: Float64Array, n: number): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(ss / n) };
}
