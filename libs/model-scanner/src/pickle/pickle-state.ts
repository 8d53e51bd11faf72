import type { ByteReader } from '../io/byte-reader';
import { PickleError } from './pickle-context';
import type { PickleContext, PickleRunOutcome } from './pickle-context';
import { PickleMemo } from './pickle-memo';
import type { Value } from './pickle-values';

/** Analyses a pickle embedded in another (nested bytes, joblib object arrays) from `reader`'s position. */
export type SubPickle = (reader: ByteReader, ctx: PickleContext) => Promise<PickleRunOutcome>;

/**
 * State of the simulated pickle machine over one pickle: stack, metastack of marks, memo, and the
 * reader. The opcode families (`pickle-operands`, `pickle-globals`, `pickle-calls`) work on it.
 */
export class PickleState {
  stack: Value[] = [];
  metastack: Value[][] = [];
  depth = 0;
  /** Set once joblib's array wrapper is imported: dicts then record their items (array specs). */
  joblib = false;
  /** Bytes values copied so far (bounded by MAX_MEMO_BYTES). */
  keptBytes = 0;
  readonly memo: PickleMemo;

  constructor(
    readonly r: ByteReader,
    readonly ctx: PickleContext,
    /** Bytes that merely might be a pickle: implausible GLOBAL operands end the run. */
    readonly sniff: boolean,
    readonly outcome: PickleRunOutcome,
    readonly subPickle: SubPickle,
  ) {
    this.memo = new PickleMemo(ctx.limits.maxMemoStrings);
  }

  loc(offset: number): string {
    return `${this.ctx.location}@${offset}`;
  }

  pop(): Value {
    const v = this.stack.pop();
    if (v === undefined) throw new PickleError('stack underflow');
    this.depth--;
    return v;
  }

  push(v: Value): void {
    this.stack.push(v);
    if (++this.depth > this.ctx.limits.maxStackDepth) throw new PickleError('stack depth limit exceeded');
  }

  mark(): void {
    this.metastack.push(this.stack);
    this.stack = [];
  }

  /** Items pushed since the last MARK (the stack goes back to what it was then). */
  popMark(): Value[] {
    const items = this.stack;
    const prev = this.metastack.pop();
    if (prev === undefined) throw new PickleError('mark not found');
    this.stack = prev;
    this.depth -= items.length;
    return items;
  }

  top(): Value {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined) throw new PickleError('stack underflow');
    return v;
  }
}
