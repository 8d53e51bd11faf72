import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder for one test. */
export function tempDir(prefix = 'oms-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Writes a model that exercises the walk: nested folders, hidden files, unicode and spaces in names,
 * an empty file, names that sort differently by component (`a/b` vs `a-b/c`), and a top-level `.git`.
 */
export function writeTestModel(root: string): string {
  const model = join(root, 'my model');
  const files: Record<string, string | Buffer> = {
    'config.json': '{"layers": 2}\n',
    'weights/layer 1.bin': Buffer.alloc(300_000, 7),
    'weights/deep/nested/w.bin': 'nested\n',
    '.hidden': 'dotfile\n',
    'sub/.env.sample': 'A=1\n',
    'naïve 模型 ✓.txt': 'unicode\n',
    'empty.bin': '',
    'a/b': 'ab\n',
    'a-b/c': 'a-b-c\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.git/objects/xx': 'object\n',
    '.gitattributes': '*.bin filter=lfs\n',
  };
  for (const [name, body] of Object.entries(files)) {
    const path = join(model, ...name.split('/'));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
  }
  mkdirSync(join(model, 'empty dir'), { recursive: true });
  return model;
}

/** An ECDSA key pair on the given curve, as KeyObjects and PEM text (SPKI public, PKCS#8 private). */
export function ecKeyPair(namedCurve: 'P-256' | 'P-384' | 'P-521'): {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
