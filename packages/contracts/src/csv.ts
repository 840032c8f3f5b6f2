/**
 * RFC 4180 CSV for the rows of any response (the insights tables), so the gateway can answer `?format=csv`:
 * a header line of column names, every field in double quotes (a quote inside doubled), records
 * separated by CRLF, the last one too. Pure: no I/O, no dependency on the service.
 */

export interface CsvOptions {
  /**
   * Columns in order, as row property names (camelCase, as ts-proto gives them) or header names
   * (snake_case). Default: every property of the rows in order of first appearance; with no rows
   * and no columns the output is empty.
   */
  columns?: readonly string[];
  /**
   * Prefix a text field that a spreadsheet would run as a formula (starting with = + - @, tab or
   * CR) with an apostrophe. Numbers are never changed. Default true: enterprise names are typed by
   * people and these files are opened in spreadsheets.
   */
  guardFormulas?: boolean;
}

/** `buyerProvinceName` → `buyer_province_name`: the proto field name. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value)) return value.map(text).join(';');
  return JSON.stringify(value);
}

const FORMULA = /^[=+\-@\t\r]/;

function field(value: unknown, guard: boolean): string {
  let s = text(value);
  if (guard && typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Rows (flat objects) as CSV with a header line. */
export function rowsToCsv(rows: readonly object[], options: CsvOptions = {}): string {
  const guard = options.guardFormulas ?? true;
  const keys: string[] = options.columns
    ? options.columns.map(camelCase)
    : [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (keys.length === 0) return '';
  const lines = [keys.map((key) => field(snakeCase(key), false)).join(',')];
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    lines.push(keys.map((key) => field(record[key], guard)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The columns of a generated row message, in proto order, even when a response has no rows. */
export function columnsOf(message: { fromPartial(object: object): object }): string[] {
  return Object.keys(message.fromPartial({})).map(snakeCase);
}

/**
 * The `rows` of any insights response as CSV. Pass the row message (e.g. `insightsV1.LeadFirmRow`)
 * to get the header even when there are no rows.
 */
export function responseToCsv(
  response: { rows: readonly object[] },
  rowMessage?: { fromPartial(object: object): object },
  options: Omit<CsvOptions, 'columns'> = {},
): string {
  return rowsToCsv(response.rows, {
    ...options,
    ...(rowMessage ? { columns: columnsOf(rowMessage) } : {}),
  });
}
