import { DATASET_REGISTERED, EVENT_CATALOGUE, datasetRegisteredEventSchema, isKnownEventType } from '../index';

const valid = {
  specversion: '1.0',
  id: 'evt-1',
  source: 'ci://pipelines/churn',
  type: DATASET_REGISTERED,
  subject: 'datasets/churn',
  time: '2026-11-26T10:00:00Z',
  datacontenttype: 'application/json',
  data: {
    datasetUri: 'churn.csv',
    sha256: 'A'.repeat(64),
    format: 'csv',
    team: 'growth',
    columns: [{ name: 'age', type: 'integer' }],
  },
};

describe('dataset.registered schema', () => {
  it('accepts a valid event, normalising the digest and defaulting nullability', () => {
    const parsed = datasetRegisteredEventSchema.parse(valid);
    expect(parsed.data.sha256).toBe('a'.repeat(64));
    expect(parsed.data.columns?.[0]?.nullable).toBe(false);
  });

  it.each([
    ['bad digest', { ...valid, data: { ...valid.data, sha256: 'xyz' } }],
    ['missing subject', { ...valid, subject: undefined }],
    ['wrong specversion', { ...valid, specversion: '0.3' }],
    ['unknown attribute in data', { ...valid, data: { ...valid.data, extra: 1 } }],
    ['non-ISO time', { ...valid, time: 'yesterday' }],
  ])('rejects %s', (_label, event) => {
    expect(datasetRegisteredEventSchema.safeParse(event).success).toBe(false);
  });

  it('knows the catalogue types and nothing else', () => {
    expect(isKnownEventType(DATASET_REGISTERED)).toBe(true);
    expect(isKnownEventType('io.mlsecops.unknown')).toBe(false);
    expect(Object.keys(EVENT_CATALOGUE)).toContain('io.mlsecops.dataset.checked');
  });
});
