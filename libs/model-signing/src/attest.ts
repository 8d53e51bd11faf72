import type { X509Certificate } from 'node:crypto';
import { buildBundle, type SigstoreBundle } from './bundle';
import { verifyBundle, type BundleFailure, type BundleSigner, type BundleTrust } from './bundle-verify';
import { signEnvelope } from './dsse';
import { publicKeyHint, type PayloadSigner } from './keys';
import { buildManifest, subjectManifestOptions, type ManifestOptions } from './manifest';
import { IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_TYPE } from './oms.constants';
import { describeZodError, statementSchema, type InTotoStatement } from './statement';

/** Predicate types of the platform's own results (in-toto statements about a model). */
export const PLATFORM_PREDICATE_TYPES = {
  modelScan: 'https://mlsecops.dev/attestation/model-scan/v1',
  dataCheck: 'https://mlsecops.dev/attestation/data-check/v1',
  policyDecision: 'https://mlsecops.dev/attestation/policy-decision/v1',
  approval: 'https://mlsecops.dev/attestation/approval/v1',
  mlBom: 'https://cyclonedx.org/bom',
} as const;

/** The subject of an attestation: a model by its OMS root digest. */
export interface ModelSubject {
  name: string;
  rootDigest: string;
}

/**
 * The model's subject as attestations name it: the OMS root digest with the default ignores and a
 * top-level `model.sig` left out, so it equals the subject of the model's OMS signature.
 */
export async function modelSubject(modelPath: string, options: ManifestOptions = {}): Promise<ModelSubject> {
  const manifest = await buildManifest(modelPath, subjectManifestOptions(options));
  return { name: manifest.modelName, rootDigest: manifest.rootDigest };
}

/** Options of {@link createAttestation}. */
export interface AttestationOptions {
  subject: ModelSubject;
  predicateType: string;
  predicate: Record<string, unknown>;
  signer: PayloadSigner;
  certificateChain?: readonly X509Certificate[];
}

/** Wraps any platform result as an in-toto Statement v1 about the model, DSSE-signed in a Sigstore bundle. */
export async function createAttestation(
  options: AttestationOptions,
): Promise<{ bundle: SigstoreBundle; json: string; statement: InTotoStatement }> {
  const statement: InTotoStatement = {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: options.subject.name, digest: { sha256: options.subject.rootDigest } }],
    predicateType: options.predicateType,
    predicate: options.predicate,
  };
  const envelope = await signEnvelope(
    options.signer,
    IN_TOTO_PAYLOAD_TYPE,
    Buffer.from(JSON.stringify(statement), 'utf8'),
  );
  const bundle = buildBundle(
    envelope,
    options.certificateChain?.length
      ? { kind: 'certificateChain', certificates: options.certificateChain.map((c) => c.raw) }
      : { kind: 'publicKey', hint: publicKeyHint(options.signer.publicKey) },
  );
  return { bundle, json: JSON.stringify(bundle), statement };
}

/** Outcome of {@link verifyAttestation}. */
export type AttestationVerification =
  | { valid: true; statement: InTotoStatement; signer: BundleSigner }
  | ({ valid: false } & (
      | BundleFailure
      | { reason: 'malformed-statement'; message: string }
      | { reason: 'predicate-type-mismatch'; message: string }
      | { reason: 'subject-mismatch'; message: string }
    ));

/** Checks an attestation's signature and that its subject is the given model (by root digest). */
export async function verifyAttestation(
  bundleJson: string,
  subject: ModelSubject,
  trust: BundleTrust & { predicateType?: string },
): Promise<AttestationVerification> {
  const checked = await verifyBundle(bundleJson, trust);
  if (!checked.ok) return { valid: false, reason: checked.reason, message: checked.message };
  let json: unknown;
  try {
    json = JSON.parse(checked.payload.toString('utf8'));
  } catch {
    return { valid: false, reason: 'malformed-statement', message: 'signed payload is not JSON' };
  }
  const statement = statementSchema.safeParse(json);
  if (!statement.success)
    return { valid: false, reason: 'malformed-statement', message: describeZodError(statement.error) };
  if (trust.predicateType !== undefined && statement.data.predicateType !== trust.predicateType) {
    return {
      valid: false,
      reason: 'predicate-type-mismatch',
      message: `attestation is a ${statement.data.predicateType}, expected ${trust.predicateType}`,
    };
  }
  const digest = statement.data.subject[0]?.digest.sha256;
  if (digest !== subject.rootDigest) {
    return {
      valid: false,
      reason: 'subject-mismatch',
      message: `attestation is about sha256:${digest ?? '?'}, but the model's root digest is sha256:${subject.rootDigest}`,
    };
  }
  return { valid: true, statement: statement.data, signer: checked.signer };
}
