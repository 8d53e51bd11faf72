import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvRecords } from './csv-byte-records';
import { CsvParser } from './csv-parser';

const dir = mkdtempSync(join(tmpdir(), 'dc-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}

async function records(path: string, chunkBytes?: number): Promise<string[][]> {
  const out: string[][] = [];
  await readCsvRecords(
    path,
    (r) => {
      const fields: string[] = [];
      for (let i = 0; i < r.fields; i++) fields.push(r.field(i));
      out.push(fields);
    },
    { chunkBytes },
  );
  return out;
}

function textRecords(text: string): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  parser.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, out);
  parser.end(out);
  return out;
}

describe('readCsvRecords', () => {
  const tricky =
    '\uFEFFa,b,c\r\n1,"x, ""quoted""",3\r\n"multi\r\nline",,"end"\n\n' +
    'tail"quote,"closed"after,\r' +
    'ünï,€uro,"☃\n"\r\n' +
    '  ,\t,""\n' +
    '-0.5,1e-7,0012\r' +
    '\r\n' +
    'last,row,';

  it('gives the records CsvParser gives on the decoded text, wherever the reads split the bytes', async () => {
    const p = file('tricky.csv', tricky);
    const expected = textRecords(tricky);
    expect(expected).toHaveLength(8);
    for (let chunk = 1; chunk <= 24; chunk++) expect([chunk, await records(p, chunk)]).toEqual([chunk, expected]);
    expect(await records(p)).toEqual(expected);
  });

  it('reads a quoted last field without a line break, and a file without a BOM or records', async () => {
    expect(await records(file('q.csv', 'a\n"x"'))).toEqual([['a'], ['x']]);
    expect(await records(file('empty.csv', ''))).toEqual([]);
    expect(await records(file('blank.csv', '\n\r\n'))).toEqual([]);
    expect(await records(file('tiny.csv', 'a'), 1)).toEqual([['a']]);
  });

  it('rejects a file that ends inside quotes, and a missing file as NOT_FOUND', async () => {
    await expect(records(file('open.csv', 'a\n"never closed\n'))).rejects.toThrow('ends inside a quoted field');
    await expect(records(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
