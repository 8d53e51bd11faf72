import { SliceBlob } from '../io/blob';
import type { Blob } from '../io/blob';
import { finding } from '../rules';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';
import { scanPickleBlob } from './pickle.format';
import { head } from '../io/blob';

export function looksLikeTar(h: Buffer): boolean {
  return h.length >= 263 && h.toString('latin1', 257, 262) === 'ustar';
}

function octal(b: Buffer): number {
  if (((b[0] as number) & 0x80) !== 0) {
    let v = 0;
    for (let i = 1; i < b.length; i++) v = v * 256 + (b[i] as number);
    return v;
  }
  const s = b.toString('latin1').replace(/\0.*$/s, '').trim();
  return s === '' ? 0 : parseInt(s, 8);
}

const LEGACY_TORCH_MEMBERS = new Set(['sys_info', 'pickle', 'storages', 'tensors']);

/** Tar (ustar, GNU long names, pax): every member scanned; links and escaping paths reported. */
export async function scanTar(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  let off = 0;
  let longName: string | undefined;
  let members = 0;
  const names: string[] = [];
  const work: Array<{ name: string; blob: Blob; loc: string }> = [];
  while (off + 512 <= blob.size) {
    const h = await blob.read(off, 512);
    if (h.every((b) => b === 0)) break;
    if (++members > ctx.limits.maxArchiveMembers) {
      ctx.findings.push(finding('scan.limit-exceeded', 'too many tar members', location));
      break;
    }
    const prefix = h.toString('utf8', 345, 500).replace(/\0.*$/s, '');
    const base = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const name = longName ?? (prefix ? `${prefix}/${base}` : base);
    longName = undefined;
    const size = octal(h.subarray(124, 136));
    const type = String.fromCharCode(h[156] as number);
    const dataStart = off + 512;
    if (!Number.isSafeInteger(size) || dataStart + size > blob.size) {
      ctx.findings.push(
        finding('zip.malformed', `tar member "${name}" runs past the end of the archive`, `${location}!${name}`),
      );
      break;
    }
    const loc = `${location}!${name}`;
    if (type === 'L') {
      longName = (await blob.read(dataStart, Math.min(size, 65_536))).toString('utf8').replace(/\0.*$/s, '');
    } else if (type === '1' || type === '2') {
      const target = h.toString('utf8', 157, 257).replace(/\0.*$/s, '');
      ctx.findings.push(finding('archive.symlink', `member "${name}" links to "${target}"`, loc));
    } else if (type === '0' || type === '\0' || type === '7') {
      if (name.startsWith('/') || name.split('/').includes('..')) {
        ctx.findings.push(finding('archive.path-traversal', `member path "${name}" escapes the archive`, loc));
      }
      names.push(name);
      work.push({ name, blob: new SliceBlob(blob, dataStart, size), loc });
    }
    off = dataStart + Math.ceil(size / 512) * 512;
  }
  const legacyTorch = names.includes('pickle') && names.every((n) => LEGACY_TORCH_MEMBERS.has(n));
  for (const w of work) {
    if (legacyTorch) {
      await scanPickleBlob(w.blob, w.loc, ctx, 'declared', await head(w.blob, 16));
    } else {
      await ctx.scanNested(w.blob, w.loc, { ...ctx, depth: ctx.depth + 1 }, w.name);
    }
  }
  return legacyTorch ? 'pytorch-tar' : 'tar';
}
