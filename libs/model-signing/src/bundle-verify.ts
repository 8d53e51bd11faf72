import { X509Certificate, type KeyObject } from 'node:crypto';
import { materialOf, parseBundle } from './bundle';
import { verifyCertificateChain } from './certificates';
import { verifyEnvelopeSignature } from './dsse';
import { curveOf, publicKeyHint } from './keys';
import { IN_TOTO_PAYLOAD_TYPE } from './oms.constants';

/** Who signed a verified bundle: a bare key (by hint) or a certificate. */
export type BundleSigner =
  { kind: 'key'; hint: string } | { kind: 'certificate'; subject: string; fingerprint256: string };

/** Failures of the bundle layer, shared by model signatures and attestations. */
export type BundleFailure =
  | { reason: 'malformed-bundle'; message: string }
  | { reason: 'wrong-key'; message: string }
  | { reason: 'invalid-signature'; message: string }
  | { reason: 'untrusted-certificate'; message: string };

/** Trust inputs: a public key for key bundles, trusted roots for certificate bundles. */
export interface BundleTrust {
  publicKey?: KeyObject;
  trustedRoots?: readonly X509Certificate[];
  /** Time at which certificates must be valid (default: now). */
  now?: Date;
}

/**
 * Parses a Sigstore bundle and checks its DSSE signature over the payload bytes as they are: key hint,
 * certificate chain, curve, signature. On success returns the signed payload (an in-toto statement).
 */
export async function verifyBundle(
  bundleJson: string,
  trust: BundleTrust,
): Promise<{ ok: true; payload: Buffer; signer: BundleSigner } | ({ ok: false } & BundleFailure)> {
  const parsed = parseBundle(bundleJson);
  if (!parsed.ok)
    return { ok: false, reason: 'malformed-bundle', message: `malformed signature bundle: ${parsed.message}` };
  const envelope = parsed.bundle.dsseEnvelope;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    return { ok: false, reason: 'malformed-bundle', message: `unexpected DSSE payloadType ${envelope.payloadType}` };
  }
  const payload = Buffer.from(envelope.payload, 'base64');
  const sig = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
  const material = materialOf(parsed.bundle);

  let signer: BundleSigner;
  let key: KeyObject;
  if (material.kind === 'publicKey') {
    if (!trust.publicKey) {
      return {
        ok: false,
        reason: 'wrong-key',
        message: 'the bundle was signed with a key; verify it with a public key',
      };
    }
    key = trust.publicKey;
    const hint = publicKeyHint(key);
    if (material.hint !== '' && material.hint !== hint) {
      return {
        ok: false,
        reason: 'wrong-key',
        message: `signed with a different key (bundle key hint ${material.hint}, given key ${hint})`,
      };
    }
    signer = { kind: 'key', hint };
  } else {
    if (!trust.trustedRoots) {
      return {
        ok: false,
        reason: 'untrusted-certificate',
        message: 'the bundle was signed with a certificate; verify it with trusted root certificates',
      };
    }
    let chain: X509Certificate[];
    try {
      chain = material.certificates.map((der) => new X509Certificate(der));
    } catch {
      return { ok: false, reason: 'malformed-bundle', message: 'a certificate in the bundle cannot be parsed' };
    }
    const check = await verifyCertificateChain(chain, trust.trustedRoots, trust.now);
    if (!check.ok) return { ok: false, reason: 'untrusted-certificate', message: check.message };
    const leaf = check.path[0] as X509Certificate;
    key = leaf.publicKey;
    signer = { kind: 'certificate', subject: leaf.subject.replace(/\n/g, ', '), fingerprint256: leaf.fingerprint256 };
  }
  try {
    curveOf(key);
  } catch (e: unknown) {
    return { ok: false, reason: 'wrong-key', message: e instanceof Error ? e.message : 'unsupported key' };
  }
  if (!verifyEnvelopeSignature(key, envelope.payloadType, payload, sig)) {
    return material.kind === 'publicKey' && material.hint === ''
      ? {
          ok: false,
          reason: 'wrong-key',
          message: 'the signature does not verify with the given key (wrong key, or the envelope was altered)',
        }
      : {
          ok: false,
          reason: 'invalid-signature',
          message: 'the DSSE signature does not verify: the envelope was altered',
        };
  }
  return { ok: true, payload, signer };
}
