import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MlsecopsError } from '@mlsecops/contracts';
import { buildManifest, subjectManifestOptions, type ManifestOptions, type ModelManifest } from './manifest';
import { describeZodError } from './statement';

/** Model-card fields and training datasets a user may give in a metadata file (JSON). */
export const modelMetadataSchema = z.strictObject({
  name: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  description: z.string().optional(),
  /** An SPDX license expression, e.g. `Apache-2.0`. */
  license: z.string().min(1).optional(),
  supplier: z.string().min(1).optional(),
  task: z.string().optional(),
  architectureFamily: z.string().optional(),
  modelArchitecture: z.string().optional(),
  inputs: z.array(z.object({ format: z.string() })).optional(),
  outputs: z.array(z.object({ format: z.string() })).optional(),
  performanceMetrics: z
    .array(z.object({ type: z.string(), value: z.string(), slice: z.string().optional() }))
    .optional(),
  useCases: z.array(z.string()).optional(),
  technicalLimitations: z.array(z.string()).optional(),
  ethicalConsiderations: z.array(z.object({ name: z.string(), mitigationStrategy: z.string().optional() })).optional(),
  datasets: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        url: z.string().optional(),
        sha256: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/)
          .optional(),
        description: z.string().optional(),
        classification: z.string().optional(),
      }),
    )
    .optional(),
});
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

/** A CycloneDX 1.6 JSON document (the subset we write). */
export type CycloneDxBom = Record<string, unknown> & { bomFormat: 'CycloneDX'; specVersion: '1.6' };

/** Reads and validates a metadata file; errors name the file and the field. */
export async function readModelMetadata(path: string): Promise<ModelMetadata> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e: unknown) {
    throw new MlsecopsError('INVALID_INPUT', `metadata file ${path} is not readable JSON`, { cause: e });
  }
  const parsed = modelMetadataSchema.safeParse(json);
  if (!parsed.success)
    throw new MlsecopsError('SCHEMA_VIOLATION', `metadata file ${path}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

const sha256Hash = (content: string): { alg: 'SHA-256'; content: string } => ({
  alg: 'SHA-256',
  content: content.toLowerCase(),
});

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  ) as Partial<T>;
}

/** Options of {@link buildMlBom}. */
export interface MlBomOptions extends ManifestOptions {
  modelPath: string;
  metadata?: ModelMetadata;
  /** Reuse a manifest already computed (e.g. by signing) instead of hashing again. */
  manifest?: ModelManifest;
  /** Fixed for reproducible output in tests. */
  serialNumber?: string;
  timestamp?: Date;
}

/**
 * Builds a CycloneDX 1.6 ML-BOM: one `machine-learning-model` component whose hash is the OMS root
 * digest, with each model file as a nested `file` component, a model card from the metadata, and the
 * training datasets as `data` components the model depends on.
 */
export async function buildMlBom(options: MlBomOptions): Promise<CycloneDxBom> {
  const manifest = options.manifest ?? (await buildManifest(options.modelPath, subjectManifestOptions(options)));
  const meta = options.metadata ?? {};
  const modelRef = `model:${manifest.rootDigest}`;
  const datasets = (meta.datasets ?? []).map((d, i) => ({
    ref: `dataset:${i}:${d.name}`,
    component: compact({
      type: 'data',
      'bom-ref': `dataset:${i}:${d.name}`,
      name: d.name,
      description: d.description,
      hashes: d.sha256 ? [sha256Hash(d.sha256)] : undefined,
      data: [
        compact({
          type: 'dataset',
          name: d.name,
          contents: d.url ? { url: d.url } : undefined,
          classification: d.classification,
          description: d.description,
        }),
      ],
    }),
  }));
  const considerations = compact({
    useCases: meta.useCases,
    technicalLimitations: meta.technicalLimitations,
    ethicalConsiderations: meta.ethicalConsiderations?.map((e) =>
      compact({ name: e.name, mitigationStrategy: e.mitigationStrategy }),
    ),
  });
  const modelParameters = compact({
    task: meta.task,
    architectureFamily: meta.architectureFamily,
    modelArchitecture: meta.modelArchitecture,
    datasets: datasets.map((d) => ({ ref: d.ref })),
    inputs: meta.inputs,
    outputs: meta.outputs,
  });
  const modelCard = compact({
    modelParameters: Object.keys(modelParameters).length ? modelParameters : undefined,
    quantitativeAnalysis: meta.performanceMetrics
      ? { performanceMetrics: meta.performanceMetrics.map((m) => compact(m)) }
      : undefined,
    considerations: Object.keys(considerations).length ? considerations : undefined,
  });
  const model = compact({
    type: 'machine-learning-model',
    'bom-ref': modelRef,
    name: meta.name ?? manifest.modelName,
    version: meta.version,
    description: meta.description,
    supplier: meta.supplier ? { name: meta.supplier } : undefined,
    licenses: meta.license ? [{ expression: meta.license }] : undefined,
    hashes: [sha256Hash(manifest.rootDigest)],
    properties: [
      { name: 'mlsecops:oms:root-digest', value: `sha256:${manifest.rootDigest}` },
      { name: 'mlsecops:oms:serialization', value: 'files/sha256' },
      { name: 'mlsecops:model:total-bytes', value: String(manifest.totalBytes) },
    ],
    modelCard: Object.keys(modelCard).length ? modelCard : undefined,
    components: manifest.resources.map((r) => ({
      type: 'file',
      'bom-ref': `${modelRef}:file:${r.name}`,
      name: r.name,
      hashes: [sha256Hash(r.digest)],
    })),
  });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (options.timestamp ?? new Date()).toISOString(),
      tools: { components: [{ type: 'application', name: 'mlsecops' }] },
      component: {
        type: 'machine-learning-model',
        'bom-ref': `${modelRef}:metadata`,
        name: meta.name ?? manifest.modelName,
      },
    },
    components: [model, ...datasets.map((d) => d.component)],
    dependencies: [{ ref: modelRef, dependsOn: datasets.map((d) => d.ref) }, ...datasets.map((d) => ({ ref: d.ref }))],
  };
}
