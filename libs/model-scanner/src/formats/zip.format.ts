import { BombError, InflateBlob, SliceBlob, head } from '../io/blob';
import type { Blob } from '../io/blob';
import { crc32 } from '../io/crc32';
import { couldStartPickle } from '../pickle/pickle-vm';
import { finding } from '../rules';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';
import { analyseKerasConfig } from './keras.format';
import { scanNpy } from './numpy.format';
import { scanPickleBlob } from './pickle.format';

export interface ZipEntry {
  name: string;
  nameRaw: Buffer;
  versionMadeBy: number;
  flags: number;
  method: number;
  crc: number;
  compSize: number;
  size: number;
  localOffset: number;
  externalAttr: number;
}

// General-purpose bits a normal writer sets: 1-2 deflate options, 3 data descriptor, 11 UTF-8 names.
const ORDINARY_FLAGS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 11);
// Tensor payloads are never read: CRCs are checked for every member parsed as a pickle or a config, and
// for every member up to this size whatever it holds (docs/adr/0104).
const CRC_ALWAYS_UP_TO = 4 << 10;
const PICKLE_FORMATS: ReadonlySet<ModelFormat> = new Set(['pickle', 'joblib', 'pytorch-legacy']);

class ZipFormatError extends Error {}

// The end record is the last 22 bytes unless the archive has a comment (up to 64 KiB); a tail of this
// size usually holds the whole central directory of a model file too.
const TAIL = 8 << 10;

async function findEocd(blob: Blob): Promise<{ at: number; buf: Buffer; base: number }> {
  for (const want of [TAIL, 65_557]) {
    const len = Math.min(blob.size, want);
    const base = blob.size - len;
    const buf = await blob.read(base, len);
    for (let i = buf.length - 22; i >= 0; i--) {
      if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) <= buf.length)
        return { at: i, buf, base };
    }
    if (len === blob.size) break;
  }
  throw new ZipFormatError('end of central directory not found');
}

/** Reads the central directory (zip64 aware). Throws ZipFormatError on a structure no loader could use. */
export async function readCentralDirectory(blob: Blob, maxBytes: number, maxEntries: number): Promise<ZipEntry[]> {
  const { at, buf, base } = await findEocd(blob);
  let count = buf.readUInt16LE(at + 10);
  let cdSize = buf.readUInt32LE(at + 12);
  let cdOffset = buf.readUInt32LE(at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = at - 20;
    const locator = loc >= 0 ? buf.subarray(loc, at) : await blob.read(base + loc, 20);
    if (locator.length < 20 || locator.readUInt32LE(0) !== 0x07064b50)
      throw new ZipFormatError('zip64 locator missing');
    const z64 = await blob.read(Number(locator.readBigUInt64LE(8)), 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('zip64 end record missing');
    count = Number(z64.readBigUInt64LE(32));
    cdSize = Number(z64.readBigUInt64LE(40));
    cdOffset = Number(z64.readBigUInt64LE(48));
  }
  if (count > maxEntries)
    throw new ZipFormatError(`archive declares ${count} members, over the limit of ${maxEntries}`);
  if (cdSize > maxBytes || cdOffset + cdSize > blob.size) throw new ZipFormatError('central directory out of bounds');
  const cd =
    cdOffset >= base ? buf.subarray(cdOffset - base, cdOffset - base + cdSize) : await blob.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50) {
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length)
      throw new ZipFormatError('central directory entry truncated');
    // A view, not a copy: entries live only while this archive is scanned, and so does the buffer.
    const nameRaw = cd.subarray(p + 46, p + 46 + nameLen);
    const e: ZipEntry = {
      nameRaw,
      name: nameRaw.toString('utf8'),
      versionMadeBy: cd.readUInt16LE(p + 4),
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      externalAttr: cd.readUInt32LE(p + 38),
      localOffset: cd.readUInt32LE(p + 42),
    };
    // zip64 extended information: only the fields saturated in the fixed header, in this order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = cd.readUInt16LE(x);
      const sz = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const next = (): number => {
          if (q + 8 > x + 4 + sz) throw new ZipFormatError('zip64 extra field truncated');
          const v = Number(cd.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (e.size === 0xffffffff) e.size = next();
        if (e.compSize === 0xffffffff) e.compSize = next();
        if (e.localOffset === 0xffffffff) e.localOffset = next();
      }
      x += 4 + sz;
    }
    entries.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (entries.length !== count)
    throw new ZipFormatError(`central directory lists ${entries.length} members, end record says ${count}`);
  return entries;
}

function isTraversal(name: string): boolean {
  if (name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[a-zA-Z]:/.test(name)) return true;
  // Most names have no "..": the split is for the few that do.
  return name.includes('..') && name.split('/').includes('..');
}

function isSymlink(e: ZipEntry): boolean {
  return e.versionMadeBy >> 8 === 3 && ((e.externalAttr >>> 16) & 0xf000) === 0xa000;
}

type ZipKind = 'pytorch-zip' | 'numpy-npz' | 'keras-v3' | 'zip';

function classify(entries: ZipEntry[]): ZipKind {
  const files = entries.filter((e) => !e.name.endsWith('/'));
  if (files.some((e) => /(^|\/)data\.pkl$/.test(e.name))) return 'pytorch-zip';
  const names = new Set(files.map((e) => e.name));
  if (names.has('config.json') && (names.has('metadata.json') || names.has('model.weights.h5'))) return 'keras-v3';
  if (files.length > 0 && files.every((e) => e.name.endsWith('.npy'))) return 'numpy-npz';
  return 'zip';
}

async function memberCrc(blob: Blob): Promise<number> {
  let c = 0;
  for await (const chunk of blob.stream()) c = crc32(chunk, c);
  return c;
}

/**
 * Reads a zip the way PyTorch's loader does (central directory, then each local header), reporting every
 * disagreement between the two, unusual flags, bad CRCs and unreadable members instead of skipping them,
 * and scans every member by content whatever its name.
 */
export async function scanZip(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  let entries: ZipEntry[];
  try {
    entries = await readCentralDirectory(blob, ctx.limits.maxInMemory, ctx.limits.maxArchiveMembers);
  } catch (e: unknown) {
    if (!(e instanceof ZipFormatError)) throw e;
    ctx.findings.push(finding('zip.malformed', e.message, location));
    return 'zip';
  }
  const kind = classify(entries);
  const seen = new Set<string>();
  for (const e of entries) {
    const loc = `${location}!${e.name}`;
    if (seen.has(e.name))
      ctx.findings.push(finding('zip.duplicate-name', `member "${e.name}" appears more than once`, loc));
    seen.add(e.name);
    if (isTraversal(e.name))
      ctx.findings.push(finding('archive.path-traversal', `member path "${e.name}" escapes the archive`, loc));
    if (isSymlink(e)) ctx.findings.push(finding('archive.symlink', `member "${e.name}" is a symbolic link`, loc));
    if ((e.flags & ~ORDINARY_FLAGS) !== 0) {
      ctx.findings.push(
        finding('zip.flag-bits', `general-purpose flags 0x${e.flags.toString(16)} (encryption or reserved bits)`, loc),
      );
    }
    try {
      const member = await openMember(blob, e, loc, ctx);
      if (member === undefined || e.name.endsWith('/')) continue;
      const parsed = await scanMember(kind, member, e, loc, ctx);
      if (parsed || e.size <= CRC_ALWAYS_UP_TO) {
        const actual = await memberCrc(member);
        if (actual !== e.crc) {
          ctx.findings.push(
            finding('zip.crc-mismatch', `CRC-32 is 0x${actual.toString(16)}, headers say 0x${e.crc.toString(16)}`, loc),
          );
        }
      }
    } catch (err: unknown) {
      if (err instanceof BombError) ctx.findings.push(finding('archive.bomb', err.message, loc));
      else if (isZlibError(err)) {
        ctx.findings.push(finding('zip.malformed', `member cannot be read: ${err.message}`, loc));
      } else throw err;
    }
  }
  return kind;
}

/** zlib failures (checked by code, not instanceof: they may come from another realm). */
function isZlibError(e: unknown): e is { message: string } {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  return (
    typeof message === 'string' &&
    ((typeof code === 'string' && code.startsWith('Z_')) || /unexpected end of file/i.test(message))
  );
}

/** Checks the local header against the central directory and returns the member's content. */
async function openMember(blob: Blob, e: ZipEntry, loc: string, ctx: ScanContext): Promise<Blob | undefined> {
  const lh = await blob.read(e.localOffset, 30);
  if (lh.length < 30 || lh.readUInt32LE(0) !== 0x04034b50) {
    ctx.findings.push(finding('zip.malformed', `no local header at offset ${e.localOffset}`, loc));
    return undefined;
  }
  const nameLen = lh.readUInt16LE(26);
  const extraLen = lh.readUInt16LE(28);
  const localName = await blob.read(e.localOffset + 30, nameLen);
  if (!localName.equals(e.nameRaw)) {
    ctx.findings.push(
      finding(
        'zip.name-mismatch',
        `local header names "${localName.toString('utf8')}", central directory "${e.name}"`,
        loc,
      ),
    );
  }
  const localFlags = lh.readUInt16LE(6);
  if (localFlags !== e.flags && (localFlags & ~ORDINARY_FLAGS) !== 0) {
    ctx.findings.push(
      finding(
        'zip.flag-bits',
        `local header flags 0x${localFlags.toString(16)} differ from the central directory`,
        loc,
      ),
    );
  }
  if (lh.readUInt16LE(8) !== e.method) {
    ctx.findings.push(
      finding('zip.malformed', 'local header and central directory disagree on the compression method', loc),
    );
  }
  const dataStart = e.localOffset + 30 + nameLen + extraLen;
  if (dataStart + e.compSize > blob.size) {
    ctx.findings.push(finding('zip.malformed', 'member data runs past the end of the archive', loc));
    return undefined;
  }
  const raw = new SliceBlob(blob, dataStart, e.compSize);
  if (e.method === 0) return raw;
  if (e.method !== 8) {
    ctx.findings.push(finding('zip.malformed', `unsupported compression method ${e.method}`, loc));
    return undefined;
  }
  const ratio = e.size / Math.max(1, e.compSize);
  ctx.inflated.total += e.size;
  if (
    e.size > ctx.limits.maxMemberInflated ||
    (e.size > ctx.limits.bombMinSize && ratio > ctx.limits.maxCompressionRatio) ||
    ctx.inflated.total > ctx.limits.maxTotalInflated
  ) {
    ctx.findings.push(finding('archive.bomb', `member inflates to ${e.size} bytes (ratio ${ratio.toFixed(0)}:1)`, loc));
    return undefined;
  }
  // Inflated on demand: a sniff or an `.npy` header inflates a prefix only; small members that are read
  // in full are inflated once, and parsing and the CRC share that buffer.
  return new InflateBlob(raw, e.size, e.size, ctx.limits.maxInMemory, ctx.hooks.signal);
}

/**
 * Scans one member by content and the archive kind; true when its whole content was parsed as a pickle
 * or a config (the CRC is then checked whatever the size), false when only its first bytes were read.
 */
async function scanMember(kind: ZipKind, member: Blob, e: ZipEntry, loc: string, ctx: ScanContext): Promise<boolean> {
  const nested = async (): Promise<boolean> =>
    PICKLE_FORMATS.has(await ctx.scanNested(member, loc, { ...ctx, depth: ctx.depth + 1 }, e.name));
  switch (kind) {
    case 'pytorch-zip':
      if (e.name.endsWith('.pkl')) {
        await scanPickleBlob(member, loc, ctx, 'declared', await head(member, 16));
        return true;
      }
      if (/\/data\/[^/]+$/.test(e.name)) {
        // Tensor storage: only a pickle hidden under a storage name is of interest, never the payload.
        const h = await head(member, 16);
        if (h.length === 0 || !couldStartPickle(h[0] as number, h[1])) return false;
        return (await scanPickleBlob(member, loc, ctx, 'sniff', h)) !== undefined;
      }
      return nested();
    case 'numpy-npz': {
      const mark = ctx.findings.length;
      await scanNpy(member, loc, ctx);
      // An object array's payload is a pickle, parsed to its end.
      return ctx.findings.slice(mark).some((f) => f.ruleId === 'numpy.object-array');
    }
    case 'keras-v3':
      if (e.name === 'config.json') {
        await analyseKerasConfig(member, loc, ctx);
        return true;
      }
      return nested();
    case 'zip':
      return nested();
  }
}
