import { ByteReader, TruncatedError } from '../io/byte-reader';
import { finding } from '../rules';
import type { ModelFinding } from '../scan-result';
import { NESTED_DESERIALIZERS, decideGlobal } from './global-policy';
import {
  carriesCode,
  DECIMAL,
  decodeQuoted,
  decodeRawUnicode,
  EMPTY_TUPLE,
  FALSE,
  FLOAT_LINE,
  HEAD,
  INT_LINE,
  isDunder,
  itemSize,
  JOBLIB_WRAPPER,
  MAX_DECODED_STRING,
  MAX_MEMO_BYTES,
  MAX_TUPLE_ITEMS,
  OPAQUE,
  OPAQUE_BYTES,
  OPAQUE_STR,
  OPAQUE_TUPLE,
  OpaqueKeys,
  SMALL_INTS,
  T,
  TRUE,
} from './pickle-values';
import type { Value } from './pickle-values';

/** Bounds that keep a hostile pickle from exhausting memory; exceeding one makes the result inconclusive. */
export interface PickleLimits {
  maxStackDepth: number;
  /** Memo values tracked (strings, globals, small tuples...); beyond it values are kept by key only. */
  maxMemoStrings: number;
  maxLineBytes: number;
  maxNestedDepth: number;
  /** Bytes values up to this size are kept (they may be a nested pickle); larger ones are skipped. */
  maxKeptBytes: number;
}

export const DEFAULT_PICKLE_LIMITS: PickleLimits = {
  maxStackDepth: 4_000_000,
  maxMemoStrings: 50_000,
  maxLineBytes: 1 << 20,
  maxNestedDepth: 4,
  maxKeptBytes: 1 << 20,
};

class PickleError extends Error {}

/** Outcome of one pickle (up to STOP) in a stream. */
export interface PickleRunOutcome {
  /** True when STOP was reached. */
  complete: boolean;
  /** Number of globals (GLOBAL/STACK_GLOBAL/INST/EXT) the stream referenced. */
  globals: number;
  /** Opcodes executed. */
  ops: number;
  error?: string;
  /** Stream offset of the error. */
  errorOffset?: number;
  /** Callables referenced (module.name), for callers with format-specific logic (joblib, torch). */
  referenced: Set<string>;
}

export interface PickleContext {
  /** Location prefix: the archive member or file, e.g. `archive/data.pkl`. */
  location: string;
  findings: ModelFinding[];
  limits: PickleLimits;
  depth: number;
}

/**
 * Simulates the pickle machine over one pickle (to STOP) without ever creating a Python object: every
 * global a loader would import is checked against the policy, wherever its name came from (operands,
 * the memo, STRING/UNICODE values for STACK_GLOBAL). Throws nothing for bad input: errors are reported
 * in the outcome so the caller decides between `inconclusive` and "this was not a pickle".
 */
export class PickleMachine {
  private stack: Value[] = [];
  private metastack: Value[][] = [];
  private memo = new Map<number, Value>();
  /** Keys holding values the scanner does not track, as a bitset: MEMOIZE keys are dense from 0. */
  private memoOpaque = new OpaqueKeys();
  private memoCount = 0;
  private maxKey = -1;
  private memoBytes = 0;
  private keptBytes = 0;
  private depth = 0;
  private joblib = false;

  constructor(
    private readonly r: ByteReader,
    private readonly ctx: PickleContext,
    private readonly sniff = false,
  ) {}

  /**
   * In sniff mode, text that merely starts like GLOBAL/INST (a README beginning with "c") is not a pickle
   * unless the operands could name an importable module and attribute; the import would fail otherwise.
   */
  private plausible(module: string, name: string): void {
    if (this.sniff && (!IDENTIFIER_PATH.test(module) || !IDENTIFIER_PATH.test(name))) {
      throw new PickleError('GLOBAL operands are not a module and attribute name');
    }
  }

  private loc(offset: number): string {
    return `${this.ctx.location}@${offset}`;
  }

  private pop(): Value {
    const v = this.stack.pop();
    if (v === undefined) throw new PickleError('stack underflow');
    this.depth--;
    return v;
  }

  private push(v: Value): void {
    this.stack.push(v);
    if (++this.depth > this.ctx.limits.maxStackDepth) throw new PickleError('stack depth limit exceeded');
  }

  private popMark(): Value[] {
    const items = this.stack;
    const prev = this.metastack.pop();
    if (prev === undefined) throw new PickleError('mark not found');
    this.stack = prev;
    return items;
  }

  private top(): Value {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined) throw new PickleError('stack underflow');
    return v;
  }

  /**
   * Only values that can matter later are tracked (strings for STACK_GLOBAL, globals, kept bytes and the
   * small tuples/calls that carry them), within a budget; the rest is remembered as "opaque" by key only.
   * Dropping a value is safe: globals were judged when created, and an untracked string that reaches
   * STACK_GLOBAL makes the result inconclusive.
   */
  private memoPut(key: number, v: Value): void {
    const t = v.t;
    const trackable =
      t === T.Str
        ? v.v !== undefined
        : t === T.Global ||
          (t === T.Bytes && v.v !== undefined && this.memoBytes + v.v.length <= MAX_MEMO_BYTES) ||
          (t === T.Call && v.fn === 'numpy.dtype') ||
          (t === T.Tuple && v.items !== undefined && carriesCode(v.items));
    // Keys above any seen so far (MEMOIZE's are) are new: no lookups needed on the hot path.
    const fresh = key > this.maxKey;
    if (fresh) this.maxKey = key;
    const seen = !fresh && (this.memoOpaque.has(key) || this.memo.has(key));
    if (!seen) this.memoCount++;
    if (trackable && (this.memo.size < this.ctx.limits.maxMemoStrings || (seen && this.memo.has(key)))) {
      if (t === T.Bytes && v.v !== undefined) this.memoBytes += v.v.length;
      if (seen) this.memoOpaque.delete(key);
      this.memo.set(key, v);
      return;
    }
    if (seen) this.memo.delete(key);
    if (!this.memoOpaque.add(key)) throw new PickleError('memo key limit exceeded');
  }

  private memoGet(key: number): Value {
    const v = this.memo.get(key);
    if (v !== undefined) return v;
    // Opaque values are remembered by key only; strings beyond the budget come back unresolvable.
    if (this.memoOpaque.has(key)) return OPAQUE_STR;
    throw new PickleError(`memo key ${key} not found`);
  }

  private global(module: string, name: string, offset: number, how: string): Value {
    const full = `${module}.${name}`;
    if (full === JOBLIB_WRAPPER) this.joblib = true;
    const d = decideGlobal(module, name);
    if (d.kind === 'denied') {
      this.ctx.findings.push(
        finding('pickle.global.denied', `${how} imports ${full}: ${d.reason}`, this.loc(offset), d.severity),
      );
    } else if (d.kind === 'unknown') {
      this.ctx.findings.push(finding('pickle.global.unknown', `${how} imports ${full}, which is not on the allowlist`, this.loc(offset)));
    }
    return { t: T.Global, full };
  }

  private str(start: number, len: number, enc: 'utf8' | 'latin1'): Value {
    if (len > MAX_DECODED_STRING) return OPAQUE_STR;
    return { t: T.Str, v: this.r.buf.toString(enc, start, start + len) };
  }

  /** Fixed-size operands: the loop keeps HEAD bytes buffered, so fewer means the stream ended. */
  private fixed(n: number): void {
    if (this.r.buf.length - this.r.pos < n) throw new TruncatedError(this.r.offset);
  }

  /**
   * Reads a length-prefixed payload: decoded when small, kept as bytes when asked, skipped when large.
   * Synchronous when the bytes are already buffered (the common case): awaiting per opcode would cost a
   * promise and a microtask for every object in the pickle.
   */
  private payload(len: number, kind: 'str' | 'bytes' | 'latin1'): Value | Promise<Value> {
    const r = this.r;
    if (kind === 'bytes') {
      // Kept copies are bounded per value and in total: past that, bytes are skipped (a deserializer
      // they might feed is a critical finding on its own).
      if (len > this.ctx.limits.maxKeptBytes || this.keptBytes + len > MAX_MEMO_BYTES) {
        return this.skipThen(len, OPAQUE_BYTES);
      }
      if (r.avail() < len) return r.need(len).then(() => this.payload(len, kind));
      const v = Buffer.from(r.buf.subarray(r.pos, r.pos + len));
      this.keptBytes += len;
      r.pos += len;
      return { t: T.Bytes, v };
    }
    if (len > MAX_DECODED_STRING) return this.skipThen(len, OPAQUE_STR);
    if (r.avail() < len) return r.need(len).then(() => this.payload(len, kind));
    const v = this.str(r.pos, len, kind === 'str' ? 'utf8' : 'latin1');
    r.pos += len;
    return v;
  }

  private skipThen(len: number, v: Value): Value | Promise<Value> {
    if (this.r.avail() >= len) {
      this.r.pos += len;
      return v;
    }
    return this.r.skip(len).then(() => v);
  }

  private textLine(): string | Promise<string> {
    const r = this.r;
    const nl = r.buf.indexOf(0x0a, r.pos);
    if (nl >= 0 && nl - r.pos <= this.ctx.limits.maxLineBytes) {
      const s = r.buf.toString('latin1', r.pos, nl);
      r.pos = nl + 1;
      return s;
    }
    return r.line(this.ctx.limits.maxLineBytes).then((line) => {
      if (line === undefined) throw new PickleError('line operand too long');
      return line.toString('latin1');
    });
  }

  private reduce(fn: Value, args: Value, offset: number): Value | Promise<Value> {
    if (fn.t !== T.Global) return OPAQUE;
    if (NESTED_DESERIALIZERS.has(fn.full) && args.t === T.Tuple && args.items) {
      const payloads = args.items.filter((a): a is { t: T.Bytes; v: Buffer } => a.t === T.Bytes && a.v !== undefined);
      if (payloads.length > 0) {
        return (async () => {
          for (const a of payloads) await this.nested(a.v, fn.full, offset);
          return this.callResult(fn, args);
        })();
      }
    }
    return this.callResult(fn, args);
  }

  private callResult(fn: { t: T.Global; full: string }, args: Value): Value {
    if (fn.full === '_codecs.encode' && args.t === T.Tuple && args.items?.[0]?.t === T.Str) {
      const s = args.items[0].v;
      // Protocol 2 spells bytes as _codecs.encode(str, 'latin1'); keep them, they may be a nested pickle.
      return s === undefined ? OPAQUE_BYTES : { t: T.Bytes, v: Buffer.from(s, 'latin1') };
    }
    const a0 = args.t === T.Tuple ? args.items?.[0] : undefined;
    return { t: T.Call, fn: fn.full, arg0: a0?.t === T.Str ? a0.v : undefined };
  }

  private record(target: Value, key: Value, value: Value): void {
    if (target.t === T.Dict && target.entries && key.t === T.Str && key.v !== undefined && target.entries.size < 32) {
      target.entries.set(key.v, value);
    }
  }

  /**
   * joblib writes each numpy array's raw bytes straight into the stream after its NumpyArrayWrapper's
   * BUILD (object arrays as a nested pickle). Skip exactly that many bytes, or fail closed.
   */
  private async joblibArray(state: Value, offset: number): Promise<void> {
    const e = state.t === T.Dict ? state.entries : undefined;
    const dtype = e?.get('dtype');
    const shape = e?.get('shape');
    const mmap = e?.get('allow_mmap');
    const spec = dtype?.t === T.Call && dtype.fn === 'numpy.dtype' ? dtype.arg0 : undefined;
    if (spec === undefined || shape?.t !== T.Tuple || shape.items === undefined && shape !== EMPTY_TUPLE) {
      throw new PickleError('joblib array wrapper with a dtype or shape the scanner cannot size');
    }
    if (mmap?.t === T.Bool && mmap.v) {
      await this.r.need(1);
      const pad = this.r.buf[this.r.pos++] as number;
      await this.r.skip(pad);
    }
    const m = /^[<>|=]?([a-zA-Z])(\d*)$/.exec(spec);
    if (m?.[1] === 'O') {
      const sub = await analysePickleStream(this.r, { ...this.ctx, location: `${this.loc(offset)}>object-array` }, 'declared');
      if (!sub.complete) throw new PickleError('joblib object array pickle is incomplete');
      return;
    }
    const size = m ? itemSize(m[1] as string, m[2] ?? '') : undefined;
    let count = 1;
    for (const d of shape.items ?? []) {
      if (d.t !== T.Int || d.v < 0) throw new PickleError('joblib array shape is not a tuple of integers');
      count *= d.v;
    }
    if (size === undefined || !Number.isSafeInteger(count * size)) throw new PickleError(`joblib array dtype "${spec}" cannot be sized`);
    await this.r.skip(count * size);
  }

  private async nested(bytes: Buffer, via: string, offset: number): Promise<void> {
    const location = `${this.loc(offset)}>nested`;
    this.ctx.findings.push(finding('pickle.nested-pickle', `embedded serialized bytes passed to ${via}`, this.loc(offset)));
    if (this.ctx.depth + 1 > this.ctx.limits.maxNestedDepth) {
      this.ctx.findings.push(finding('scan.limit-exceeded', 'nested pickle depth limit reached', location));
      return;
    }
    await analysePickleStream(new ByteReader(bytes), { ...this.ctx, location, depth: this.ctx.depth + 1 }, 'declared');
  }

  private setKey(key: Value, offset: number): void {
    if (key.t === T.Str && key.v !== undefined && isDunder(key.v)) {
      this.ctx.findings.push(finding('pickle.dunder-overwrite', `sets key "${key.v}" (object attributes or globals)`, this.loc(offset)));
    }
  }

  /** Runs to STOP. */
  async run(outcome: PickleRunOutcome): Promise<void> {
    const r = this.r;
    for (;;) {
      if (r.avail() < HEAD) await r.ensure(HEAD);
      if (r.avail() < 1) throw new TruncatedError(r.offset);
      const offset = r.offset;
      const op = r.buf[r.pos++] as number;
      outcome.ops++;
      switch (op) {
        case 0x80: {
          // PROTO
          this.fixed(1);
          const proto = r.buf[r.pos++] as number;
          if (proto > 5) throw new PickleError(`unsupported protocol ${proto}`);
          break;
        }
        case 0x95: // FRAME: a size hint for buffering; the opcodes inside are read like any other.
          this.fixed(8);
          r.pos += 8;
          break;
        case 0x2e: // STOP
          this.pop();
          outcome.complete = true;
          return;
        case 0x28: // MARK
          this.metastack.push(this.stack);
          this.stack = [];
          break;
        case 0x30: // POP
          if (this.stack.length > 0) this.pop();
          else this.popMark();
          break;
        case 0x31: // POP_MARK
          this.depth -= this.popMark().length;
          break;
        case 0x32: // DUP
          this.push(this.top());
          break;
        case 0x4e: // NONE
          this.push(OPAQUE);
          break;
        case 0x88: // NEWTRUE
          this.push(TRUE);
          break;
        case 0x89: // NEWFALSE
          this.push(FALSE);
          break;
        case 0x49: {
          // INT
          const t = this.textLine();
          const l = typeof t === 'string' ? t : await t;
          if (!INT_LINE.test(l)) throw new PickleError('invalid INT operand');
          this.push(l === '01' ? TRUE : l === '00' ? FALSE : { t: T.Int, v: Number(l) });
          break;
        }
        case 0x4c: {
          // LONG
          const t = this.textLine();
          const l = typeof t === 'string' ? t : await t;
          if (!INT_LINE.test(l)) throw new PickleError('invalid LONG operand');
          this.push(OPAQUE);
          break;
        }
        case 0x46: {
          // FLOAT
          const t = this.textLine();
          const l = typeof t === 'string' ? t : await t;
          if (!FLOAT_LINE.test(l.trim())) throw new PickleError('invalid FLOAT operand');
          this.push(OPAQUE);
          break;
        }
        case 0x4a: // BININT
          this.fixed(4);
          this.push({ t: T.Int, v: r.buf.readInt32LE(r.pos) });
          r.pos += 4;
          break;
        case 0x4b: // BININT1
          this.fixed(1);
          this.push(SMALL_INTS[r.buf[r.pos++] as number] as Value);
          break;
        case 0x4d: // BININT2
          this.fixed(2);
          this.push(SMALL_INTS[r.buf.readUInt16LE(r.pos)] as Value);
          r.pos += 2;
          break;
        case 0x47: // BINFLOAT
          this.fixed(8);
          r.pos += 8;
          this.push(OPAQUE);
          break;
        case 0x8a: {
          // LONG1
          this.fixed(1);
          const n = r.buf[r.pos++] as number;
          const sk = this.skipThen(n, OPAQUE);
          this.push(sk instanceof Promise ? await sk : sk);
          break;
        }
        case 0x8b: {
          // LONG4
          this.fixed(4);
          const n = r.buf.readInt32LE(r.pos);
          r.pos += 4;
          if (n < 0) throw new PickleError('negative LONG4 length');
          const sk = this.skipThen(n, OPAQUE);
          this.push(sk instanceof Promise ? await sk : sk);
          break;
        }
        case 0x53: {
          // STRING
          const t = this.textLine();
          const l = typeof t === 'string' ? t : await t;
          const s = decodeQuoted(l);
          if (s === undefined) throw new PickleError('STRING operand is not quoted');
          this.push(s.length > MAX_DECODED_STRING ? OPAQUE_STR : { t: T.Str, v: s });
          break;
        }
        case 0x54: {
          // BINSTRING
          this.fixed(4);
          const n = r.buf.readInt32LE(r.pos);
          r.pos += 4;
          if (n < 0) throw new PickleError('negative BINSTRING length');
          {
            const v = this.payload(n, 'latin1');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x55: {
          // SHORT_BINSTRING
          this.fixed(1);
          const n = r.buf[r.pos++] as number;
          {
            const v = this.payload(n, 'latin1');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x56: {
          // UNICODE
          const line = await this.r.line(this.ctx.limits.maxLineBytes);
          if (line === undefined) throw new PickleError('line operand too long');
          this.push(line.length > MAX_DECODED_STRING ? OPAQUE_STR : { t: T.Str, v: decodeRawUnicode(line) });
          break;
        }
        case 0x58: {
          // BINUNICODE
          this.fixed(4);
          const n = r.buf.readUInt32LE(r.pos);
          r.pos += 4;
          {
            const v = this.payload(n, 'str');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x8c: {
          // SHORT_BINUNICODE
          this.fixed(1);
          const n = r.buf[r.pos++] as number;
          {
            const v = this.payload(n, 'str');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x8d: {
          // BINUNICODE8
          this.fixed(8);
          const n = Number(r.buf.readBigUInt64LE(r.pos));
          r.pos += 8;
          {
            const v = this.payload(n, 'str');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x42: {
          // BINBYTES
          this.fixed(4);
          const n = r.buf.readUInt32LE(r.pos);
          r.pos += 4;
          {
            const v = this.payload(n, 'bytes');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x43: {
          // SHORT_BINBYTES
          this.fixed(1);
          const n = r.buf[r.pos++] as number;
          {
            const v = this.payload(n, 'bytes');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x8e: // BINBYTES8
        case 0x96: {
          // BYTEARRAY8
          this.fixed(8);
          const n = Number(r.buf.readBigUInt64LE(r.pos));
          r.pos += 8;
          {
            const v = this.payload(n, 'bytes');
            this.push(v instanceof Promise ? await v : v);
          }
          break;
        }
        case 0x97: // NEXT_BUFFER: out-of-band data supplied by the loader.
          this.push(OPAQUE_BYTES);
          break;
        case 0x98: // READONLY_BUFFER
          this.top();
          break;
        case 0x29: // EMPTY_TUPLE
          this.push(EMPTY_TUPLE);
          break;
        case 0x85: // TUPLE1
          this.push({ t: T.Tuple, items: [this.pop()] });
          break;
        case 0x86: {
          // TUPLE2
          const b2 = this.pop();
          const a2 = this.pop();
          this.push({ t: T.Tuple, items: [a2, b2] });
          break;
        }
        case 0x87: {
          // TUPLE3
          const c3 = this.pop();
          const b3 = this.pop();
          const a3 = this.pop();
          this.push({ t: T.Tuple, items: [a3, b3, c3] });
          break;
        }
        case 0x74: {
          // TUPLE
          const items = this.popMark();
          this.depth -= items.length;
          this.push(items.length <= MAX_TUPLE_ITEMS ? { t: T.Tuple, items } : OPAQUE_TUPLE);
          break;
        }
        case 0x5d: // EMPTY_LIST
        case 0x8f: // EMPTY_SET
          this.push(OPAQUE);
          break;
        case 0x7d: // EMPTY_DICT
          this.push(this.joblib ? { t: T.Dict, entries: new Map() } : { t: T.Dict });
          break;
        case 0x6c: {
          // LIST
          this.depth -= this.popMark().length;
          this.push(OPAQUE);
          break;
        }
        case 0x91: // FROZENSET
          this.depth -= this.popMark().length;
          this.push(OPAQUE);
          break;
        case 0x64: {
          // DICT
          const items = this.popMark();
          this.depth -= items.length;
          for (let i = 0; i + 1 < items.length; i += 2) this.setKey(items[i] as Value, offset);
          this.push({ t: T.Dict });
          break;
        }
        case 0x61: // APPEND
          this.pop();
          this.top();
          break;
        case 0x65: // APPENDS
        case 0x90: // ADDITEMS
          this.depth -= this.popMark().length;
          this.top();
          break;
        case 0x73: {
          // SETITEM
          const value = this.pop();
          const key = this.pop();
          this.setKey(key, offset);
          this.record(this.top(), key, value);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = this.popMark();
          this.depth -= items.length;
          if (items.length % 2 !== 0) throw new PickleError('odd number of SETITEMS items');
          const target = this.top();
          for (let i = 0; i < items.length; i += 2) {
            this.setKey(items[i] as Value, offset);
            this.record(target, items[i] as Value, items[i + 1] as Value);
          }
          break;
        }
        case 0x62: {
          // BUILD: the state was built by opcodes already checked (SETITEM dunder keys).
          const state = this.pop();
          const obj = this.top();
          if (this.joblib && obj.t === T.Call && obj.fn === JOBLIB_WRAPPER) await this.joblibArray(state, offset);
          break;
        }
        case 0x67: {
          // GET
          const t = this.textLine();
          const l = typeof t === 'string' ? t : await t;
          if (!DECIMAL.test(l)) throw new PickleError('invalid GET operand');
          this.push(this.memoGet(Number(l)));
          break;
        }
        case 0x68: // BINGET
          this.fixed(1);
          this.push(this.memoGet(r.buf[r.pos++] as number));
          break;
        case 0x6a: {
          // LONG_BINGET
          this.fixed(4);
          const k = r.buf.readUInt32LE(r.pos);
          r.pos += 4;
          this.push(this.memoGet(k));
          break;
        }
        case 0x70: {
          // PUT
          const t = this.textLine();
          const l = typeof t === 'string' ? t : await t;
          if (!DECIMAL.test(l)) throw new PickleError('invalid PUT operand');
          this.memoPut(Number(l), this.top());
          break;
        }
        case 0x71: // BINPUT
          this.fixed(1);
          this.memoPut(r.buf[r.pos++] as number, this.top());
          break;
        case 0x72: {
          // LONG_BINPUT
          this.fixed(4);
          const k = r.buf.readUInt32LE(r.pos);
          r.pos += 4;
          this.memoPut(k, this.top());
          break;
        }
        case 0x94: // MEMOIZE
          this.memoPut(this.memoCount, this.top());
          break;
        case 0x63: {
          // GLOBAL
          const mt = this.textLine();
          const module = typeof mt === 'string' ? mt : await mt;
          const nt = this.textLine();
          const name = typeof nt === 'string' ? nt : await nt;
          this.plausible(module, name);
          outcome.globals++;
          outcome.referenced.add(`${module}.${name}`);
          this.push(this.global(module, name, offset, 'GLOBAL'));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          outcome.globals++;
          if (module.t !== T.Str || name.t !== T.Str || module.v === undefined || name.v === undefined) {
            this.ctx.findings.push(
              finding('pickle.global.unresolved', 'STACK_GLOBAL operands are not strings the scanner can resolve', this.loc(offset)),
            );
            this.push({ t: T.Global, full: '?' });
          } else {
            outcome.referenced.add(`${module.v}.${name.v}`);
            this.push(this.global(module.v, name.v, offset, 'STACK_GLOBAL'));
          }
          break;
        }
        case 0x69: {
          // INST
          const mt = this.textLine();
          const module = typeof mt === 'string' ? mt : await mt;
          const nt = this.textLine();
          const name = typeof nt === 'string' ? nt : await nt;
          this.plausible(module, name);
          outcome.globals++;
          outcome.referenced.add(`${module}.${name}`);
          const cls = this.global(module, name, offset, 'INST');
          const args = this.popMark();
          this.depth -= args.length;
          {
            const res = this.reduce(cls, { t: T.Tuple, items: args.length <= MAX_TUPLE_ITEMS ? args : undefined }, offset);
            this.push(res instanceof Promise ? await res : res);
          }
          break;
        }
        case 0x6f: {
          // OBJ
          const items = this.popMark();
          this.depth -= items.length;
          const cls = items[0];
          if (cls === undefined) throw new PickleError('OBJ without a class');
          {
            const res = this.reduce(cls, { t: T.Tuple, items: items.slice(1, 1 + MAX_TUPLE_ITEMS) }, offset);
            this.push(res instanceof Promise ? await res : res);
          }
          break;
        }
        case 0x81: {
          // NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          {
            const res = this.reduce(cls, args, offset);
            this.push(res instanceof Promise ? await res : res);
          }
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          this.pop();
          const args = this.pop();
          const cls = this.pop();
          {
            const res = this.reduce(cls, args, offset);
            this.push(res instanceof Promise ? await res : res);
          }
          break;
        }
        case 0x52: {
          // REDUCE
          const args = this.pop();
          const fn = this.pop();
          {
            const res = this.reduce(fn, args, offset);
            this.push(res instanceof Promise ? await res : res);
          }
          break;
        }
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: {
          // EXT4
          const n = op === 0x82 ? 1 : op === 0x83 ? 2 : 4;
          this.fixed(n);
          const code = n === 1 ? (r.buf[r.pos] as number) : n === 2 ? r.buf.readUInt16LE(r.pos) : r.buf.readInt32LE(r.pos);
          r.pos += n;
          outcome.globals++;
          this.ctx.findings.push(
            finding('pickle.ext-opcode', `EXT${n === 4 ? 4 : n} code ${code} resolves a global through the copyreg extension registry`, this.loc(offset)),
          );
          this.push({ t: T.Global, full: `copyreg.extension[${code}]` });
          break;
        }
        case 0x50: {
          // PERSID: resolved by the loader's persistent_load (PyTorch storages).
          const t = this.textLine();
          if (typeof t !== 'string') await t;
          this.push(OPAQUE);
          break;
        }
        case 0x51: // BINPERSID
          this.pop();
          this.push(OPAQUE);
          break;
        default:
          throw new PickleError(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  }
}

/**
 * Analyses one pickle from the reader's position. In `sniff` mode (bytes that merely might be a pickle)
 * a stream the unpickler would reject before it referenced any callable is "not a pickle"; in `declared`
 * mode every parse failure is reported.
 */
export async function analysePickleStream(
  reader: ByteReader,
  ctx: PickleContext,
  mode: 'declared' | 'sniff',
): Promise<PickleRunOutcome> {
  const outcome: PickleRunOutcome = { complete: false, globals: 0, ops: 0, referenced: new Set() };
  const start = reader.offset;
  const mark = ctx.findings.length;
  try {
    await new PickleMachine(reader, ctx, mode === 'sniff').run(outcome);
  } catch (e: unknown) {
    if (!(e instanceof PickleError) && !(e instanceof TruncatedError)) throw e;
    outcome.error = e.message;
    outcome.errorOffset = reader.offset;
    if (mode === 'sniff' && outcome.globals === 0) {
      ctx.findings.length = mark;
      return outcome;
    }
    ctx.findings.push(
      finding('pickle.parse-error', `pickle starting at ${start} cannot be parsed: ${e.message}`, `${ctx.location}@${reader.offset}`),
    );
  }
  return outcome;
}

/** Bytes that can start a pickle (PROTO, or the first opcode of a protocol 0/1 pickle). */
export function couldStartPickle(first: number, second: number | undefined): boolean {
  if (first === 0x80) return second !== undefined && second <= 5;
  return FIRST_OPCODES.has(first);
}
// Every opcode the unpickler accepts on an empty stack: PROTO is optional, and any protocol's opcodes
// are accepted whatever the protocol, so a pickle may start with any of these.
const FIRST_OPCODES = new Set([
  0x28, 0x29, 0x5d, 0x7d, 0x4e, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x46, 0x47, 0x53, 0x54, 0x55, 0x56, 0x58, 0x63, 0x50,
  0x95, 0x8c, 0x8d, 0x8e, 0x42, 0x43, 0x88, 0x89, 0x8a, 0x8b, 0x8f, 0x96, 0x97, 0x82, 0x83, 0x84,
]);
// Import machinery does not insist on identifiers (`a-b.py` imports), so only whitespace, control
// characters and empty names (prose, binary) rule a GLOBAL out.
const IDENTIFIER_PATH = { test: (s: string): boolean => s.length > 0 && !/\s/.test(s) && ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) };

/**
 * Analyses every pickle in a stream (pickle.load can be called again on the same file). Stops at the end
 * of data, at `maxPickles`, or at bytes that are not a pickle (reported as trailing data).
 */
export async function analysePickles(
  reader: ByteReader,
  ctx: PickleContext,
  opts: { mode: 'declared' | 'sniff'; maxPickles?: number },
): Promise<{ pickles: number; outcomes: PickleRunOutcome[] }> {
  const outcomes: PickleRunOutcome[] = [];
  let mode = opts.mode;
  while (outcomes.length < (opts.maxPickles ?? Number.MAX_SAFE_INTEGER)) {
    if (!(await reader.ensure(2)) && reader.avail() === 0) break;
    const at = reader.offset;
    const o = await analysePickleStream(reader, ctx, mode);
    outcomes.push(o);
    if (!o.complete) {
      if (outcomes.length > 1 && o.error !== undefined && o.globals === 0) {
        ctx.findings.push(finding('pickle.trailing-data', 'data after the last pickle is not a pickle', `${ctx.location}@${at}`));
      }
      break;
    }
    // Later pickles are only as trustworthy as their first bytes: the loader would stop at garbage.
    mode = 'sniff';
  }
  return { pickles: outcomes.filter((o) => o.complete).length, outcomes };
}
