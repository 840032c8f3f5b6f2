import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { resolveProvinceCode } from '@lienket/reference';
import type { MembershipRole, Organisation, OrganisationKind } from './model';

/** The roles a member of each kind of organisation may hold. */
export const rolesByKind: Readonly<Record<OrganisationKind, readonly MembershipRole[]>> = Object.freeze({
  enterprise: ['enterprise_member', 'enterprise_owner'],
  province_centre: ['province_officer', 'province_admin', 'analyst'],
  commune: ['commune_officer'],
  ministry_department: ['ministry_admin', 'analyst'],
  sponsor: ['sponsor_member', 'analyst'],
});

export function requireRoleFits(organisation: Organisation, role: MembershipRole): void {
  if (!rolesByKind[organisation.kind].includes(role))
    throw new AppError('INVALID_ARGUMENT', `A ${organisation.kind} has no ${role} role`, {
      code: 'ROLE_NOT_IN_ORGANISATION',
      messageVi: `Tổ chức loại ${organisation.kind} không có vai trò ${role}`,
    });
}

export interface OrganisationInput {
  kind: OrganisationKind;
  name: string;
  provinceCode?: string;
  enterpriseId?: string;
}

/** Checks an organisation: a province for province centres, communes and enterprises; a registry id for enterprises. */
export function newOrganisation(input: OrganisationInput, id: string, now: Date): Organisation {
  const violations: FieldViolation[] = [];
  const name = input.name.trim();
  if (name.length < 2 || name.length > 200)
    violations.push({
      field: 'name',
      reason: 'invalid_name',
      description: 'Name 2–200 characters',
      descriptionVi: 'Tên 2–200 ký tự',
    });
  const needsProvince = input.kind !== 'ministry_department' && input.kind !== 'sponsor';
  const province = input.provinceCode ? resolveProvinceCode(input.provinceCode) : undefined;
  if (needsProvince && !province)
    violations.push({
      field: 'province_code',
      reason: 'invalid_province',
      description: 'A province code is required',
      descriptionVi: 'Cần mã tỉnh, thành phố',
    });
  if (input.kind === 'enterprise' && !input.enterpriseId)
    violations.push({
      field: 'enterprise_id',
      reason: 'required',
      description: 'The registry enterprise id is required',
      descriptionVi: 'Cần mã doanh nghiệp trong sổ đăng ký',
    });
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    id,
    kind: input.kind,
    name,
    provinceCode: needsProvince ? (province?.code ?? '') : '',
    enterpriseId: input.kind === 'enterprise' ? (input.enterpriseId ?? '') : '',
    createdAt: now,
  };
}
