import type { KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MlsecopsError } from '@mlsecops/contracts';
import { parseCertificatesPem } from './certificates';
import { loadPrivateKey, loadPublicKey } from './keys';

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e: unknown) {
    const missing = e instanceof Error && 'code' in e && e.code === 'ENOENT';
    throw new MlsecopsError(missing ? 'NOT_FOUND' : 'IO_ERROR', `cannot read ${what} ${path}`, { cause: e });
  }
}

/** Reads a PEM private key file (SEC1 or PKCS#8, optionally encrypted). Errors name the file, never its content. */
export async function readPrivateKeyFile(path: string, passphrase?: string): Promise<KeyObject> {
  return loadPrivateKey(await readInput(path, 'private key'), passphrase);
}

/** Reads an SPKI PEM public key file. */
export async function readPublicKeyFile(path: string): Promise<KeyObject> {
  return loadPublicKey(await readInput(path, 'public key'));
}

/** Reads one or more PEM files of certificates, in order. */
export async function readCertificateFiles(paths: readonly string[]): Promise<X509Certificate[]> {
  const out: X509Certificate[] = [];
  for (const p of paths) out.push(...parseCertificatesPem(await readInput(p, 'certificate file')));
  return out;
}

/** Reads a signature (bundle) file as text. */
export async function readSignatureFile(path: string): Promise<string> {
  return (await readInput(path, 'signature file')).toString('utf8');
}
