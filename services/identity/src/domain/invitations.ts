import { AppError } from '@lienket/platform/errors';
import type { Invitation, Login, Membership, MembershipRole, Organisation } from './model';
import { requireRoleFits } from './organisations';

export const INVITATION_DEFAULT_DAYS = 7;
export const INVITATION_MAX_DAYS = 30;
const DAY = 86_400_000;

const deny = (message: string, messageVi: string, code = 'NOT_ALLOWED') =>
  new AppError('PERMISSION_DENIED', message, { code, messageVi });

/** One of the inviter's memberships, with its organisation. */
export interface Standing {
  membership: Membership;
  organisation: Organisation;
}

/**
 * Who may give whom which role (by invitation or by changing a member's role):
 * - a province administrator: officers (and analysts) of its own province centre, officers of the
 *   communes of its province;
 * - a ministry department administrator: administrators of any province centre, analysts of its
 *   own department;
 * - an enterprise owner: members and owners of its own enterprise.
 */
export function mayAssign(by: Standing, target: Organisation, role: MembershipRole): boolean {
  const { membership, organisation } = by;
  switch (membership.role) {
    case 'province_admin':
      if (target.kind === 'province_centre')
        return (
          target.provinceCode === organisation.provinceCode &&
          (role === 'province_officer' || role === 'analyst')
        );
      return (
        target.kind === 'commune' &&
        target.provinceCode === organisation.provinceCode &&
        role === 'commune_officer'
      );
    case 'ministry_admin':
      if (target.kind === 'province_centre') return role === 'province_admin';
      return target.id === organisation.id && role === 'analyst';
    case 'enterprise_owner':
      return target.id === organisation.id && (role === 'enterprise_member' || role === 'enterprise_owner');
    default:
      return false;
  }
}

/** The first of the actor's standings that allows the assignment, or PERMISSION_DENIED. */
export function requireMayAssign(
  standings: readonly Standing[],
  target: Organisation,
  role: MembershipRole,
): Standing {
  requireRoleFits(target, role);
  const standing = standings.find((s) => mayAssign(s, target, role));
  if (!standing)
    throw deny(
      `You may not give the ${role} role in this organisation`,
      `Bạn không được cấp vai trò ${role} trong tổ chức này`,
    );
  return standing;
}

export interface IssueInvitation {
  id: string;
  target: Organisation;
  role: MembershipRole;
  invitedLogin: Login;
  tokenHash: string;
  validDays?: number;
}

export function issueInvitation(
  standings: readonly Standing[],
  input: IssueInvitation,
  now: Date,
): Invitation {
  const standing = requireMayAssign(standings, input.target, input.role);
  const days = input.validDays ?? INVITATION_DEFAULT_DAYS;
  if (!(days > 0 && days <= INVITATION_MAX_DAYS))
    throw new AppError('INVALID_ARGUMENT', `An invitation is valid 1 to ${INVITATION_MAX_DAYS} days`, {
      code: 'INVALID_VALIDITY',
      messageVi: `Lời mời có hiệu lực từ 1 đến ${INVITATION_MAX_DAYS} ngày`,
    });
  return {
    id: input.id,
    organisationId: input.target.id,
    role: input.role,
    invitedLogin: input.invitedLogin,
    issuedBy: standing.membership.accountId,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + days * DAY),
    tokenHash: input.tokenHash,
    status: 'pending',
    acceptedBy: '',
  };
}

/**
 * An invitation link can be used once, before it expires. Every refusal is the same answer, so a
 * link tells nothing about invitations it does not open.
 */
export function requireUsableInvitation(invitation: Invitation | undefined, now: Date): Invitation {
  if (invitation?.status !== 'pending' || invitation.expiresAt.getTime() <= now.getTime())
    throw new AppError(
      'FAILED_PRECONDITION',
      'This invitation link is not valid (used, revoked or expired)',
      {
        code: 'INVITATION_NOT_USABLE',
        messageVi: 'Liên kết mời không còn hiệu lực (đã dùng, đã thu hồi hoặc đã hết hạn)',
      },
    );
  return invitation;
}
