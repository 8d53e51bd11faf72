import { createHash } from 'node:crypto';
import { ArtifactRoot } from '@mlsecops/artifact-store';
import type {
  AttestResultInput,
  AttestResultResult,
  SignModelInput,
  SignModelResult,
  SigningActivities,
  VerifyModelInput,
  VerifyModelResult,
} from '@mlsecops/contracts';
import {
  createAttestation,
  modelSubject,
  publicKeyHint,
  readSignatureFile,
  signModel,
  verifyModel,
  type KeyProvider,
} from '@mlsecops/model-signing';
import { resolveOutput, writeFileAtomically } from '../shared/artifact-output';
import { withHashHeartbeats } from '../shared/with-hash-heartbeats';

export interface SigningActivitiesDeps {
  /** The only directory models, signatures and attestations may be read from or written to. */
  artifactRoot: string | ArtifactRoot;
  /** Where keys come from (files or environment now, a KMS later). */
  keyProvider: KeyProvider;
  /** How often long hashing heartbeats (ms). */
  heartbeatEveryMs?: number;
}

const HEARTBEAT_MS = 5_000;

/**
 * Signing activities for the `signing` task queue. Paths come in as URIs under the artifact root and go
 * out as the same URIs (no machine paths); keys stay inside the key provider: results carry only the
 * public key hint, and errors never include key material.
 */
export function createSigningActivities(deps: SigningActivitiesDeps): SigningActivities {
  const root = typeof deps.artifactRoot === 'string' ? new ArtifactRoot(deps.artifactRoot) : deps.artifactRoot;
  const every = deps.heartbeatEveryMs ?? HEARTBEAT_MS;
  return {
    signModel: (input: SignModelInput): Promise<SignModelResult> =>
      withHashHeartbeats(every, 'signing activity', async (hash) => {
        const model = await root.resolve(input.modelUri);
        const signatureUri = input.signatureUri ?? `${input.modelUri.replace(/\/+$/, '')}.sig`;
        const signaturePath = await resolveOutput(root, signatureUri);
        const signer = await deps.keyProvider.signer(input.keyId);
        const signed = await signModel({
          modelPath: model.path,
          signer,
          signaturePath,
          ignorePaths: input.ignorePaths,
          hash,
        });
        await writeFileAtomically(signaturePath, signed.json, signatureUri);
        return {
          modelUri: input.modelUri,
          signatureUri,
          rootDigest: signed.manifest.rootDigest,
          fileCount: signed.manifest.resources.length,
          totalBytes: signed.manifest.totalBytes,
          keyHint: publicKeyHint(signer.publicKey),
        };
      }),

    verifyModel: (input: VerifyModelInput): Promise<VerifyModelResult> =>
      withHashHeartbeats(every, 'signing activity', async (hash) => {
        const model = await root.resolve(input.modelUri);
        const signature = await root.resolve(input.signatureUri);
        const result = await verifyModel({
          modelPath: model.path,
          bundleJson: await readSignatureFile(signature.path),
          signaturePath: signature.path,
          publicKey: await deps.keyProvider.publicKey(input.keyId),
          allowedSignedIgnorePaths: input.allowedSignedIgnorePaths,
          hash,
        });
        if (result.valid) return { modelUri: input.modelUri, valid: true, rootDigest: result.rootDigest };
        const lists =
          result.reason === 'content-mismatch'
            ? { extra: result.extra, missing: result.missing, changed: result.changed }
            : {};
        return { modelUri: input.modelUri, valid: false, reason: result.reason, message: result.message, ...lists };
      }),

    attestResult: (input: AttestResultInput): Promise<AttestResultResult> =>
      withHashHeartbeats(every, 'signing activity', async (hash) => {
        const model = await root.resolve(input.modelUri);
        const outPath = await resolveOutput(root, input.attestationUri);
        const subject = await modelSubject(model.path, { hash });
        const signer = await deps.keyProvider.signer(input.keyId);
        const att = await createAttestation({
          subject,
          predicateType: input.predicateType,
          predicate: input.predicate,
          signer,
        });
        await writeFileAtomically(outPath, att.json, input.attestationUri);
        return {
          attestationUri: input.attestationUri,
          rootDigest: subject.rootDigest,
          predicateType: input.predicateType,
          sha256: createHash('sha256').update(att.json).digest('hex'),
          keyHint: publicKeyHint(signer.publicKey),
        };
      }),
  };
}
