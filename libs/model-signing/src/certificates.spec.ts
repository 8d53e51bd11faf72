import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keySigner, parseCertificatesPem, signModel, verifyModel } from './index';
import { makeTestPki, type TestLeaf, type TestPki } from './certificates.test-helpers';
import { modelSigning, referencePython } from './reference-cli.test-helpers';
import { tempDir, writeTestModel } from './signing.test-helpers';

jest.setTimeout(300_000);

const DAY = 86_400_000;
let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function signWith(leaf: TestLeaf, withIntermediate = true): Promise<{ model: string; json: string }> {
  const model = writeTestModel(tempDir('oms-cert-'));
  const chain = parseCertificatesPem(withIntermediate ? leaf.pem + pki.intermediatePem : leaf.pem);
  const signed = await signModel({ modelPath: model, signer: keySigner(leaf.privateKey), certificateChain: chain });
  return { model, json: signed.json };
}

const roots = (): ReturnType<typeof parseCertificatesPem> => parseCertificatesPem(pki.rootPem);

describe('certificate signatures', () => {
  it('verifies a chain leaf -> intermediate -> trusted root', async () => {
    const { model, json } = await signWith(await pki.leaf());
    const result = await verifyModel({ modelPath: model, bundleJson: json, trustedRoots: roots() });
    expect(result).toMatchObject({ valid: true, signer: { kind: 'certificate' } });
  });

  it('accepts the codeSigning extended key usage instead of digitalSignature', async () => {
    const { model, json } = await signWith(await pki.leaf({ usage: 'codeSigning' }));
    expect((await verifyModel({ modelPath: model, bundleJson: json, trustedRoots: roots() })).valid).toBe(true);
  });

  it.each([
    [
      'an expired leaf',
      { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) },
      /expired/,
    ],
    [
      'a not-yet-valid leaf',
      { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 10 * DAY) },
      /not valid before/,
    ],
    ['a leaf without a signing usage', { usage: 'none' as const }, /neither digitalSignature/],
  ])('refuses %s', async (_what, options, message) => {
    const { model, json } = await signWith(await pki.leaf(options));
    const result = await verifyModel({ modelPath: model, bundleJson: json, trustedRoots: roots() });
    expect(result).toMatchObject({ valid: false, reason: 'untrusted-certificate' });
    expect(result.valid ? '' : result.message).toMatch(message);
  });

  it('refuses a chain to another root, and a bundle missing its intermediate', async () => {
    const other = await makeTestPki('Other');
    const { model, json } = await signWith(await pki.leaf());
    const result = await verifyModel({
      modelPath: model,
      bundleJson: json,
      trustedRoots: parseCertificatesPem(other.rootPem),
    });
    expect(result).toMatchObject({ valid: false, reason: 'untrusted-certificate' });
    const bare = await signWith(await pki.leaf(), false);
    expect(await verifyModel({ modelPath: bare.model, bundleJson: bare.json, trustedRoots: roots() })).toMatchObject({
      valid: false,
      reason: 'untrusted-certificate',
    });
  });

  it('refuses to sign with a certificate for another key', async () => {
    const a = await pki.leaf();
    const b = await pki.leaf();
    const model = writeTestModel(tempDir('oms-cert-'));
    await expect(
      signModel({ modelPath: model, signer: keySigner(a.privateKey), certificateChain: parseCertificatesPem(b.pem) }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('certificate signatures interoperate with model_signing', () => {
  let python = '';
  beforeAll(() => {
    python = referencePython();
  });

  it('the reference verifies ours and we verify theirs; we alone refuse an expired leaf', async () => {
    const dir = tempDir('oms-cert-interop-');
    const leaf = await pki.leaf();
    const files = {
      root: join(dir, 'root.pem'),
      inter: join(dir, 'inter.pem'),
      leaf: join(dir, 'leaf.pem'),
      key: join(dir, 'leaf.key'),
      sig: join(dir, 'model.sig'),
    };
    writeFileSync(files.root, pki.rootPem);
    writeFileSync(files.inter, pki.intermediatePem);
    writeFileSync(files.leaf, leaf.pem);
    writeFileSync(files.key, leaf.privatePem);

    const ours = await signWith(leaf);
    writeFileSync(files.sig, ours.json);
    const verifyTheirs = (model: string): number =>
      modelSigning(python, [
        'verify',
        'certificate',
        '--signature',
        files.sig,
        '--certificate_chain',
        files.root,
        model,
      ]).status;
    expect(verifyTheirs(ours.model)).toBe(0);

    const model = writeTestModel(dir);
    const signed = modelSigning(python, [
      'sign',
      'certificate',
      '--private_key',
      files.key,
      '--signing_certificate',
      files.leaf,
      '--certificate_chain',
      files.inter,
      '--signature',
      files.sig,
      model,
    ]);
    expect(signed.status).toBe(0);
    const theirs = await verifyModel({
      modelPath: model,
      bundleJson: readFileSync(files.sig, 'utf8'),
      trustedRoots: roots(),
    });
    expect(theirs).toMatchObject({ valid: true });

    const expired = await signWith(
      await pki.leaf({ notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) }),
    );
    writeFileSync(files.sig, expired.json);
    expect(verifyTheirs(expired.model)).toBe(0);
    expect(
      (await verifyModel({ modelPath: expired.model, bundleJson: expired.json, trustedRoots: roots() })).valid,
    ).toBe(false);
  });
});
