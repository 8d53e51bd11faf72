import { PickleError } from './pickle-context';
import type { PickleState } from './pickle-state';
import { textLine } from './pickle-operands';
import {
  decodeQuoted,
  decodeRawUnicode,
  DECIMAL,
  FALSE,
  FLOAT_LINE,
  INT_LINE,
  MAX_DECODED_STRING,
  OPAQUE,
  OPAQUE_STR,
  T,
  TRUE,
} from './pickle-values';

/**
 * Protocol-0 opcodes whose operand is a text line: INT, LONG, FLOAT, STRING, UNICODE, GET, PUT, PERSID.
 * Operands the unpickler would reject end the run; values are pushed like the binary opcodes'.
 */
export async function textOpcode(m: PickleState, op: number): Promise<void> {
  if (op === 0x56) {
    // UNICODE: raw-unicode-escape, not latin1 text.
    const line = await m.r.line(m.ctx.limits.maxLineBytes);
    if (line === undefined) throw new PickleError('line operand too long');
    m.push(line.length > MAX_DECODED_STRING ? OPAQUE_STR : { t: T.Str, v: decodeRawUnicode(line) });
    return;
  }
  const t = textLine(m);
  const l = typeof t === 'string' ? t : await t;
  switch (op) {
    case 0x49: // INT
      if (!INT_LINE.test(l)) throw new PickleError('invalid INT operand');
      m.push(l === '01' ? TRUE : l === '00' ? FALSE : { t: T.Int, v: Number(l) });
      return;
    case 0x4c: // LONG
      if (!INT_LINE.test(l)) throw new PickleError('invalid LONG operand');
      m.push(OPAQUE);
      return;
    case 0x46: // FLOAT
      if (!FLOAT_LINE.test(l.trim())) throw new PickleError('invalid FLOAT operand');
      m.push(OPAQUE);
      return;
    case 0x53: {
      // STRING
      const s = decodeQuoted(l);
      if (s === undefined) throw new PickleError('STRING operand is not quoted');
      m.push(s.length > MAX_DECODED_STRING ? OPAQUE_STR : { t: T.Str, v: s });
      return;
    }
    case 0x67: // GET
      if (!DECIMAL.test(l)) throw new PickleError('invalid GET operand');
      m.push(m.memo.get(Number(l)));
      return;
    case 0x70: // PUT
      if (!DECIMAL.test(l)) throw new PickleError('invalid PUT operand');
      m.memo.put(Number(l), m.top());
      return;
    default:
      // PERSID: resolved by the loader's persistent_load (PyTorch storages).
      m.push(OPAQUE);
  }
}
