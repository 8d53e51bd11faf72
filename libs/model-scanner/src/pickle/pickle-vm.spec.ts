import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader } from '../io/byte-reader';
import { generatedFixtures, removeGeneratedFixtures } from '../fixtures.test-helpers';
import type { ModelFinding } from '../scan-result';
import { decideGlobal } from './global-policy';
import { DEFAULT_PICKLE_LIMITS, analysePickles, analysePickleStream } from './pickle-vm';
import type { PickleLimits } from './pickle-vm';

const bin = (...parts: Array<string | number[] | Buffer>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

async function run(bytes: Buffer, mode: 'declared' | 'sniff' = 'declared', limits: Partial<PickleLimits> = {}) {
  const findings: ModelFinding[] = [];
  const ctx = { findings, limits: { ...DEFAULT_PICKLE_LIMITS, ...limits }, location: 't', depth: 0 };
  const res = await analysePickles(new ByteReader(bytes), ctx, { mode });
  return { findings, rules: findings.map((f) => f.ruleId), res };
}

/** A reader fed one byte per chunk: every operand straddles a refill. */
async function* dribble(b: Buffer): AsyncIterable<Buffer> {
  for (let i = 0; i < b.length; i++) yield await Promise.resolve(b.subarray(i, i + 1));
}

afterAll(removeGeneratedFixtures);

describe('decideGlobal', () => {
  it.each([
    ['os', 'system'],
    ['posix', 'system'],
    ['nt', 'system'],
    ['os.path', 'join'],
    ['subprocess', 'Popen'],
    ['builtins', 'eval'],
    ['builtins', 'getattr'],
    ['__builtin__', 'exec'],
    ['exceptions', 'open'],
    ['random', '_os.system'],
    ['numpy', 'testing._private.utils.runstring'],
    ['torch', 'load'],
    ['torch.storage', '_load_from_bytes'],
    ['pkgutil', 'resolve_name'],
    ['pydoc', 'locate'],
    ['operator', 'attrgetter'],
    ['_operator', 'methodcaller'],
    ['pip', 'main'],
    ['pip._internal.cli.main', 'main'],
    ['asyncio.unix_events', '_UnixSubprocessTransport'],
    ['sklearn.utils', 'os.system'],
    ['collections', 'OrderedDict.__init__'],
    ['numpy.core', '_ufunc_reconstruct'],
    ['numpy._core', '_ufunc_reconstruct'],
    ['numpy', 'load'],
  ])('denies %s.%s as critical', (m, n) => {
    expect(decideGlobal(m, n)).toMatchObject({ kind: 'denied', severity: 'critical' });
  });

  it.each([
    ['collections', 'OrderedDict'],
    ['torch._utils', '_rebuild_tensor_v2'],
    ['torch', 'FloatStorage'],
    ['torch', 'bfloat16'],
    ['numpy.core.multiarray', '_reconstruct'],
    ['numpy', 'dtype'],
    ['sklearn.linear_model._logistic', 'LogisticRegression'],
    ['_codecs', 'encode'],
    ['builtins', 'set'],
    // What real scikit-learn, pandas and SciPy pickles name (real-pickles.spec writes them).
    ['numpy', 'float64'],
    ['numpy', 'log1p'],
    ['numpy.dtypes', 'Float64DType'],
    ['numpy.random.bit_generator', '__pyx_unpickle_SeedSequence'],
    ['sklearn.ensemble._hist_gradient_boosting.binning', '_BinMapper'],
    ['sklearn.neighbors._kd_tree', 'newObj'],
    ['scipy.sparse._csr', 'csr_matrix'],
    ['pandas.core.frame', 'DataFrame'],
    ['pandas._libs.internals', '_unpickle_block'],
    ['pandas._libs.sparse', 'IntIndex'],
    ['pytz', '_p'],
    // What torch's weights-only unpickler allows, and legacy joblib/NumPy array subclasses.
    ['torch', 'Tensor'],
    ['torch', 'FloatTensor'],
    ['torch.cuda', 'HalfTensor'],
    ['torch.cuda', 'FloatStorage'],
    ['torch', 'uint4'],
    ['torch', 'float8_e5m2fnuz'],
    ['torch', 'per_channel_symmetric'],
    ['torch._utils', '_rebuild_device_tensor_from_cpu_tensor'],
    ['numpy.matrixlib.defmatrix', 'matrix'],
    ['numpy.ma.core', 'MaskedArray'],
    ['numpy.core._internal', '_reconstruct'],
    ['joblib.numpy_pickle', 'ZNDArrayWrapper'],
  ])('allows %s.%s', (m, n) => {
    expect(decideGlobal(m, n)).toEqual({ kind: 'allowed' });
  });

  it('leaves other globals unknown (a finding, never allowed)', () => {
    expect(decideGlobal('mypkg.models', 'Net')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('sklearn.utils', 'helper_function')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('torch.nn.modules.linear', 'Linear.forward')).toEqual({ kind: 'unknown' });
    // Only the libraries' math and data-structure names: their file readers stay unknown.
    expect(decideGlobal('numpy', 'fromfile')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('numpy', 'memmap')).toEqual({ kind: 'unknown' });
    // Tensor-class and dtype patterns stop at torch's own modules and names.
    expect(decideGlobal('torch.nn', 'SomeTensor')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('torch', 'int8_evil')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('torch.cuda', 'memory_snapshot')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('pandas.io.parsers.readers', 'TextFileReader')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('pandas', 'read_pickle')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('dateutil.tz.tz', 'tzfile')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('sklearnish', 'Estimator')).toEqual({ kind: 'unknown' });
    expect(decideGlobal('scipy.sparse._csr', 'save_npz')).toEqual({ kind: 'unknown' });
  });
});

describe('pickle machine', () => {
  it('knows every opcode of pickletools (protocols 0-5)', async () => {
    const { dir } = generatedFixtures();
    const codes = JSON.parse(readFileSync(join(dir, 'opcodes.json'), 'utf8')) as number[];
    expect(codes.length).toBeGreaterThanOrEqual(68);
    for (const code of codes) {
      const { findings } = await run(Buffer.from([code]));
      expect(findings.map((f) => f.message).join(' ')).not.toMatch(/unknown opcode/);
    }
    const { findings } = await run(Buffer.from([0xff]));
    expect(findings[0]?.message).toMatch(/unknown opcode 0xff/);
  });

  it('resolves STACK_GLOBAL names from the memo and from protocol-0 STRING operands', async () => {
    const memo = bin(
      [0x80, 4, 0x8c, 2],
      'os',
      [0x94, 0x8c, 6],
      'system',
      [0x94, 0x30, 0x30, 0x68, 0, 0x68, 1, 0x93, 0x29, 0x52, 0x2e],
    );
    expect((await run(memo)).findings[0]).toMatchObject({ ruleId: 'pickle.global.denied', severity: 'critical' });
    const str = bin("S'posix'\nS'system'\n", [0x93], "S'id'\n", [0x85, 0x52, 0x2e]);
    expect((await run(str)).rules).toEqual(['pickle.global.denied']);
  });

  it('reads operands that straddle chunk boundaries', async () => {
    const p = bin([0x80, 2], 'cos\nsystem\n', [0x58, 2, 0, 0, 0], 'id', [0x85, 0x52, 0x2e]);
    const findings: ModelFinding[] = [];
    await analysePickleStream(
      new ByteReader(dribble(p)),
      { findings, limits: DEFAULT_PICKLE_LIMITS, location: 't', depth: 0 },
      'declared',
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['pickle.global.denied']);
  });

  it('treats junk after a complete pickle as trailing data, not as a failure', async () => {
    const { findings, res } = await run(bin([0x80, 2, 0x4e, 0x2e], [0xde, 0xad, 0xbe, 0xef]));
    expect(res.pickles).toBe(1);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['pickle.trailing-data', 'info']]);
  });

  it('reports a dangerous global even when the stream fails later (sniff mode)', async () => {
    const { rules } = await run(bin('cos\nsystem\n', [0xff]), 'sniff');
    expect(rules).toEqual(['pickle.global.denied', 'pickle.parse-error']);
  });

  it('does not mistake text for a pickle in sniff mode', async () => {
    expect((await run(Buffer.from('configuration notes\nsee below\n'), 'sniff')).findings).toEqual([]);
    expect((await run(Buffer.from('(this is prose)'), 'sniff')).findings).toEqual([]);
  });

  it('fails closed past the stack limit and on memo strings beyond the budget', async () => {
    const deep = Buffer.concat([Buffer.from([0x80, 2]), Buffer.alloc(200, 0x4e), Buffer.from([0x2e])]);
    expect((await run(deep, 'declared', { maxStackDepth: 100 })).rules).toEqual(['pickle.parse-error']);
    const overBudget = bin(
      [0x80, 4, 0x8c, 2],
      'os',
      [0x94, 0x8c, 6],
      'system',
      [0x94, 0x30, 0x30, 0x68, 0, 0x68, 1, 0x93, 0x2e],
    );
    expect((await run(overBudget, 'declared', { maxMemoStrings: 1 })).rules).toEqual(['pickle.global.unresolved']);
  });

  it('stops inconclusive, also in sniff mode, when the heap passes its budget', async () => {
    // 70,000 pushes (more than one memory check), then a call to os.system. The tight budget is below any
    // growth the heap can show (a collection during the run can even shrink it), so the check must fire.
    const pushes = Buffer.alloc(70_000, 0x5d);
    const bomb = bin([0x80, 2], pushes, 'cos\nsystem\n', [0x2e]);
    const tight = await run(bomb, 'sniff', { maxHeapBytes: -(2 ** 40) });
    expect(tight.rules).toEqual(['scan.limit-exceeded']);
    expect(tight.res.pickles).toBe(0);
    expect((await run(bomb, 'sniff')).rules).toEqual(['pickle.global.denied']);
  });

  it('flags dunder keys set through DICT, SETITEM and SETITEMS', async () => {
    const viaDict = bin([0x80, 2, 0x28, 0x8c, 12], '__builtins__', [0x4e, 0x64, 0x2e]);
    expect((await run(viaDict)).rules).toEqual(['pickle.dunder-overwrite']);
    const viaSetitems = bin([0x80, 2, 0x7d, 0x28, 0x8c, 10], '__reduce__', [0x4e, 0x75, 0x2e]);
    expect((await run(viaSetitems)).rules).toEqual(['pickle.dunder-overwrite']);
  });

  it('analyses bytes given to pickle.loads as a nested pickle, at bounded depth', async () => {
    const inner = bin([0x80, 2], 'cos\nsystem\n', [0x29, 0x52, 0x2e]);
    const outer = bin([0x80, 3], 'cpickle\nloads\n', [0x43, inner.length], inner, [0x85, 0x52, 0x2e]);
    const { findings } = await run(outer);
    expect(findings.map((f) => f.ruleId)).toEqual([
      'pickle.global.denied',
      'pickle.nested-pickle',
      'pickle.global.denied',
    ]);
    expect(findings[2]?.location).toMatch(/>nested@/);
  });
});
