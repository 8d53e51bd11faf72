import { decideGlobal } from './global-policy';
import { decode } from './pickle-operands';
import { MAX_DECODED_STRING, isJoblibWrapper } from './pickle-values';

/**
 * The fast pass: proves a pickle held in memory benign, or gives up. Most model pickles are state
 * dicts and estimators that import a few allowlisted globals and nothing else; for them the full
 * machine (`pickle-dispatch`) builds a value object per opcode it does not need. This pass runs the same
 * stack discipline over integers in typed arrays: a stack slot is either OPAQUE or the index of a short
 * string in the buffer (the only values that can later name a global, through STACK_GLOBAL).
 *
 * It returns a result only when the pickle reaches STOP and every global it imports is allowed. Anything
 * else (an unknown or denied global, STACK_GLOBAL on a value that is not a short string, a dunder key, a
 * protocol-0 text opcode, INST/OBJ, EXT, joblib arrays, a malformed stream, a limit) gives up, and the full
 * machine runs the pickle from its start, finding for finding as before. Giving up is always safe; the
 * spec checks that both passes agree on every fixture.
 */

/** Result of a pickle the fast pass proved benign. */
export interface FastPickleResult {
  /** Buffer offset just past STOP. */
  end: number;
  ops: number;
  /** Imports (GLOBAL and STACK_GLOBAL), every one allowed. */
  globals: number;
  /** Distinct globals imported (module.name). */
  referenced: Set<string>;
}

/** The pickle continues past the buffer: the caller may buffer more and try again. */
export const NEEDS_MORE = 'needs-more';
/** The pickle needs the full machine (or is not benign). */
export const GIVE_UP = 'give-up';

const OPAQUE = -1;
const UNSET = -2;
// Bounds of the scratch arrays (they live as long as the thread): memo keys above MAX_MEMO_KEY (LONG_BINPUT
// takes any 32-bit key) and deeper stacks are left to the full machine.
const MAX_MEMO_KEY = 1 << 20;
const MAX_STACK = 1 << 20;
const MAX_STRINGS = 1 << 21;

// Scratch arrays, reused by every run on this thread (the pass is synchronous) and grown on demand. The
// run copies them into locals: the hot loop then touches no module state.
const scratch = {
  stack: new Int32Array(1024),
  marks: new Int32Array(256),
  memo: new Int32Array(1024).fill(UNSET),
  strStart: new Int32Array(1024),
  strLen: new Int32Array(1024),
  strUtf8: new Uint8Array(1024),
};

function grown(a: Int32Array<ArrayBuffer>, need: number, fill?: number): Int32Array<ArrayBuffer> {
  let n = a.length;
  while (n <= need) n *= 2;
  const b = new Int32Array(n);
  if (fill !== undefined) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** A global named by GLOBAL operand bytes (`module\nname`), judged once per distinct spelling. */
interface KnownGlobal {
  /** The operand bytes as little-endian 32-bit words (compared four bytes at a time), then the rest. */
  words: Int32Array;
  tail: Buffer;
  length: number;
  full: string;
  allowed: boolean;
  /** Run that last counted it as referenced. */
  run: number;
}
// Looked up by a hash of the operands' first 8 bytes, then compared in full: a hit costs one pass over
// the bytes (a word at a time through a DataView, one load each once optimized), and no string is made
// for a global seen before.
const GLOBAL_SLOTS = 1024;
const knownGlobals: Array<KnownGlobal | undefined> = new Array<KnownGlobal | undefined>(GLOBAL_SLOTS).fill(undefined);
let runId = 0;

function judged(module: string, name: string): boolean {
  return decideGlobal(module, name).kind === 'allowed' && !isJoblibWrapper(`${module}.${name}`);
}

function prefixHash(dv: DataView, start: number, end: number): number {
  if (start + 8 <= end) {
    const h = Math.imul(dv.getInt32(start, true) ^ 0x811c9dc5, 0x01000193);
    return (Math.imul(h ^ dv.getInt32(start + 4, true), 0x01000193) >>> 20) & (GLOBAL_SLOTS - 1);
  }
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ dv.getUint8(i), 0x01000193);
  return (h >>> 20) & (GLOBAL_SLOTS - 1);
}

/** The known global whose operand lines are exactly the bytes at buf[start], or undefined. */
function knownGlobalAt(dv: DataView, start: number, end: number, slot: number): KnownGlobal | undefined {
  const g = knownGlobals[slot];
  if (g === undefined) return undefined;
  const n = g.length;
  // The bytes hold one newline (between module and name); the second line must end right after them.
  if (start + n >= end || dv.getUint8(start + n) !== 0x0a) return undefined;
  const words = g.words;
  for (let w = 0; w < words.length; w++) if (dv.getInt32(start + 4 * w, true) !== words[w]) return undefined;
  const tail = g.tail;
  const at = start + 4 * words.length;
  for (let i = 0; i < tail.length; i++) if (dv.getUint8(at + i) !== tail[i]) return undefined;
  return g;
}

/** Decodes and judges GLOBAL operands at buf[start, nl2) (module line ends at nl1), and remembers them. */
function learnGlobal(buf: Buffer, dv: DataView, start: number, nl1: number, nl2: number, slot: number): KnownGlobal {
  const module = decode(buf, start, nl1, 'latin1');
  const name = decode(buf, nl1 + 1, nl2, 'latin1');
  const n = nl2 - start;
  const words = new Int32Array(n >> 2);
  for (let w = 0; w < words.length; w++) words[w] = dv.getInt32(start + 4 * w, true);
  const g: KnownGlobal = {
    words,
    tail: Buffer.from(buf.subarray(start + 4 * words.length, nl2)),
    length: n,
    full: `${module}.${name}`,
    allowed: judged(module, name),
    run: 0,
  };
  knownGlobals[slot] = g;
  return g;
}

function decodeString(buf: Buffer, start: number, len: number, utf8: number): string {
  return decode(buf, start, start + len, utf8 === 1 ? 'utf8' : 'latin1');
}

/**
 * Runs one pickle from buf[start]. `complete` says whether the buffer holds the rest of the stream.
 * Returns the result, NEEDS_MORE when the buffer ends first (and more may follow), or GIVE_UP.
 */
export function fastPickle(
  buf: Buffer,
  start: number,
  complete: boolean,
  limits: { maxStackDepth: number; maxMemoStrings: number },
): FastPickleResult | typeof NEEDS_MORE | typeof GIVE_UP {
  // Past the full machine's memo budget its strings turn unresolvable: leave such pickles to it.
  const maxMemo = Math.min(MAX_MEMO_KEY, limits.maxMemoStrings);
  const maxStack = Math.min(MAX_STACK, limits.maxStackDepth);
  let { stack, marks, memo, strStart, strLen, strUtf8 } = scratch;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const run = ++runId;
  const end = buf.length;
  const referenced = new Set<string>();
  let pos = start;
  let sp = 0;
  let frame = 0;
  let nMarks = 0;
  let nStrings = 0;
  let memoCount = 0;
  let memoMax = -1;
  let ops = 0;
  let globals = 0;
  // Operands past the buffer: more data may complete them.
  const short = complete ? GIVE_UP : NEEDS_MORE;

  for (;;) {
    if (pos >= end) return short;
    const op = buf[pos++] as number;
    ops++;
    let push = OPAQUE;
    switch (op) {
      case 0x80: // PROTO
        if (pos >= end) return short;
        if ((buf[pos++] as number) > 5) return GIVE_UP;
        continue;
      case 0x95: // FRAME
        pos += 8;
        if (pos > end) return short;
        continue;
      case 0x2e: // STOP
        if (sp <= frame) return GIVE_UP;
        return { end: pos, ops, globals, referenced };
      case 0x28: // MARK
        if (nMarks >= marks.length) marks = scratch.marks = grown(marks, nMarks);
        marks[nMarks++] = frame;
        frame = sp;
        continue;
      case 0x30: // POP: a value, or the mark itself when the frame is empty
        if (sp > frame) sp--;
        else if (nMarks === 0) return GIVE_UP;
        else {
          sp = frame;
          frame = marks[--nMarks] as number;
        }
        continue;
      case 0x31: // POP_MARK
        if (nMarks === 0) return GIVE_UP;
        sp = frame;
        frame = marks[--nMarks] as number;
        continue;
      case 0x32: // DUP
        if (sp <= frame) return GIVE_UP;
        push = stack[sp - 1] as number;
        break;
      case 0x4e: // NONE
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
      case 0x29: // EMPTY_TUPLE
      case 0x5d: // EMPTY_LIST
      case 0x8f: // EMPTY_SET
      case 0x7d: // EMPTY_DICT
      case 0x97: // NEXT_BUFFER
        break;
      case 0x4b: // BININT1
        pos += 1;
        if (pos > end) return short;
        break;
      case 0x4d: // BININT2
        pos += 2;
        if (pos > end) return short;
        break;
      case 0x4a: // BININT
        pos += 4;
        if (pos > end) return short;
        break;
      case 0x47: // BINFLOAT
        pos += 8;
        if (pos > end) return short;
        break;
      case 0x8a: // LONG1
        if (pos >= end) return short;
        pos += 1 + (buf[pos] as number);
        if (pos > end) return short;
        break;
      case 0x8b: {
        // LONG4
        if (pos + 4 > end) return short;
        const n = dv.getInt32(pos, true);
        if (n < 0) return GIVE_UP;
        pos += 4 + n;
        if (pos > end) return short;
        break;
      }
      case 0x58: // BINUNICODE
      case 0x8c: // SHORT_BINUNICODE
      case 0x8d: // BINUNICODE8
      case 0x54: // BINSTRING
      case 0x55: // SHORT_BINSTRING
      case 0x42: // BINBYTES
      case 0x43: // SHORT_BINBYTES
      case 0x8e: // BINBYTES8
      case 0x96: {
        // BYTEARRAY8
        let n: number;
        if (op === 0x8c || op === 0x55 || op === 0x43) {
          if (pos >= end) return short;
          n = buf[pos++] as number;
        } else if (op === 0x58 || op === 0x42 || op === 0x54) {
          if (pos + 4 > end) return short;
          n = op === 0x54 ? dv.getInt32(pos, true) : dv.getUint32(pos, true);
          if (n < 0) return GIVE_UP;
          pos += 4;
        } else {
          if (pos + 8 > end) return short;
          if (dv.getUint32(pos + 4, true) !== 0) return GIVE_UP;
          n = dv.getUint32(pos, true);
          pos += 8;
        }
        if (pos + n > end) return short;
        const text = op === 0x58 || op === 0x8c || op === 0x8d || op === 0x54 || op === 0x55;
        if (text && n <= MAX_DECODED_STRING) {
          if (nStrings >= MAX_STRINGS) return GIVE_UP;
          if (nStrings >= strStart.length) {
            strStart = scratch.strStart = grown(strStart, nStrings);
            strLen = scratch.strLen = grown(strLen, nStrings);
            const u = new Uint8Array(strStart.length);
            u.set(strUtf8);
            strUtf8 = scratch.strUtf8 = u;
          }
          strStart[nStrings] = pos;
          strLen[nStrings] = n;
          strUtf8[nStrings] = op === 0x54 || op === 0x55 ? 0 : 1;
          push = nStrings++;
        }
        pos += n;
        break;
      }
      case 0x98: // READONLY_BUFFER
        if (sp <= frame) return GIVE_UP;
        continue;
      case 0x85: // TUPLE1
        if (sp - frame < 1) return GIVE_UP;
        sp -= 1;
        break;
      case 0x86: // TUPLE2
        if (sp - frame < 2) return GIVE_UP;
        sp -= 2;
        break;
      case 0x87: // TUPLE3
        if (sp - frame < 3) return GIVE_UP;
        sp -= 3;
        break;
      case 0x74: // TUPLE
      case 0x6c: // LIST
      case 0x91: // FROZENSET
        if (nMarks === 0) return GIVE_UP;
        sp = frame;
        frame = marks[--nMarks] as number;
        break;
      case 0x64: // DICT: keys may set attributes (dunder keys are left to the full machine)
        if (nMarks === 0) return GIVE_UP;
        for (let i = frame; i + 1 < sp; i += 2)
          if (dunderKey(buf, stack[i] as number, strStart, strLen)) return GIVE_UP;
        sp = frame;
        frame = marks[--nMarks] as number;
        break;
      case 0x61: // APPEND
        if (sp - frame < 2) return GIVE_UP;
        sp--;
        continue;
      case 0x65: // APPENDS
      case 0x90: // ADDITEMS
        if (nMarks === 0) return GIVE_UP;
        sp = frame;
        frame = marks[--nMarks] as number;
        if (sp <= frame) return GIVE_UP;
        continue;
      case 0x73: // SETITEM
        if (sp - frame < 3) return GIVE_UP;
        if (dunderKey(buf, stack[sp - 2] as number, strStart, strLen)) return GIVE_UP;
        sp -= 2;
        continue;
      case 0x75: // SETITEMS
        if (nMarks === 0 || (sp - frame) % 2 !== 0) return GIVE_UP;
        for (let i = frame; i < sp; i += 2) if (dunderKey(buf, stack[i] as number, strStart, strLen)) return GIVE_UP;
        sp = frame;
        frame = marks[--nMarks] as number;
        if (sp <= frame) return GIVE_UP;
        continue;
      case 0x62: // BUILD (joblib arrays, the one BUILD that matters, never get here: their global gives up)
        if (sp - frame < 2) return GIVE_UP;
        sp--;
        continue;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        let key: number;
        if (op === 0x68) {
          if (pos >= end) return short;
          key = buf[pos++] as number;
        } else {
          if (pos + 4 > end) return short;
          key = dv.getUint32(pos, true);
          pos += 4;
        }
        if (key > memoMax) return GIVE_UP;
        push = memo[key] as number;
        if (push === UNSET) return GIVE_UP;
        break;
      }
      case 0x71: // BINPUT
      case 0x72: // LONG_BINPUT
      case 0x94: {
        // MEMOIZE
        let key: number;
        if (op === 0x71) {
          if (pos >= end) return short;
          key = buf[pos++] as number;
        } else if (op === 0x72) {
          if (pos + 4 > end) return short;
          key = dv.getUint32(pos, true);
          pos += 4;
        } else {
          key = memoCount;
        }
        if (sp <= frame) return GIVE_UP;
        if (key >= maxMemo || memoCount >= maxMemo) return GIVE_UP;
        if (key >= memo.length) memo = scratch.memo = grown(memo, key, UNSET);
        if (key > memoMax) {
          // Keys up to memoMax are this run's; beyond it the scratch array holds older runs' values.
          memo.fill(UNSET, memoMax + 1, key + 1);
          memoMax = key;
        }
        if (memo[key] === UNSET) memoCount++;
        memo[key] = stack[sp - 1] as number;
        continue;
      }
      case 0x63: {
        // GLOBAL: two operand lines, `module\nname\n`
        const slot = prefixHash(dv, pos, end);
        let g = knownGlobalAt(dv, pos, end, slot);
        if (g === undefined) {
          const nl1 = buf.indexOf(0x0a, pos);
          const nl2 = nl1 < 0 ? -1 : buf.indexOf(0x0a, nl1 + 1);
          if (nl2 < 0) return end - pos > 1024 ? GIVE_UP : short;
          if (nl2 - pos > 1024) return GIVE_UP;
          g = learnGlobal(buf, dv, pos, nl1, nl2, slot);
        }
        if (!g.allowed) return GIVE_UP;
        if (g.run !== run) {
          g.run = run;
          referenced.add(g.full);
        }
        globals++;
        pos += g.length + 1;
        break;
      }
      case 0x93: {
        // STACK_GLOBAL: module and name must be short strings this pass saw
        if (sp - frame < 2) return GIVE_UP;
        const nameAt = stack[--sp] as number;
        const moduleAt = stack[--sp] as number;
        if (nameAt < 0 || moduleAt < 0) return GIVE_UP;
        const module = decodeString(
          buf,
          strStart[moduleAt] as number,
          strLen[moduleAt] as number,
          strUtf8[moduleAt] as number,
        );
        const name = decodeString(buf, strStart[nameAt] as number, strLen[nameAt] as number, strUtf8[nameAt] as number);
        if (!judged(module, name)) return GIVE_UP;
        referenced.add(`${module}.${name}`);
        globals++;
        break;
      }
      case 0x52: // REDUCE
      case 0x81: // NEWOBJ
        if (sp - frame < 2) return GIVE_UP;
        sp -= 2;
        break;
      case 0x92: // NEWOBJ_EX
        if (sp - frame < 3) return GIVE_UP;
        sp -= 3;
        break;
      case 0x51: // BINPERSID
        if (sp <= frame) return GIVE_UP;
        sp--;
        break;
      default:
        // Protocol-0 text opcodes, INST, OBJ, PERSID, EXT1/2/4, unknown opcodes: the full machine.
        return GIVE_UP;
    }
    if (sp >= maxStack) return GIVE_UP;
    if (sp >= stack.length) stack = scratch.stack = grown(stack, sp);
    stack[sp++] = push;
  }
}

/** A string value starting with "__": the full machine judges it (dunder keys set attributes). */
function dunderKey(buf: Buffer, v: number, strStart: Int32Array, strLen: Int32Array): boolean {
  if (v < 0) return false;
  const s = strStart[v] as number;
  return (strLen[v] as number) >= 2 && buf[s] === 0x5f && buf[s + 1] === 0x5f;
}
