import type { DlqReason } from '@mlsecops/contracts';
import { MAX_EVENT_BYTES } from '@mlsecops/contracts';
import type { WireHeaders } from '@mlsecops/telemetry';

/**
 * The CloudEvents Kafka protocol binding (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md):
 * structured mode carries the whole JSON envelope as the value (`content-type: application/cloudevents+json`);
 * binary mode carries attributes as `ce_*` headers and `data` as the value.
 */
export type Binding = 'structured' | 'binary';

export type DecodeResult =
  { ok: true; binding: Binding; event: Record<string, unknown> } | { ok: false; reason: DlqReason; detail: string };

const CE_PREFIX = 'ce_';
const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';

function headerText(headers: WireHeaders, name: string): string | undefined {
  const raw = headers[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : first.toString('utf8');
}

/** Turns a Kafka record into a CloudEvent object, or says precisely why it cannot. Never throws. */
export function decodeKafkaCloudEvent(value: Buffer | null, headers: WireHeaders = {}): DecodeResult {
  if (value === null) return { ok: false, reason: 'INVALID_JSON', detail: 'message has no value (tombstone)' };
  if (value.length > MAX_EVENT_BYTES) {
    return {
      ok: false,
      reason: 'OVERSIZE',
      detail: `message is ${value.length} bytes; the limit is ${MAX_EVENT_BYTES}`,
    };
  }
  const contentType = headerText(headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  const isBinary = headerText(headers, `${CE_PREFIX}specversion`) !== undefined;
  if (isBinary) return decodeBinary(value, headers, contentType);
  if (contentType !== undefined && contentType !== STRUCTURED_CONTENT_TYPE && contentType !== 'application/json') {
    return {
      ok: false,
      reason: 'UNSUPPORTED_BINDING',
      detail: `content-type "${contentType}" without ce_specversion header`,
    };
  }
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed;
  if (!isPlainObject(parsed.json))
    return { ok: false, reason: 'SCHEMA_VIOLATION', detail: 'structured event must be a JSON object' };
  return { ok: true, binding: 'structured', event: parsed.json };
}

function decodeBinary(value: Buffer, headers: WireHeaders, contentType: string | undefined): DecodeResult {
  const event: Record<string, unknown> = {};
  for (const name of Object.keys(headers)) {
    if (!name.startsWith(CE_PREFIX)) continue;
    const text = headerText(headers, name);
    if (text !== undefined) event[name.slice(CE_PREFIX.length)] = text;
  }
  if (contentType !== undefined) event.datacontenttype = contentType;
  if (contentType !== undefined && contentType !== 'application/json') {
    return {
      ok: false,
      reason: 'UNSUPPORTED_BINDING',
      detail: `binary-mode data must be application/json, got "${contentType}"`,
    };
  }
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed;
  event.data = parsed.json;
  return { ok: true, binding: 'binary', event };
}

function parseJson(value: Buffer): { ok: true; json: unknown } | { ok: false; reason: 'INVALID_JSON'; detail: string } {
  try {
    return { ok: true, json: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value)) as unknown };
  } catch (e: unknown) {
    return { ok: false, reason: 'INVALID_JSON', detail: `value is not UTF-8 JSON: ${(e as Error).message}` };
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A Kafka record in structured mode, keyed by subject so one subject's events stay ordered. */
export function encodeStructured(event: { subject: string } & Record<string, unknown>): {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
} {
  return {
    key: event.subject,
    value: Buffer.from(JSON.stringify(event)),
    headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
  };
}
