import type { Severity } from '@mlsecops/contracts';
import type { ModelFinding } from './scan-result';

/**
 * How a rule affects the verdict: `block` findings make a file unsafe when their severity is medium or
 * above, `inconclusive` findings make it inconclusive whatever their severity (fail closed).
 */
export type RuleKind = 'block' | 'inconclusive';

export interface RuleDef {
  severity: Severity;
  kind: RuleKind;
  title: string;
  atlas: readonly string[];
  owasp: readonly string[];
}

// MITRE ATLAS and OWASP ML Top 10 ids of the threat model's "Model serialization attacks".
const SERIALIZATION_ATLAS = ['AML.T0011.000', 'AML.T0010.003', 'AML.M0016'] as const;
const SERIALIZATION_OWASP = ['ML06', 'ML10'] as const;
const TAMPER_ATLAS = ['AML.T0010.003', 'AML.T0018.002', 'AML.M0014'] as const;

function rule(
  severity: Severity,
  kind: RuleKind,
  title: string,
  atlas: readonly string[] = SERIALIZATION_ATLAS,
): RuleDef {
  return { severity, kind, title, atlas, owasp: SERIALIZATION_OWASP };
}

/** The rule catalogue: every finding the scanner can raise. Ids are stable (SARIF rule ids). */
export const RULES = {
  'pickle.global.denied': rule('critical', 'block', 'Pickle imports a callable that can run code or import by name'),
  'pickle.global.unknown': rule('medium', 'block', 'Pickle imports a global that is not on the allowlist'),
  'pickle.global.unresolved': rule(
    'high',
    'inconclusive',
    'Pickle builds a global name the scanner cannot resolve statically',
  ),
  'pickle.joblib-companion-file': rule(
    'high',
    'block',
    'joblib pickle loads a NumPy file by path with allow_pickle=True (legacy NDArrayWrapper)',
  ),
  'pickle.ext-opcode': rule('high', 'block', 'Pickle uses the extension registry (EXT1/2/4) to reach a global'),
  'pickle.dunder-overwrite': rule('high', 'block', 'Pickle sets a dunder key or attribute such as __builtins__'),
  'pickle.nested-pickle': rule('critical', 'block', 'Pickle passes embedded serialized bytes to a deserializer'),
  'pickle.parse-error': rule(
    'high',
    'inconclusive',
    'Pickle stream cannot be parsed (malformed, truncated or unknown opcode)',
  ),
  'pickle.trailing-data': rule('info', 'block', 'Bytes after the last pickle are not a pickle'),
  'scan.limit-exceeded': rule('high', 'inconclusive', 'A scan limit was exceeded; the rest was not analysed'),
  'scan.io-error': rule('high', 'inconclusive', 'The file or a member could not be read'),
  'format.unknown': rule('medium', 'inconclusive', 'Binary content of an unknown format'),
  'tensor-data.declared': rule(
    'info',
    'block',
    'Raw tensor data a model beside it declares (ONNX external data, TensorFlow variables)',
  ),
  'format.extension-mismatch': rule('medium', 'block', 'File extension and content disagree', TAMPER_ATLAS),
  'zip.name-mismatch': rule(
    'high',
    'block',
    'Zip central directory and local header disagree on a member name',
    TAMPER_ATLAS,
  ),
  'zip.flag-bits': rule(
    'high',
    'block',
    'Zip member uses encryption or unusual general-purpose flag bits',
    TAMPER_ATLAS,
  ),
  'zip.crc-mismatch': rule('high', 'block', 'Zip member CRC-32 does not match its content', TAMPER_ATLAS),
  'zip.duplicate-name': rule('high', 'block', 'Zip archive holds two members with the same name', TAMPER_ATLAS),
  'zip.malformed': rule('high', 'inconclusive', 'Zip structure is malformed or a member is unreadable', TAMPER_ATLAS),
  'archive.path-traversal': rule(
    'high',
    'block',
    'Archive member path is absolute or escapes the extraction directory',
    TAMPER_ATLAS,
  ),
  'archive.symlink': rule(
    'high',
    'block',
    'Archive member or directory entry is a symbolic or hard link',
    TAMPER_ATLAS,
  ),
  'archive.bomb': rule('high', 'inconclusive', 'Archive expands beyond the size or ratio bounds (decompression bomb)'),
  'keras.lambda-layer': rule('critical', 'block', 'Keras model contains a Lambda layer (serialized Python code)'),
  'keras.custom-object': rule('medium', 'block', 'Keras model references a custom or registered object'),
  'keras.foreign-module': rule('high', 'block', 'Keras config references a module outside Keras'),
  'tf.dangerous-op': rule('critical', 'block', 'TensorFlow graph uses an op that touches files, processes or Python'),
  'onnx.external-data-traversal': rule(
    'critical',
    'block',
    'ONNX external data location is absolute or escapes the model directory',
    ['AML.T0010.003', 'AML.T0058', 'AML.M0016'],
  ),
  'onnx.custom-domain': rule('medium', 'block', 'ONNX model uses a custom operator domain'),
  'safetensors.invalid': rule(
    'high',
    'inconclusive',
    'safetensors header is invalid (offsets, overlaps, dtype/shape or length)',
    TAMPER_ATLAS,
  ),
  'gguf.template-injection': rule('critical', 'block', 'GGUF chat template contains template-injection patterns', [
    'AML.T0011.000',
    'AML.T0076',
    'AML.M0016',
  ]),
  'gguf.malformed': rule('high', 'inconclusive', 'GGUF header or metadata is malformed', TAMPER_ATLAS),
  'numpy.object-array': rule('low', 'block', 'NumPy array of object dtype embeds a pickle'),
  'numpy.malformed': rule('high', 'inconclusive', 'NumPy header is malformed'),
  'keras.malformed': rule('high', 'inconclusive', 'Keras config is malformed or missing'),
  'protobuf.malformed': rule('high', 'inconclusive', 'Protobuf message is malformed'),
  'compressed.malformed': rule(
    'high',
    'inconclusive',
    'Compressed stream (bzip2, xz, lzma, lz4) is corrupt, truncated or unsupported',
  ),
  'tflite.custom-op': rule(
    'medium',
    'block',
    'TFLite model uses a custom operator that needs a native kernel registered by the loader',
  ),
  'tflite.malformed': rule('high', 'inconclusive', 'TFLite FlatBuffer is malformed', TAMPER_ATLAS),
  'msgpack.pickle-payload': rule(
    'critical',
    'block',
    'msgpack value is an object array that msgpack-numpy decodes with pickle.loads',
  ),
  'msgpack.unknown-ext': rule(
    'medium',
    'block',
    'msgpack extension type that a loader ext_hook may turn into an object',
  ),
  'msgpack.malformed': rule('high', 'inconclusive', 'msgpack data is malformed or nested too deep', TAMPER_ATLAS),
} as const satisfies Record<string, RuleDef>;

export type RuleId = keyof typeof RULES;

/** Builds a finding of `ruleId`; severity defaults to the rule's and can be raised or lowered per case. */
export function finding(ruleId: RuleId, message: string, location: string, severity?: Severity): ModelFinding {
  const def: RuleDef = RULES[ruleId];
  return {
    ruleId,
    severity: severity ?? def.severity,
    message,
    location,
    atlas: [...def.atlas],
    owasp: [...def.owasp],
  };
}
