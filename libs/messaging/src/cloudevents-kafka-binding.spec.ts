import { MAX_EVENT_BYTES } from '@mlsecops/contracts';
import { decodeKafkaCloudEvent, encodeStructured } from './cloudevents-kafka-binding';

const event = { specversion: '1.0', id: 'e1', source: 's', type: 't', subject: 'sub', data: { a: 1 } };

describe('CloudEvents Kafka binding', () => {
  it('round-trips structured mode', () => {
    const rec = encodeStructured(event);
    expect(rec.key).toBe('sub');
    expect(decodeKafkaCloudEvent(rec.value, rec.headers)).toEqual({ ok: true, binding: 'structured', event });
  });

  it('reads binary mode from ce_ headers', () => {
    const headers = {
      ce_specversion: Buffer.from('1.0'),
      ce_id: Buffer.from('e2'),
      ce_source: Buffer.from('s'),
      ce_type: Buffer.from('t'),
      ce_subject: Buffer.from('sub'),
      'content-type': Buffer.from('application/json; charset=utf-8'),
    };
    const result = decodeKafkaCloudEvent(Buffer.from('{"a":1}'), headers);
    expect(result).toEqual({
      ok: true,
      binding: 'binary',
      event: {
        specversion: '1.0',
        id: 'e2',
        source: 's',
        type: 't',
        subject: 'sub',
        datacontenttype: 'application/json',
        data: { a: 1 },
      },
    });
  });

  it.each([
    ['not JSON', Buffer.from('{nope'), {}, 'INVALID_JSON'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), {}, 'INVALID_JSON'],
    ['a JSON array', Buffer.from('[1,2]'), {}, 'SCHEMA_VIOLATION'],
    ['oversize', Buffer.alloc(MAX_EVENT_BYTES + 1, 0x20), {}, 'OVERSIZE'],
    ['foreign content type', Buffer.from('{}'), { 'content-type': 'text/plain' }, 'UNSUPPORTED_BINDING'],
    [
      'binary with non-JSON data',
      Buffer.from('x'),
      { ce_specversion: '1.0', 'content-type': 'application/avro' },
      'UNSUPPORTED_BINDING',
    ],
  ])('rejects %s', (_label, value, headers, reason) => {
    expect(decodeKafkaCloudEvent(value, headers)).toMatchObject({ ok: false, reason });
  });

  it('rejects tombstones', () => {
    expect(decodeKafkaCloudEvent(null)).toMatchObject({ ok: false, reason: 'INVALID_JSON' });
  });
});
