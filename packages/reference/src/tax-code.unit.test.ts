import { checkTaxCode, taxCodeCheckDigit } from './tax-code';

describe('tax code (mã số thuế)', () => {
  it('accepts the known-valid codes', () => {
    expect(checkTaxCode('0100109106')).toEqual({ ok: true, taxCode: '0100109106', headOffice: '0100109106' });
    expect(checkTaxCode('0300588569')).toMatchObject({ ok: true, taxCode: '0300588569' });
  });

  it('computes the check digit with the 31-29-23-19-17-13-7-5-3 weights mod 11', () => {
    expect(taxCodeCheckDigit('010010910')).toBe(6);
    expect(taxCodeCheckDigit('030058856')).toBe(9);
  });

  it('rejects a wrong check digit', () => {
    expect(checkTaxCode('0100109107')).toEqual({ ok: false, reason: 'check_digit' });
  });

  it('treats a remainder giving 10 as no valid code', () => {
    // 31*1 + 29*1 = 60; 60 mod 11 = 5 → 5. Find a prefix whose sum is ≡ 0 (mod 11): 1100000000 → 31+29=60 no;
    // 0000000000 → sum 0 → 10 - 0 = 10: invalid whatever the last digit.
    expect(taxCodeCheckDigit('000000000')).toBeUndefined();
    for (let last = 0; last <= 9; last += 1) expect(checkTaxCode(`000000000${last}`).ok).toBe(false);
  });

  it('accepts a 13-digit branch and normalises it to NNNNNNNNNN-NNN', () => {
    expect(checkTaxCode('0100109106-001')).toEqual({
      ok: true,
      taxCode: '0100109106-001',
      headOffice: '0100109106',
      branch: '001',
    });
    expect(checkTaxCode('0100109106001')).toMatchObject({ ok: true, taxCode: '0100109106-001' });
    expect(checkTaxCode(' 0100 109 106 ')).toMatchObject({ ok: true, taxCode: '0100109106' });
  });

  it('rejects other shapes', () => {
    for (const bad of ['', '123', '01001091060', '0100109106-01', '010010910a', '0100109106-000']) {
      expect(checkTaxCode(bad)).toEqual({ ok: false, reason: 'format' });
    }
    expect(checkTaxCode('0100109107-001')).toEqual({ ok: false, reason: 'check_digit' });
  });
});
