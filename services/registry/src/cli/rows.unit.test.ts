import { registryV1 } from '@lienket/contracts';
import { parseCsv, readRows, rowToInput } from './rows';

describe('CSV and JSONL rows', () => {
  it('parses quotes, doubled quotes, commas and newlines inside fields', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('numbers data rows as a person counts lines', () => {
    const csv = '\uFEFFtax_code,name\n0100109106,A\n0300588569,B\n';
    expect(readRows('f.csv', csv)).toEqual([
      { line: 2, row: { tax_code: '0100109106', name: 'A' } },
      { line: 3, row: { tax_code: '0300588569', name: 'B' } },
    ]);
    expect(readRows('f.jsonl', '{"tax_code":"1"}\nnot json\n')).toEqual([
      { line: 1, row: { tax_code: '1' } },
      { line: 2, row: { __error: 'not valid JSON' } },
    ]);
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
