import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkData } from '../scan/check-data';
import { ibanValid, luhnValid, recognizePii, ssnValid } from './pii-recognizers';
import type { PiiEntity } from './pii-recognizers';

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const r = rng(42);
const int = (n: number): number => Math.floor(r() * n);
const digits = (n: number): string => Array.from({ length: n }, () => String(int(10))).join('');

function luhnDigit(body: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return String(d);
  throw new Error('unreachable');
}
function card(valid: boolean): string {
  const body = `4${digits(14)}`;
  let check = luhnDigit(body);
  if (!valid) check = String((Number(check) + 1 + int(8)) % 10);
  return `${body}${check}`.replace(/(\d{4})(?=\d)/g, '$1 ');
}
function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}
function iban(valid: boolean): string {
  const bban = digits(18);
  let check = 98 - mod97(`${bban}DE00`);
  if (!valid) check = ((check + 1 + int(90)) % 97) + 2;
  return `DE${String(check).padStart(2, '0')}${bban}`;
}
function ssn(valid: boolean): string {
  if (valid)
    return `${String(1 + int(665)).padStart(3, '0')}-${String(1 + int(99)).padStart(2, '0')}-${String(1 + int(9999)).padStart(4, '0')}`;
  const bad = [
    `000-${digits(2)}-1234`,
    `666-12-${digits(4)}`,
    `9${digits(2)}-12-3456`,
    `123-00-4567`,
    `123-45-0000`,
    `222-22-2222`,
    `123-45 6789`.replace(' ', '.'),
  ];
  return bad[int(bad.length)] as string;
}
function ip(valid: boolean): string {
  if (valid)
    return r() < 0.7
      ? `${int(256)}.${int(256)}.${int(256)}.${int(256)}`
      : Array.from({ length: 8 }, () => int(65536).toString(16)).join(':');
  return `${256 + int(700)}.${int(256)}.${int(256)}.${int(256)}`;
}
function email(valid: boolean): string {
  return valid ? `user.${int(1e6)}@mail${int(100)}.example.org` : `user${int(1e6)} at example dot org`;
}
function phone(valid: boolean): string {
  return valid
    ? `+1 (${200 + int(700)}) ${100 + int(900)}-${String(int(10_000)).padStart(4, '0')}`
    : `order ${digits(6)} shipped`;
}

const generators: Record<PiiEntity, (valid: boolean) => string> = {
  CREDIT_CARD: card,
  IBAN_CODE: iban,
  US_SSN: ssn,
  IP_ADDRESS: ip,
  EMAIL_ADDRESS: email,
  PHONE_NUMBER: phone,
};
const column: Record<PiiEntity, string> = {
  CREDIT_CARD: 'payment',
  IBAN_CODE: 'account',
  US_SSN: 'notes',
  IP_ADDRESS: 'client',
  EMAIL_ADDRESS: 'contact',
  PHONE_NUMBER: 'phone',
};
const neutral = [
  'shipped on 2024-03-05',
  'total 1234.56 EUR',
  'qty 17, sku A-1209',
  'version 10.4',
  'temperature 21.5C',
  'ok',
];

describe('PII recognizers', () => {
  it('validators accept and reject the documented cases', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ssnValid('123', '-', '45', '-', '6789')).toBe(true);
    expect(ssnValid('666', '-', '45', '-', '6789')).toBe(false);
    expect(ssnValid('123', '-', '45', '', '6789')).toBe(false);
  });

  // Precision and recall per entity on 300 planted values, 300 near-miss decoys and neutral text.
  it.each(Object.keys(generators) as PiiEntity[])('%s: precision and recall >= 0.95 on planted data', (entity) => {
    let tp = 0;
    let fn = 0;
    let fp = 0;
    for (let i = 0; i < 300; i++) {
      const hit = recognizePii(`ref ${generators[entity](true)} end`, column[entity]).some(
        (m) => m.entity === entity && m.score >= 0.4,
      );
      if (hit) tp++;
      else fn++;
      const decoy = recognizePii(`ref ${generators[entity](false)} end`, column[entity]).some(
        (m) => m.entity === entity && m.score >= 0.4,
      );
      if (decoy) fp++;
      const plain = recognizePii(neutral[i % neutral.length] as string, column[entity]).some(
        (m) => m.entity === entity && m.score >= 0.4,
      );
      if (plain) fp++;
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('scores phone numbers weakly without context and boosts them with it', () => {
    expect(recognizePii('+1 (555) 123-4567', 'misc')).toEqual([{ entity: 'PHONE_NUMBER', score: 0.4 }]);
    expect(recognizePii('+1 (555) 123-4567', 'mobile')[0]?.score).toBeCloseTo(0.75);
  });

  it('reports entity, column, rows and score from check-data without echoing values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dc-pii-'));
    const p = join(dir, 'people.csv');
    writeFileSync(
      p,
      [
        'id,email,card,note',
        '1,a.b@example.com,none,hello',
        '2,none,4111 1111 1111 1111,hi',
        '3,c.d@example.org,none,"ssn 123-45-6789"',
      ].join('\n'),
    );
    const res = await checkData(p, { format: 'csv' });
    const pii = res.findings.filter((f) => f.code.startsWith('pii.'));
    expect(pii.map((f) => [f.entity, f.column, f.rows, f.score])).toEqual([
      ['EMAIL_ADDRESS', 'email', [0, 2], 1],
      ['CREDIT_CARD', 'card', [1], 1],
      ['US_SSN', 'note', [2], 1], // 0.85 formatted, +0.35 for the word "ssn" beside it, capped at 1
    ]);
    expect(JSON.stringify(res.findings)).not.toMatch(/example\.com|4111|6789/);
    expect(res.verdict).toBe('fail');
  });
});
