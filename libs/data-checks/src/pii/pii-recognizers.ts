import { isIPv4, isIPv6 } from 'node:net';

export const PII_ENTITIES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
] as const;
export type PiiEntity = (typeof PII_ENTITIES)[number];

export interface PiiMatch {
  entity: PiiEntity;
  score: number;
}

/** Words that, in a column name or next to a number, make a phone number (or SSN) likely (Presidio's context boost). */
const PHONE_CONTEXT = /phone|mobile|cell|tel|call|fax|contact|whatsapp/i;
const SSN_CONTEXT = /ssn|social|security/i;
const CONTEXT_BOOST = 0.35;

const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+([A-Za-z]{2,24})(?![A-Za-z0-9])/g;
const CARD = /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const SSN = /(?<!\d)(\d{3})([- .]?)(\d{2})([- .]?)(\d{4})(?!\d)/g;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
const IPV6 = /(?<![0-9A-Fa-f:])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:)[0-9A-Fa-f:]{2,39}(?![0-9A-Fa-f:])/g;
const PHONE = /(?<![\w+])(\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{1,4}\)?){2,5}\d)(?!\w)/g;

/** Per-country IBAN lengths (ISO 13616 registry, the countries most data comes from). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

/** Luhn checksum, the credit-card validator. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** IBAN: known country, its exact length, and the ISO 7064 mod-97 check equal to 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/ /g, '').toUpperCase();
  const len = IBAN_LENGTHS[iban.slice(0, 2)];
  if (len === undefined || iban.length !== len) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** US SSN rules: no 000/666/9xx area, no 00 group, no 0000 serial, not all one digit, one delimiter style. */
export function ssnValid(area: string, d1: string, group: string, d2: string, serial: string): boolean {
  if (d1 !== d2) return false;
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  const all = area + group + serial;
  return !/^(\d)\1{8}$/.test(all);
}

/**
 * Finds PII entities in one cell, Presidio-style: regex candidates, then validators; a validated checksum or
 * parse scores 1.0 and an invalid candidate is dropped. Phone numbers are weak (0.4) unless the context
 * (column name or text) names them (+0.35); unformatted 9-digit SSNs likewise (0.3, +0.35 with context).
 */
export function recognizePii(text: string, columnName: string): PiiMatch[] {
  const found = new Map<PiiEntity, number>();
  const put = (entity: PiiEntity, score: number): void => {
    if (score > (found.get(entity) ?? 0)) found.set(entity, Math.min(score, 1));
  };
  const context = `${columnName} ${text}`;
  if (text.includes('@')) {
    for (const m of text.matchAll(EMAIL)) {
      const domain = m[0].slice(m[0].indexOf('@') + 1);
      if (!domain.includes('..') && !domain.startsWith('-')) put('EMAIL_ADDRESS', 1);
    }
  }
  let digitCount = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digitCount++;
  }
  if (digitCount >= 9) {
    const cards = new Set<string>();
    for (const m of text.matchAll(CARD)) {
      const digits = m[0].replace(/[ -]/g, '');
      if (digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && luhnValid(digits)) {
        put('CREDIT_CARD', 1);
        cards.add(m[0]);
      }
    }
    for (const m of text.matchAll(SSN)) {
      if (cards.size > 0) break;
      const [, area, d1, group, d2, serial] = m as unknown as [string, string, string, string, string, string];
      if (!ssnValid(area, d1, group, d2, serial)) continue;
      const formatted = d1 !== '';
      const boost = SSN_CONTEXT.test(context) ? CONTEXT_BOOST : 0;
      put('US_SSN', (formatted ? 0.85 : 0.3) + boost);
    }
    if (cards.size === 0 && !found.has('US_SSN')) {
      for (const m of text.matchAll(PHONE)) {
        const digits = m[0].replace(/\D/g, '');
        if (digits.length < 10 || digits.length > 15) continue;
        const formatted = /[ ()+.-]/.test(m[0]);
        const boost = PHONE_CONTEXT.test(context) ? CONTEXT_BOOST : 0;
        if (!formatted && boost === 0) continue;
        put('PHONE_NUMBER', 0.4 + boost);
      }
    }
  }
  if (/[A-Z]{2}\d{2}/.test(text)) {
    for (const m of text.matchAll(IBAN)) if (ibanValid(m[0])) put('IBAN_CODE', 1);
  }
  if (text.includes('.')) {
    for (const m of text.matchAll(IPV4)) if (isIPv4(m[0])) put('IP_ADDRESS', 1);
  }
  if (text.includes(':')) {
    for (const m of text.matchAll(IPV6)) if (isIPv6(m[0])) put('IP_ADDRESS', 1);
  }
  return [...found.entries()].map(([entity, score]) => ({ entity, score }));
}
