import type { FieldViolation } from '@lienket/platform/errors';
import { messages, resolveProvinceCode } from '@lienket/reference';

/**
 * One province field: the current code (a pre-2025 code resolves to the unit it joined), or a
 * violation on the field itself. Empty input is `required` unless `optional`.
 */
export function provinceField(
  code: string,
  field: string,
  violations: FieldViolation[],
  optional = false,
): string {
  const trimmed = code.trim();
  if (!trimmed) {
    if (!optional) violations.push(messages.required(field));
    return '';
  }
  const found = resolveProvinceCode(trimmed);
  if (!found) violations.push(messages.unknownProvince(field, trimmed));
  return found?.code ?? '';
}
