import { analysePickles } from '../pickle/pickle-vm';
import type { Blob } from '../io/blob';
import { pickleContext, readerFor } from '../scan-context';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';

/** The first bytes of a legacy (pre-zip) torch.save file: PROTO 2, LONG1 of the magic number 0x1950a86a20f9469cfc6c. */
const TORCH_LEGACY_MAGIC = Buffer.from('80028a0a6cfc9c46f9206aa85019', 'hex');

export function isTorchLegacy(headBytes: Buffer): boolean {
  return headBytes.subarray(0, TORCH_LEGACY_MAGIC.length).equals(TORCH_LEGACY_MAGIC);
}

/**
 * Scans a pickle stream. `declared` when the container or the leading PROTO says it is a pickle (every
 * parse failure is inconclusive); `sniff` for bytes that merely could be one. Returns undefined when a
 * sniffed stream turned out not to be a pickle.
 */
export async function scanPickleBlob(
  blob: Blob,
  location: string,
  ctx: ScanContext,
  mode: 'declared' | 'sniff',
  headBytes: Buffer,
): Promise<ModelFormat | undefined> {
  const legacy = isTorchLegacy(headBytes);
  const pctx = pickleContext(ctx, location);
  // Legacy torch.save: magic, protocol, sys_info, the object, storage keys; then raw storage bytes.
  const { pickles, outcomes } = await analysePickles(readerFor(blob, ctx), pctx, {
    mode: legacy ? 'declared' : mode,
    maxPickles: legacy ? 5 : undefined,
  });
  if (pickles === 0 && mode === 'sniff' && outcomes.every((o) => o.globals === 0 && o.error !== undefined))
    return undefined;
  if (legacy) return 'pytorch-legacy';
  return outcomes.some((o) => o.referenced.has('joblib.numpy_pickle.NumpyArrayWrapper')) ? 'joblib' : 'pickle';
}
