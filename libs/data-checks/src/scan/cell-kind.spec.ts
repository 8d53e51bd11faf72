import { takeParsedNumber, textKind } from './cell-kind';

describe('textKind', () => {
  it('classifies fields like pandas would type their column', () => {
    expect(
      [
        '12',
        '-3',
        '+0',
        '1.5',
        '.5',
        '1.',
        '1e5',
        '-2.5E-3',
        'nan',
        '-inf',
        'True',
        '2024-01-02',
        '2024-01-02T10:00:00Z',
        'abc',
        '1,5',
        '0x10',
        '',
      ].map(textKind),
    ).toEqual([
      'integer',
      'integer',
      'integer',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'number',
      'boolean',
      'datetime',
      'datetime',
      'string',
      'string',
      'string',
      'string',
    ]);
  });

  it('reads numbers during the scan exactly as Number() does', () => {
    let s = 99;
    const r = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const samples = [
      '-0',
      '-0.0',
      '0.1',
      '123456789012345',
      '1234567890123456',
      '0.000000000000001',
      '99999999999999.9',
    ];
    for (let i = 0; i < 20_000; i++) {
      const intDigits = Math.floor(r() * 9);
      const fracDigits = Math.floor(r() * 9);
      let t = r() < 0.3 ? '-' : '';
      for (let k = 0; k < intDigits; k++) t += String(Math.floor(r() * 10));
      if (fracDigits > 0 || intDigits === 0) t += '.';
      for (let k = 0; k < Math.max(fracDigits, intDigits === 0 ? 1 : 0); k++) t += String(Math.floor(r() * 10));
      samples.push(t);
    }
    for (const t of samples) {
      const kind = textKind(t);
      expect(kind === 'integer' || kind === 'number').toBe(true);
      const got = takeParsedNumber() ?? Number(t);
      if (!Object.is(got, Number(t))) throw new Error(`${t}: ${got} vs ${Number(t)}`);
    }
  });
});
