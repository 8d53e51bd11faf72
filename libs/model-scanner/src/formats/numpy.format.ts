import { analysePickles } from '../pickle/pickle-vm';
import { head } from '../io/blob';
import type { Blob } from '../io/blob';
import { finding } from '../rules';
import { pickleContext, readerFor } from '../scan-context';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';

export const NPY_MAGIC = Buffer.from('\x93NUMPY', 'latin1');

/**
 * `.npy`: magic, version, a Python-literal header dict. Object dtypes (`|O`, or structured dtypes with an
 * object field) store the array as a pickle right after the header, which np.load(allow_pickle=True) runs.
 */
export async function scanNpy(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  const h = await head(blob, 12);
  if (h.length < 10 || !h.subarray(0, 6).equals(NPY_MAGIC)) {
    ctx.findings.push(finding('numpy.malformed', 'not an .npy header', location));
    return 'numpy-npy';
  }
  const major = h[6] as number;
  const lenBytes = major === 1 ? 2 : 4;
  if (major < 1 || major > 3 || h.length < 8 + lenBytes) {
    ctx.findings.push(finding('numpy.malformed', `unsupported .npy version ${major}`, location));
    return 'numpy-npy';
  }
  const headerLen = lenBytes === 2 ? h.readUInt16LE(8) : h.readUInt32LE(8);
  const start = 8 + lenBytes;
  if (headerLen > 1 << 20 || start + headerLen > blob.size) {
    ctx.findings.push(finding('numpy.malformed', `header length ${headerLen} is out of bounds`, location));
    return 'numpy-npy';
  }
  const header = (await head(blob, start + headerLen)).subarray(start).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /['"]descr['"]\s*:\s*(\[.*\]|'[^']*'|"[^"]*")/s.exec(header)?.[1];
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shape === undefined || !/^\s*\{/.test(header)) {
    ctx.findings.push(finding('numpy.malformed', 'header dict lacks descr or shape', location));
    return 'numpy-npy';
  }
  if (/['"][|<>=]?O\d*['"]/.test(descr)) {
    ctx.findings.push(finding('numpy.object-array', `object dtype ${descr}: the array is a pickle`, location));
    await analysePickles(
      readerFor(blob, ctx, start + headerLen),
      pickleContext(ctx, `${location}+${start + headerLen}`),
      {
        mode: 'declared',
        maxPickles: 1,
      },
    );
  }
  return 'numpy-npy';
}
