import { FieldStrings } from './field-strings';

describe('FieldStrings', () => {
  it("returns each field's text, for repeated values, colliding slots, long fields and columns that stop interning", () => {
    const few = ['cat_1', 'cat_2', 'ünï', '', 'x'.repeat(32), 'y'.repeat(33)];
    const many = Array.from({ length: 5000 }, (_, i) => `id-${i * 7919}`);
    const wrong: string[] = [];
    for (const values of [few, many]) {
      const strings = new FieldStrings();
      for (let i = 0; i < 20_000; i++) {
        const text = values[(i * 31) % values.length] as string;
        const buf = Buffer.from(`,${text},`);
        const got = strings.text(buf, 1, buf.length - 1);
        if (got !== text) wrong.push(`${i}: got ${got}, want ${text}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
