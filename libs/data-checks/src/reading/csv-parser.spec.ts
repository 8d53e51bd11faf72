import { CsvParser } from './csv-parser';

function parseAll(text: string, splitAt: number[] = []): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  let prev = 0;
  for (const at of splitAt) {
    parser.push(text.slice(prev, at), out);
    prev = at;
  }
  parser.push(text.slice(prev), out);
  parser.end(out);
  return out;
}

describe('CsvParser', () => {
  const text = 'a,b,c\r\n1,"x, ""quoted""",3\r\n"multi\r\nline",,"end"\n\nlast,row,"q"';
  const expected = [
    ['a', 'b', 'c'],
    ['1', 'x, "quoted"', '3'],
    ['multi\r\nline', '', 'end'],
    ['last', 'row', 'q'],
  ];

  it('parses RFC 4180 quoting, CRLF, quoted newlines and skips blank lines', () => {
    expect(parseAll(text)).toEqual(expected);
  });

  it('gives the same records wherever the input is split into chunks', () => {
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 7) {
        expect(parseAll(text, [i, j])).toEqual(expected);
      }
    }
  });

  it('keeps a trailing empty field and a lone CR line break', () => {
    expect(parseAll('a,b,\rc,"",d\n')).toEqual([
      ['a', 'b', ''],
      ['c', '', 'd'],
    ]);
  });

  it('rejects input that ends inside quotes', () => {
    expect(() => parseAll('a,"open\n')).toThrow('inside a quoted field');
  });
});
