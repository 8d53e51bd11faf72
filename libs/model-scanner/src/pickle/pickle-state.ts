import type { ByteReader } from '../io/byte-reader';
import { getHeapStatistics } from 'node:v8';
import { PickleError, PickleLimitError } from './pickle-context';
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
  /**
   * One flat stack for all frames: MARK records where the current frame starts. Frames are not arrays
   * of their own, so a MARK costs no allocation (naive pickles open several per tensor).
   */
  private values: Array<Value | undefined> = [];
  private sp = 0;
  private frame = 0;
  private marks: number[] = [];
  /** Set once joblib's array wrapper is imported: dicts then record their items (array specs). */
  joblib = false;
  /** Bytes values copied so far (bounded by MAX_MEMO_BYTES). */
  keptBytes = 0;
  readonly memo: PickleMemo;
  /** Heap in use when this pickle started: the bound is on what the pickle adds, not on the host process. */
  private readonly heapAtStart = getHeapStatistics().used_heap_size;

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

  /**
   * Called every 65,536 opcodes: a pickle on a thread without a heap bound (files scanned in-process)
   * that grows the heap by more than `maxHeapBytes` stops here, inconclusive, instead of exhausting memory
   * (millions of kept strings fit under the stack-depth limit). The growth is measured from this pickle's
   * start: a host process (a Temporal worker, a test runner) may already hold far more than the bound,
   * and that must not turn a benign model inconclusive.
   */
  checkMemory(): void {
    const limit = this.ctx.limits.maxHeapBytes;
    if (getHeapStatistics().used_heap_size - this.heapAtStart > limit) {
      throw new PickleLimitError(
        `the heap grew by more than ${Math.round(limit / 2 ** 20)} MiB while simulating this pickle`,
      );
    }
  }

  loc(offset: number): string {
    return `${this.ctx.location}@${offset}`;
  }

  /** Values in the current frame (since the last MARK). */
  frameSize(): number {
    return this.sp - this.frame;
  }

  pop(): Value {
    if (this.sp <= this.frame) throw new PickleError('stack underflow');
    const v = this.values[--this.sp] as Value;
    this.values[this.sp] = undefined;
    return v;
  }

  push(v: Value): void {
    // The limit counts values in all frames, like the depth of the machine's stack and metastack.
    if (this.sp >= this.ctx.limits.maxStackDepth) throw new PickleError('stack depth limit exceeded');
    this.values[this.sp++] = v;
  }

  mark(): void {
    this.marks.push(this.frame);
    this.frame = this.sp;
  }

  /** Items pushed since the last MARK (the stack goes back to what it was then). */
  popMark(): Value[] {
    if (this.marks.length === 0) throw new PickleError('mark not found');
    const items = this.values.slice(this.frame, this.sp) as Value[];
    this.dropFrame();
    return items;
  }

  /** Like popMark, for callers that do not need the items. */
  dropMark(): number {
    if (this.marks.length === 0) throw new PickleError('mark not found');
    const n = this.sp - this.frame;
    this.dropFrame();
    return n;
  }

  private dropFrame(): void {
    // Slots are cleared so dropped values can be collected (frames are short: a loop beats fill()).
    for (let i = this.frame; i < this.sp; i++) this.values[i] = undefined;
    this.sp = this.frame;
    this.frame = this.marks.pop() as number;
  }

  top(): Value {
    if (this.sp <= this.frame) throw new PickleError('stack underflow');
    return this.values[this.sp - 1] as Value;
  }
}
