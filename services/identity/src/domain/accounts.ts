import { type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { checkTaxCode, isValidVsicCode, resolveProvinceCode } from '@lienket/reference';
import { parseLogin } from './login';
import type { Login } from './model';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** A few passwords every guessing list starts with (NIST 800-63B asks to refuse known-bad ones). */
const commonPasswords = new Set([
  '1234567890',
  '0123456789',
  'qwertyuiop',
  'password123',
  'matkhau123',
  'abc1234567',
  '1111111111',
  'iloveyou123',
  'vietnam123',
  'admin12345',
]);

const violation = (field: string, reason: string, description: string, descriptionVi: string) => ({
  field,
  reason,
  description,
  descriptionVi,
});

/** Length and known-bad checks only (no composition rules, as NIST 800-63B advises). */
export function passwordViolations(password: string, login?: Login): FieldViolation[] {
  if (password.length < PASSWORD_MIN_LENGTH)
    return [
      violation(
        'password',
        'too_short',
        `Use at least ${PASSWORD_MIN_LENGTH} characters`,
        `Mật khẩu cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự`,
      ),
    ];
  if (password.length > PASSWORD_MAX_LENGTH)
    return [
      violation(
        'password',
        'too_long',
        `Use at most ${PASSWORD_MAX_LENGTH} characters`,
        `Mật khẩu tối đa ${PASSWORD_MAX_LENGTH} ký tự`,
      ),
    ];
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered) || /^(.)\1+$/.test(password) || (login && lowered.includes(login.value)))
    return [
      violation('password', 'too_common', 'This password is too easy to guess', 'Mật khẩu này quá dễ đoán'),
    ];
  return [];
}

export interface AccountInput {
  login: string;
  displayName: string;
  password: string;
}

export interface ValidAccountInput {
  login: Login;
  displayName: string;
  password: string;
}

function accountViolations(input: AccountInput, violations: FieldViolation[]): Login | undefined {
  const login = parseLogin(input.login);
  if (!login)
    violations.push(
      violation(
        'login',
        'invalid_login',
        'Enter an email address or a mobile number',
        'Nhập địa chỉ email hoặc số điện thoại di động',
      ),
    );
  const name = input.displayName.trim();
  if (name.length < 2 || name.length > 120)
    violations.push(
      violation(
        'display_name',
        'invalid_name',
        'Enter your name (2–120 characters)',
        'Nhập họ tên (2–120 ký tự)',
      ),
    );
  violations.push(...passwordViolations(input.password, login));
  return login;
}

/** A person's own account (invitation acceptance). Throws INVALID_ARGUMENT listing every bad field. */
export function validateAccountInput(input: AccountInput): ValidAccountInput {
  const violations: FieldViolation[] = [];
  const login = accountViolations(input, violations);
  if (violations.length > 0 || !login) throw invalidArgument(violations);
  return { login, displayName: input.displayName.trim(), password: input.password };
}

/** The kinds of establishment that sign up themselves (the registry's enterprise kinds). */
export const establishmentKinds = [
  'enterprise',
  'cooperative',
  'household_business',
  'rural_industrial_establishment',
] as const;
export type EstablishmentKind = (typeof establishmentKinds)[number];

export interface EstablishmentSignUpInput extends AccountInput {
  taxCode: string;
  kind: string;
  /** The main activity (VSIC code, 2 to 5 digits). */
  primaryVsic: string;
  enterpriseName: string;
  provinceCode: string;
  contactPhone: string;
  contactEmail: string;
}

export interface ValidEstablishmentSignUp extends ValidAccountInput {
  taxCode: string;
  kind: EstablishmentKind;
  primaryVsic: string;
  enterpriseName: string;
  provinceCode: string;
  legacyProvinceCode: string;
  contactPhone: string;
  contactEmail: string;
}

/** Sign-up of an establishment: its owner's account and exactly one enterprise (checked tax code). */
export function validateEstablishmentSignUp(input: EstablishmentSignUpInput): ValidEstablishmentSignUp {
  const violations: FieldViolation[] = [];
  const login = accountViolations(input, violations);
  const tax = checkTaxCode(input.taxCode);
  if (!tax.ok)
    violations.push(
      tax.reason === 'check_digit'
        ? violation(
            'tax_code',
            'invalid_tax_code',
            'The tax code’s check digit is wrong',
            'Chữ số kiểm tra của mã số thuế không đúng',
          )
        : violation(
            'tax_code',
            'invalid_tax_code',
            'A tax code has 10 digits (or 13 for a branch)',
            'Mã số thuế gồm 10 chữ số (13 với chi nhánh)',
          ),
    );
  const name = input.enterpriseName.trim();
  if (name.length < 2 || name.length > 200)
    violations.push(
      violation(
        'enterprise_name',
        'invalid_name',
        'Enter the establishment’s name (2–200 characters)',
        'Nhập tên cơ sở (2–200 ký tự)',
      ),
    );
  const kind = establishmentKinds.find((k) => k === input.kind);
  if (!kind)
    violations.push(
      violation('kind', 'invalid_kind', 'Choose the kind of establishment', 'Chọn loại hình cơ sở'),
    );
  const primaryVsic = input.primaryVsic.trim();
  if (!isValidVsicCode(primaryVsic))
    violations.push(
      violation(
        'primary_vsic',
        'invalid_vsic',
        'Enter the main activity’s VSIC code',
        'Nhập mã ngành VSIC của hoạt động chính',
      ),
    );
  const province = resolveProvinceCode(input.provinceCode.trim());
  if (!province)
    violations.push(
      violation('province_code', 'invalid_province', 'Choose a province', 'Chọn tỉnh, thành phố'),
    );
  const phone = input.contactPhone.trim() ? parseLogin(input.contactPhone) : undefined;
  if (input.contactPhone.trim() && phone?.kind !== 'phone')
    violations.push(
      violation('contact_phone', 'invalid_phone', 'Enter a mobile number', 'Nhập số điện thoại di động'),
    );
  const email = input.contactEmail.trim() ? parseLogin(input.contactEmail) : undefined;
  if (input.contactEmail.trim() && email?.kind !== 'email')
    violations.push(
      violation('contact_email', 'invalid_email', 'Enter an email address', 'Nhập địa chỉ email'),
    );
  if (violations.length > 0 || !login || !tax.ok || !province || !kind) throw invalidArgument(violations);
  return {
    login,
    displayName: input.displayName.trim(),
    password: input.password,
    taxCode: tax.taxCode,
    kind,
    primaryVsic,
    enterpriseName: name,
    provinceCode: province.code,
    legacyProvinceCode: province.legacyCode ?? '',
    // The login doubles as the contact when none is given.
    contactPhone: phone?.value ?? (login.kind === 'phone' ? login.value : ''),
    contactEmail: email?.value ?? (login.kind === 'email' ? login.value : ''),
  };
}
