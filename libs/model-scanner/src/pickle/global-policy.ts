import type { Severity } from '@mlsecops/contracts';
import { isFrameworkGlobal } from './framework-globals';

/** What the policy says about one global reference (`module` + possibly dotted `name`). */
export type GlobalDecision =
  { kind: 'allowed' } | { kind: 'denied'; severity: Severity; reason: string } | { kind: 'unknown' };

/**
 * Modules that can run code, import by name, spawn processes, reach the network or the file system.
 * Every submodule and every attribute path under them is denied too (`os.path.join`, `subprocess.Popen`).
 */
const DENIED_MODULES: ReadonlySet<string> = new Set([
  'os',
  'posix',
  'nt',
  'subprocess',
  '_posixsubprocess',
  'sys',
  'runpy',
  'pty',
  'importlib',
  'imp',
  'pkgutil',
  'pydoc',
  'pip',
  '_pip',
  'ctypes',
  '_ctypes',
  'socket',
  '_socket',
  'webbrowser',
  'shutil',
  'cProfile',
  'profile',
  'trace',
  'timeit',
  'code',
  'codeop',
  'idlelib',
  'lib2to3',
  'doctest',
  'marshal',
  'pickle',
  '_pickle',
  'cPickle',
  'dill',
  'cloudpickle',
  'types',
  'operator',
  '_operator',
  'functools',
  'asyncio',
  'multiprocessing',
  'threading',
  '_thread',
  'signal',
  'bdb',
  'pdb',
  'platform',
  'commands',
  'popen2',
  'distutils',
  'setuptools',
  'ensurepip',
  'venv',
  'zipimport',
  'urllib',
  'urllib2',
  'http',
  'httplib',
  'requests',
  'ftplib',
  'smtplib',
  'telnetlib',
  'xmlrpc',
  'ssl',
  'select',
  'tempfile',
  'io',
  '_io',
  'pathlib',
  'glob',
  'fileinput',
  'linecache',
  'tarfile',
  'zipfile',
  'sqlite3',
  'gc',
  'inspect',
  'ast',
  'site',
  'sysconfig',
  'getpass',
  'shelve',
  'dbm',
  'mmap',
  'fcntl',
  'resource',
  'syslog',
  'logging.config',
  'unittest',
  'test',
  'numpy.testing',
  'numpy.f2py',
  'numpy.distutils',
  'torch.hub',
  'torch.jit',
  'torch.utils.cpp_extension',
  'torch._dynamo',
  'torch._inductor',
  'torch.package',
  'torch.distributed',
  'torch.fx',
  'torch.utils.bottleneck',
  'torch.utils.collect_env',
  'torch.compiler',
  'torch.multiprocessing',
  'torch.storage._load_from_bytes',
  'keras.utils',
  'tensorflow.io',
  'tensorflow.python.ops.script_ops',
  'jinja2',
  'mako',
  'IPython',
  'ipykernel',
  'nturl2path',
]);

/** Builtins (py3 `builtins`, py2 `__builtin__`) that evaluate code, import, or reach arbitrary attributes. */
const DANGEROUS_BUILTINS: ReadonlySet<string> = new Set([
  'eval',
  'exec',
  'execfile',
  'compile',
  '__import__',
  'getattr',
  'setattr',
  'delattr',
  'open',
  'input',
  'raw_input',
  'breakpoint',
  'globals',
  'locals',
  'vars',
  'help',
  'reload',
  'memoryview',
  'super',
  'type',
  'classmethod',
  'staticmethod',
  'property',
  'exit',
  'quit',
  'copyright',
  'credits',
  'license',
  'file',
  'apply',
  'dir',
  'print',
]);

/** Attribute names that mean "code" wherever they appear in a dotted path (`random._os.system`). */
const DANGEROUS_ATTRIBUTES: ReadonlySet<string> = new Set([
  'system',
  'popen',
  'popen2',
  'popen3',
  'popen4',
  'spawn',
  'spawnl',
  'spawnv',
  'execv',
  'execve',
  'execl',
  'execlp',
  'execvp',
  'fork',
  'forkpty',
  'startfile',
  'check_output',
  'check_call',
  'run',
  'call',
  'Popen',
  'getoutput',
  'getstatusoutput',
  'eval',
  'exec',
  'compile',
  '__import__',
  'import_module',
  'load_module',
  'exec_module',
  'run_path',
  'run_module',
  'resolve_name',
  'locate',
  // numpy's ufunc unpickler of old: __import__(module) then getattr(name), an import-by-name gadget.
  '_ufunc_reconstruct',
  'loads',
  'load',
  'attrgetter',
  'methodcaller',
  'getattr',
  'setattr',
  '__builtins__',
  '__globals__',
  '__code__',
  '__subclasses__',
  '__getattribute__',
  '__reduce__',
  '__reduce_ex__',
  '__class__',
  '__dict__',
  '__self__',
  '__func__',
  '__init__',
  'runcode',
  'runsource',
  'interact',
  'runctx',
  'runcall',
  'main',
  'remove',
  'unlink',
  'rmtree',
  'rmdir',
  'kill',
  'write',
  'write_text',
  'write_bytes',
  'urlopen',
  'urlretrieve',
  'create_connection',
  'CodeType',
  'FunctionType',
  'LambdaType',
  'rmdir',
  'removedirs',
  'chmod',
  'chown',
  'symlink',
  'rename',
  'replace',
  'truncate',
  'mkdir',
]);

/** Module aliases that often hide behind another module's attributes (`random._os`, `numpy.os`). */
const MODULE_ALIASES: ReadonlySet<string> = new Set([
  'os',
  '_os',
  'sys',
  '_sys',
  'subprocess',
  '_subprocess',
  'builtins',
  '__builtins__',
  '__builtin__',
  'posix',
  'nt',
  'shutil',
  'importlib',
  'socket',
  'ctypes',
  'pickle',
  'marshal',
  'runpy',
  'pty',
  'operator',
]);

/** Exact globals known to be harmless in real models. */
const ALLOWED_GLOBALS: ReadonlySet<string> = new Set([
  'collections.OrderedDict',
  'collections.defaultdict',
  'collections.deque',
  'collections.Counter',
  'copyreg._reconstructor',
  'copy_reg._reconstructor',
  '_codecs.encode',
  'builtins.set',
  'builtins.frozenset',
  'builtins.slice',
  'builtins.range',
  'builtins.complex',
  'builtins.bytearray',
  'builtins.dict',
  'builtins.list',
  'builtins.tuple',
  'builtins.int',
  'builtins.float',
  'builtins.bool',
  'builtins.str',
  'builtins.bytes',
  'builtins.object',
  '__builtin__.set',
  '__builtin__.frozenset',
  '__builtin__.bytes',
  '__builtin__.range',
  '__builtin__.xrange',
  '__builtin__.slice',
  '__builtin__.complex',
  '__builtin__.object',
  '__builtin__.dict',
  '__builtin__.list',
  '__builtin__.tuple',
  '__builtin__.int',
  '__builtin__.float',
  '__builtin__.long',
  '__builtin__.bool',
  '__builtin__.unicode',
  '__builtin__.str',
  '__builtin__.bytearray',
  'datetime.datetime',
  'datetime.date',
  'datetime.time',
  'datetime.timedelta',
  'datetime.timezone',
  'decimal.Decimal',
  'fractions.Fraction',
  'numpy.core.multiarray._reconstruct',
  // NumPy before 1.0 (old Python 2 object arrays): ndarray.__new__(subtype, shape, dtype).
  'numpy.core._internal._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
  'numpy.core.numeric._frombuffer',
  'numpy._core.numeric._frombuffer',
  'numpy.ma.core._mareconstruct',
  'numpy.ma.core.MaskedArray',
  'numpy.matrixlib.defmatrix.matrix',
  'numpy.matrix',
  'numpy.random._pickle.__randomstate_ctor',
  'numpy.random._pickle.__bit_generator_ctor',
  'numpy.random._pickle.__generator_ctor',
  'numpy.random.mtrand.RandomState',
  'numpy.random._mt19937.MT19937',
  'numpy.random._pcg64.PCG64',
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'joblib.numpy_pickle.NDArrayWrapper',
  'joblib.numpy_pickle.ZNDArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch._utils._rebuild_qtensor',
  'torch._utils._rebuild_sparse_tensor',
  'torch._utils._rebuild_device_tensor_from_numpy',
  'torch._utils._rebuild_meta_tensor_no_storage',
  'torch._utils._rebuild_wrapper_subclass',
  'torch._utils._rebuild_nested_tensor',
  'torch._tensor._rebuild_from_type_v2',
  'torch._tensor._rebuild_from_type',
  'torch.nn.parameter.Parameter',
  'torch.Size',
  'torch.device',
  'torch.storage.UntypedStorage',
  'torch.storage.TypedStorage',
  'torch.serialization._get_layout',
  'torch.strided',
  'torch.sparse_coo',
  'torch.per_tensor_affine',
  'torch.per_channel_affine',
  'torch.float32',
  'torch.float',
  'torch.float64',
  'torch.double',
  'torch.float16',
  'torch.half',
  'torch.bfloat16',
  'torch.int8',
  'torch.uint8',
  'torch.int16',
  'torch.short',
  'torch.int32',
  'torch.int',
  'torch.int64',
  'torch.long',
  'torch.bool',
  'torch.complex64',
  'torch.complex128',
  'torch.qint8',
  'torch.quint8',
  'torch.qint32',
  'torch.float8_e4m3fn',
  'torch.float8_e5m2',
  // The rest of what torch's own weights-only unpickler allows (torch/_weights_only_unpickler.py:
  // dtypes, layouts, quantization schemes, the Tensor class, one more rebuild function).
  'torch.Tensor',
  'torch._utils._rebuild_device_tensor_from_cpu_tensor',
  'torch.float8_e4m3fnuz',
  'torch.float8_e5m2fnuz',
  'torch.float8_e8m0fnu',
  'torch.float4_e2m1fn_x2',
  'torch.complex32',
  'torch.chalf',
  'torch.cfloat',
  'torch.cdouble',
  'torch.uint16',
  'torch.uint32',
  'torch.uint64',
  'torch.quint4x2',
  'torch.quint2x4',
  'torch.bits1x8',
  'torch.bits2x4',
  'torch.bits4x2',
  'torch.bits8',
  'torch.bits16',
  'torch.sparse_csr',
  'torch.sparse_csc',
  'torch.sparse_bsr',
  'torch.sparse_bsc',
  'torch.jagged',
  'torch.per_tensor_symmetric',
  'torch.per_channel_symmetric',
  'torch.per_channel_affine_float_qparams',
]);

const TORCH_STORAGE = /^[A-Z][A-Za-z0-9]*Storage$/;
// Sub-byte dtypes (`torch.uint1` .. `torch.uint7`, `torch.int1` .. `torch.int7`) and the legacy tensor
// classes (`torch.FloatTensor`, `torch.cuda.HalfTensor`, `torch.sparse.FloatTensor`): data types and
// constructors of tensors, as torch's weights-only unpickler allows them.
const TORCH_SUB_BYTE_DTYPE = /^u?int[1-7]$/;
const TORCH_TENSOR_CLASS = /^[A-Z][A-Za-z0-9]*Tensor$/;
const TORCH_TENSOR_CLASS_MODULES: ReadonlySet<string> = new Set([
  'torch',
  'torch.cuda',
  'torch.sparse',
  'torch.cuda.sparse',
]);

/** Python 2 module names the unpickler maps to Python 3 ones (`_compat_pickle.IMPORT_MAPPING`, the risky part). */
const PY2_MODULES: Readonly<Record<string, string>> = {
  exceptions: 'builtins',
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  cPickle: 'pickle',
  commands: 'subprocess',
  urllib2: 'urllib.request',
  httplib: 'http.client',
  thread: '_thread',
  dummy_thread: '_dummy_thread',
  cStringIO: 'io',
  StringIO: 'io',
  SimpleHTTPServer: 'http.server',
  BaseHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  xmlrpclib: 'xmlrpc.client',
  SimpleXMLRPCServer: 'xmlrpc.server',
  SocketServer: 'socketserver',
  UserDict: 'collections',
  UserList: 'collections',
  UserString: 'collections',
  anydbm: 'dbm',
  whichdb: 'dbm',
  dbhash: 'dbm.bsd',
  gdbm: 'dbm.gnu',
  dumbdbm: 'dbm.dumb',
  _winreg: 'winreg',
};

function deniedModule(module: string): string | undefined {
  const parts = module.split('.');
  for (let i = parts.length; i > 0; i--) {
    const prefix = parts.slice(0, i).join('.');
    if (DENIED_MODULES.has(prefix)) return prefix;
  }
  return undefined;
}

/**
 * Decides one global. Order matters: a denial anywhere in the module or the attribute path wins over the
 * allowlist, so `torch.nn.modules.os.system` or `random._os.system` can never be treated as harmless.
 */
const decisions = new Map<string, GlobalDecision>();
const MAX_CACHED_DECISIONS = 50_000;

export function decideGlobal(module: string, name: string): GlobalDecision {
  // Real pickles reference the same few globals over and over (one per tensor in naive writers).
  // Length-prefixed: names from STACK_GLOBAL strings may contain any character, newlines included.
  const key = `${module.length}:${module}.${name}`;
  const cached = decisions.get(key);
  if (cached !== undefined) return cached;
  const d = decideUncached(module, name);
  if (decisions.size < MAX_CACHED_DECISIONS) decisions.set(key, d);
  return d;
}

function decideUncached(module: string, name: string): GlobalDecision {
  const mapped = PY2_MODULES[module];
  if (mapped !== undefined && mapped !== module) {
    // Judge both spellings: the loader may or may not apply the Python 2 mapping.
    const viaMapped = decideOne(mapped, name);
    if (viaMapped.kind === 'denied') return viaMapped;
  }
  return decideOne(module, name);
}

function decideOne(module: string, name: string): GlobalDecision {
  if (module.length === 0 || name.length === 0) {
    return { kind: 'denied', severity: 'high', reason: 'empty module or name' };
  }
  const attrs = name.split('.');
  const full = `${module}.${name}`;
  if (NESTED_DESERIALIZERS.has(full)) {
    return { kind: 'denied', severity: 'critical', reason: 'deserializes its argument (nested pickle)' };
  }
  const mod =
    deniedModule(full.slice(0, full.length - (attrs[attrs.length - 1]?.length ?? 0) - 1)) ?? deniedModule(module);
  if (mod !== undefined) {
    return { kind: 'denied', severity: 'critical', reason: `module "${mod}" runs code or reaches the system` };
  }
  if (module === 'builtins' || module === '__builtin__' || module === '__builtins__') {
    const head = attrs[0] ?? '';
    if (DANGEROUS_BUILTINS.has(head) || attrs.length > 1) {
      return {
        kind: 'denied',
        severity: 'critical',
        reason: `builtin "${name}" evaluates code, imports or reaches attributes`,
      };
    }
  }
  for (const attr of attrs.slice(0, -1)) {
    if (MODULE_ALIASES.has(attr)) {
      return { kind: 'denied', severity: 'critical', reason: `attribute path goes through module "${attr}"` };
    }
  }
  for (const attr of attrs) {
    if (DANGEROUS_ATTRIBUTES.has(attr) || (attr.startsWith('__') && attr.endsWith('__'))) {
      return { kind: 'denied', severity: 'critical', reason: `attribute "${attr}" executes code, imports or writes` };
    }
  }
  if (attrs.length === 1 && ALLOWED_GLOBALS.has(full)) return { kind: 'allowed' };
  if (attrs.length === 1 && (module === 'torch' || module === 'torch.cuda') && TORCH_STORAGE.test(name))
    return { kind: 'allowed' };
  if (attrs.length === 1 && module === 'torch' && TORCH_SUB_BYTE_DTYPE.test(name)) return { kind: 'allowed' };
  if (attrs.length === 1 && TORCH_TENSOR_CLASS_MODULES.has(module) && TORCH_TENSOR_CLASS.test(name))
    return { kind: 'allowed' };
  // Estimators, layers, data structures and the libraries' own unpicklers (scikit-learn, pandas...).
  if (attrs.length === 1 && isFrameworkGlobal(module, name)) return { kind: 'allowed' };
  return { kind: 'unknown' };
}

/** Callables that deserialize their argument: bytes passed to them are analysed as nested pickles. */
export const NESTED_DESERIALIZERS: ReadonlySet<string> = new Set([
  'pickle.loads',
  'pickle.load',
  '_pickle.loads',
  '_pickle.load',
  'cPickle.loads',
  'dill.loads',
  'cloudpickle.loads',
  'torch.load',
  'torch.serialization.load',
  'torch.storage._load_from_bytes',
  'joblib.load',
  'numpy.load',
  'marshal.loads',
  'pickle._loads',
]);
