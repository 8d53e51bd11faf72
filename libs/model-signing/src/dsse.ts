import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { curveOf, hashForCurve, type PayloadSigner } from './keys';

/** A DSSE envelope as a Sigstore bundle carries it (standard base64). */
export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { sig: string; keyid: string }[];
}

/** DSSE pre-authentication encoding: `DSSEv1 SP len(type) SP type SP len(body) SP body`, decimal byte lengths. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Signs `payload` into a one-signature DSSE envelope (empty keyid, as the reference writes it). */
export async function signEnvelope(signer: PayloadSigner, payloadType: string, payload: Buffer): Promise<DsseEnvelope> {
  const sig = await signer.sign(pae(payloadType, payload));
  return { payload: payload.toString('base64'), payloadType, signatures: [{ sig: sig.toString('base64'), keyid: '' }] };
}

/** Checks a DER ECDSA signature over the PAE of the payload bytes as they are (never re-serialised). */
export function verifyEnvelopeSignature(
  publicKey: KeyObject,
  payloadType: string,
  payload: Buffer,
  sig: Buffer,
): boolean {
  const hash = hashForCurve(curveOf(publicKey));
  try {
    return cryptoVerify(hash, pae(payloadType, payload), { key: publicKey, dsaEncoding: 'der' }, sig);
  } catch {
    // A signature that is not even DER is simply not a valid signature.
    return false;
  }
}
