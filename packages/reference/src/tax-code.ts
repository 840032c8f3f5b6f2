/** Vietnamese tax code (mã số thuế): 10 digits with a check digit, or a branch: the 10 digits, '-', 3 digits. */
const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];

export type TaxCodeCheck =
  | { ok: true; taxCode: string; headOffice: string; branch?: string }
  | { ok: false; reason: 'format' | 'check_digit' };

/** The check digit of the first nine digits; undefined where the rule gives 10 (no valid code). */
export function taxCodeCheckDigit(nineDigits: string): number | undefined {
  const sum = weights.reduce((total, weight, index) => total + weight * Number(nineDigits[index]), 0);
  const digit = 10 - (sum % 11);
  return digit === 10 ? undefined : digit;
}

/** Validates and normalises a tax code: spaces dropped, a 13-digit branch written as NNNNNNNNNN-NNN. */
export function checkTaxCode(raw: string): TaxCodeCheck {
  const compact = raw.replace(/\s+/g, '');
  const match = /^(\d{10})(?:-?(\d{3}))?$/.exec(compact);
  if (!match) return { ok: false, reason: 'format' };
  const headOffice = match[1] as string;
  const branch = match[2];
  const expected = taxCodeCheckDigit(headOffice.slice(0, 9));
  if (expected === undefined || expected !== Number(headOffice[9]))
    return { ok: false, reason: 'check_digit' };
  if (branch === '000') return { ok: false, reason: 'format' };
  return branch
    ? { ok: true, taxCode: `${headOffice}-${branch}`, headOffice, branch }
    : { ok: true, taxCode: headOffice, headOffice };
}
