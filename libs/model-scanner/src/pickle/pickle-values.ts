/** The value model, constants and operand decoders of the simulated pickle machine. */

// Value model of the simulated machine: only what matters for security is tracked (strings that may name
// a global, globals, small tuples of arguments, bytes that may be a nested pickle, dicts with dunder keys).
export const enum T {
  Opaque,
  Str,
  Bytes,
  Global,
  Tuple,
  Dict,
  Call,
  Int,
  Bool,
}
export type Value =
  | { t: T.Opaque }
  | { t: T.Str; v: string | undefined }
  | { t: T.Bytes; v: Buffer | undefined }
  | { t: T.Global; full: string }
  | { t: T.Tuple; items: Value[] | undefined }
  | { t: T.Dict; entries?: Map<string, Value> }
  | { t: T.Call; fn: string; arg0?: string }
  | { t: T.Int; v: number }
  | { t: T.Bool; v: boolean };

export const OPAQUE: Value = { t: T.Opaque };
/** Python's None: opaque like any other value, but told apart by identity where None changes the layout. */
export const NONE: Value = { t: T.Opaque };
export const OPAQUE_STR: Value = { t: T.Str, v: undefined };
export const OPAQUE_BYTES: Value = { t: T.Bytes, v: undefined };
export const TRUE: Value = { t: T.Bool, v: true };
export const FALSE: Value = { t: T.Bool, v: false };
/** joblib's wrappers of arrays whose bytes follow in the stream (joblib 0.10+, and sklearn's old copy). */
export const JOBLIB_ARRAY_WRAPPERS: ReadonlySet<string> = new Set([
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
]);
/** joblib's wrappers of arrays kept in companion files, loaded by path (joblib before 0.10). */
export const JOBLIB_FILE_WRAPPERS: ReadonlySet<string> = new Set([
  'joblib.numpy_pickle.NDArrayWrapper',
  'joblib.numpy_pickle.ZNDArrayWrapper',
  'joblib.numpy_pickle_compat.NDArrayWrapper',
  'joblib.numpy_pickle_compat.ZNDArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NDArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.ZNDArrayWrapper',
]);
/** A joblib wrapper: its BUILD state decides what the loader reads next. */
export function isJoblibWrapper(full: string): boolean {
  return JOBLIB_ARRAY_WRAPPERS.has(full) || JOBLIB_FILE_WRAPPERS.has(full);
}
export const OPAQUE_TUPLE: Value = { t: T.Tuple, items: undefined };
/** A dict whose items are not recorded (nothing reads them): one shared value. */
export const EMPTY_DICT: Value = { t: T.Dict };
export const EMPTY_TUPLE: Value = { t: T.Tuple, items: [] };
export const MAX_DECODED_STRING = 256;
export const MAX_MEMO_BYTES = 64 << 20;
export const MAX_TUPLE_ITEMS = 8;
export const HEAD = 16;

/** A set of non-negative integer keys: a growable bitset for dense keys, a Set for the rest. */
export class OpaqueKeys {
  private bits = new Uint8Array(1024);
  private sparse = new Set<number>();
  private static readonly DENSE_LIMIT = 1 << 27;
  private static readonly SPARSE_LIMIT = 1_000_000;
  has(k: number): boolean {
    if (k < OpaqueKeys.DENSE_LIMIT)
      return k >> 3 < this.bits.length && ((this.bits[k >> 3] as number) & (1 << (k & 7))) !== 0;
    return this.sparse.has(k);
  }
  /** False when the key cannot be tracked within the memory bounds. */
  add(k: number): boolean {
    if (k >= OpaqueKeys.DENSE_LIMIT) {
      if (this.sparse.size >= OpaqueKeys.SPARSE_LIMIT) return false;
      this.sparse.add(k);
      return true;
    }
    const i = k >> 3;
    if (i >= this.bits.length) {
      let n = this.bits.length;
      while (n <= i) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[i] = (this.bits[i] as number) | (1 << (k & 7));
    return true;
  }
  delete(k: number): void {
    if (k >= OpaqueKeys.DENSE_LIMIT) this.sparse.delete(k);
    else if (k >> 3 < this.bits.length) this.bits[k >> 3] = (this.bits[k >> 3] as number) & ~(1 << (k & 7));
  }
}

export function isDunder(s: string): boolean {
  return s.length > 4 && s.startsWith('__') && s.endsWith('__');
}

/** Decodes a protocol-0 STRING operand: a Python repr of a str, quotes included. */
export function decodeQuoted(raw: string): string | undefined {
  if (raw.length < 2) return undefined;
  const q = raw[0];
  if ((q !== "'" && q !== '"') || raw[raw.length - 1] !== q) return undefined;
  const body = raw.slice(1, -1);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    const map: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    return map[e] ?? `\\${e}`;
  });
}

/** Decodes a protocol-0 UNICODE operand (raw-unicode-escape). */
export function decodeRawUnicode(b: Buffer): string {
  const s = b.toString('latin1');
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4: string | undefined, u8: string | undefined) =>
    String.fromCodePoint(parseInt(u4 ?? u8 ?? '0', 16)),
  );
}

/** Bytes per element of a numpy dtype kind and size (`f4`, `U10`...); undefined when unknown. */
export function itemSize(kind: string, digits: string): number | undefined {
  const n = digits === '' ? undefined : Number(digits);
  switch (kind) {
    case 'b':
    case 'i':
    case 'u':
    case 'f':
    case 'c':
    case 'S':
    case 'V':
    case 'a':
    case 'm':
    case 'M':
      return n ?? (kind === 'b' ? 1 : undefined);
    case '?':
      return 1;
    case 'U':
      return n === undefined ? undefined : n * 4;
    default:
      return undefined;
  }
}

/** True when a tuple may carry something that matters later (bytes for a deserializer, a callable). */
export function carriesCode(items: Value[]): boolean {
  for (const x of items) if (x.t === T.Bytes || x.t === T.Global) return true;
  return false;
}

// Small ints are shared, not allocated per opcode (BININT1 dominates real pickles).
const SMALL_INTS: Value[] = Array.from({ length: 256 }, (_, v) => ({ t: T.Int, v }));

/** The value of a non-negative int operand (shared below 256). */
export function smallInt(v: number): Value {
  return SMALL_INTS[v] ?? { t: T.Int, v };
}

export const INT_LINE = /^[+-]?\d+L?$/;
export const FLOAT_LINE = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|nan|infinity)$/i;
export const DECIMAL = /^\d+$/;
