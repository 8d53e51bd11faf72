import { ByteReader } from '../io/byte-reader';
import { finding } from '../rules';
import { NESTED_DESERIALIZERS } from './global-policy';
import type { PickleState } from './pickle-state';
import { isDunder, OPAQUE, OPAQUE_BYTES, T } from './pickle-values';
import type { Value } from './pickle-values';

// What calls (REDUCE, NEWOBJ, OBJ, INST) and stores (SETITEM(S), DICT) mean for security: arguments of
// deserializers are analysed as nested pickles, dunder keys are reported.

async function nested(m: PickleState, bytes: Buffer, via: string, offset: number): Promise<void> {
  const location = `${m.loc(offset)}>nested`;
  m.ctx.findings.push(finding('pickle.nested-pickle', `embedded serialized bytes passed to ${via}`, m.loc(offset)));
  if (m.ctx.depth + 1 > m.ctx.limits.maxNestedDepth) {
    m.ctx.findings.push(finding('scan.limit-exceeded', 'nested pickle depth limit reached', location));
    return;
  }
  await m.subPickle(new ByteReader(bytes), { ...m.ctx, location, depth: m.ctx.depth + 1 });
}

function callResult(fn: { t: T.Global; full: string }, args: Value): Value {
  if (fn.full === '_codecs.encode' && args.t === T.Tuple && args.items?.[0]?.t === T.Str) {
    const s = args.items[0].v;
    // Protocol 2 spells bytes as _codecs.encode(str, 'latin1'); keep them, they may be a nested pickle.
    return s === undefined ? OPAQUE_BYTES : { t: T.Bytes, v: Buffer.from(s, 'latin1') };
  }
  const a0 = args.t === T.Tuple ? args.items?.[0] : undefined;
  return { t: T.Call, fn: fn.full, arg0: a0?.t === T.Str ? a0.v : undefined };
}

/** A call of `fn` with `args`: its result value; bytes passed to a deserializer are analysed first. */
export function reduce(m: PickleState, fn: Value, args: Value, offset: number): Value | Promise<Value> {
  if (fn.t !== T.Global) return OPAQUE;
  if (NESTED_DESERIALIZERS.has(fn.full) && args.t === T.Tuple && args.items) {
    const payloads = args.items.filter((a): a is { t: T.Bytes; v: Buffer } => a.t === T.Bytes && a.v !== undefined);
    if (payloads.length > 0) {
      return (async () => {
        for (const a of payloads) await nested(m, a.v, fn.full, offset);
        return callResult(fn, args);
      })();
    }
  }
  return callResult(fn, args);
}

/** Keys that overwrite object attributes or globals (`__builtins__`, `__reduce__`...) are reported. */
export function setKey(m: PickleState, key: Value, offset: number): void {
  if (key.t === T.Str && key.v !== undefined && isDunder(key.v)) {
    m.ctx.findings.push(
      finding('pickle.dunder-overwrite', `sets key "${key.v}" (object attributes or globals)`, m.loc(offset)),
    );
  }
}

/** Dicts that record their items (joblib array specs) keep the first few string-keyed entries. */
export function record(target: Value, key: Value, value: Value): void {
  if (target.t === T.Dict && target.entries && key.t === T.Str && key.v !== undefined && target.entries.size < 32) {
    target.entries.set(key.v, value);
  }
}
