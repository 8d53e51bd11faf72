import { TruncatedError } from '../io/byte-reader';
import type { Blob } from '../io/blob';
import { LazySchema, ProtobufError, walkMessage } from '../io/protobuf-walker';
import type { FieldRule, Schema } from '../io/protobuf-walker';
import { finding } from '../rules';
import { readerFor } from '../scan-context';
import type { ScanContext } from '../scan-context';
import type { ModelFormat } from '../scan-result';

/** TensorFlow ops that read or write files, or call back into Python. */
export const DANGEROUS_TF_OPS: ReadonlySet<string> = new Set([
  'ReadFile',
  'WriteFile',
  'MatchingFiles',
  'PyFunc',
  'PyFuncStateless',
  'EagerPyFunc',
  'WholeFileReader',
  'WholeFileReaderV2',
  'DatasetToTFRecord',
  'ExperimentalDatasetToTFRecord',
  'ImmutableConst',
]);
const STANDARD_ONNX_DOMAINS: ReadonlySet<string> = new Set([
  '',
  'ai.onnx',
  'ai.onnx.ml',
  'ai.onnx.training',
  'ai.onnx.preview.training',
  'com.microsoft',
]);

const m = (schema: Schema): FieldRule => ({ kind: 'message', schema });

async function walk(blob: Blob, schema: Schema, location: string, ctx: ScanContext): Promise<void> {
  try {
    await walkMessage(readerFor(blob, ctx), schema, undefined);
  } catch (e: unknown) {
    if (!(e instanceof ProtobufError) && !(e instanceof TruncatedError)) throw e;
    ctx.findings.push(finding('protobuf.malformed', e.message, location));
  }
}

/** SavedModel (`saved_model.pb`): op names of every node, in graphs and in function libraries. */
export async function scanSavedModel(blob: Blob, location: string, ctx: ScanContext): Promise<ModelFormat> {
  const seen = new Set<string>();
  const nodeDef = new Map<number, FieldRule>([
    [
      2,
      {
        kind: 'match',
        values: DANGEROUS_TF_OPS,
        onMatch: (op, at) => {
          if (!seen.has(op)) {
            seen.add(op);
            ctx.findings.push(finding('tf.dangerous-op', `graph uses op ${op}`, `${location}@${at}`));
          }
        },
      },
    ],
  ]);
  const functionDef = new Map([[3, m(nodeDef)]]);
  const library = new Map([[1, m(functionDef)]]);
  const graphDef = new Map([
    [1, m(nodeDef)],
    [2, m(library)],
  ]);
  const metaGraph = new Map([[2, m(graphDef)]]);
  await walk(blob, new Map([[2, m(metaGraph)]]), location, ctx);
  return 'tf-savedmodel';
}

/** An external-data location that is absolute or leaves the model's directory. */
export function escapesModelDir(location: string): boolean {
  if (location.startsWith('/') || location.startsWith('\\') || /^[a-zA-Z]:/.test(location) || location.includes('\0'))
    return true;
  let depth = 0;
  for (const part of location.split(/[/\\]/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * ONNX: external-data locations (tensors, sparse tensors, subgraphs) and operator domains. Every external
 * location seen is appended to `locations` when given (tensor-data.format.ts).
 */
export async function scanOnnx(
  blob: Blob,
  location: string,
  ctx: ScanContext,
  locations?: string[],
): Promise<ModelFormat> {
  let key = '';
  const entry = new Map<number, FieldRule>([
    [1, { kind: 'string', onValue: (k) => (key = k) }],
    [
      2,
      {
        kind: 'string',
        maxLen: 65_536,
        onValue: (v, at) => {
          if (key === 'location') locations?.push(v);
          if (key === 'location' && escapesModelDir(v)) {
            ctx.findings.push(
              finding(
                'onnx.external-data-traversal',
                `external data location "${v}" leaves the model directory`,
                `${location}@${at}`,
              ),
            );
          }
        },
      },
    ],
  ]);
  const tensor = new Map([[13, m(entry)]]);
  const sparse = new Map([
    [1, m(tensor)],
    [2, m(tensor)],
  ]);
  const domains = new Set<string>();
  const domain = (d: string, at: number): void => {
    if (!STANDARD_ONNX_DOMAINS.has(d) && !domains.has(d)) {
      domains.add(d);
      ctx.findings.push(
        finding(
          'onnx.custom-domain',
          `custom operator domain "${d}" needs a native operator library`,
          `${location}@${at}`,
        ),
      );
    }
  };
  const graph: LazySchema = new LazySchema(
    () =>
      new Map<number, FieldRule>([
        [1, m(node)],
        [5, m(tensor)],
        [15, m(sparse)],
      ]),
  );
  const attribute = new Map([
    [5, m(tensor)],
    [6, m(graph)],
    [10, m(tensor)],
    [11, m(graph)],
  ]);
  const node: Map<number, FieldRule> = new Map<number, FieldRule>([
    [5, m(attribute)],
    [7, { kind: 'string', onValue: domain }],
  ]);
  const opset = new Map<number, FieldRule>([[1, { kind: 'string', onValue: domain }]]);
  const fn = new Map([
    [7, m(node)],
    [9, m(opset)],
  ]);
  const model = new Map([
    [7, m(graph)],
    [8, m(opset)],
    [25, m(fn)],
  ]);
  await walk(blob, model, location, ctx);
  return 'onnx';
}

/** Loose structural check used for detection: ONNX starts with ir_version (field 1, varint). */
export function looksLikeOnnx(h: Buffer): boolean {
  return h.length > 2 && h[0] === 0x08 && (h[1] as number) < 0x20;
}
