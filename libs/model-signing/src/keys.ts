import { createHash, createPrivateKey, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { MlsecopsError } from '@mlsecops/contracts';

/** The curves OMS signatures use; the reference rejects Ed25519 and RSA keys. */
export type EcCurve = 'P-256' | 'P-384' | 'P-521';
export type CurveHash = 'sha256' | 'sha384' | 'sha512';

const CURVES: Record<string, EcCurve> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const HASHES: Record<EcCurve, CurveHash> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };

/** The hash that goes with a curve (never a library default): P-256 SHA-256, P-384 SHA-384, P-521 SHA-512. */
export function hashForCurve(curve: EcCurve): CurveHash {
  return HASHES[curve];
}

/** The OMS curve of an EC key, or an INVALID_INPUT error naming what the key is instead. */
export function curveOf(key: KeyObject): EcCurve {
  const named = key.asymmetricKeyType === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  const curve = named === undefined ? undefined : CURVES[named];
  if (!curve) {
    const what =
      key.asymmetricKeyType === 'ec' ? `EC curve ${named ?? 'unknown'}` : `${key.asymmetricKeyType ?? 'unknown'} key`;
    throw new MlsecopsError(
      'INVALID_INPUT',
      `unsupported key: ${what}; OMS signatures use ECDSA P-256, P-384 or P-521`,
    );
  }
  return curve;
}

/**
 * Loads an ECDSA private key from PEM (SEC1 or PKCS#8, optionally encrypted). Errors never quote the
 * key or the password: they say only what went wrong.
 */
export function loadPrivateKey(pem: string | Buffer, passphrase?: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (e: unknown) {
    const encrypted = /ENCRYPTED/.test(pem.toString('latin1'));
    const reason = encrypted
      ? passphrase === undefined
        ? 'the key is encrypted and no password was given'
        : 'wrong password or unsupported encryption'
      : 'not a PEM private key';
    throw new MlsecopsError('INVALID_INPUT', `cannot load the private key: ${reason}`, {
      cause: new Error(e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'invalid key'),
    });
  }
  curveOf(key);
  return key;
}

/** Loads an ECDSA public key from SPKI PEM (a certificate or private key is refused). */
export function loadPublicKey(pem: string | Buffer): KeyObject {
  const text = pem.toString('latin1');
  if (!/-----BEGIN PUBLIC KEY-----/.test(text)) {
    throw new MlsecopsError('INVALID_INPUT', 'not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e: unknown) {
    throw new MlsecopsError('INVALID_INPUT', 'cannot load the public key: malformed PEM', { cause: e });
  }
  curveOf(key);
  return key;
}

/**
 * The bundle's `publicKey.hint`: hex SHA-256 of the canonical SPKI PEM text (what the reference
 * computes), not of the DER.
 */
export function publicKeyHint(publicKey: KeyObject): string {
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  return createHash('sha256').update(pem).digest('hex');
}

/**
 * Signs bytes for a DSSE envelope. A KMS or HSM can implement this port; it must return a DER-encoded
 * ECDSA signature made with the curve's hash (convert raw r||s first).
 */
export interface PayloadSigner {
  readonly publicKey: KeyObject;
  readonly curve: EcCurve;
  sign(data: Buffer): Promise<Buffer>;
}

/** A {@link PayloadSigner} over an in-process private key (Node `crypto`). */
export function keySigner(privateKey: KeyObject): PayloadSigner {
  const curve = curveOf(privateKey);
  const publicKey = createPublicKey(privateKey);
  return {
    publicKey,
    curve,
    sign: (data: Buffer) =>
      Promise.resolve(cryptoSign(hashForCurve(curve), data, { key: privateKey, dsaEncoding: 'der' })),
  };
}
