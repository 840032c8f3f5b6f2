import type { registryServiceV1 as api } from '@lienket/contracts';
import { AppError, invalidArgument, type PromiseClient } from '@lienket/platform';
import { importEnterprises } from './importer';

/** A registry that refuses some tax codes as the real one does, and knows one already. */
function registry() {
  const registered: string[] = [];
  const client = {
    async registerEnterprise({ enterprise }: { enterprise: api.EnterpriseInput }) {
      const { taxCode, provinceCode } = enterprise;
      if (taxCode === '0100109107')
        throw invalidArgument([
          { field: 'enterprise.taxCode', reason: 'invalid', description: 'check digit', descriptionVi: '' },
        ]);
      if (provinceCode === '99')
        throw invalidArgument([
          { field: 'enterprise.provinceCode', reason: 'invalid', description: 'no such', descriptionVi: '' },
        ]);
      if (taxCode === '0100109106') throw new AppError('ALREADY_EXISTS', 'registered');
      registered.push(taxCode);
      return {};
    },
  } as unknown as PromiseClient<typeof api.RegistryServiceService>;
  return { client, registered };
}

describe('importEnterprises', () => {
  it('reports each failed row at the line it starts on, after quoted fields spanning lines', async () => {
    const csv = [
      'tax_code,name,kind,province_code,address',
      '0300588569,"Công ty Gốm ""Bát Tràng""",enterprise,01,"Số 1',
      'Thôn Đông',
      'Xã Bát Tràng"',
      '0100109107,Bad check digit,enterprise,01,',
      '',
      '0100109106,Known,enterprise,01,"two',
      'lines"',
      '0200000001,Unknown province,enterprise,99,',
      '0300588570,"Multi',
      'line name",enterprise,79,',
    ].join('\r\n');
    const { client, registered } = registry();
    const report = await importEnterprises(client, 'firms.csv', csv, { concurrency: 2 });
    expect(report).toMatchObject({ rows: 5, imported: 2, existing: 1, failed: 2 });
    expect(report.errors.map((e) => [e.line, e.taxCode, e.code, e.fields.map((f) => f.field)])).toEqual([
      [5, '0100109107', 'VALIDATION_FAILED', ['enterprise.taxCode']],
      [9, '0200000001', 'VALIDATION_FAILED', ['enterprise.provinceCode']],
    ]);
    expect(registered.sort()).toEqual(['0300588569', '0300588570']);
  });

  it('reports a file that is not CSV past some line as one unreadable row there', async () => {
    const { client, registered } = registry();
    const report = await importEnterprises(client, 'firms.csv', 'tax_code,name\n0300588569,"A\n');
    expect(report.failed).toBe(1);
    expect(report.errors[0]).toMatchObject({ code: 'UNREADABLE_ROW' });
    expect(registered).toEqual([]);
  });
});
