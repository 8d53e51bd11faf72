import { ByteNumber, parseCanonicalNumber, parsedByteNumber } from './byte-number';
import { takeParsedNumber, textKind } from './cell-kind';

function parse(text: string): { kind: ByteNumber; value: number } {
  const bytes = Buffer.from(`,${text},`);
  const kind = parseCanonicalNumber(bytes, 1, bytes.length - 1);
  return { kind, value: parsedByteNumber() };
}

describe('parseCanonicalNumber', () => {
  it('accepts exactly the texts that String(value) would write', () => {
    const accepted = [
      '0',
      '7',
      '-7',
      '123456789012345',
      '0.5',
      '-0.5',
      '12.25',
      '0.000001',
      '0.0000011',
      '99999.9999999999',
    ];
    const rejected = [
      '',
      '-',
      '+7',
      '-0',
      '007',
      '0.50',
      '5.',
      '.5',
      '1e5',
      '1234567890123456',
      '0.0000001',
      '0.00000099',
      '1.2.3',
      '12a',
      'nan',
      '-0.0',
      ' 1',
      '1 ',
    ];
    for (const t of accepted) expect([t, parse(t).kind !== ByteNumber.None]).toEqual([t, true]);
    for (const t of rejected) expect([t, parse(t).kind]).toEqual([t, ByteNumber.None]);
  });

  it('agrees with String(), Number() and textKind on random numbers of every shape', () => {
    let s = 7;
    const r = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    let accepted = 0;
    const wrong: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const k = r();
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 24 - 10);
      // Machine-written shapes (String, fixed decimals, integers) and hand-written ones (padding, signs).
      const text =
        k < 0.4
          ? String(x)
          : k < 0.7
            ? x.toFixed(Math.floor(r() * 8))
            : k < 0.85
              ? String(Math.round(x))
              : k < 0.95
                ? `0${Math.abs(x).toFixed(2)}`
                : `+${Math.abs(x)}`;
      const { kind, value } = parse(text);
      if (kind === ByteNumber.None) {
        // Only canonical texts past 15 digits may be turned away (leading zeros of "0.000x" count: the mantissa must stay exact).
        const canonical = String(Number(text)) === text && /^-?\d+(\.\d+)?$/.test(text);
        if (canonical && text.replace(/[-.]/g, '').length <= 15) wrong.push(`rejected ${text}`);
        continue;
      }
      accepted++;
      const kindOk = textKind(text) === (kind === ByteNumber.Integer ? 'integer' : 'number');
      if (String(value) !== text || value !== Number(text) || !kindOk || takeParsedNumber() !== value)
        wrong.push(`accepted ${text} as ${value}`);
    }
    expect(wrong).toEqual([]);
    expect(accepted).toBeGreaterThan(15_000);
  });
});
