import type { registryServiceV1 as api } from '@lienket/contracts';
import { type AppError, actorMetadata, type PromiseClient } from '@lienket/platform';
import { type Row, readRows, rowToInput } from './rows';

export interface ImportReport {
  rows: number;
  imported: number;
  /** Already registered (same tax code): the import is idempotent. */
  existing: number;
  failed: number;
  seconds: number;
  rowsPerSecond: number;
  errors: {
    line: number;
    taxCode: string;
    code: string;
    message: string;
    fields: { field: string; message: string }[];
  }[];
}

const importer = actorMetadata({
  role: 'service',
  enterpriseId: '',
  provinceCode: '',
  subject: 'registry-import',
});

/** Registers every row through the registry's gRPC API, `concurrency` at a time, in row order of reporting. */
export async function importEnterprises(
  client: PromiseClient<typeof api.RegistryServiceService>,
  fileName: string,
  content: string,
  { concurrency = 8, onProgress = (_done: number, _total: number) => {} } = {},
): Promise<ImportReport> {
  const started = Date.now();
  const rows = readRows(fileName, content);
  const report: ImportReport = {
    rows: rows.length,
    imported: 0,
    existing: 0,
    failed: 0,
    seconds: 0,
    rowsPerSecond: 0,
    errors: [],
  };
  let next = 0;
  let done = 0;
  const fail = (
    line: number,
    row: Row,
    code: string,
    message: string,
    fields: ImportReport['errors'][number]['fields'] = [],
  ) => {
    report.failed += 1;
    report.errors.push({ line, taxCode: String(row.tax_code ?? ''), code, message, fields });
  };
  async function worker() {
    while (next < rows.length) {
      const { line, row } = rows[next] as { line: number; row: Row };
      next += 1;
      if (row.__error) fail(line, row, 'UNREADABLE_ROW', String(row.__error));
      else {
        try {
          await client.registerEnterprise(
            { enterprise: rowToInput(row) },
            { metadata: importer, deadlineMs: 15_000 },
          );
          report.imported += 1;
        } catch (error) {
          const appError = error as AppError;
          if (appError.kind === 'ALREADY_EXISTS') report.existing += 1;
          else {
            fail(
              line,
              row,
              appError.code ?? 'ERROR',
              appError.message,
              (appError.violations ?? []).map((v) => ({ field: v.field, message: v.description })),
            );
          }
        }
      }
      done += 1;
      onProgress(done, rows.length);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  report.errors.sort((a, b) => a.line - b.line);
  report.seconds = (Date.now() - started) / 1000;
  report.rowsPerSecond =
    report.seconds > 0 ? Math.round((rows.length / report.seconds) * 10) / 10 : rows.length;
  return report;
}
