import { appendFileSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, keySigner, loadPrivateKey, parseBundle, signModel, verifyModel } from './index';
import { modelSigning, referencePython } from './reference-cli.test-helpers';
import { ecKeyPair, tempDir, writeTestModel } from './signing.test-helpers';

/**
 * Interoperability with the pinned reference implementation (PyPI `model-signing`, see
 * tools/python/requirements-reference.txt), both directions, on a model with nested folders, hidden
 * files, unicode and spaces in names, an empty file and a top-level .git.
 */
jest.setTimeout(300_000);

let python = '';
beforeAll(() => {
  python = referencePython();
});

interface Case {
  model: string;
  signature: string;
  keys: ReturnType<typeof ecKeyPair>;
  privatePath: string;
  publicPath: string;
}

function setUp(curve: 'P-256' | 'P-384'): Case {
  const dir = tempDir('oms-interop-');
  const keys = ecKeyPair(curve);
  const privatePath = join(dir, 'key.pem');
  const publicPath = join(dir, 'key.pub');
  writeFileSync(privatePath, keys.privatePem);
  writeFileSync(publicPath, keys.publicPem);
  return { model: writeTestModel(dir), signature: join(dir, 'model.sig'), keys, privatePath, publicPath };
}

async function signWithOurs(c: Case): Promise<void> {
  const signed = await signModel({
    modelPath: c.model,
    signer: keySigner(c.keys.privateKey),
    signaturePath: c.signature,
  });
  writeFileSync(c.signature, signed.json);
}

function signWithTheirs(c: Case): void {
  const r = modelSigning(python, ['sign', 'key', '--private_key', c.privatePath, '--signature', c.signature, c.model]);
  expect(r).toMatchObject({ status: 0 });
}

function theirsVerify(c: Case, publicPath = c.publicPath): number {
  return modelSigning(python, ['verify', 'key', '--public_key', publicPath, '--signature', c.signature, c.model])
    .status;
}

async function oursVerify(c: Case, publicKey = c.keys.publicKey): Promise<boolean> {
  const result = await verifyModel({
    modelPath: c.model,
    bundleJson: readFileSync(c.signature, 'utf8'),
    signaturePath: c.signature,
    publicKey,
  });
  return result.valid;
}

const tampers: Record<string, (model: string) => void> = {
  'a changed file': (m) => appendFileSync(join(m, 'weights', 'deep', 'nested', 'w.bin'), 'x'),
  'an added file': (m) => writeFileSync(join(m, 'sub', 'added.bin'), 'new'),
  'a removed file': (m) => unlinkSync(join(m, 'empty.bin')),
  'a changed unicode file': (m) => writeFileSync(join(m, 'naïve 模型 ✓.txt'), 'other'),
};

describe.each(['P-256', 'P-384'] as const)('interop with model_signing, %s', (curve) => {
  it('the reference verifies our signature', async () => {
    const c = setUp(curve);
    await signWithOurs(c);
    expect(theirsVerify(c)).toBe(0);
    expect(await oursVerify(c)).toBe(true);
  });

  it('we verify the reference signature, with the reference root digest', async () => {
    const c = setUp(curve);
    signWithTheirs(c);
    expect(await oursVerify(c)).toBe(true);
    const parsed = parseBundle(readFileSync(c.signature, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.message);
    const statement = JSON.parse(Buffer.from(parsed.bundle.dsseEnvelope.payload, 'base64').toString()) as {
      subject: { digest: { sha256: string } }[];
    };
    expect(statement.subject[0]?.digest.sha256).toBe((await buildManifest(c.model)).rootDigest);
  });

  for (const [what, tamper] of Object.entries(tampers)) {
    it(`both sides reject ${what}, whoever signed`, async () => {
      const ours = setUp(curve);
      await signWithOurs(ours);
      tamper(ours.model);
      expect(theirsVerify(ours)).not.toBe(0);
      expect(await oursVerify(ours)).toBe(false);

      const theirs = setUp(curve);
      signWithTheirs(theirs);
      tamper(theirs.model);
      expect(theirsVerify(theirs)).not.toBe(0);
      expect(await oursVerify(theirs)).toBe(false);
    });
  }

  it('both sides reject the wrong key, whoever signed', async () => {
    const wrong = setUp(curve);
    const ours = setUp(curve);
    await signWithOurs(ours);
    expect(theirsVerify(ours, wrong.publicPath)).not.toBe(0);
    expect(await oursVerify(ours, wrong.keys.publicKey)).toBe(false);
    const theirs = setUp(curve);
    signWithTheirs(theirs);
    expect(theirsVerify(theirs, wrong.publicPath)).not.toBe(0);
    expect(await oursVerify(theirs, wrong.keys.publicKey)).toBe(false);
  });
});

describe('interop details', () => {
  it('a signature inside the model is ignored by both, whoever signed', async () => {
    const c = setUp('P-256');
    c.signature = join(c.model, 'model.sig');
    await signWithOurs(c);
    expect(theirsVerify(c)).toBe(0);
    signWithTheirs(c);
    expect(await oursVerify(c)).toBe(true);
  });

  it('single-file models interoperate both ways', async () => {
    const c = setUp('P-384');
    c.model = join(c.model, 'config.json');
    signWithTheirs(c);
    expect(await oursVerify(c)).toBe(true);
    await signWithOurs(c);
    expect(theirsVerify(c)).toBe(0);
  });

  // The reference CLI 1.1.1 cannot load encrypted keys (its --password passes a str where bytes are
  // needed), so encrypted keys are checked one way: we sign with them, the reference verifies.
  it.each(['sec1', 'pkcs8'] as const)('the reference verifies what we sign with an encrypted %s key', async (type) => {
    const c = setUp('P-256');
    const pem = c.keys.privateKey
      .export({ type, format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw-123' })
      .toString();
    const signed = await signModel({ modelPath: c.model, signer: keySigner(loadPrivateKey(pem, 'pw-123')) });
    writeFileSync(c.signature, signed.json);
    expect(theirsVerify(c)).toBe(0);
  });
});
