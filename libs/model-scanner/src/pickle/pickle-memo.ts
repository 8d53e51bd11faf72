import { PickleError } from './pickle-context';
import { carriesCode, MAX_MEMO_BYTES, OPAQUE_STR, OpaqueKeys, T } from './pickle-values';
import type { Value } from './pickle-values';

/**
 * The memo of the simulated machine. Only values that can matter later are tracked (strings for
 * STACK_GLOBAL, globals, kept bytes and the small tuples/calls that carry them), within a budget; the
 * rest is remembered as "opaque" by key only. Dropping a value is safe: globals were judged when
 * created, and an untracked string that reaches STACK_GLOBAL makes the result inconclusive.
 */
export class PickleMemo {
  private values = new Map<number, Value>();
  /** Keys holding values the scanner does not track, as a bitset: MEMOIZE keys are dense from 0. */
  private opaque = new OpaqueKeys();
  /** Distinct keys stored: MEMOIZE's next key. */
  count = 0;
  private maxKey = -1;
  private bytes = 0;

  constructor(private readonly maxTracked: number) {}

  put(key: number, v: Value): void {
    const t = v.t;
    const trackable =
      t === T.Str
        ? v.v !== undefined
        : t === T.Global ||
          (t === T.Bytes && v.v !== undefined && this.bytes + v.v.length <= MAX_MEMO_BYTES) ||
          (t === T.Call && v.fn === 'numpy.dtype') ||
          (t === T.Tuple && v.items !== undefined && carriesCode(v.items));
    // Keys above any seen so far (MEMOIZE's are) are new: no lookups needed on the hot path.
    const fresh = key > this.maxKey;
    if (fresh) this.maxKey = key;
    const seen = !fresh && (this.opaque.has(key) || this.values.has(key));
    if (!seen) this.count++;
    if (trackable && (this.values.size < this.maxTracked || (seen && this.values.has(key)))) {
      if (t === T.Bytes && v.v !== undefined) this.bytes += v.v.length;
      if (seen) this.opaque.delete(key);
      this.values.set(key, v);
      return;
    }
    if (seen) this.values.delete(key);
    if (!this.opaque.add(key)) throw new PickleError('memo key limit exceeded');
  }

  get(key: number): Value {
    const v = this.values.get(key);
    if (v !== undefined) return v;
    // Opaque values are remembered by key only; strings beyond the budget come back unresolvable.
    if (this.opaque.has(key)) return OPAQUE_STR;
    throw new PickleError(`memo key ${key} not found`);
  }
}
