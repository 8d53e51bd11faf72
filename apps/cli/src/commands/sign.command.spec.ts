import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../testing/run-cli.test-helpers';

const run = runCliCaptured;

function fixture(): { dir: string; model: string; key: string; pub: string; otherPub: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cli-sign-'));
  const model = join(dir, 'model');
  mkdirSync(join(model, 'sub'), { recursive: true });
  writeFileSync(join(model, 'weights.bin'), 'weights');
  writeFileSync(join(model, 'sub', 'config.json'), '{}');
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const key = join(dir, 'key.pem');
  const pub = join(dir, 'key.pub');
  const otherPub = join(dir, 'other.pub');
  writeFileSync(
    key,
    pair.privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'hunter2' }),
  );
  writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(
    otherPub,
    generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }),
  );
  return { dir, model, key, pub, otherPub };
}

describe('mlsecops sign / verify', () => {
  const cwd = process.cwd();
  afterEach(() => {
    process.chdir(cwd);
    delete process.env.TEST_KEY_PASSWORD;
  });

  it('signs to model.sig in the current directory by default and verifies (exit 0)', async () => {
    const f = fixture();
    process.chdir(f.dir);
    process.env.TEST_KEY_PASSWORD = 'hunter2';
    const signed = await run(['sign', f.model, '--private-key', f.key, '--password-env', 'TEST_KEY_PASSWORD']);
    expect(signed).toMatchObject({ code: 0 });
    expect(signed.stdout).toMatch(/signed model: 2 files/);
    expect(existsSync(join(f.dir, 'model.sig'))).toBe(true);
    expect(signed.stderr).not.toContain('hunter2');
    const verified = await run(['verify', f.model, '--public-key', f.pub, '--signature', 'model.sig']);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toMatch(/verified model: 2 files/);
  });

  it('fails verification with exit 1 naming the changed file or the wrong key', async () => {
    const f = fixture();
    const sig = join(f.dir, 'out.sig');
    process.env.TEST_KEY_PASSWORD = 'hunter2';
    expect(
      (await run(['sign', f.model, '--private-key', f.key, '--password-env', 'TEST_KEY_PASSWORD', '--signature', sig]))
        .code,
    ).toBe(0);
    const wrong = await run(['verify', f.model, '--public-key', f.otherPub, '--signature', sig]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong-key');
    appendFileSync(join(f.model, 'sub', 'config.json'), ' ');
    const tampered = await run(['verify', f.model, '--public-key', f.pub, '--signature', sig, '--json']);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({
      valid: false,
      reason: 'content-mismatch',
      changed: ['sub/config.json'],
    });
  });

  it('exits 2 on usage and I/O errors, never printing the password', async () => {
    const f = fixture();
    process.env.TEST_KEY_PASSWORD = 'not-the-password';
    const badPassword = await run([
      'sign',
      f.model,
      '--private-key',
      f.key,
      '--password-env',
      'TEST_KEY_PASSWORD',
      '--signature',
      join(f.dir, 's'),
    ]);
    expect(badPassword.code).toBe(2);
    expect(badPassword.stderr).toContain('wrong password');
    expect(badPassword.stderr).not.toContain('not-the-password');
    expect((await run(['sign', f.model, '--private-key', join(f.dir, 'missing.pem')])).code).toBe(2);
    expect((await run(['sign', f.model, '--private-key', f.key, '--password-env', 'UNSET_VARIABLE_X'])).code).toBe(2);
    expect((await run(['verify', f.model, '--signature', join(f.dir, 's')])).code).toBe(2);
    expect((await run(['verify', f.model, '--public-key', f.pub, '--signature', join(f.dir, 'none.sig')])).code).toBe(
      2,
    );
    writeFileSync(join(f.dir, 'garbage.sig'), 'garbage');
    const malformed = await run(['verify', f.model, '--public-key', f.pub, '--signature', join(f.dir, 'garbage.sig')]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('malformed');
    expect(readFileSync(f.key, 'utf8')).toContain('ENCRYPTED');
  });
});

describe('mlsecops attest / bom', () => {
  it('creates and verifies an attestation, and fails it for a changed model', async () => {
    const f = fixture();
    process.env.TEST_KEY_PASSWORD = 'hunter2';
    writeFileSync(join(f.dir, 'scan.json'), JSON.stringify({ verdict: 'pass' }));
    const att = join(f.dir, 'scan.att.json');
    const type = 'https://mlsecops.dev/attestation/model-scan/v1';
    const created = await run([
      'attest',
      'create',
      f.model,
      '--predicate-type',
      type,
      '--predicate',
      join(f.dir, 'scan.json'),
      '--private-key',
      f.key,
      '--password-env',
      'TEST_KEY_PASSWORD',
      '--output',
      att,
    ]);
    expect(created.code).toBe(0);
    expect(
      (await run(['attest', 'verify', f.model, '--attestation', att, '--public-key', f.pub, '--predicate-type', type]))
        .code,
    ).toBe(0);
    appendFileSync(join(f.model, 'weights.bin'), 'x');
    const changed = await run(['attest', 'verify', f.model, '--attestation', att, '--public-key', f.pub]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('subject-mismatch');
  });

  it('writes a CycloneDX BOM', async () => {
    const f = fixture();
    const out = join(f.dir, 'bom.json');
    expect((await run(['bom', f.model, '--output', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
  });
});

describe('mlsecops sign/verify with certificates', () => {
  /** A root CA and a leaf with digitalSignature usage, made with the openssl CLI. */
  function pki(dir: string): { root: string; leaf: string; key: string } {
    const sh = (args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    };
    writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n');
    writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n');
    sh(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
    sh([
      'req',
      '-new',
      '-x509',
      '-key',
      'ca.key',
      '-subj',
      '/CN=CLI Test Root',
      '-days',
      '30',
      '-out',
      'ca.pem',
      '-extensions',
      'v3_ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    sh(['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'leaf.key']);
    sh(['req', '-new', '-key', 'leaf.key', '-subj', '/CN=CLI Test Signer', '-out', 'leaf.csr']);
    sh([
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '10',
      '-extfile',
      'leaf.ext',
      '-out',
      'leaf.pem',
    ]);
    return { root: join(dir, 'ca.pem'), leaf: join(dir, 'leaf.pem'), key: join(dir, 'leaf.key') };
  }

  it('signs with --signing-certificate and verifies with --certificate-chain', async () => {
    const f = fixture();
    const p = pki(f.dir);
    const sig = join(f.dir, 'cert.sig');
    expect(
      (await run(['sign', f.model, '--private-key', p.key, '--signing-certificate', p.leaf, '--signature', sig])).code,
    ).toBe(0);
    const ok = await run(['verify', f.model, '--certificate-chain', p.root, '--signature', sig]);
    expect(ok).toMatchObject({ code: 0 });
    const keyInstead = await run(['verify', f.model, '--public-key', f.pub, '--signature', sig]);
    expect(keyInstead.code).toBe(1);
    const otherRoot = await run([
      'verify',
      f.model,
      '--certificate-chain',
      pki(mkdtempSync(join(tmpdir(), 'cli-pki-'))).root,
      '--signature',
      sig,
    ]);
    expect(otherRoot.code).toBe(1);
    expect(otherRoot.stderr).toContain('untrusted-certificate');
  });
});
