import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PLATFORM_PREDICATE_TYPES,
  createAttestation,
  keySigner,
  modelSubject,
  signModel,
  verifyAttestation,
} from './index';
import { ecKeyPair, tempDir, writeTestModel } from './signing.test-helpers';

describe('attestations', () => {
  const predicate = { scanner: 'model-scanner', verdict: 'pass', findings: [] };

  it('signs a platform result about the model and verifies it against the model', async () => {
    const model = writeTestModel(tempDir());
    const keys = ecKeyPair('P-384');
    const subject = await modelSubject(model);
    const att = await createAttestation({
      subject,
      predicateType: PLATFORM_PREDICATE_TYPES.modelScan,
      predicate,
      signer: keySigner(keys.privateKey),
    });
    const result = await verifyAttestation(att.json, await modelSubject(model), {
      publicKey: keys.publicKey,
      predicateType: PLATFORM_PREDICATE_TYPES.modelScan,
    });
    expect(result).toMatchObject({ valid: true, statement: { predicate, subject: [{ name: 'my model' }] } });
  });

  it('uses the same subject digest as the OMS signature, whether model.sig lies inside or not', async () => {
    const model = writeTestModel(tempDir());
    const keys = ecKeyPair('P-256');
    const signed = await signModel({
      modelPath: model,
      signer: keySigner(keys.privateKey),
      signaturePath: join(model, 'model.sig'),
    });
    writeFileSync(join(model, 'model.sig'), signed.json);
    expect((await modelSubject(model)).rootDigest).toBe(signed.manifest.rootDigest);
  });

  it('fails for another model, another predicate type, and another key', async () => {
    const model = writeTestModel(tempDir());
    const keys = ecKeyPair('P-256');
    const subject = await modelSubject(model);
    const att = await createAttestation({
      subject,
      predicateType: PLATFORM_PREDICATE_TYPES.approval,
      predicate,
      signer: keySigner(keys.privateKey),
    });
    expect(
      await verifyAttestation(att.json, subject, {
        publicKey: keys.publicKey,
        predicateType: PLATFORM_PREDICATE_TYPES.modelScan,
      }),
    ).toMatchObject({
      valid: false,
      reason: 'predicate-type-mismatch',
    });
    expect(await verifyAttestation(att.json, subject, { publicKey: ecKeyPair('P-256').publicKey })).toMatchObject({
      valid: false,
      reason: 'wrong-key',
    });
    appendFileSync(join(model, 'config.json'), ' ');
    expect(await verifyAttestation(att.json, await modelSubject(model), { publicKey: keys.publicKey })).toMatchObject({
      valid: false,
      reason: 'subject-mismatch',
    });
  });
});
