import { registryV1 } from '@lienket/contracts';
import { parseCsv, readRows, rowToInput } from './rows';

describe('CSV and JSONL rows', () => {
  it('parses quotes, doubled quotes, commas and line breaks inside fields, numbering records by their first line', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n\nlast\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
      { line: 5, fields: ['last'] },
    ]);
  });

  it('numbers data rows by the line they start on, after quoted multi-line fields, blank lines and CRLF', () => {
    const csv = '\uFEFFtax_code,name\n0100109106,A\n0300588569,B\n';
    expect(readRows('f.csv', csv)).toEqual([
      { line: 2, row: { tax_code: '0100109106', name: 'A' } },
      { line: 3, row: { tax_code: '0300588569', name: 'B' } },
    ]);
    const multiLine = [
      'tax_code,name,address',
      '0100109106,A,"Số 1\r\nThôn Đông\r\nXã Bát Tràng"',
      '',
      '0300588569,"B, ""the second""",',
      '0200,"C\rstill C",x',
      '0400,D',
    ].join('\r\n');
    expect(readRows('f.csv', multiLine).map(({ line, row }) => [line, row.tax_code, row.address])).toEqual([
      [2, '0100109106', 'Số 1\nThôn Đông\nXã Bát Tràng'],
      [6, '0300588569', ''],
      [7, '0200', 'x'],
      [9, '0400', ''], // the lone CR inside "C…" ends a line too
    ]);
    expect(readRows('f.jsonl', '{"tax_code":"1"}\nnot json\n')).toEqual([
      { line: 1, row: { tax_code: '1' } },
      { line: 2, row: { __error: 'not valid JSON' } },
    ]);
  });

  it('reports a malformed file as one unreadable row at the line where it breaks', () => {
    const rows = readRows('f.csv', 'tax_code,name\n0100,A\n0200,"unclosed\n0300,C\n');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.line).toBeGreaterThanOrEqual(3);
    expect(String(rows[0]?.row.__error)).toMatch(/^not valid CSV: .*quote/i);
  });

  it('maps a row to a registration', () => {
    const input = rowToInput({
      tax_code: '0100109106',
      name: 'HTX Gốm Bát Tràng',
      kind: 'Cooperative',
      province_code: '1',
      primary_vsic: '2393',
      vsic_codes: '2393;4669',
      supporting_industry: 'yes',
      size_band: 'small',
      recognitions: 'OCOP:4;ISO_9001',
      trademarks: 'Bát Tràng Xưa',
      contact_phone: '0912345678',
    });
    expect(input).toMatchObject({
      kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE,
      provinceCode: '01',
      vsicCodes: ['2393', '4669'],
      supportingIndustry: true,
      sizeBand: registryV1.SizeBand.SIZE_BAND_SMALL,
      recognitions: [
        { kind: 'OCOP', level: '4' },
        { kind: 'ISO_9001', level: '' },
      ],
      trademarks: [{ name: 'Bát Tràng Xưa' }],
      contact: { phone: '0912345678', person: '', email: '' },
    });
  });
});
