import { z } from 'zod';
import { BUNDLE_MEDIA_TYPE } from './oms.constants';
import type { DsseEnvelope } from './dsse';
import { describeZodError } from './statement';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected standard base64');

/** A Sigstore bundle v0.3 with a DSSE envelope, as OMS signatures and our attestations are stored. */
export const sigstoreBundleSchema = z.object({
  mediaType: z.literal(BUNDLE_MEDIA_TYPE, { error: `mediaType must be ${BUNDLE_MEDIA_TYPE}` }),
  // We always write tlogEntries (empty for key and certificate signatures), but read bundles without it
  // there, as the reference and other clients do (older writers omitted it). Keyless `certificate`
  // bundles are meaningless without their transparency-log entries, so there it is required.
  verificationMaterial: z.union(
    [
      z.object({ publicKey: z.object({ hint: z.string().optional() }), tlogEntries: z.array(z.unknown()).optional() }),
      z.object({
        x509CertificateChain: z.object({ certificates: z.array(z.object({ rawBytes: base64 })).min(1) }),
        tlogEntries: z.array(z.unknown()).optional(),
      }),
      z.object({ certificate: z.object({ rawBytes: base64 }), tlogEntries: z.array(z.unknown()) }),
    ],
    { error: 'verificationMaterial needs publicKey, x509CertificateChain, or certificate with tlogEntries' },
  ),
  dsseEnvelope: z.object({
    payload: base64,
    payloadType: z.string(),
    signatures: z
      .array(z.object({ sig: base64, keyid: z.string().nullable().optional() }))
      .length(1, 'expected exactly one signature'),
  }),
});
export type SigstoreBundle = z.infer<typeof sigstoreBundleSchema>;

/** Key material named in a bundle: a key hint, or a certificate chain (leaf first, DER). */
export type VerificationMaterial =
  { kind: 'publicKey'; hint: string } | { kind: 'certificateChain'; certificates: Buffer[] };

/** Assembles a bundle; serialise it with `JSON.stringify` (compact, like the reference). */
export function buildBundle(envelope: DsseEnvelope, material: VerificationMaterial): SigstoreBundle {
  const verificationMaterial =
    material.kind === 'publicKey'
      ? { publicKey: { hint: material.hint }, tlogEntries: [] }
      : {
          x509CertificateChain: {
            certificates: material.certificates.map((c) => ({ rawBytes: c.toString('base64') })),
          },
          tlogEntries: [],
        };
  return { mediaType: BUNDLE_MEDIA_TYPE, verificationMaterial, dsseEnvelope: envelope };
}

/** Parses bundle JSON; a failure says what is malformed. */
export function parseBundle(text: string): { ok: true; bundle: SigstoreBundle } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'signature file is not JSON' };
  }
  const parsed = sigstoreBundleSchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: describeZodError(parsed.error) };
  return { ok: true, bundle: parsed.data };
}

/** The verification material of a parsed bundle. */
export function materialOf(bundle: SigstoreBundle): VerificationMaterial {
  const vm = bundle.verificationMaterial;
  if ('x509CertificateChain' in vm) {
    return {
      kind: 'certificateChain',
      certificates: vm.x509CertificateChain.certificates.map((c) => Buffer.from(c.rawBytes, 'base64')),
    };
  }
  // Sigstore v0.3 keyless bundles carry the leaf alone; it is checked like a one-certificate chain.
  if ('certificate' in vm)
    return { kind: 'certificateChain', certificates: [Buffer.from(vm.certificate.rawBytes, 'base64')] };
  return { kind: 'publicKey', hint: vm.publicKey.hint ?? '' };
}
