import { ByteReader } from './io/byte-reader';
import type { ReaderHooks } from './io/byte-reader';
import type { Blob } from './io/blob';
import { DEFAULT_PICKLE_LIMITS } from './pickle/pickle-vm';
import type { PickleContext, PickleLimits } from './pickle/pickle-vm';
import type { ModelFinding, ModelFormat } from './scan-result';

/** Bounds for containers and in-memory parsing; anything beyond them is reported, never skipped silently. */
export interface ScanLimits {
  pickle: PickleLimits;
  maxArchiveDepth: number;
  maxArchiveMembers: number;
  /** A member inflating beyond this is a bomb. */
  maxMemberInflated: number;
  /** Compression ratio above which a member bigger than `bombMinSize` is treated as a bomb. */
  maxCompressionRatio: number;
  bombMinSize: number;
  /** Total bytes inflated for one top-level file. */
  maxTotalInflated: number;
  /** Largest member or header parsed in memory (JSON configs, central directories, nested archives). */
  maxInMemory: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  pickle: DEFAULT_PICKLE_LIMITS,
  maxArchiveDepth: 4,
  maxArchiveMembers: 100_000,
  maxMemberInflated: 4 * 1024 ** 3,
  maxCompressionRatio: 200,
  bombMinSize: 16 << 20,
  maxTotalInflated: 16 * 1024 ** 3,
  maxInMemory: 64 << 20,
};

/** State shared by the format handlers while one top-level file is scanned. */
export interface ScanContext {
  findings: ModelFinding[];
  limits: ScanLimits;
  hooks: ReaderHooks;
  depth: number;
  inflated: { total: number };
  /** Scans a nested blob (archive member) with format detection; injected to keep modules acyclic. */
  scanNested: (blob: Blob, location: string, ctx: ScanContext, nameHint: string) => Promise<ModelFormat>;
}

export function pickleContext(ctx: ScanContext, location: string): PickleContext {
  return { findings: ctx.findings, limits: ctx.limits.pickle, location, depth: 0 };
}

export function readerFor(blob: Blob, ctx: ScanContext, offset = 0): ByteReader {
  // Content already in memory is parsed in place: no chunk iterator, no awaits on refills.
  const whole = blob.inMemory?.();
  if (whole !== undefined) return new ByteReader(whole.subarray(offset), ctx.hooks);
  return new ByteReader(blob.stream(offset), ctx.hooks, Math.max(0, blob.size - offset));
}

/** A format handler: scans one blob, pushing findings into the context; returns the format it saw. */
export type FormatHandler = (blob: Blob, location: string, ctx: ScanContext) => Promise<ModelFormat>;
