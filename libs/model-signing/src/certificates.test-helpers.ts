import { createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

type KeyPair = webcrypto.CryptoKeyPair;

async function keyPair(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

async function toKeyObject(key: webcrypto.CryptoKey): Promise<KeyObject> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** A leaf certificate and its private key, as PEM and as a KeyObject. */
export interface TestLeaf {
  pem: string;
  privateKey: KeyObject;
  privatePem: string;
}

/** A small PKI made in-process: a root CA, an intermediate CA, and a factory of leaves with chosen usages and validity. */
export interface TestPki {
  rootPem: string;
  intermediatePem: string;
  leaf(options?: {
    usage?: 'digitalSignature' | 'codeSigning' | 'none';
    notBefore?: Date;
    notAfter?: Date;
  }): Promise<TestLeaf>;
}

export async function makeTestPki(name = 'Test'): Promise<TestPki> {
  const now = Date.now();
  const rootKeys = await keyPair();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name} Root CA`,
    notBefore: new Date(now - 60 * DAY),
    notAfter: new Date(now + 365 * DAY),
    keys: rootKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 2, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const interKeys = await keyPair();
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${name} Intermediate CA`,
    issuer: root.subject,
    notBefore: new Date(now - 60 * DAY),
    notAfter: new Date(now + 365 * DAY),
    signingKey: rootKeys.privateKey,
    publicKey: interKeys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  let serial = 16;
  return {
    rootPem: root.toString('pem'),
    intermediatePem: intermediate.toString('pem'),
    async leaf(options = {}) {
      const leafKeys = await keyPair();
      const usage = options.usage ?? 'digitalSignature';
      const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
      if (usage === 'digitalSignature')
        extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
      if (usage === 'codeSigning')
        extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning], false));
      if (usage === 'none') extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyEncipherment, true));
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16),
        subject: `CN=${name} model signer ${serial}`,
        issuer: intermediate.subject,
        notBefore: options.notBefore ?? new Date(now - DAY),
        notAfter: options.notAfter ?? new Date(now + 30 * DAY),
        signingKey: interKeys.privateKey,
        publicKey: leafKeys.publicKey,
        signingAlgorithm: ALG,
        extensions,
      });
      const privateKey = await toKeyObject(leafKeys.privateKey);
      return {
        pem: cert.toString('pem'),
        privateKey,
        privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
    },
  };
}
