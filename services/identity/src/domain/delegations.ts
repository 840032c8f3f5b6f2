import { AppError } from '@lienket/platform/errors';
import type { Delegation, Membership, Organisation } from './model';

export const DELEGATION_MAX_DAYS = 366;
const DAY = 86_400_000;

const deny = (message: string, messageVi: string, code = 'NOT_ALLOWED') =>
  new AppError('PERMISSION_DENIED', message, { code, messageVi });

export interface GrantDelegation {
  id: string;
  /** The consenting owner's membership and its enterprise organisation. */
  owner: Membership;
  enterprise: Organisation;
  /** The officer's membership and its organisation (province centre or commune). */
  delegate: Membership;
  delegateOrganisation: Organisation;
  endsAt: Date;
}

/**
 * An establishment's owner consents that an officer of its own province (a commune officer or a
 * province officer) may act for it until an end date (at most a year ahead).
 */
export function grantDelegation(input: GrantDelegation, now: Date): Delegation {
  const { owner, enterprise, delegate, delegateOrganisation } = input;
  if (
    enterprise.kind !== 'enterprise' ||
    owner.organisationId !== enterprise.id ||
    owner.role !== 'enterprise_owner'
  )
    throw deny(
      'Only an owner of the establishment may delegate',
      'Chỉ chủ cơ sở mới được ủy quyền',
      'NOT_OWNER',
    );
  if (delegate.organisationId !== delegateOrganisation.id)
    throw new AppError('INVALID_ARGUMENT', 'The membership is not of that organisation');
  if (delegate.role !== 'commune_officer' && delegate.role !== 'province_officer')
    throw deny(
      'A delegation goes to a commune or province officer',
      'Chỉ ủy quyền cho cán bộ xã hoặc cán bộ tỉnh',
      'NOT_AN_OFFICER',
    );
  if (delegateOrganisation.provinceCode !== enterprise.provinceCode)
    throw deny(
      'The officer must serve the establishment’s own province',
      'Cán bộ phải thuộc tỉnh của cơ sở',
      'OTHER_PROVINCE',
    );
  if (delegate.accountId === owner.accountId)
    throw new AppError('INVALID_ARGUMENT', 'You cannot delegate to yourself', {
      code: 'SELF_DELEGATION',
      messageVi: 'Không thể tự ủy quyền cho chính mình',
    });
  const span = input.endsAt.getTime() - now.getTime();
  if (!(span > 0 && span <= DELEGATION_MAX_DAYS * DAY))
    throw new AppError(
      'INVALID_ARGUMENT',
      `The end date must be within ${DELEGATION_MAX_DAYS} days from now`,
      {
        code: 'INVALID_END_DATE',
        messageVi: `Ngày kết thúc phải trong vòng ${DELEGATION_MAX_DAYS} ngày tới`,
      },
    );
  return {
    id: input.id,
    organisationId: enterprise.id,
    enterpriseId: enterprise.enterpriseId,
    enterpriseProvinceCode: enterprise.provinceCode,
    grantedBy: owner.accountId,
    delegateAccountId: delegate.accountId,
    delegateMembershipId: delegate.id,
    grantedAt: now,
    endsAt: input.endsAt,
    revokedBy: '',
  };
}

export const isDelegationActive = (delegation: Delegation, now: Date) =>
  !delegation.revokedAt && now.getTime() < delegation.endsAt.getTime();

/** The delegation an officer may act under now, or PERMISSION_DENIED (ended, revoked, someone else's). */
export function requireUsableDelegation(
  delegation: Delegation | undefined,
  officerAccountId: string,
  now: Date,
): Delegation {
  if (!delegation || delegation.delegateAccountId !== officerAccountId)
    throw deny('No such delegation for you', 'Không có ủy quyền này cho bạn', 'NO_DELEGATION');
  if (delegation.revokedAt)
    throw deny(
      'The establishment revoked this delegation',
      'Cơ sở đã thu hồi ủy quyền này',
      'DELEGATION_REVOKED',
    );
  if (now.getTime() >= delegation.endsAt.getTime())
    throw deny('This delegation has ended', 'Ủy quyền này đã hết hạn', 'DELEGATION_EXPIRED');
  return delegation;
}

/** The owners of the establishment and the delegate may end a delegation. */
export function requireMayRevoke(
  delegation: Delegation,
  accountId: string,
  ownerOfEnterprise: boolean,
): void {
  if (accountId === delegation.delegateAccountId || ownerOfEnterprise) return;
  throw deny(
    'Only the establishment’s owners or the delegate may revoke',
    'Chỉ chủ cơ sở hoặc người được ủy quyền mới được thu hồi',
  );
}
