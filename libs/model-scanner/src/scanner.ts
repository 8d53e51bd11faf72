import { lstat, open, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { severityRank } from '@mlsecops/contracts';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BlobTooLargeError, BufferBlob, FileBlob } from './io/blob';
import { ScanAbortedError } from './io/byte-reader';
import { scanBlob } from './detect';
import { RULES, finding } from './rules';
import type { RuleDef } from './rules';
import { DEFAULT_SCAN_LIMITS } from './scan-context';
import type { ScanContext, ScanLimits } from './scan-context';
import type { FileScanResult, ModelFinding, ScanReport, ScanVerdict } from './scan-result';

export interface ScanOptions {
  limits?: Partial<ScanLimits>;
  signal?: AbortSignal;
  /** Bytes consumed so far in the current file (heartbeats, progress bars). */
  onProgress?: (path: string, bytes: number) => void;
  /** Files scanned at once (async I/O interleaving; CPU parallelism is the CLI's worker pool). */
  concurrency?: number;
}

const SMALL_FILE = 4 << 20;

/**
 * Read buffers for small files are reused: allocating one per file makes V8 count hundreds of MB of
 * external memory and run full collections. A buffer is handed back only when its scan has finished.
 */
const bufferPool: Buffer[] = [];

/** The whole file when it is small, else undefined (the caller streams it). */
function readSmallFile(path: string, buffer: () => Buffer): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > SMALL_FILE) return undefined;
    const buf = buffer();
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** `inconclusive` wins over `unsafe`: a file the scanner could not fully read is never cleared. */
export function verdictOf(findings: readonly ModelFinding[]): ScanVerdict {
  let unsafe = false;
  for (const f of findings) {
    const def: RuleDef | undefined = (RULES as Record<string, RuleDef>)[f.ruleId];
    if (def?.kind === 'inconclusive') return 'inconclusive';
    if (severityRank(f.severity) >= severityRank('medium')) unsafe = true;
  }
  return unsafe ? 'unsafe' : 'safe';
}

/** Scans one regular file by content. Never throws for hostile input; I/O errors become findings. */
export async function scanFile(path: string, displayPath: string = path, options: ScanOptions = {}): Promise<FileScanResult> {
  const findings: ModelFinding[] = [];
  const limits = { ...DEFAULT_SCAN_LIMITS, ...options.limits };
  const ctx: ScanContext = {
    findings,
    limits,
    depth: 0,
    inflated: { total: 0 },
    hooks: { signal: options.signal, onProgress: options.onProgress ? (b) => options.onProgress?.(displayPath, b) : undefined },
    scanNested: scanBlob,
  };
  let format: FileScanResult['format'] = 'unknown';
  let pooled: Buffer | undefined;
  try {
    // Small files (most of a model directory) are read in one synchronous go: three thread-pool round
    // trips per file (open, read, close) cost more than the bytes; the read blocks for a millisecond.
    const small = readSmallFile(path, () => (pooled = bufferPool.pop() ?? Buffer.allocUnsafe(SMALL_FILE)));
    if (small !== undefined) {
      format = await scanBlob(new BufferBlob(small), displayPath, ctx, basename(path));
    } else {
      const fh = await open(path, 'r');
      try {
        format = await scanBlob(new FileBlob(fh, 0, (await fh.stat()).size), displayPath, ctx, basename(path));
      } finally {
        await fh.close();
      }
    }
  } catch (e: unknown) {
    if (e instanceof ScanAbortedError) throw e;
    if (e instanceof BlobTooLargeError) findings.push(finding('scan.limit-exceeded', e.message, displayPath));
    else findings.push(finding('scan.io-error', e instanceof Error ? e.message : String(e), displayPath));
  } finally {
    if (pooled !== undefined && bufferPool.length < 8) bufferPool.push(pooled);
  }
  return { path: displayPath, format, verdict: verdictOf(findings), findings };
}

/** Expands directories (symlinks are reported, never followed) into the files to scan. */
export async function expandPaths(paths: readonly string[]): Promise<Array<{ path: string; symlink?: boolean }>> {
  const out: Array<{ path: string; symlink?: boolean }> = [];
  const visit = async (p: string, depth: number): Promise<void> => {
    const st = await lstat(p);
    if (st.isSymbolicLink()) {
      out.push({ path: p, symlink: true });
    } else if (st.isDirectory()) {
      if (depth > 64) throw new Error(`directory nesting deeper than 64 at ${p}`);
      const names = (await readdir(p)).sort();
      for (const n of names) await visit(join(p, n), depth + 1);
    } else if (st.isFile()) {
      out.push({ path: p });
    }
  };
  for (const p of paths) await visit(p, 0);
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
      results[i] = f.symlink ? symlinkResult(f.path) : await scanFile(f.path, f.path, options);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return summarize(results);
}
