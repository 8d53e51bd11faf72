import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  computeRootDigest,
  keySigner,
  omsPredicateSchema,
  parseBundle,
  parseCertificatesPem,
  signModel,
  statementSchema,
} from './index';
import { makeTestPki } from './certificates.test-helpers';
import { ecKeyPair, tempDir, writeTestModel } from './signing.test-helpers';

/** The OMS v1.0 schemas and test vectors (ossf/model-signing-spec, Apache-2.0; see test-vectors/oms-v1.0/README.md). */
const DIR = join(__dirname, '..', 'test-vectors', 'oms-v1.0');
const readJson = (...p: string[]): unknown => JSON.parse(readFileSync(join(DIR, ...p), 'utf8'));
const vectors = (kind: string): string[] => readdirSync(join(DIR, 'vectors', kind)).filter((f) => f.endsWith('.json'));

const ajv = new Ajv2020({ allErrors: true, strict: false });
for (const name of ['envelope', 'predicate', 'statement', 'bundle'])
  ajv.addSchema(readJson('schemas', `${name}.schema.json`) as object);
const validBundle = ajv.getSchema('https://model_signing/bundle/v1.0/schema');
const validStatement = ajv.getSchema('https://model_signing/statement/v1.0/schema');

function statementOf(bundle: { dsseEnvelope: { payload: string } }): unknown {
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
}

describe('OMS v1.0 spec schemas and test vectors', () => {
  it('loads the schemas', () => {
    expect(validBundle).toBeDefined();
    expect(validStatement).toBeDefined();
  });

  it('our key and certificate bundles, and their statements, validate against the spec schemas', async () => {
    const model = writeTestModel(tempDir());
    const keys = ecKeyPair('P-384');
    const pki = await makeTestPki();
    const leaf = await pki.leaf();
    const bundles = [
      (await signModel({ modelPath: model, signer: keySigner(keys.privateKey) })).bundle,
      (
        await signModel({
          modelPath: model,
          signer: keySigner(leaf.privateKey),
          certificateChain: parseCertificatesPem(leaf.pem + pki.intermediatePem),
        })
      ).bundle,
    ];
    for (const bundle of bundles) {
      expect({ ok: validBundle?.(bundle), errors: validBundle?.errors }).toEqual({ ok: true, errors: null });
      expect({ ok: validStatement?.(statementOf(bundle)), errors: validStatement?.errors }).toEqual({
        ok: true,
        errors: null,
      });
    }
  });

  it.each(vectors('valid'))('parses valid/%s and recomputes its root digest', (file) => {
    const text = readFileSync(join(DIR, 'vectors', 'valid', file), 'utf8');
    const parsed = parseBundle(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const statement = statementSchema.parse(statementOf(parsed.bundle));
    const predicate = omsPredicateSchema.parse(statement.predicate);
    expect(computeRootDigest(predicate.resources)).toBe(statement.subject[0]?.digest.sha256);
  });

  it.each(vectors('invalid'))('refuses invalid/%s as a bundle', (file) => {
    const text = readFileSync(join(DIR, 'vectors', 'invalid', file), 'utf8');
    expect(parseBundle(text).ok).toBe(false);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return; // not even JSON (empty.bundle.json): nothing for the schema to judge
    }
    expect(validBundle?.(json)).toBe(false);
  });

  it.each(vectors('invalid-payload'))('refuses the statement of invalid-payload/%s', (file) => {
    const parsed = parseBundle(readFileSync(join(DIR, 'vectors', 'invalid-payload', file), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.message);
    const statement = statementSchema.safeParse(statementOf(parsed.bundle));
    const oms =
      statement.success &&
      statement.data.predicateType === 'https://model_signing/signature/v1.0' &&
      omsPredicateSchema.safeParse(statement.data.predicate).success;
    expect(oms).toBe(false);
  });
});
