import { TruncatedError } from '../io/byte-reader';
import { PickleError } from './pickle-context';
import { reduce, record, setKey } from './pickle-calls';
import { extension, globalOperands, importGlobal, stackGlobal } from './pickle-globals';
import { binaryPayload, fixed, skipThen } from './pickle-operands';
import type { PickleState } from './pickle-state';
import { textOpcode } from './pickle-text-ops';
import { joblibArray, joblibCompanionFile } from './joblib-arrays';
import {
  EMPTY_DICT,
  EMPTY_TUPLE,
  FALSE,
  HEAD,
  JOBLIB_ARRAY_WRAPPERS,
  JOBLIB_FILE_WRAPPERS,
  MAX_TUPLE_ITEMS,
  NONE,
  OPAQUE,
  OPAQUE_BYTES,
  OPAQUE_TUPLE,
  smallInt,
  T,
  TRUE,
} from './pickle-values';
import type { Value } from './pickle-values';

/**
 * Simulates the pickle machine over one pickle (to STOP) without ever creating a Python object: every
 * global a loader would import is checked against the policy (`pickle-globals`), wherever its name came
 * from (operands, the memo, STRING/UNICODE values for STACK_GLOBAL). The opcode families live beside
 * this dispatch loop: operands (`pickle-operands`), protocol-0 text opcodes (`pickle-text-ops`),
 * globals, calls (`pickle-calls`), joblib arrays, the memo (`pickle-memo`).
 */
export async function runPickle(m: PickleState): Promise<void> {
  const r = m.r;
  const outcome = m.outcome;
  for (;;) {
    if (r.avail() < HEAD) await r.ensure(HEAD);
    if (r.avail() < 1) throw new TruncatedError(r.offset);
    const offset = r.offset;
    const op = r.buf[r.pos++] as number;
    if ((++outcome.ops & 0xffff) === 0) m.checkMemory();
    let v: Value | Promise<Value>;
    switch (op) {
      case 0x80: // PROTO
        fixed(m, 1);
        if ((r.buf[r.pos++] as number) > 5) throw new PickleError(`unsupported protocol ${r.buf[r.pos - 1] as number}`);
        continue;
      case 0x95: // FRAME: a size hint for buffering; the opcodes inside are read like any other.
        fixed(m, 8);
        r.pos += 8;
        continue;
      case 0x2e: // STOP
        m.pop();
        outcome.complete = true;
        return;
      case 0x28: // MARK
        m.mark();
        continue;
      case 0x30: // POP
        if (m.frameSize() > 0) m.pop();
        else m.dropMark();
        continue;
      case 0x31: // POP_MARK
        m.dropMark();
        continue;
      case 0x32: // DUP
        v = m.top();
        break;
      case 0x4e: // NONE
        v = NONE;
        break;
      case 0x88: // NEWTRUE
        v = TRUE;
        break;
      case 0x89: // NEWFALSE
        v = FALSE;
        break;
      case 0x4a: // BININT
        fixed(m, 4);
        v = { t: T.Int, v: r.buf.readInt32LE(r.pos) };
        r.pos += 4;
        break;
      case 0x4b: // BININT1
        fixed(m, 1);
        v = smallInt(r.buf[r.pos++] as number);
        break;
      case 0x4d: // BININT2
        fixed(m, 2);
        v = smallInt(r.buf.readUInt16LE(r.pos));
        r.pos += 2;
        break;
      case 0x47: // BINFLOAT
        fixed(m, 8);
        r.pos += 8;
        v = OPAQUE;
        break;
      case 0x8a: // LONG1
        fixed(m, 1);
        v = skipThen(m, r.buf[r.pos++] as number, OPAQUE);
        break;
      case 0x8b: {
        // LONG4
        fixed(m, 4);
        const n = r.buf.readInt32LE(r.pos);
        r.pos += 4;
        if (n < 0) throw new PickleError('negative LONG4 length');
        v = skipThen(m, n, OPAQUE);
        break;
      }
      case 0x49: // INT
      case 0x4c: // LONG
      case 0x46: // FLOAT
      case 0x53: // STRING
      case 0x56: // UNICODE
      case 0x67: // GET
      case 0x70: // PUT
      case 0x50: // PERSID
        await textOpcode(m, op);
        continue;
      case 0x54: // BINSTRING
      case 0x55: // SHORT_BINSTRING
      case 0x58: // BINUNICODE
      case 0x8c: // SHORT_BINUNICODE
      case 0x8d: // BINUNICODE8
      case 0x42: // BINBYTES
      case 0x43: // SHORT_BINBYTES
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        v = binaryPayload(m, op);
        break;
      case 0x97: // NEXT_BUFFER: out-of-band data supplied by the loader.
        v = OPAQUE_BYTES;
        break;
      case 0x98: // READONLY_BUFFER
        m.top();
        continue;
      case 0x29: // EMPTY_TUPLE
        v = EMPTY_TUPLE;
        break;
      case 0x85: // TUPLE1
        v = { t: T.Tuple, items: [m.pop()] };
        break;
      case 0x86: {
        // TUPLE2
        const b = m.pop();
        v = { t: T.Tuple, items: [m.pop(), b] };
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = m.pop();
        const b = m.pop();
        v = { t: T.Tuple, items: [m.pop(), b, c] };
        break;
      }
      case 0x74: // TUPLE: only small tuples are kept (call arguments); others are opaque.
        if (m.frameSize() <= MAX_TUPLE_ITEMS) {
          v = { t: T.Tuple, items: m.popMark() };
        } else {
          m.dropMark();
          v = OPAQUE_TUPLE;
        }
        break;
      case 0x5d: // EMPTY_LIST
      case 0x8f: // EMPTY_SET
        v = OPAQUE;
        break;
      case 0x7d: // EMPTY_DICT: entries are recorded only where joblib array specs may follow.
        v = m.joblib ? { t: T.Dict, entries: new Map() } : EMPTY_DICT;
        break;
      case 0x6c: // LIST
      case 0x91: // FROZENSET
        m.dropMark();
        v = OPAQUE;
        break;
      case 0x64: {
        // DICT
        const items = m.popMark();
        for (let i = 0; i + 1 < items.length; i += 2) setKey(m, items[i] as Value, offset);
        v = EMPTY_DICT;
        break;
      }
      case 0x61: // APPEND
        m.pop();
        m.top();
        continue;
      case 0x65: // APPENDS
      case 0x90: // ADDITEMS
        m.dropMark();
        m.top();
        continue;
      case 0x73: {
        // SETITEM
        const value = m.pop();
        const key = m.pop();
        setKey(m, key, offset);
        record(m.top(), key, value);
        continue;
      }
      case 0x75: {
        // SETITEMS
        const items = m.popMark();
        if (items.length % 2 !== 0) throw new PickleError('odd number of SETITEMS items');
        const target = m.top();
        for (let i = 0; i < items.length; i += 2) {
          setKey(m, items[i] as Value, offset);
          record(target, items[i] as Value, items[i + 1] as Value);
        }
        continue;
      }
      case 0x62: {
        // BUILD: the state was built by opcodes already checked (SETITEM dunder keys).
        const state = m.pop();
        const obj = m.top();
        if (m.joblib && obj.t === T.Call) {
          if (JOBLIB_ARRAY_WRAPPERS.has(obj.fn)) await joblibArray(m, state, offset);
          else if (JOBLIB_FILE_WRAPPERS.has(obj.fn)) joblibCompanionFile(m, state, offset);
        }
        continue;
      }
      case 0x68: // BINGET
        fixed(m, 1);
        v = m.memo.get(r.buf[r.pos++] as number);
        break;
      case 0x6a: {
        // LONG_BINGET
        fixed(m, 4);
        const key = r.buf.readUInt32LE(r.pos);
        r.pos += 4;
        v = m.memo.get(key);
        break;
      }
      case 0x71: // BINPUT
        fixed(m, 1);
        m.memo.put(r.buf[r.pos++] as number, m.top());
        continue;
      case 0x72: {
        // LONG_BINPUT
        fixed(m, 4);
        const key = r.buf.readUInt32LE(r.pos);
        r.pos += 4;
        m.memo.put(key, m.top());
        continue;
      }
      case 0x94: // MEMOIZE
        m.memo.put(m.memo.count, m.top());
        continue;
      case 0x63: {
        // GLOBAL
        const g = globalOperands(m);
        v = importGlobal(m, g instanceof Promise ? await g : g, offset, 'GLOBAL');
        break;
      }
      case 0x93: // STACK_GLOBAL
        v = stackGlobal(m, offset);
        break;
      case 0x69: {
        // INST
        const g = globalOperands(m);
        const cls = importGlobal(m, g instanceof Promise ? await g : g, offset, 'INST');
        const args = m.popMark();
        v = reduce(m, cls, { t: T.Tuple, items: args.length <= MAX_TUPLE_ITEMS ? args : undefined }, offset);
        break;
      }
      case 0x6f: {
        // OBJ
        const items = m.popMark();
        const cls = items[0];
        if (cls === undefined) throw new PickleError('OBJ without a class');
        v = reduce(m, cls, { t: T.Tuple, items: items.slice(1, 1 + MAX_TUPLE_ITEMS) }, offset);
        break;
      }
      case 0x92: // NEWOBJ_EX (the keyword arguments are not needed)
      case 0x81: // NEWOBJ
      case 0x52: {
        // REDUCE
        if (op === 0x92) m.pop();
        const args = m.pop();
        v = reduce(m, m.pop(), args, offset);
        break;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        v = extension(m, op, offset);
        break;
      case 0x51: // BINPERSID: resolved by the loader's persistent_load (PyTorch storages).
        m.pop();
        v = OPAQUE;
        break;
      default:
        throw new PickleError(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
    m.push(v instanceof Promise ? await v : v);
  }
}
