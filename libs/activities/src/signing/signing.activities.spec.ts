import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { attestResultResultSchema, signModelResultSchema, verifyModelResultSchema } from '@mlsecops/contracts';
import {
  envKeyProvider,
  fileKeyProvider,
  verifyAttestation,
  modelSubject,
  type KeyProvider,
} from '@mlsecops/model-signing';
import { createSigningActivities } from './signing.activities';

const PASSWORD = 'activity-secret-pw';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privatePem = pair.privateKey
  .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD })
  .toString();
const keyBody = privatePem.split('\n')[1] ?? '';

function setUp(keyProvider?: KeyProvider): { root: string; activities: ReturnType<typeof createSigningActivities> } {
  const root = mkdtempSync(join(tmpdir(), 'signing-activity-'));
  mkdirSync(join(root, 'models', 'bert', 'sub'), { recursive: true });
  writeFileSync(join(root, 'models', 'bert', 'weights.bin'), Buffer.alloc(2 * 1024 * 1024, 3));
  writeFileSync(join(root, 'models', 'bert', 'sub', 'config.json'), '{}');
  const provider =
    keyProvider ??
    envKeyProvider({ env: { MLSECOPS_SIGNING_KEY: privatePem, MLSECOPS_SIGNING_KEY_PASSWORD: PASSWORD } });
  return {
    root,
    activities: createSigningActivities({ artifactRoot: root, keyProvider: provider, heartbeatEveryMs: 10 }),
  };
}

/** Everything an activity hands to Temporal must be free of key material and machine paths. */
function expectClean(value: unknown, root: string): void {
  const text = JSON.stringify(value);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(keyBody);
  expect(text).not.toContain(root);
}

describe('signing activities', () => {
  it('signs, verifies and attests by URI, heartbeating, with clean results', async () => {
    const { root, activities } = setUp();
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const signed = signModelResultSchema.parse(await env.run(activities.signModel, { modelUri: 'models/bert' }));
    expect(signed).toMatchObject({ signatureUri: 'models/bert.sig', fileCount: 2 });
    expect(beats.length).toBeGreaterThan(0);
    const verified = await env.run(activities.verifyModel, {
      modelUri: 'models/bert',
      signatureUri: 'models/bert.sig',
    });
    expect(verifyModelResultSchema.parse(verified)).toMatchObject({ valid: true, rootDigest: signed.rootDigest });
    const att = await env.run(activities.attestResult, {
      modelUri: 'models/bert',
      predicateType: 'https://mlsecops.dev/attestation/model-scan/v1',
      predicate: { verdict: 'safe' },
      attestationUri: 'models/bert.scan.att.json',
    });
    expect(attestResultResultSchema.parse(att).rootDigest).toBe(signed.rootDigest);
    const check = await verifyAttestation(
      readFileSync(join(root, 'models', 'bert.scan.att.json'), 'utf8'),
      await modelSubject(join(root, 'models', 'bert')),
      {
        publicKey: pair.publicKey,
      },
    );
    expect(check.valid).toBe(true);
    for (const v of [signed, verified, att, beats]) expectClean(v, root);
  });

  it('replaces a symlink planted at the output path instead of writing through it out of the root', async () => {
    const { root, activities } = setUp();
    const outside = mkdtempSync(join(tmpdir(), 'signing-outside-'));
    writeFileSync(join(outside, 'victim'), 'untouched');
    symlinkSync(join(outside, 'victim'), join(root, 'models', 'bert.sig'));
    symlinkSync(join(outside, 'victim'), join(root, 'models', 'bert.att.json'));
    const env = new MockActivityEnvironment();
    await env.run(activities.signModel, { modelUri: 'models/bert' });
    await env.run(activities.attestResult, {
      modelUri: 'models/bert',
      predicateType: 'https://mlsecops.dev/attestation/model-scan/v1',
      predicate: { verdict: 'safe' },
      attestationUri: 'models/bert.att.json',
    });
    expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('untouched');
    expect(lstatSync(join(root, 'models', 'bert.sig')).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(root, 'models', 'bert.att.json')).isSymbolicLink()).toBe(false);
  });

  it('returns an invalid result naming the changed file', async () => {
    const { root, activities } = setUp();
    const env = new MockActivityEnvironment();
    await env.run(activities.signModel, { modelUri: 'models/bert', signatureUri: 'models/bert/model.sig' });
    appendFileSync(join(root, 'models', 'bert', 'sub', 'config.json'), ' ');
    const verified = await env.run(activities.verifyModel, {
      modelUri: 'models/bert',
      signatureUri: 'models/bert/model.sig',
    });
    expect(verified).toMatchObject({
      valid: false,
      reason: 'content-mismatch',
      changed: ['sub/config.json'],
      extra: [],
      missing: [],
    });
  });

  it('fails non-retryably outside the root, and never leaks the key in a key error', async () => {
    const { activities } = setUp();
    const env = new MockActivityEnvironment();
    await expect(env.run(activities.signModel, { modelUri: '../etc' })).rejects.toMatchObject({
      type: 'PATH_OUTSIDE_ROOT',
      nonRetryable: true,
    });
    const bad = setUp(
      envKeyProvider({ env: { MLSECOPS_SIGNING_KEY: privatePem, MLSECOPS_SIGNING_KEY_PASSWORD: 'wrong' } }),
    );
    const error: unknown = await env
      .run(bad.activities.signModel, { modelUri: 'models/bert' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect((error as ApplicationFailure).type).toBe('INVALID_CONFIG');
    expectClean(
      { message: (error as ApplicationFailure).message, details: (error as ApplicationFailure).details },
      bad.root,
    );
    const unset = setUp(envKeyProvider({ env: {} }));
    await expect(env.run(unset.activities.signModel, { modelUri: 'models/bert' })).rejects.toMatchObject({
      type: 'INVALID_CONFIG',
      message: expect.stringContaining('MLSECOPS_SIGNING_KEY') as string,
    });
  });

  it('reads keys from files too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signing-keys-'));
    writeFileSync(join(dir, 'k.pem'), privatePem);
    const { activities } = setUp(fileKeyProvider({ privateKeyPath: join(dir, 'k.pem'), passphrase: PASSWORD }));
    const env = new MockActivityEnvironment();
    await env.run(activities.signModel, { modelUri: 'models/bert' });
    expect(
      await env.run(activities.verifyModel, { modelUri: 'models/bert', signatureUri: 'models/bert.sig' }),
    ).toMatchObject({ valid: true });
  });
});
