import { z } from 'zod';
import { IN_TOTO_STATEMENT_TYPE, OMS_PREDICATE_TYPE } from './oms.constants';
import type { ManifestResource, ModelManifest } from './manifest';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256 digest');

/** in-toto Statement v1 with exactly one subject (a model's root digest). */
export const statementSchema = z.object({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z
    .array(z.object({ name: z.string(), digest: z.object({ sha256: hex64 }) }))
    .length(1, 'expected exactly one subject'),
  predicateType: z.string().min(1),
  predicate: z.record(z.string(), z.unknown()),
});
export type InTotoStatement = z.infer<typeof statementSchema>;

/** The OMS v1.0 signature predicate as this implementation can verify it: `files` with `sha256`. */
export const omsPredicateSchema = z.strictObject({
  serialization: z.strictObject({
    method: z.literal('files'),
    hash_type: z.literal('sha256'),
    allow_symlinks: z.literal(false),
    ignore_paths: z.array(z.string()).optional(),
  }),
  resources: z.array(z.strictObject({ name: z.string().min(1), algorithm: z.literal('sha256'), digest: hex64 })),
});
export type OmsPredicate = z.infer<typeof omsPredicateSchema>;

/** Builds the OMS signature statement of a manifest (key order as in the spec's examples). */
export function buildOmsStatement(manifest: ModelManifest): InTotoStatement {
  const predicate: OmsPredicate = {
    serialization: {
      method: 'files',
      hash_type: 'sha256',
      allow_symlinks: false,
      ignore_paths: [...manifest.ignorePaths],
    },
    resources: manifest.resources.map((r: ManifestResource) => ({
      name: r.name,
      algorithm: r.algorithm,
      digest: r.digest,
    })),
  };
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: manifest.rootDigest } }],
    predicateType: OMS_PREDICATE_TYPE,
    predicate,
  };
}

/** A zod error as one line: `path: message; path: message`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
