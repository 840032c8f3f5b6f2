import { registryServiceV1 as api, registryV1 } from '@lienket/contracts';

/** One input row, by column name (CSV header or JSON key, snake_case). */
export type Row = Record<string, string | number | boolean | string[] | undefined>;

/** Splits CSV text (RFC 4180: quotes, doubled quotes, newlines inside quotes) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/** Rows of a .csv (header line first) or .jsonl file, numbered from 1 as a person counts lines of data. */
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
  const [header, ...data] = parseCsv(text.replace(/^\uFEFF/, ''));
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  return data.map((fields, index) => ({
    line: index + 2,
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
