import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BlobTooLargeError, BufferBlob, FileBlob } from './io/blob';
import type { Blob } from './io/blob';
import { ScanAbortedError } from './io/byte-reader';
import { paceEventLoop } from './io/event-loop-pacer';
import { scanBlob } from './detect';
import { declaredTensorData } from './formats/tensor-data.format';
import { RULES, finding } from './rules';
import type { RuleDef } from './rules';
import { DEFAULT_SCAN_LIMITS } from './scan-context';
import type { ScanContext, ScanLimits } from './scan-context';
import type { FileScanResult, ModelFinding, ScanReport, ScanVerdict } from './scan-result';
import { severityAtLeast } from './severity';

export interface ScanOptions {
  limits?: Partial<ScanLimits>;
  signal?: AbortSignal;
  /** Bytes consumed so far in the current file (heartbeats, progress bars). */
  onProgress?: (path: string, bytes: number) => void;
  /** Files scanned at once (async I/O interleaving; CPU parallelism is the CLI's worker pool). */
  concurrency?: number;
  /**
   * Give the event loop a turn (between files and stream reads) once this many ms have passed since its
   * last: for hosts that must stay responsive while scanning in-process (see io/event-loop-pacer).
   */
  yieldEveryMs?: number;
}

// Read in one go at open: whole small files (configs, most pickles), the header of everything else.
const FIRST_READ = 16 << 10;

/**
 * First-read buffers are reused: allocating one per file makes V8 count external memory and run full
 * collections. A buffer is handed back only when its scan has finished.
 */
const bufferPool: Buffer[] = [];

/** Reads up to `first.length` bytes from the start of the file; returns how many (fewer only at its end). */
function readFirst(fd: number, first: Buffer): number {
  let got = 0;
  while (got < first.length) {
    const n = readSync(fd, first, got, first.length - got, got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * Opens a file for scanning: its first bytes are read at once, the rest on demand (never all of it). A
 * file shorter than the first read needs no stat: the short read is its size.
 */
function openBlob(fd: number, first: Buffer, maxSize: number): Blob | undefined {
  const got = readFirst(fd, first);
  if (got < first.length) return got > maxSize ? undefined : new BufferBlob(first.subarray(0, got));
  const size = fstatSync(fd).size;
  if (size > maxSize) return undefined;
  return size <= got ? new BufferBlob(first.subarray(0, size)) : new FileBlob(fd, size, first);
}

/** `inconclusive` wins over `unsafe`: a file the scanner could not fully read is never cleared. */
export function verdictOf(findings: readonly ModelFinding[]): ScanVerdict {
  let unsafe = false;
  for (const f of findings) {
    const def: RuleDef | undefined = (RULES as Record<string, RuleDef>)[f.ruleId];
    if (def?.kind === 'inconclusive') return 'inconclusive';
    if (severityAtLeast(f.severity, 'medium')) unsafe = true;
  }
  return unsafe ? 'unsafe' : 'safe';
}

/** Scans one regular file by content. Never throws for hostile input; I/O errors become findings. */
export async function scanFile(
  path: string,
  displayPath: string = path,
  options: ScanOptions = {},
): Promise<FileScanResult> {
  return (await scanRegularFile(path, displayPath, options, Number.MAX_SAFE_INTEGER)) as FileScanResult;
}

/**
 * Like scanFile, for files up to `maxSize` bytes: a larger file is left unscanned (undefined) for the
 * caller to hand elsewhere, without a stat of its own.
 */
export function scanFileUpTo(path: string, maxSize: number): Promise<FileScanResult | undefined> {
  return scanRegularFile(path, path, {}, maxSize);
}

async function scanRegularFile(
  path: string,
  displayPath: string,
  options: ScanOptions,
  maxSize: number,
): Promise<FileScanResult | undefined> {
  const findings: ModelFinding[] = [];
  const limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const ctx: ScanContext = {
    findings,
    limits,
    depth: 0,
    inflated: { total: 0 },
    hooks: {
      signal: options.signal,
      onProgress: options.onProgress ? (b) => options.onProgress?.(displayPath, b) : undefined,
      yieldEveryMs: options.yieldEveryMs,
    },
    scanNested: scanBlob,
  };
  let format: FileScanResult['format'] = 'unknown';
  const pooled = bufferPool.pop() ?? Buffer.allocUnsafe(FIRST_READ);
  let fd: number | undefined;
  try {
    // Synchronous open and reads: a thread-pool round trip per call costs more than the call itself.
    fd = openSync(path, 'r');
    const blob = openBlob(fd, pooled, maxSize);
    if (blob === undefined) return undefined;
    format = await scanBlob(blob, displayPath, ctx, basename(path));
    if (format === 'unknown' && findings.length === 1 && findings[0]?.ruleId === 'format.unknown') {
      const declared = await declaredTensorData(path);
      if (declared !== undefined) {
        format = 'tensor-data';
        findings[0] = finding('tensor-data.declared', declared, displayPath);
      }
    }
  } catch (e: unknown) {
    if (e instanceof ScanAbortedError) throw e;
    if (e instanceof BlobTooLargeError) findings.push(finding('scan.limit-exceeded', e.message, displayPath));
    else findings.push(finding('scan.io-error', e instanceof Error ? e.message : String(e), displayPath));
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (bufferPool.length < 8) bufferPool.push(pooled);
  }
  return { path: displayPath, format, verdict: verdictOf(findings), findings };
}

/** Expands directories (symlinks are reported, never followed) into the files to scan. */
export async function expandPaths(paths: readonly string[]): Promise<Array<{ path: string; symlink?: boolean }>> {
  const out: Array<{ path: string; symlink?: boolean }> = [];
  const visitDir = async (p: string, depth: number): Promise<void> => {
    if (depth > 64) throw new Error(`directory nesting deeper than 64 at ${p}`);
    // Entry types come with the listing: no lstat per file.
    const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      const child = join(p, e.name);
      if (e.isSymbolicLink()) out.push({ path: child, symlink: true });
      else if (e.isDirectory()) await visitDir(child, depth + 1);
      else if (e.isFile()) out.push({ path: child });
    }
  };
  const visit = async (p: string): Promise<void> => {
    const st = await lstat(p);
    if (st.isSymbolicLink()) out.push({ path: p, symlink: true });
    else if (st.isDirectory()) await visitDir(p, 0);
    else if (st.isFile()) out.push({ path: p });
  };
  for (const p of paths) await visit(p);
  return out;
}

export function symlinkResult(path: string): FileScanResult {
  const findings = [finding('archive.symlink', 'symbolic link inside a scanned directory is not followed', path)];
  return { path, format: 'unknown', verdict: verdictOf(findings), findings };
}

export function summarize(results: FileScanResult[]): ScanReport {
  const summary = { scanned: results.length, safe: 0, unsafe: 0, inconclusive: 0 };
  for (const r of results) summary[r.verdict]++;
  return { results, summary };
}

/** Scans files and directories (recursively) in-process, `concurrency` files at a time. */
export async function scanPaths(paths: readonly string[], options: ScanOptions = {}): Promise<ScanReport> {
  const files = await expandPaths(paths);
  const results: FileScanResult[] = new Array<FileScanResult>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const f = files[i] as { path: string; symlink?: boolean };
      await paceEventLoop(options.yieldEveryMs);
      if (options.signal?.aborted) throw new ScanAbortedError();
      results[i] = f.symlink ? symlinkResult(f.path) : await scanFile(f.path, f.path, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return summarize(results);
}
