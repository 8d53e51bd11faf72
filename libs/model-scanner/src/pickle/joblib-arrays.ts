import { finding } from '../rules';
import { PickleError } from './pickle-context';
import type { PickleState } from './pickle-state';
import { EMPTY_TUPLE, NONE, itemSize, T } from './pickle-values';
import type { Value } from './pickle-values';

/**
 * joblib writes each numpy array's raw bytes straight into the stream after its NumpyArrayWrapper's
 * BUILD (object arrays as a nested pickle). Skip exactly that many bytes, or fail closed.
 *
 * Before the bytes of a numeric array comes a padding-length byte and that much padding exactly when the
 * wrapper has a `numpy_array_alignment_bytes` attribute that is not None, as joblib's `read_array` reads
 * it: joblib 0.12 and later write it (None when the file could not `tell()`), joblib 0.10 and 0.11 did
 * not. Whether the array may be memory-mapped (`allow_mmap`) does not decide it.
 */
export async function joblibArray(m: PickleState, state: Value, offset: number): Promise<void> {
  const e = state.t === T.Dict ? state.entries : undefined;
  const dtype = e?.get('dtype');
  const shape = e?.get('shape');
  const alignment = e?.get('numpy_array_alignment_bytes');
  const spec = dtype?.t === T.Call && dtype.fn === 'numpy.dtype' ? dtype.arg0 : undefined;
  if (spec === undefined || shape?.t !== T.Tuple || (shape.items === undefined && shape !== EMPTY_TUPLE)) {
    throw new PickleError('joblib array wrapper with a dtype or shape the scanner cannot size');
  }
  const r = m.r;
  const match = /^[<>|=]?([a-zA-Z])(\d*)$/.exec(spec);
  if (match?.[1] !== 'O' && alignment !== undefined && alignment !== NONE) {
    await r.need(1);
    const pad = r.buf[r.pos++] as number;
    await r.skip(pad);
  }
  if (match?.[1] === 'O') {
    const sub = await m.subPickle(r, { ...m.ctx, location: `${m.loc(offset)}>object-array` });
    if (!sub.complete) throw new PickleError('joblib object array pickle is incomplete');
    return;
  }
  const size = match ? itemSize(match[1] as string, match[2] ?? '') : undefined;
  let count = 1;
  for (const d of shape.items ?? []) {
    if (d.t !== T.Int || d.v < 0) throw new PickleError('joblib array shape is not a tuple of integers');
    count *= d.v;
  }
  if (size === undefined || !Number.isSafeInteger(count * size))
    throw new PickleError(`joblib array dtype "${spec}" cannot be sized`);
  await r.skip(count * size);
}

/**
 * joblib before 0.10 kept each array in a companion file and its pickle names it (NDArrayWrapper,
 * ZNDArrayWrapper). The loader joins that name to the pickle's directory and runs `numpy.load` on it with
 * `allow_pickle=True`: a companion holding an object array runs its own pickle, and an absolute or
 * escaping name reaches any file on the machine (os.path.join keeps an absolute second part). A plain
 * name is reported low (scan the companion with the pickle); anything else blocks.
 */
export function joblibCompanionFile(m: PickleState, state: Value, offset: number): void {
  const name = state.t === T.Dict ? state.entries?.get('filename') : undefined;
  const at = m.loc(offset);
  if (name?.t !== T.Str || name.v === undefined) {
    m.ctx.findings.push(
      finding(
        'pickle.joblib-companion-file',
        'joblib loads a NumPy file whose name the scanner cannot read',
        at,
        'high',
      ),
    );
    return;
  }
  const path = name.v;
  const segments = path.split(/[\\/]/);
  const escapes =
    path.startsWith('/') ||
    path.startsWith('\\') ||
    /^[a-zA-Z]:/.test(path) ||
    path.includes('\0') ||
    segments.includes('..');
  m.ctx.findings.push(
    escapes
      ? finding(
          'pickle.joblib-companion-file',
          `joblib loads "${path}" with numpy.load(allow_pickle=True), outside the pickle's directory`,
          at,
          'critical',
        )
      : finding(
          'pickle.joblib-companion-file',
          `joblib loads the companion file "${path}" with numpy.load(allow_pickle=True): scan it with this file`,
          at,
          'low',
        ),
  );
}
