import { isValidHsCode } from './hs';
import { resolveProvinceCode } from './provinces';
import { isValidVsicCode } from './vsic';

/** A rejected field with its reason in English and Vietnamese (the shape of the platform's FieldViolation). */
export interface FieldViolation {
  field: string;
  reason: string;
  description: string;
  descriptionVi: string;
}

/** Bilingual rule messages a person understands: English first, Vietnamese second. */
export const messages = {
  required: (field: string) => violation(field, 'required', `${field} is required`, `${field} là bắt buộc`),
  taxCodeFormat: (field: string) =>
    violation(
      field,
      'invalid_tax_code_format',
      'A tax code has 10 digits, or 13 for a branch (NNNNNNNNNN-NNN)',
      'Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với chi nhánh (NNNNNNNNNN-NNN)',
    ),
  taxCodeCheckDigit: (field: string) =>
    violation(
      field,
      'invalid_tax_code_check_digit',
      'The tax code check digit is wrong; please check the number',
      'Chữ số kiểm tra của mã số thuế không đúng; vui lòng kiểm tra lại',
    ),
  unknownProvince: (field: string, code: string) =>
    violation(
      field,
      'unknown_province',
      `Unknown province code "${code}" (use one of the 34 current codes, or a pre-2025 code)`,
      `Mã tỉnh "${code}" không tồn tại (dùng một trong 34 mã hiện hành, hoặc mã trước năm 2025)`,
    ),
  unknownRegion: (field: string, code: string) =>
    violation(field, 'unknown_region', `Unknown region "${code}"`, `Vùng "${code}" không tồn tại`),
  invalidVsic: (field: string, code: string) =>
    violation(
      field,
      'invalid_vsic_code',
      `"${code}" is not a VSIC 2018 code (2 to 5 digits under a known division)`,
      `"${code}" không phải mã ngành VSIC 2018 (2 đến 5 chữ số thuộc một ngành cấp 2)`,
    ),
  invalidHs: (field: string, code: string) =>
    violation(
      field,
      'invalid_hs_code',
      `"${code}" is not an HS code (2, 4, 6 or 8 digits under a known chapter)`,
      `"${code}" không phải mã HS (2, 4, 6 hoặc 8 chữ số thuộc một chương)`,
    ),
  noProductCode: (field: string) =>
    violation(
      field,
      'product_code_required',
      'Give at least one HS or VSIC code so partners can find it',
      'Cần ít nhất một mã HS hoặc VSIC để đối tác tìm thấy',
    ),
  invalidRecognition: (field: string, kind: string) =>
    violation(
      field,
      'invalid_recognition',
      `Unknown recognition or level "${kind}"`,
      `Chứng nhận hoặc cấp độ "${kind}" không hợp lệ`,
    ),
  length: (field: string, min: number, max: number) =>
    violation(
      field,
      'invalid_length',
      `${field} must be ${min} to ${max} characters`,
      `${field} phải dài từ ${min} đến ${max} ký tự`,
    ),
  positive: (field: string) =>
    violation(field, 'must_be_positive', `${field} must be greater than zero`, `${field} phải lớn hơn 0`),
  range: (field: string, min: number, max: number) =>
    violation(
      field,
      'out_of_range',
      `${field} must be between ${min} and ${max}`,
      `${field} phải từ ${min} đến ${max}`,
    ),
  unit: (field: string) =>
    violation(
      field,
      'unit_required',
      `${field} needs a unit, e.g. "carton"`,
      `${field} cần đơn vị, ví dụ "thùng"`,
    ),
  future: (field: string) =>
    violation(
      field,
      'must_be_future',
      `${field} must be in the future`,
      `${field} phải là thời điểm trong tương lai`,
    ),
  tooFar: (field: string, days: number) =>
    violation(
      field,
      'too_far',
      `${field} may be at most ${days} days ahead`,
      `${field} chỉ được tối đa ${days} ngày tới`,
    ),
  email: (field: string) =>
    violation(field, 'invalid_email', 'Not an e-mail address', 'Địa chỉ e-mail không hợp lệ'),
  phone: (field: string) =>
    violation(
      field,
      'invalid_phone',
      'A phone number has 9 to 11 digits, optionally starting with +84',
      'Số điện thoại gồm 9 đến 11 chữ số, có thể bắt đầu bằng +84',
    ),
  budgetOrder: (field: string) =>
    violation(
      field,
      'invalid_range',
      `${field}: minimum exceeds maximum`,
      `${field}: mức tối thiểu lớn hơn mức tối đa`,
    ),
  tooMany: (field: string, max: number) =>
    violation(field, 'too_many', `${field} may list at most ${max} items`, `${field} tối đa ${max} mục`),
} as const;

function violation(
  field: string,
  reason: string,
  description: string,
  descriptionVi: string,
): FieldViolation {
  return { field, reason, description, descriptionVi };
}

/** Trimmed, de-duplicated HS and VSIC codes; at least one code, at most 20 of each, each one valid. */
export function checkProductCodes(
  input: { hsCodes: string[]; vsicCodes: string[] },
  prefix: string,
  violations: FieldViolation[],
): { hsCodes: string[]; vsicCodes: string[] } {
  const hsCodes = [...new Set(input.hsCodes.map((c) => c.trim()).filter(Boolean))];
  const vsicCodes = [...new Set(input.vsicCodes.map((c) => c.trim()).filter(Boolean))];
  if (hsCodes.length + vsicCodes.length === 0) violations.push(messages.noProductCode(`${prefix}.hsCodes`));
  if (hsCodes.length > 20) violations.push(messages.tooMany(`${prefix}.hsCodes`, 20));
  if (vsicCodes.length > 20) violations.push(messages.tooMany(`${prefix}.vsicCodes`, 20));
  hsCodes.forEach((code, i) => {
    if (!isValidHsCode(code)) violations.push(messages.invalidHs(`${prefix}.hsCodes[${i}]`, code));
  });
  vsicCodes.forEach((code, i) => {
    if (!isValidVsicCode(code)) violations.push(messages.invalidVsic(`${prefix}.vsicCodes[${i}]`, code));
  });
  return { hsCodes, vsicCodes };
}

/** Current province codes for current or legacy ones, de-duplicated; unknown codes are violations. */
export function checkProvinceCodes(codes: string[], field: string, violations: FieldViolation[]): string[] {
  const resolved: string[] = [];
  codes.forEach((code, i) => {
    const province = resolveProvinceCode(code.trim());
    if (province) resolved.push(province.code);
    else violations.push(messages.unknownProvince(`${field}[${i}]`, code));
  });
  return [...new Set(resolved)];
}
