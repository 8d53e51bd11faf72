import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader } from '../io/byte-reader';
import { generatedFixtures, removeGeneratedFixtures } from '../fixtures.test-helpers';
import type { ModelFinding } from '../scan-result';
import { fastPickle, GIVE_UP, NEEDS_MORE } from './fast-pickle';
import type { PickleContext, PickleRunOutcome } from './pickle-context';
import { DEFAULT_PICKLE_LIMITS } from './pickle-context';
import { runPickle } from './pickle-dispatch';
import { PickleState } from './pickle-state';

const bin = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** The full machine alone (no fast pass), from offset 0. */
async function fullMachine(
  bytes: Buffer,
): Promise<{ outcome: PickleRunOutcome; end: number; findings: ModelFinding[] }> {
  const findings: ModelFinding[] = [];
  const ctx: PickleContext = { findings, limits: DEFAULT_PICKLE_LIMITS, location: 't', depth: 0 };
  const outcome: PickleRunOutcome = { complete: false, globals: 0, ops: 0, referenced: new Set() };
  const reader = new ByteReader(bytes);
  try {
    await runPickle(new PickleState(reader, ctx, false, outcome, () => Promise.reject(new Error('nested'))));
  } catch {
    // An error means the full machine found something: the fast pass must have given up.
  }
  return { outcome, end: reader.offset, findings };
}

const fast = (b: Buffer, complete = true) => fastPickle(b, 0, complete, DEFAULT_PICKLE_LIMITS);

afterAll(removeGeneratedFixtures);

describe('fast pass', () => {
  it('agrees with the full machine on every pickle it proves benign in the generated fixtures', async () => {
    // (Verdicts of whole files, which go through this pass, are the fixture spec's.)
    const { dir } = generatedFixtures();
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(dir);
    let proved = 0;
    for (const path of files) {
      const bytes = readFileSync(path);
      const r = fast(bytes);
      if (typeof r === 'string') continue;
      proved++;
      const name = path.slice(dir.length + 1);
      // Whatever the file is, bytes the fast pass proves benign are benign to the full machine too.
      const full = await fullMachine(bytes);
      expect({ name, complete: full.outcome.complete, findings: full.findings }).toEqual({
        name,
        complete: true,
        findings: [],
      });
      expect({ name, end: r.end, ops: r.ops, globals: r.globals, referenced: [...r.referenced].sort() }).toEqual({
        name,
        end: full.end,
        ops: full.outcome.ops,
        globals: full.outcome.globals,
        referenced: [...full.outcome.referenced].sort(),
      });
    }
    expect(proved).toBeGreaterThanOrEqual(10);
  });

  it('resolves STACK_GLOBAL names through the memo, and gives up on names it cannot allow', () => {
    const allowed = bin(
      [0x80, 4, 0x8c, 11],
      'collections',
      [0x94, 0x8c, 11],
      'OrderedDict',
      [0x94, 0x30, 0x30, 0x68, 0, 0x68, 1, 0x93, 0x29, 0x52, 0x2e],
    );
    expect(fast(allowed)).toMatchObject({ globals: 1, referenced: new Set(['collections.OrderedDict']) });
    const denied = bin([0x80, 4, 0x8c, 2], 'os', [0x94, 0x8c, 6], 'system', [0x94, 0x93, 0x2e]);
    expect(fast(denied)).toBe(GIVE_UP);
    expect(fast(bin([0x80, 2], 'cmypkg\nNet\n', [0x29, 0x52, 0x2e]))).toBe(GIVE_UP);
    // STACK_GLOBAL on anything but a string the pass saw (here an int) is left to the full machine.
    expect(fast(bin([0x80, 4, 0x4b, 1, 0x4b, 2, 0x93, 0x2e]))).toBe(GIVE_UP);
  });

  it('gives up on dunder keys, text opcodes, INST, EXT and joblib arrays', () => {
    expect(fast(bin([0x80, 2, 0x7d, 0x58, 12, 0, 0, 0], '__builtins__', [0x4e, 0x73, 0x2e]))).toBe(GIVE_UP);
    expect(fast(bin("S'x'\n.", []))).toBe(GIVE_UP);
    expect(fast(bin([0x28], 'ibuiltins\nset\n', [0x2e]))).toBe(GIVE_UP);
    expect(fast(bin([0x80, 2, 0x82, 1, 0x2e]))).toBe(GIVE_UP);
    expect(fast(bin([0x80, 2], 'cjoblib.numpy_pickle\nNumpyArrayWrapper\n', [0x2e]))).toBe(GIVE_UP);
  });

  it('asks for more bytes when the buffer ends early, and gives up when the stream does', () => {
    const p = bin([0x80, 2], 'ccollections\nOrderedDict\n', [0x29, 0x52, 0x2e]);
    for (let cut = 1; cut < p.length; cut++) {
      expect(fast(p.subarray(0, cut), false)).toBe(NEEDS_MORE);
      expect(fast(p.subarray(0, cut), true)).toBe(GIVE_UP);
    }
    expect(fast(p)).toMatchObject({ end: p.length });
  });

  it('gives up on malformed streams the unpickler would reject', () => {
    expect(fast(bin([0x80, 6, 0x4e, 0x2e]))).toBe(GIVE_UP); // protocol 6
    expect(fast(bin([0x80, 2, 0x2e]))).toBe(GIVE_UP); // STOP on an empty stack
    expect(fast(bin([0x80, 2, 0x4e, 0x74, 0x2e]))).toBe(GIVE_UP); // TUPLE without MARK
    expect(fast(bin([0x80, 2, 0x68, 3, 0x2e]))).toBe(GIVE_UP); // BINGET of a key never stored
    expect(fast(bin([0x80, 2, 0x4e, 0x4e, 0x73, 0x2e]))).toBe(GIVE_UP); // SETITEM without a target
  });

  it('never reads a memo value left by an earlier run', () => {
    const puts = bin([0x80, 2], Array.from({ length: 20 }, () => [0x4e, 0x94]).flat(), [0x2e]);
    expect(typeof fast(puts)).toBe('object');
    expect(fast(bin([0x80, 2, 0x68, 5, 0x2e]))).toBe(GIVE_UP);
  });
});
