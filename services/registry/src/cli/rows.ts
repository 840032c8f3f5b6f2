import { registryServiceV1 as api, registryV1 } from '@lienket/contracts';
import { CsvError, parse } from 'csv-parse/sync';

/** One input row, by column name (CSV header or JSON key, snake_case). */
export type Row = Record<string, string | number | boolean | string[] | undefined>;

/** A CSV record with the line it starts on (a quoted field may hold line breaks). */
interface CsvRecord {
  line: number;
  fields: string[];
}

const lineBreaks = (field: string) => field.split('\n').length - 1;

/**
 * CSV (RFC 4180, through csv-parse: quotes, doubled quotes, line breaks inside quotes, CRLF, LF or CR, a
 * byte-order mark), numbered by the line each record starts on; line breaks inside fields come out as LF. Blank lines are skipped; a row may have fewer
 * fields than the header. A malformed file (an unclosed quote, a stray quote) throws CsvError, which names
 * its line.
 */
export function parseCsv(text: string): CsvRecord[] {
  // One kind of line end first: csv-parse 7 counts a CRLF inside a quoted field as two lines, and takes a
  // CR for the record delimiter of a CRLF file, counting each LF after it as a blank line.
  const records = parse(text.replace(/\r\n?/g, '\n'), {
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  // csv-parse gives the line a record ends on; the line breaks inside its quoted fields, where it began.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((sum, field) => sum + lineBreaks(field), 0),
    fields: record,
  }));
}

/** Rows of a .csv (header line first) or .jsonl file, each with the line it starts on in the file. */
export function readRows(fileName: string, text: string): { line: number; row: Row }[] {
  if (fileName.endsWith('.jsonl') || fileName.endsWith('.ndjson')) {
    return text
      .split('\n')
      .map((line, index) => ({ line: index + 1, text: line.trim() }))
      .filter(({ text: t }) => t !== '')
      .map(({ line, text: t }) => {
        try {
          return { line, row: JSON.parse(t) as Row };
        } catch {
          return { line, row: { __error: 'not valid JSON' } };
        }
      });
  }
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (error) {
    // Nothing is imported from a file that is not CSV past some point: the report says where.
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    return [{ line, row: { __error: `not valid CSV: ${error.message}` } }];
  }
  const [header, ...data] = records;
  const names = (header?.fields ?? []).map((h) => h.trim().toLowerCase());
  return data.map(({ line, fields }) => ({
    line,
    row: Object.fromEntries(names.map((name, i) => [name, fields[i]?.trim() ?? ''])),
  }));
}

const kinds: Record<string, registryV1.EnterpriseKind> = {
  enterprise: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
  cooperative: registryV1.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE,
  household_business: registryV1.EnterpriseKind.ENTERPRISE_KIND_HOUSEHOLD_BUSINESS,
  rural_industrial_establishment: registryV1.EnterpriseKind.ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT,
  research_institute: registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
  promotion_centre: registryV1.EnterpriseKind.ENTERPRISE_KIND_PROMOTION_CENTRE,
};
const sizes: Record<string, registryV1.SizeBand> = {
  micro: registryV1.SizeBand.SIZE_BAND_MICRO,
  small: registryV1.SizeBand.SIZE_BAND_SMALL,
  medium: registryV1.SizeBand.SIZE_BAND_MEDIUM,
  large: registryV1.SizeBand.SIZE_BAND_LARGE,
};

const text = (value: Row[string]) =>
  Array.isArray(value) ? value.join(';') : value === undefined ? '' : String(value);
const list = (value: Row[string]) =>
  (Array.isArray(value) ? value : text(value).split(/[;|]/)).map((v) => String(v).trim()).filter(Boolean);
const flag = (value: Row[string]) => ['true', '1', 'yes', 'x', 'có'].includes(text(value).toLowerCase());

/**
 * Maps a row to a registration. Columns: tax_code, name, kind, province_code, address, primary_vsic,
 * vsic_codes (;-separated), supporting_industry, size_band, recognitions (e.g. `OCOP:4;ISO_9001`),
 * trademarks (;-separated names), contact_person, contact_phone, contact_email. Unknown kinds are
 * left unspecified so the registry reports them with its own message.
 */
export function rowToInput(row: Row): api.EnterpriseInput {
  return api.EnterpriseInput.fromPartial({
    taxCode: text(row.tax_code),
    name: text(row.name),
    kind: kinds[text(row.kind).toLowerCase()] ?? registryV1.EnterpriseKind.ENTERPRISE_KIND_UNSPECIFIED,
    supportingIndustry: flag(row.supporting_industry),
    provinceCode: text(row.province_code).padStart(2, '0'),
    address: text(row.address),
    primaryVsic: text(row.primary_vsic),
    vsicCodes: list(row.vsic_codes),
    sizeBand: sizes[text(row.size_band).toLowerCase()] ?? registryV1.SizeBand.SIZE_BAND_UNSPECIFIED,
    recognitions: list(row.recognitions).map((r) => {
      const [kind = '', level = ''] = r.split(':');
      return { kind: kind.toUpperCase(), level, year: 0, product: '' };
    }),
    trademarks: list(row.trademarks).map((name) => ({ name, registrationNumber: '' })),
    contact: {
      person: text(row.contact_person),
      phone: text(row.contact_phone),
      email: text(row.contact_email),
    },
  });
}
