import { PickleError } from './pickle-context';
import type { PickleState } from './pickle-state';
import { EMPTY_TUPLE, itemSize, T } from './pickle-values';
import type { Value } from './pickle-values';

/**
 * joblib writes each numpy array's raw bytes straight into the stream after its NumpyArrayWrapper's
 * BUILD (object arrays as a nested pickle). Skip exactly that many bytes, or fail closed.
 */
export async function joblibArray(m: PickleState, state: Value, offset: number): Promise<void> {
  const e = state.t === T.Dict ? state.entries : undefined;
  const dtype = e?.get('dtype');
  const shape = e?.get('shape');
  const mmap = e?.get('allow_mmap');
  const spec = dtype?.t === T.Call && dtype.fn === 'numpy.dtype' ? dtype.arg0 : undefined;
  if (spec === undefined || shape?.t !== T.Tuple || (shape.items === undefined && shape !== EMPTY_TUPLE)) {
    throw new PickleError('joblib array wrapper with a dtype or shape the scanner cannot size');
  }
  const r = m.r;
  if (mmap?.t === T.Bool && mmap.v) {
    await r.need(1);
    const pad = r.buf[r.pos++] as number;
    await r.skip(pad);
  }
  const match = /^[<>|=]?([a-zA-Z])(\d*)$/.exec(spec);
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
