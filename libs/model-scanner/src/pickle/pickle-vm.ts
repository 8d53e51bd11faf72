import { TruncatedError } from '../io/byte-reader';
import type { ByteReader } from '../io/byte-reader';
import { finding } from '../rules';
import { PickleError, PickleLimitError } from './pickle-context';
import type { PickleContext, PickleRunOutcome } from './pickle-context';
import { fastPickle, GIVE_UP, NEEDS_MORE } from './fast-pickle';
import { runPickle } from './pickle-dispatch';
import { PickleState } from './pickle-state';

export { DEFAULT_PICKLE_LIMITS } from './pickle-context';
export type { PickleContext, PickleLimits, PickleRunOutcome } from './pickle-context';

/**
 * Analyses one pickle from the reader's position. In `sniff` mode (bytes that merely might be a pickle)
 * a stream the unpickler would reject before it referenced any callable is "not a pickle"; in `declared`
 * mode every parse failure is reported. Throws nothing for bad input.
 */
export async function analysePickleStream(
  reader: ByteReader,
  ctx: PickleContext,
  mode: 'declared' | 'sniff',
): Promise<PickleRunOutcome> {
  const outcome: PickleRunOutcome = { complete: false, globals: 0, ops: 0, referenced: new Set() };
  const start = reader.offset;
  const mark = ctx.findings.length;
  const fast = await fastPass(reader, ctx);
  if (fast !== undefined) return fast;
  try {
    await runPickle(new PickleState(reader, ctx, mode === 'sniff', outcome, declaredSubPickle));
  } catch (e: unknown) {
    if (!(e instanceof PickleError) && !(e instanceof TruncatedError)) throw e;
    outcome.error = e.message;
    outcome.errorOffset = reader.offset;
    if (e instanceof PickleLimitError) {
      ctx.findings.push(
        finding('scan.limit-exceeded', `pickle starting at ${start}: ${e.message}`, `${ctx.location}@${reader.offset}`),
      );
      return outcome;
    }
    if (mode === 'sniff' && outcome.globals === 0) {
      ctx.findings.length = mark;
      return outcome;
    }
    ctx.findings.push(
      finding(
        'pickle.parse-error',
        `pickle starting at ${start} cannot be parsed: ${e.message}`,
        `${ctx.location}@${reader.offset}`,
      ),
    );
  }
  return outcome;
}

// The fast pass buffers up to this much of a stream; a pickle that runs on past it goes to the full machine
// (which streams it in bounded memory).
const FAST_PASS_MAX = 4 << 20;

/**
 * The fast pass (`fast-pickle`) over the pickle at the reader's position: its outcome when it proves the
 * pickle benign (the reader then stands past STOP), else undefined with the reader untouched.
 */
async function fastPass(reader: ByteReader, ctx: PickleContext): Promise<PickleRunOutcome | undefined> {
  const left = reader.length === undefined ? undefined : reader.length - reader.offset;
  // Known to fit: buffer it all first rather than run over a partial buffer and start again.
  if (left !== undefined && left <= FAST_PASS_MAX && reader.avail() < left) await reader.ensure(left);
  for (;;) {
    const r = fastPickle(reader.buf, reader.pos, reader.complete(), ctx.limits);
    if (r === GIVE_UP) return undefined;
    if (r !== NEEDS_MORE) {
      reader.pos = r.end;
      return { complete: true, globals: r.globals, ops: r.ops, referenced: r.referenced };
    }
    if (reader.avail() >= FAST_PASS_MAX) return undefined;
    // Buffer the rest when it is known to fit, else twice as much (a legacy torch file's pickles are
    // followed by its storages); at the end of the stream the next try runs with `complete` set, so this
    // loop always ends.
    await reader.ensure(
      left !== undefined && left <= FAST_PASS_MAX ? left : Math.min(FAST_PASS_MAX, reader.avail() * 2 + 1),
    );
  }
}

function declaredSubPickle(reader: ByteReader, ctx: PickleContext): Promise<PickleRunOutcome> {
  return analysePickleStream(reader, ctx, 'declared');
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
        ctx.findings.push(
          finding('pickle.trailing-data', 'data after the last pickle is not a pickle', `${ctx.location}@${at}`),
        );
      }
      break;
    }
    // Later pickles are only as trustworthy as their first bytes: the loader would stop at garbage.
    mode = 'sniff';
  }
  return { pickles: outcomes.filter((o) => o.complete).length, outcomes };
}
