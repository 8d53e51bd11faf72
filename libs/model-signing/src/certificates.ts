import { X509Certificate } from 'node:crypto';
import { MlsecopsError } from '@mlsecops/contracts';

const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3';
const MAX_CHAIN_DEPTH = 8;

/** Splits PEM text holding one or more certificates into X509Certificate objects. */
export function parseCertificatesPem(pem: string | Buffer): X509Certificate[] {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new MlsecopsError('INVALID_INPUT', 'no PEM certificate found');
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (e: unknown) {
      throw new MlsecopsError('INVALID_INPUT', `certificate ${i + 1} is malformed`, { cause: e });
    }
  });
}

/** Why a certificate chain was refused, or the verified path (leaf first, trusted root last). */
export type ChainCheck = { ok: true; path: X509Certificate[] } | { ok: false; message: string };

function subjectOf(c: X509Certificate): string {
  return c.subject.replace(/\n/g, ', ');
}

function validAt(c: X509Certificate, now: Date): string | undefined {
  if (now < new Date(c.validFrom)) return `certificate "${subjectOf(c)}" is not valid before ${c.validFrom}`;
  if (now > new Date(c.validTo)) return `certificate "${subjectOf(c)}" expired on ${c.validTo}`;
  return undefined;
}

/**
 * The leaf must be allowed to sign: digitalSignature key usage or the codeSigning extended key usage.
 * The X.509 extension parser is loaded on first use, so key-only signing never pays its start-up.
 */
export async function leafUsageProblem(leaf: X509Certificate): Promise<string | undefined> {
  const x509 = await import('@peculiar/x509');
  const cert = new x509.X509Certificate(leaf.raw);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const digitalSignature = ku !== null && (ku.usages & x509.KeyUsageFlags.digitalSignature) !== 0;
  const codeSigning = eku !== null && eku.usages.map(String).includes(CODE_SIGNING_EKU);
  if (digitalSignature || codeSigning) return undefined;
  return `signing certificate "${subjectOf(leaf)}" allows neither digitalSignature key usage nor the codeSigning extended key usage`;
}

/**
 * Builds and checks a path from the leaf through the bundle's intermediates to one of the trusted roots.
 * Stricter than the reference: every certificate on the path must be valid at `now` (the reference
 * checks at the leaf's notBefore, so it accepts expired leaves), issuers must be CAs, and the leaf must
 * carry a signing usage.
 */
export async function verifyCertificateChain(
  chain: readonly X509Certificate[],
  trustedRoots: readonly X509Certificate[],
  now: Date = new Date(),
): Promise<ChainCheck> {
  const [leaf, ...intermediates] = chain;
  if (!leaf) return { ok: false, message: 'bundle holds no certificate' };
  if (trustedRoots.length === 0) return { ok: false, message: 'no trusted root certificates given' };
  const usage = await leafUsageProblem(leaf);
  if (usage) return { ok: false, message: usage };
  const isTrusted = (c: X509Certificate): boolean => trustedRoots.some((r) => r.fingerprint256 === c.fingerprint256);
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth <= MAX_CHAIN_DEPTH; depth++) {
    const expired = validAt(current, now);
    if (expired) return { ok: false, message: expired };
    if (isTrusted(current)) return { ok: true, path };
    const issuer = [...trustedRoots, ...intermediates].find(
      (c) => c.fingerprint256 !== current.fingerprint256 && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer) {
      return {
        ok: false,
        message: `no trusted issuer found for "${subjectOf(current)}" (issuer "${current.issuer.replace(/\n/g, ', ')}")`,
      };
    }
    if (!issuer.ca) return { ok: false, message: `issuer "${subjectOf(issuer)}" is not a CA certificate` };
    path.push(issuer);
    current = issuer;
  }
  return { ok: false, message: 'certificate chain is too long' };
}
