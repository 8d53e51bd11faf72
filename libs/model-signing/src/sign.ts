import type { X509Certificate } from 'node:crypto';
import { MlsecopsError } from '@mlsecops/contracts';
import { buildBundle, type SigstoreBundle } from './bundle';
import { signEnvelope } from './dsse';
import { publicKeyHint, type PayloadSigner } from './keys';
import { buildManifest, type ManifestOptions, type ModelManifest } from './manifest';
import { IN_TOTO_PAYLOAD_TYPE } from './oms.constants';
import { buildOmsStatement } from './statement';

/** Options of {@link signModel}. */
export interface SignModelOptions extends ManifestOptions {
  modelPath: string;
  signer: PayloadSigner;
  /** Certificate variant: the signing certificate first, then intermediates. Omit to sign with a bare key. */
  certificateChain?: readonly X509Certificate[];
}

/** A signed model: the bundle, its JSON text as written to `model.sig`, and the manifest it covers. */
export interface SignedModel {
  bundle: SigstoreBundle;
  json: string;
  manifest: ModelManifest;
}

/** Signs a model as OMS v1.0: manifest -> in-toto statement -> DSSE -> Sigstore bundle v0.3. */
export async function signModel(options: SignModelOptions): Promise<SignedModel> {
  const leaf = options.certificateChain?.[0];
  if (leaf) {
    const leafKey = leaf.publicKey.export({ type: 'spki', format: 'der' });
    const ourKey = options.signer.publicKey.export({ type: 'spki', format: 'der' });
    if (!leafKey.equals(ourKey)) {
      throw new MlsecopsError('INVALID_INPUT', 'the signing certificate does not certify the private key');
    }
  }
  const manifest = await buildManifest(options.modelPath, options);
  if (manifest.resources.length === 0) {
    // OMS v1.0 §6.1: a model contains at least one file; an empty signature would vouch for nothing.
    throw new MlsecopsError(
      'INVALID_INPUT',
      `nothing to sign: ${options.modelPath} holds no files outside the ignore paths`,
    );
  }
  const payload = Buffer.from(JSON.stringify(buildOmsStatement(manifest)), 'utf8');
  const envelope = await signEnvelope(options.signer, IN_TOTO_PAYLOAD_TYPE, payload);
  const bundle = buildBundle(
    envelope,
    options.certificateChain?.length
      ? { kind: 'certificateChain', certificates: options.certificateChain.map((c) => c.raw) }
      : { kind: 'publicKey', hint: publicKeyHint(options.signer.publicKey) },
  );
  return { bundle, json: JSON.stringify(bundle), manifest };
}
