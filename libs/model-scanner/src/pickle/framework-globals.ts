/**
 * Globals that real scikit-learn, pandas, SciPy, NumPy, XGBoost and LightGBM pickles name, beyond the
 * core allowlist in `global-policy`. Found by pickling real objects with those libraries (estimators,
 * pipelines, DataFrames with categorical and datetime columns, sparse matrices, random generators) with
 * pickle protocols 2-5 and joblib: every one of them must scan safe. Each entry is either a class (a
 * data structure or an estimator: constructing it runs no code given by the file) or a library's own
 * unpickling helper that can only rebuild its own type.
 *
 * The denylist is checked first (`decideGlobal`): nothing here can allow a path through a blocked module
 * or a dangerous attribute.
 */

const EXACT: ReadonlySet<string> = new Set([
  // NumPy random generators (Generator, RandomState and their bit generators pickle their state).
  'numpy.random.bit_generator.SeedSequence',
  'numpy.random._generator.Generator',
  'numpy.random._philox.Philox',
  'numpy.random._sfc64.SFC64',
  'numpy.random._pcg64.PCG64DXSM',
  // scikit-learn's Cython trees and metrics pickle through `newObj(cls)`, which only calls cls.__new__
  // (cls is a global judged on its own).
  'sklearn.neighbors._kd_tree.newObj',
  'sklearn.neighbors._ball_tree.newObj',
  'sklearn.neighbors._binary_tree.newObj',
  'sklearn.neighbors._dist_metrics.newObj',
  'sklearn.neighbors.kd_tree.newObj',
  'sklearn.neighbors.ball_tree.newObj',
  'sklearn.neighbors.dist_metrics.newObj',
  'sklearn.metrics._dist_metrics.newObj',
  // pandas' reconstructors for frames, series, indexes, blocks and timestamps.
  'pandas.core.indexes.base._new_Index',
  'pandas.core.indexes.datetimes._new_DatetimeIndex',
  'pandas.core.indexes.period._new_PeriodIndex',
  'pandas.core.internals.blocks.new_block',
  'pandas._libs.internals._unpickle_block',
  'pandas._libs.tslibs.timestamps._unpickle_timestamp',
  'pandas._libs.tslibs.timedeltas._timedelta_unpickle',
  'pandas._libs.tslibs.nattype.__nat_unpickle',
  'pandas.core.frame.DataFrame',
  'pandas.core.series.Series',
  'pandas._libs.missing.NA',
  // Time zones of datetime columns: pytz and dateutil rebuild a zone by name or offset (not from a
  // file path: dateutil's tzfile, which opens one, is not here).
  'pytz._p',
  'pytz._UTC',
  'dateutil.tz.tz.tzutc',
  'dateutil.tz.tz.tzoffset',
  'dateutil.tz.tz.tzlocal',
  // Boosters pickle their model as bytes that the library's C code parses.
  'xgboost.core.Booster',
  'lightgbm.basic.Booster',
]);

/** NumPy's scalar types, which estimators keep as their `dtype` attribute (`numpy.float64`). */
const NUMPY_SCALAR_TYPES: ReadonlySet<string> = new Set([
  'bool_',
  'bool',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'intc',
  'uintc',
  'intp',
  'uintp',
  'int_',
  'uint',
  'long',
  'ulong',
  'longlong',
  'ulonglong',
  'short',
  'ushort',
  'byte',
  'ubyte',
  'half',
  'single',
  'double',
  'longdouble',
  'float16',
  'float32',
  'float64',
  'float96',
  'float128',
  'float_',
  'complex64',
  'complex128',
  'complex192',
  'complex256',
  'complex_',
  'csingle',
  'cdouble',
  'clongdouble',
  'str_',
  'bytes_',
  'unicode_',
  'string_',
  'object_',
  'void',
  'datetime64',
  'timedelta64',
]);

/**
 * NumPy's math functions, which pipelines hold as transforms (`FunctionTransformer(numpy.log1p)`): pure
 * arithmetic on their arguments. NumPy's file and import functions (`load`, `fromfile`, `memmap`...)
 * are not here.
 */
const NUMPY_MATH_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'abs absolute negative positive sign sqrt cbrt square reciprocal exp exp2 expm1 log log2 log10 log1p ' +
    'sin cos tan arcsin arccos arctan arctan2 hypot sinh cosh tanh arcsinh arccosh arctanh deg2rad rad2deg ' +
    'floor ceil trunc rint round around clip maximum minimum fmax fmin add subtract multiply divide ' +
    'true_divide floor_divide power float_power mod remainder fmod mean median average sum prod std var ' +
    'min max amin amax nanmean nanmedian nansum nanprod nanstd nanvar nanmin nanmax argmax argmin isnan ' +
    'isfinite isinf logical_not logical_and logical_or cumsum cumprod diff'
  ).split(' '),
);

/** Packages (and their submodules) whose class-like names are estimators, layers, containers or array types. */
const CLASS_PACKAGES = [
  'sklearn',
  'torch.nn.modules',
  'xgboost.sklearn',
  'lightgbm.sklearn',
  'scipy.sparse',
  'pandas.core.arrays',
  'pandas.core.indexes',
  'pandas.core.dtypes',
  'pandas.core.internals',
  'pandas._libs.tslibs',
  'pandas._libs.sparse',
];
/** A class name, private ones included (`_BinMapper`). */
const CLASS_NAME = /^_?[A-Z][A-Za-z0-9_]*$/;
/** SciPy's sparse containers are lower-case classes (`csr_matrix`, `coo_array`). */
const SPARSE_CONTAINER = /^[a-z]{3}_(matrix|array)$/;
/** NumPy dtype classes (`numpy.dtypes.Float64DType`). */
const DTYPE_CLASS = /^[A-Z][A-Za-z0-9]*DType$/;
/** Cython's generated unpickler of one extension class, which rebuilds only that class. */
const CYTHON_UNPICKLE = /^__pyx_unpickle_[A-Za-z][A-Za-z0-9_]*$/;
const CYTHON_UNPICKLE_PACKAGES = ['sklearn', 'pandas._libs', 'numpy.random'];

/** `module` is `pkg` or one of its submodules. */
function inPackage(module: string, pkg: string): boolean {
  return module === pkg || (module.startsWith(pkg) && module.charCodeAt(pkg.length) === 0x2e);
}

/** True when `module.name` (a single attribute) is one of the framework globals above. */
export function isFrameworkGlobal(module: string, name: string): boolean {
  if (EXACT.has(`${module}.${name}`)) return true;
  if (module === 'numpy') return NUMPY_SCALAR_TYPES.has(name) || NUMPY_MATH_FUNCTIONS.has(name);
  if (module === 'numpy.dtypes') return DTYPE_CLASS.test(name);
  if (CYTHON_UNPICKLE.test(name)) return CYTHON_UNPICKLE_PACKAGES.some((p) => inPackage(module, p));
  if (inPackage(module, 'scipy.sparse') && SPARSE_CONTAINER.test(name)) return true;
  return CLASS_NAME.test(name) && CLASS_PACKAGES.some((p) => inPackage(module, p));
}
