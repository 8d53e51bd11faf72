const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** What {@link parseCanonicalNumber} found. */
export const enum ByteNumber {
  /** Not a number in canonical form: decode the field and classify the text instead. */
  None = 0,
  Integer = 1,
  /** A number with a fraction (`cellKind`'s `number`). */
  Fraction = 2,
}

let value = 0;

/** The value of the field {@link parseCanonicalNumber} last accepted. */
export function parsedByteNumber(): number {
  return value;
}

/**
 * Reads a CSV field straight from its bytes when it is a number written exactly as JavaScript's
 * `String(value)` writes it: optional `-`, no leading zeros, at most 15 significant digits, a fraction
 * without trailing zeros, no exponent, magnitude from 1e-6 up. For such fields the text is fully
 * determined by the value, so the scan can count the value as a category (`String(value)`) and skip
 * building a string per cell, which is most of the cost of reading numeric columns.
 *
 * The value is computed exactly as `textKind` does (mantissa / 10^k, both exact doubles, one correctly
 * rounded division), so it equals `Number(text)`. Every other spelling returns `None` and takes the
 * text path, which gives the same answers more slowly.
 */
export function parseCanonicalNumber(bytes: Uint8Array, start: number, end: number): ByteNumber {
  let i = start;
  let c = bytes[i] as number;
  const negative = c === MINUS;
  if (negative) c = bytes[++i] as number;
  if (i >= end || c < ZERO || c > NINE) return ByteNumber.None;
  // A leading zero is canonical only as the whole integer part ("0" or "0.xxx").
  const leadingZero = c === ZERO;
  let mant = 0;
  let digits = 0;
  while (i < end && (c = bytes[i] as number) >= ZERO && c <= NINE) {
    mant = mant * 10 + (c - ZERO);
    digits++;
    i++;
  }
  if (leadingZero && digits > 1) return ByteNumber.None;
  if (i === end) {
    if (digits > 15 || (negative && mant === 0)) return ByteNumber.None;
    value = negative ? -mant : mant;
    return ByteNumber.Integer;
  }
  if (c !== DOT) return ByteNumber.None;
  i++;
  const fractionStart = i;
  while (i < end && (c = bytes[i] as number) >= ZERO && c <= NINE) {
    mant = mant * 10 + (c - ZERO);
    i++;
  }
  const fraction = i - fractionStart;
  if (i !== end || fraction === 0 || c === ZERO || digits + fraction > 15) return ByteNumber.None;
  // "0.0000001" is printed as "1e-7": below 1e-6 the text is not String(value).
  if (leadingZero && mant < (POW10[fraction - 6] ?? 1)) return ByteNumber.None;
  const v = mant / (POW10[fraction] as number);
  value = negative ? -v : v;
  return ByteNumber.Fraction;
}
