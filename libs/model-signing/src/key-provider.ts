import { createPublicKey, type KeyObject } from 'node:crypto';
import { MlsecopsError } from '@mlsecops/contracts';
import { readPrivateKeyFile, readPublicKeyFile } from './key-files';
import { keySigner, loadPrivateKey, loadPublicKey, type PayloadSigner } from './keys';

/**
 * Where signing keys come from. Files and environment variables for now; a KMS or HSM implements the
 * same port by returning a {@link PayloadSigner} that signs remotely. Implementations must never put
 * key material or passwords in errors, logs or return values.
 */
export interface KeyProvider {
  /** A signer for `keyId` (the provider's default key when omitted). */
  signer(keyId?: string): Promise<PayloadSigner>;
  /** The public key that verifies `keyId`'s signatures. */
  publicKey(keyId?: string): Promise<KeyObject>;
}

function onlyDefaultKey(keyId: string | undefined, id: string): void {
  if (keyId !== undefined && keyId !== id) {
    throw new MlsecopsError('INVALID_INPUT', `unknown signing key id "${keyId}" (this provider holds "${id}")`);
  }
}

/** Options of {@link fileKeyProvider}. */
export interface FileKeyProviderOptions {
  /** Id callers may name; default `default`. */
  keyId?: string;
  privateKeyPath?: string;
  /** Defaults to the public half of the private key. */
  publicKeyPath?: string;
  passphrase?: string;
}

/** Keys read from PEM files (read on each use, so a rotated file is picked up). */
export function fileKeyProvider(options: FileKeyProviderOptions): KeyProvider {
  const id = options.keyId ?? 'default';
  const privateKey = async (): Promise<KeyObject> => {
    if (!options.privateKeyPath)
      throw new MlsecopsError('INVALID_CONFIG', `signing key "${id}" has no private key file configured`);
    return readPrivateKeyFile(options.privateKeyPath, options.passphrase);
  };
  return {
    async signer(keyId) {
      onlyDefaultKey(keyId, id);
      return keySigner(await privateKey());
    },
    async publicKey(keyId) {
      onlyDefaultKey(keyId, id);
      if (options.publicKeyPath) return readPublicKeyFile(options.publicKeyPath);
      return createPublicKey(await privateKey());
    },
  };
}

/** Options of {@link envKeyProvider}: the variable names, and the environment to read (passed in, never global). */
export interface EnvKeyProviderOptions {
  env: Readonly<Record<string, string | undefined>>;
  keyId?: string;
  /** Variable holding the private key PEM; default `MLSECOPS_SIGNING_KEY`. */
  privateKeyVar?: string;
  /** Variable holding its password, if encrypted; default `MLSECOPS_SIGNING_KEY_PASSWORD`. */
  passphraseVar?: string;
  /** Variable holding the public key PEM; default `MLSECOPS_SIGNING_PUBLIC_KEY` (else derived from the private key). */
  publicKeyVar?: string;
}

/** Keys held in environment variables as PEM text (errors name the variable, never its value). */
export function envKeyProvider(options: EnvKeyProviderOptions): KeyProvider {
  const id = options.keyId ?? 'default';
  const privateVar = options.privateKeyVar ?? 'MLSECOPS_SIGNING_KEY';
  const passVar = options.passphraseVar ?? 'MLSECOPS_SIGNING_KEY_PASSWORD';
  const publicVar = options.publicKeyVar ?? 'MLSECOPS_SIGNING_PUBLIC_KEY';
  const privateKey = (): KeyObject => {
    const pem = options.env[privateVar];
    if (!pem)
      throw new MlsecopsError('INVALID_CONFIG', `signing key "${id}": environment variable ${privateVar} is not set`);
    try {
      return loadPrivateKey(pem, options.env[passVar] || undefined);
    } catch (e: unknown) {
      throw new MlsecopsError(
        'INVALID_CONFIG',
        `signing key "${id}" in ${privateVar}: ${e instanceof Error ? e.message : 'invalid'}`,
      );
    }
  };
  return {
    // Promise.resolve().then: configuration errors reject instead of throwing synchronously.
    signer: (keyId) =>
      Promise.resolve().then(() => {
        onlyDefaultKey(keyId, id);
        return keySigner(privateKey());
      }),
    publicKey: (keyId) =>
      Promise.resolve().then(() => {
        onlyDefaultKey(keyId, id);
        const pem = options.env[publicVar];
        return pem ? loadPublicKey(pem) : createPublicKey(privateKey());
      }),
  };
}
