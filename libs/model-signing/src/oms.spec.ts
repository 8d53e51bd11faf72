import { createHash, generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildManifest,
  comparePosixPaths,
  computeRootDigest,
  hashFiles,
  keySigner,
  loadPrivateKey,
  loadPublicKey,
  pae,
  parseBundle,
  publicKeyHint,
  signModel,
  verifyModel,
} from './index';
import { ecKeyPair, tempDir, writeTestModel } from './signing.test-helpers';

/** `expect.stringContaining` typed as the string it stands for. */
const containing = (s: string): string => expect.stringContaining(s) as string;
const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

describe('OMS building blocks', () => {
  it('encodes DSSE PAE as in the DSSE specification example', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('orders paths by component like the reference', () => {
    expect(['a-b/c', 'a/b', 'B', 'a', '.x'].sort(comparePosixPaths)).toEqual(['.x', 'B', 'a', 'a/b', 'a-b/c']);
  });

  it('computes the root digest over raw digests in listed order', () => {
    const d1 = sha256('one');
    const d2 = sha256('two');
    const expected = createHash('sha256')
      .update(Buffer.from(d1 + d2, 'hex'))
      .digest('hex');
    expect(computeRootDigest([{ digest: d1 }, { digest: d2 }])).toBe(expected);
    expect(computeRootDigest([{ digest: d2 }, { digest: d1 }])).not.toBe(expected);
  });

  it('hashes files in worker threads, large and empty alike, across chunk boundaries', async () => {
    const dir = tempDir();
    const big = Buffer.alloc(5 * 1024 * 1024 + 3, 1);
    writeFileSync(join(dir, 'big'), big);
    writeFileSync(join(dir, 'empty'), '');
    let progress = 0;
    const digests = await hashFiles(
      [
        { path: join(dir, 'empty'), sizeBytes: 0 },
        { path: join(dir, 'big'), sizeBytes: big.length },
      ],
      { chunkSize: 1024 * 1024, concurrency: 2, onProgress: (n) => (progress += n) },
    );
    expect(digests).toEqual([sha256(''), sha256(big)]);
    expect(progress).toBe(big.length);
  });

  it('batches many small files to the workers and keeps every digest in its place', async () => {
    const dir = tempDir();
    const jobs = Array.from({ length: 600 }, (_, i) => {
      const body = Buffer.alloc(i % 7 === 0 ? 3 * 1024 * 1024 : 50_000 + i, i % 251);
      writeFileSync(join(dir, `f${i}`), body);
      return { path: join(dir, `f${i}`), sizeBytes: body.length, expected: sha256(body) };
    });
    const digests = await hashFiles(jobs, { concurrency: 3 });
    expect(digests).toEqual(jobs.map((j) => j.expected));
  });

  it('reports an unreadable file as NOT_FOUND', async () => {
    await expect(hashFiles([{ path: join(tempDir(), 'nope'), sizeBytes: 0 }])).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('walks dotfiles, skips the top-level .git paths, and lists files in component order', async () => {
    const model = writeTestModel(tempDir());
    const manifest = await buildManifest(model);
    expect(manifest.resources.map((r) => r.name)).toEqual([
      '.hidden',
      'a/b',
      'a-b/c',
      'config.json',
      'empty.bin',
      'naïve 模型 ✓.txt',
      'sub/.env.sample',
      'weights/deep/nested/w.bin',
      'weights/layer 1.bin',
    ]);
    expect(manifest.resources.find((r) => r.name === 'empty.bin')?.digest).toBe(sha256(''));
    expect(manifest.modelName).toBe('my model');
  });

  it('refuses symbolic links', async () => {
    const model = writeTestModel(tempDir());
    symlinkSync('/etc/hostname', join(model, 'link'));
    await expect(buildManifest(model)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: containing('link') });
  });

  it('computes the key hint over the SPKI PEM text', () => {
    const { publicKey, publicPem } = ecKeyPair('P-256');
    expect(publicKeyHint(publicKey)).toBe(sha256(publicPem));
  });

  it('loads encrypted SEC1 and PKCS#8 keys and never echoes the password', () => {
    const { privateKey } = ecKeyPair('P-384');
    const enc = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret-pw' })
      .toString();
    expect(loadPrivateKey(enc, 's3cret-pw').asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(loadPrivateKey(sec1).asymmetricKeyType).toBe('ec');
    let message = '';
    try {
      loadPrivateKey(enc, 'wrong-pw');
    } catch (e: unknown) {
      message = e instanceof Error ? e.message : '';
    }
    expect(message).toContain('wrong password');
    expect(message).not.toContain('wrong-pw');
    expect(() => loadPrivateKey(enc)).toThrow(/encrypted/);
  });

  it('rejects Ed25519 keys', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(() => loadPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString())).toThrow(
      /unsupported key/,
    );
  });
});

describe('signModel / verifyModel', () => {
  for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
    it(`signs and verifies with ${curve}`, async () => {
      const model = writeTestModel(tempDir());
      const keys = ecKeyPair(curve);
      const signaturePath = join(model, 'model.sig');
      const signed = await signModel({ modelPath: model, signer: keySigner(keys.privateKey), signaturePath });
      writeFileSync(signaturePath, signed.json);
      const result = await verifyModel({
        modelPath: model,
        bundleJson: signed.json,
        signaturePath,
        publicKey: keys.publicKey,
      });
      expect(result).toMatchObject({ valid: true, rootDigest: signed.manifest.rootDigest, resourceCount: 9 });
      const statement = JSON.parse(Buffer.from(signed.bundle.dsseEnvelope.payload, 'base64').toString()) as {
        predicate: { serialization: { ignore_paths: string[] } };
      };
      expect(statement.predicate.serialization.ignore_paths).toContain('model.sig');
    });
  }

  async function signed(): Promise<{ model: string; json: string; keys: ReturnType<typeof ecKeyPair> }> {
    const model = writeTestModel(tempDir());
    const keys = ecKeyPair('P-256');
    const s = await signModel({ modelPath: model, signer: keySigner(keys.privateKey) });
    return { model, json: s.json, keys };
  }

  it('names changed, missing and extra files', async () => {
    const { model, json, keys } = await signed();
    appendFileSync(join(model, 'config.json'), ' ');
    unlinkSync(join(model, 'empty.bin'));
    writeFileSync(join(model, 'weights', 'extra.bin'), 'x');
    const result = await verifyModel({ modelPath: model, bundleJson: json, publicKey: keys.publicKey });
    expect(result).toMatchObject({
      valid: false,
      reason: 'content-mismatch',
      changed: ['config.json'],
      missing: ['empty.bin'],
      extra: ['weights/extra.bin'],
    });
  });

  it('tolerates unsigned files only when asked to', async () => {
    const { model, json, keys } = await signed();
    writeFileSync(join(model, 'added.bin'), 'x');
    expect((await verifyModel({ modelPath: model, bundleJson: json, publicKey: keys.publicKey })).valid).toBe(false);
    expect(
      (await verifyModel({ modelPath: model, bundleJson: json, publicKey: keys.publicKey, ignoreUnsignedFiles: true }))
        .valid,
    ).toBe(true);
  });

  it('refuses to sign a model with no files outside the ignore paths', async () => {
    const model = join(tempDir(), 'empty');
    mkdirSync(join(model, '.git'), { recursive: true });
    writeFileSync(join(model, '.git', 'HEAD'), 'x');
    await expect(
      signModel({ modelPath: model, signer: keySigner(ecKeyPair('P-256').privateKey) }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('ignores changes under .git', async () => {
    const { model, json, keys } = await signed();
    writeFileSync(join(model, '.git', 'HEAD'), 'changed');
    expect((await verifyModel({ modelPath: model, bundleJson: json, publicKey: keys.publicKey })).valid).toBe(true);
  });

  it('reports a wrong key by its hint, and an unhinted one by the failed signature', async () => {
    const { model, json } = await signed();
    const other = ecKeyPair('P-256');
    expect(await verifyModel({ modelPath: model, bundleJson: json, publicKey: other.publicKey })).toMatchObject({
      valid: false,
      reason: 'wrong-key',
      message: containing('different key'),
    });
    const bundle = JSON.parse(json) as { verificationMaterial: { publicKey: { hint: string } } };
    bundle.verificationMaterial.publicKey.hint = '';
    expect(
      await verifyModel({ modelPath: model, bundleJson: JSON.stringify(bundle), publicKey: other.publicKey }),
    ).toMatchObject({
      valid: false,
      reason: 'wrong-key',
    });
  });

  it('catches an altered payload', async () => {
    const { model, json, keys } = await signed();
    const bundle = JSON.parse(json) as { dsseEnvelope: { payload: string } };
    const statement = Buffer.from(bundle.dsseEnvelope.payload, 'base64')
      .toString()
      .replace('config.json', 'config.jsoN');
    bundle.dsseEnvelope.payload = Buffer.from(statement).toString('base64');
    expect(
      await verifyModel({ modelPath: model, bundleJson: JSON.stringify(bundle), publicKey: keys.publicKey }),
    ).toMatchObject({
      valid: false,
      reason: 'invalid-signature',
    });
  });

  it('rejects malformed bundles with the cause', async () => {
    const { model, json, keys } = await signed();
    const verify = (bundleJson: string): ReturnType<typeof verifyModel> =>
      verifyModel({ modelPath: model, bundleJson, publicKey: keys.publicKey });
    expect(await verify('not json')).toMatchObject({ reason: 'malformed-bundle', message: containing('not JSON') });
    expect(await verify(json.replace('v0.3+json', 'v0.2+json'))).toMatchObject({
      reason: 'malformed-bundle',
      message: containing('mediaType'),
    });
    const noSig = JSON.parse(json) as { dsseEnvelope: { signatures: unknown[] } };
    noSig.dsseEnvelope.signatures = [];
    expect(await verify(JSON.stringify(noSig))).toMatchObject({
      reason: 'malformed-bundle',
      message: containing('signature'),
    });
    expect(parseBundle(json).ok).toBe(true);
  });

  it('refuses signed ignore paths outside the policy unless allowed', async () => {
    const model = writeTestModel(tempDir());
    const keys = ecKeyPair('P-256');
    const s = await signModel({ modelPath: model, signer: keySigner(keys.privateKey), ignorePaths: ['weights'] });
    writeFileSync(join(model, 'weights', 'layer 1.bin'), 'swapped');
    expect(await verifyModel({ modelPath: model, bundleJson: s.json, publicKey: keys.publicKey })).toMatchObject({
      valid: false,
      reason: 'ignore-paths-policy',
      unexpected: ['weights'],
    });
    expect(
      await verifyModel({
        modelPath: model,
        bundleJson: s.json,
        publicKey: keys.publicKey,
        allowedSignedIgnorePaths: ['weights'],
      }),
    ).toMatchObject({ valid: true });
    expect(
      await verifyModel({
        modelPath: model,
        bundleJson: s.json,
        publicKey: keys.publicKey,
        allowedSignedIgnorePaths: 'any',
      }),
    ).toMatchObject({ valid: true });
  });

  it('signs a single file as "." and accepts its own name too', async () => {
    const dir = tempDir();
    const file = join(dir, 'model.safetensors');
    writeFileSync(file, 'weights');
    const keys = ecKeyPair('P-256');
    const s = await signModel({ modelPath: file, signer: keySigner(keys.privateKey) });
    expect(s.manifest.resources.map((r) => r.name)).toEqual(['.']);
    expect((await verifyModel({ modelPath: file, bundleJson: s.json, publicKey: keys.publicKey })).valid).toBe(true);
    const renamed = await signModel({ modelPath: file, signer: keySigner(keys.privateKey) });
    const payload = Buffer.from(renamed.bundle.dsseEnvelope.payload, 'base64')
      .toString()
      .replace('"name":"."', '"name":"model.safetensors"');
    const { signEnvelope } = await import('./dsse');
    const envelope = await signEnvelope(
      keySigner(keys.privateKey),
      'application/vnd.in-toto+json',
      Buffer.from(payload),
    );
    const bundle = { ...renamed.bundle, dsseEnvelope: envelope };
    expect(
      (await verifyModel({ modelPath: file, bundleJson: JSON.stringify(bundle), publicKey: keys.publicKey })).valid,
    ).toBe(true);
    rmSync(dir, { recursive: true });
  });
});
