import { z } from 'zod';

/** Key selection: an id the configured key provider knows (the provider's default key when omitted). */
const keyIdSchema = z.string().min(1).optional();

export const signModelInputSchema = z.object({
  /** Model directory or file, as a URI under the artifact root. */
  modelUri: z.string().min(1),
  /** Where to write the OMS signature (under the artifact root); default: `<modelUri>.sig` beside the model. */
  signatureUri: z.string().min(1).optional(),
  ignorePaths: z.array(z.string()).optional(),
  keyId: keyIdSchema,
});
export type SignModelInput = z.infer<typeof signModelInputSchema>;

export const signModelResultSchema = z.object({
  modelUri: z.string(),
  signatureUri: z.string(),
  /** OMS root digest (SHA-256 hex) of the signed model. */
  rootDigest: z.string(),
  fileCount: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Hint of the public key (hex SHA-256 of its SPKI PEM): identifies the key, reveals nothing of it. */
  keyHint: z.string(),
});
export type SignModelResult = z.infer<typeof signModelResultSchema>;

export const verifyModelInputSchema = z.object({
  modelUri: z.string().min(1),
  signatureUri: z.string().min(1),
  /** Signed ignore paths the policy accepts besides the git paths and the signature file. */
  allowedSignedIgnorePaths: z.array(z.string()).optional(),
  keyId: keyIdSchema,
});
export type VerifyModelInput = z.infer<typeof verifyModelInputSchema>;

/** Causes of an invalid signature, as the engine names them. */
export const signatureFailureReasonSchema = z.enum([
  'malformed-bundle',
  'wrong-key',
  'invalid-signature',
  'untrusted-certificate',
  'malformed-statement',
  'ignore-paths-policy',
  'content-mismatch',
]);
export type SignatureFailureReason = z.infer<typeof signatureFailureReasonSchema>;

/** An invalid signature is a result (the workflow decides), not an activity failure. */
export const verifyModelResultSchema = z.object({
  modelUri: z.string(),
  valid: z.boolean(),
  rootDigest: z.string().optional(),
  reason: signatureFailureReasonSchema.optional(),
  message: z.string().optional(),
  extra: z.array(z.string()).optional(),
  missing: z.array(z.string()).optional(),
  changed: z.array(z.string()).optional(),
});
export type VerifyModelResult = z.infer<typeof verifyModelResultSchema>;

export const attestResultInputSchema = z.object({
  modelUri: z.string().min(1),
  /** in-toto predicate type of the result, e.g. `https://mlsecops.dev/attestation/model-scan/v1`. */
  predicateType: z.string().min(1),
  /** The platform result to attest (a scan report, a data check, a policy decision, an approval). */
  predicate: z.record(z.string(), z.unknown()),
  /** Where to write the attestation bundle (under the artifact root). */
  attestationUri: z.string().min(1),
  keyId: keyIdSchema,
});
export type AttestResultInput = z.infer<typeof attestResultInputSchema>;

export const attestResultResultSchema = z.object({
  attestationUri: z.string(),
  rootDigest: z.string(),
  predicateType: z.string(),
  /** SHA-256 of the written attestation file, for evidence. */
  sha256: z.string(),
  keyHint: z.string(),
});
export type AttestResultResult = z.infer<typeof attestResultResultSchema>;

/** Signing activities (OpenSSF Model Signing v1.0 and in-toto attestations), served on the `signing` queue. */
export interface SigningActivities {
  /** Signs a model with the provider's key; writes an OMS signature interoperable with `model_signing`. */
  signModel(input: SignModelInput): Promise<SignModelResult>;
  /** Verifies a model against its OMS signature; an invalid signature is `{ valid: false, reason }`. */
  verifyModel(input: VerifyModelInput): Promise<VerifyModelResult>;
  /** Wraps a platform result as a DSSE-signed in-toto statement whose subject is the model's root digest. */
  attestResult(input: AttestResultInput): Promise<AttestResultResult>;
}

/** Activity names grouped by the task queue that serves them. */
export const SIGNING_ACTIVITY_QUEUES = {
  signModel: 'signing',
  verifyModel: 'signing',
  attestResult: 'signing',
} as const satisfies Record<keyof SigningActivities, string>;
