import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildManifest, buildMlBom, modelSubject, readModelMetadata } from './index';
import { tempDir, writeTestModel } from './signing.test-helpers';

jest.setTimeout(60_000);

/** Validates against the CycloneDX 1.6 strict JSON schema shipped with the CycloneDX library. */
async function schemaErrors(bom: unknown): Promise<unknown> {
  return new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(bom));
}

describe('ML-BOM (CycloneDX 1.6)', () => {
  const metadata = {
    name: 'sentiment-bert',
    version: '1.2.0',
    description: 'Fine-tuned classifier',
    license: 'Apache-2.0',
    supplier: 'ML team',
    task: 'text-classification',
    architectureFamily: 'transformer',
    modelArchitecture: 'bert-base-uncased',
    performanceMetrics: [{ type: 'accuracy', value: '0.93', slice: 'test' }],
    useCases: ['review triage'],
    technicalLimitations: ['English only'],
    ethicalConsiderations: [{ name: 'bias', mitigationStrategy: 'balanced sampling' }],
    datasets: [
      {
        name: 'reviews-train',
        url: 's3://bucket/reviews/train.parquet',
        sha256: 'a'.repeat(64),
        classification: 'public',
      },
      { name: 'reviews-eval' },
    ],
  };

  it('writes a schema-valid BOM with the model, its files, the root digest, the model card and the datasets', async () => {
    const dir = tempDir();
    const model = writeTestModel(dir);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(metadata));
    const bom = await buildMlBom({ modelPath: model, metadata: await readModelMetadata(join(dir, 'meta.json')) });
    expect(await schemaErrors(bom)).toBeNull();
    const manifest = await buildManifest(model);
    const components = bom.components as {
      type: string;
      name: string;
      hashes?: { content: string }[];
      components?: unknown[];
      modelCard?: { modelParameters?: { datasets?: unknown[] } };
    }[];
    const ml = components.find((c) => c.type === 'machine-learning-model');
    expect(ml?.hashes?.[0]?.content).toBe(manifest.rootDigest);
    expect(ml?.components).toHaveLength(manifest.resources.length);
    expect(ml?.modelCard?.modelParameters?.datasets).toHaveLength(2);
    expect(components.filter((c) => c.type === 'data').map((c) => c.name)).toEqual(['reviews-train', 'reviews-eval']);
  });

  it('names the model by the same root digest as its signature when model.sig sits inside the model', async () => {
    const model = writeTestModel(tempDir());
    const unsigned = await buildManifest(model);
    writeFileSync(join(model, 'model.sig'), '{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');
    const bom = await buildMlBom({ modelPath: model });
    const ml = (bom.components as { type: string; hashes?: { content: string }[] }[]).find(
      (c) => c.type === 'machine-learning-model',
    );
    expect(ml?.hashes?.[0]?.content).toBe(unsigned.rootDigest);
    expect(ml?.hashes?.[0]?.content).toBe((await modelSubject(model)).rootDigest);
  });

  it('is schema-valid without metadata too', async () => {
    const bom = await buildMlBom({ modelPath: writeTestModel(tempDir()) });
    expect(await schemaErrors(bom)).toBeNull();
  });

  it('the validator catches a broken BOM (the test can fail)', async () => {
    const bom = await buildMlBom({ modelPath: writeTestModel(tempDir()) });
    expect(await schemaErrors({ ...bom, components: [{ type: 'machine-learning-model' }] })).not.toBeNull();
  });

  it('rejects unknown metadata fields with the field name', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ nmae: 'typo' }));
    await expect(readModelMetadata(join(dir, 'meta.json'))).rejects.toThrow(/nmae/);
  });
});
