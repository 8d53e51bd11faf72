import { finding } from '../rules';
import { PickleError } from './pickle-context';
import type { PickleState } from './pickle-state';
import { hashBytes, sameBytes } from './byte-keys';
import { decideGlobal } from './global-policy';
import type { GlobalDecision } from './global-policy';
import { decode, fixed, newlineAt, textLine } from './pickle-operands';
import { T, isJoblibWrapper } from './pickle-values';
import type { Value } from './pickle-values';

/** A global named by GLOBAL/INST operands, with what the policy says about it. */
interface ResolvedGlobal {
  module: string;
  name: string;
  full: string;
  decision: GlobalDecision;
  value: Value;
  /** Both names could be imported (see `importable`). */
  importable: boolean;
}

// Real pickles name the same few globals over and over (naive writers: three per tensor), so GLOBAL
// operands are looked up by a hash of their raw bytes, checked byte for byte: no string is made for a
// global seen before.
interface CachedGlobal extends ResolvedGlobal {
  raw: Buffer;
}
const resolvedByOperands = new Map<number, CachedGlobal>();
const MAX_CACHED = 10_000;

// Import machinery does not insist on identifiers (`a-b.py` imports), so only whitespace, control
// characters and empty names (prose, binary) rule a GLOBAL out.
function importable(s: string): boolean {
  if (s.length === 0 || /\s/.test(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

function resolve(module: string, name: string): ResolvedGlobal {
  const full = `${module}.${name}`;
  return {
    module,
    name,
    full,
    decision: decideGlobal(module, name),
    value: { t: T.Global, full },
    importable: importable(module) && importable(name),
  };
}

/** The global named by the operand lines in buf[start, end) (module, newline, name). */
function resolveOperands(buf: Buffer, start: number, split: number, end: number): ResolvedGlobal {
  const h = hashBytes(buf, start, end);
  const hit = resolvedByOperands.get(h);
  if (hit !== undefined && sameBytes(hit.raw, buf, start, end)) return hit;
  const g = resolve(decode(buf, start, split, 'latin1'), decode(buf, split + 1, end, 'latin1'));
  // Lines cannot hold a newline, so these bytes name exactly this global; on a hash collision the
  // first entry stays and the other global is resolved every time.
  if (hit === undefined && resolvedByOperands.size < MAX_CACHED)
    resolvedByOperands.set(h, { ...g, raw: Buffer.from(buf.subarray(start, end)) });
  return g;
}

/** GLOBAL and INST operands: a module line and a name line. */
export function globalOperands(m: PickleState): ResolvedGlobal | Promise<ResolvedGlobal> {
  const r = m.r;
  const start = r.pos;
  const limit = m.ctx.limits.maxLineBytes;
  const nl1 = newlineAt(r.buf, start, limit);
  const nl2 = nl1 < 0 ? -1 : newlineAt(r.buf, nl1 + 1, limit);
  if (nl2 >= 0 && nl2 - start <= limit) {
    r.pos = nl2 + 1;
    return resolveOperands(r.buf, start, nl1, nl2);
  }
  return (async () => {
    const module = await textLine(m);
    const name = await textLine(m);
    return resolve(module, name);
  })();
}

/**
 * Judges a global a loader would import, whether or not it is later called: counts it, reports it
 * when the policy denies it or does not know it, and returns its value for the stack.
 */
export function importGlobal(m: PickleState, g: ResolvedGlobal, offset: number, how: string): Value {
  // In sniff mode, text that merely starts like GLOBAL/INST (a README beginning with "c") is not a
  // pickle unless the operands could name an importable module and attribute.
  if (m.sniff && how !== 'STACK_GLOBAL' && !g.importable) {
    throw new PickleError('GLOBAL operands are not a module and attribute name');
  }
  m.outcome.globals++;
  m.outcome.referenced.add(g.full);
  if (isJoblibWrapper(g.full)) m.joblib = true;
  const d = g.decision;
  if (d.kind === 'denied') {
    m.ctx.findings.push(
      finding('pickle.global.denied', `${how} imports ${g.full}: ${d.reason}`, m.loc(offset), d.severity),
    );
  } else if (d.kind === 'unknown') {
    m.ctx.findings.push(
      finding('pickle.global.unknown', `${how} imports ${g.full}, which is not on the allowlist`, m.loc(offset)),
    );
  }
  return g.value;
}

/** STACK_GLOBAL: module and name come from the stack (any string value, the memo included). */
export function stackGlobal(m: PickleState, offset: number): Value {
  const name = m.pop();
  const module = m.pop();
  if (module.t !== T.Str || name.t !== T.Str || module.v === undefined || name.v === undefined) {
    m.outcome.globals++;
    m.ctx.findings.push(
      finding(
        'pickle.global.unresolved',
        'STACK_GLOBAL operands are not strings the scanner can resolve',
        m.loc(offset),
      ),
    );
    return { t: T.Global, full: '?' };
  }
  return importGlobal(m, resolve(module.v, name.v), offset, 'STACK_GLOBAL');
}

/** EXT1/2/4: a global looked up in the copyreg extension registry by code. */
export function extension(m: PickleState, op: number, offset: number): Value {
  const r = m.r;
  const n = op === 0x82 ? 1 : op === 0x83 ? 2 : 4;
  fixed(m, n);
  const code = n === 1 ? (r.buf[r.pos] as number) : n === 2 ? r.buf.readUInt16LE(r.pos) : r.buf.readInt32LE(r.pos);
  r.pos += n;
  m.outcome.globals++;
  m.ctx.findings.push(
    finding(
      'pickle.ext-opcode',
      `EXT${n} code ${code} resolves a global through the copyreg extension registry`,
      m.loc(offset),
    ),
  );
  return { t: T.Global, full: `copyreg.extension[${code}]` };
}
