import { insightsV1 } from '@lienket/contracts';
import { columnsOf, responseToCsv, rowsToCsv, snakeCase } from './csv';

describe('CSV (RFC 4180)', () => {
  it('writes a header of proto field names and quoted fields, CRLF after every record', () => {
    const csv = rowsToCsv([
      {
        buyerProvince: '19',
        buyerProvinceName: 'Thái Nguyên',
        linkages: 3,
        acceptanceRate: 0.5,
        leadFirm: true,
      },
      { buyerProvince: '24', buyerProvinceName: 'Bắc Ninh', linkages: 0, acceptanceRate: 0, leadFirm: false },
    ]);
    expect(csv).toBe(
      '"buyer_province","buyer_province_name","linkages","acceptance_rate","lead_firm"\r\n' +
        '"19","Thái Nguyên","3","0.5","true"\r\n' +
        '"24","Bắc Ninh","0","0","false"\r\n',
    );
  });

  it('doubles quotes and keeps commas and line breaks inside the field', () => {
    const csv = rowsToCsv([{ name: 'Công ty "Giấy", Bắc Ninh\r\nchi nhánh 2' }]);
    expect(csv).toBe('"name"\r\n"Công ty ""Giấy"", Bắc Ninh\r\nchi nhánh 2"\r\n');
  });

  it('guards text a spreadsheet would run as a formula, never numbers', () => {
    const rows = [{ name: '=HYPERLINK("http://x")', other: '@sum', delta: -5, plain: 'a-b' }];
    expect(rowsToCsv(rows)).toBe(
      '"name","other","delta","plain"\r\n"\'=HYPERLINK(""http://x"")","\'@sum","-5","a-b"\r\n',
    );
    expect(rowsToCsv(rows, { guardFormulas: false })).toContain('"=HYPERLINK(""http://x"")"');
  });

  it('writes empty fields for missing values, ISO times, and ; between list items', () => {
    const csv = rowsToCsv(
      [{ a: undefined, b: null, c: new Date('2025-09-01T00:00:00Z'), d: ['17', '25'], e: Number.NaN }],
      { columns: ['a', 'b', 'c', 'd', 'e', 'f'] },
    );
    expect(csv).toBe('"a","b","c","d","e","f"\r\n"","","2025-09-01T00:00:00.000Z","17;25","",""\r\n');
  });

  it('takes columns by proto or property name, in the order given', () => {
    expect(rowsToCsv([{ leadFirm: true, rank: 1 }], { columns: ['rank', 'lead_firm'] })).toBe(
      '"rank","lead_firm"\r\n"1","true"\r\n',
    );
  });

  it('writes the header of a row message even without rows', () => {
    expect(columnsOf(insightsV1.RegionalShareRow)).toEqual([
      'region',
      'region_name',
      'region_name_vi',
      'linkages',
      'intra_region',
      'cross_region',
      'intra_province',
      'intra_region_share',
      'cross_region_share',
    ]);
    expect(responseToCsv({ rows: [] }, insightsV1.LinkageCell)).toBe(
      '"buyer_province","buyer_province_name","buyer_region","supplier_province","supplier_province_name","supplier_region","linkages"\r\n',
    );
    expect(responseToCsv({ rows: [] })).toBe('');
  });

  it('names columns as the proto does', () => {
    expect(snakeCase('cofundingDisbursedVnd')).toBe('cofunding_disbursed_vnd');
    expect(snakeCase('region')).toBe('region');
  });
});
