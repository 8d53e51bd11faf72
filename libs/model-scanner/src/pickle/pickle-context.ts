import type { ModelFinding } from '../scan-result';

/** Bounds that keep a hostile pickle from exhausting memory; exceeding one makes the result inconclusive. */
export interface PickleLimits {
  maxStackDepth: number;
  /** Memo values tracked (strings, globals, small tuples...); beyond it values are kept by key only. */
  maxMemoStrings: number;
  maxLineBytes: number;
  maxNestedDepth: number;
  /** Bytes values up to this size are kept (they may be a nested pickle); larger ones are skipped. */
  maxKeptBytes: number;
  /**
   * Heap growth since a pickle started above which it stops, inconclusive (checked every 65,536 opcodes):
   * files scanned on a thread without a heap bound stay within the memory target.
   */
  maxHeapBytes: number;
}

export const DEFAULT_PICKLE_LIMITS: PickleLimits = {
  maxStackDepth: 4_000_000,
  maxMemoStrings: 50_000,
  maxLineBytes: 1 << 20,
  maxNestedDepth: 4,
  maxKeptBytes: 1 << 20,
  maxHeapBytes: 160 << 20,
};

/** Input the unpickler would reject (or that exceeds a bound): the run stops there. */
export class PickleError extends Error {}

/** A bound of the scanner (not of the unpickler) was reached: never "not a pickle", always inconclusive. */
export class PickleLimitError extends PickleError {}

/** Outcome of one pickle (up to STOP) in a stream. */
export interface PickleRunOutcome {
  /** True when STOP was reached. */
  complete: boolean;
  /** Number of globals (GLOBAL/STACK_GLOBAL/INST/EXT) the stream referenced. */
  globals: number;
  /** Opcodes executed. */
  ops: number;
  error?: string;
  /** Stream offset of the error. */
  errorOffset?: number;
  /** Callables referenced (module.name), for callers with format-specific logic (joblib, torch). */
  referenced: Set<string>;
}

export interface PickleContext {
  /** Location prefix: the archive member or file, e.g. `archive/data.pkl`. */
  location: string;
  findings: ModelFinding[];
  limits: PickleLimits;
  depth: number;
}
