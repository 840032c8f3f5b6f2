import type { Delegation, Membership, MembershipRole, Organisation } from './model';

/** The roles the gateway knows (services/gateway/src/auth.ts). */
export type GatewayRole = 'enterprise' | 'province' | 'analyst' | 'admin';

/**
 * Claims of a LienKet access token. `role`, `enterprise_id`, `province_code` are what the gateway
 * reads; `org_id` names the organisation the token speaks for; `act` (RFC 8693 §4.1) names the
 * officer who acts when a token speaks for an enterprise through a delegation.
 */
export interface LienKetClaims {
  role: GatewayRole;
  org_id: string;
  enterprise_id?: string;
  province_code?: string;
  act?: { sub: string };
  /** The delegation a token acting for an enterprise rests on (revocation is checked against it). */
  delegation_id?: string;
}

/**
 * The gateway role of each membership role. Commune officers and sponsors read like analysts:
 * a commune officer changes an establishment's data only through that establishment's delegation.
 */
export const gatewayRoleOf: Readonly<Record<MembershipRole, GatewayRole>> = Object.freeze({
  enterprise_member: 'enterprise',
  enterprise_owner: 'enterprise',
  province_officer: 'province',
  province_admin: 'province',
  commune_officer: 'analyst',
  ministry_admin: 'admin',
  sponsor_member: 'analyst',
  analyst: 'analyst',
});

/** Claims for a person signed in under one of their memberships. */
export function claimsForMembership(membership: Membership, organisation: Organisation): LienKetClaims {
  const role = gatewayRoleOf[membership.role];
  return {
    role,
    org_id: organisation.id,
    ...(role === 'enterprise' ? { enterprise_id: organisation.enterpriseId } : {}),
    ...(role === 'province' ? { province_code: organisation.provinceCode } : {}),
  };
}

/**
 * Claims for an officer acting for an enterprise: the token speaks for the establishment
 * (`enterprise_id`, `org_id`) and `act.sub` names the officer who acts (RFC 8693 §4.1). The
 * token's `sub` stays the officer's account: oidc-provider never lets extra claims replace `sub`,
 * and audit wants the person who acted; `act` is what marks the token as delegated.
 */
export function claimsForDelegation(delegation: Delegation, officerAccountId: string): LienKetClaims {
  return {
    role: 'enterprise',
    org_id: delegation.organisationId,
    enterprise_id: delegation.enterpriseId,
    act: { sub: officerAccountId },
    delegation_id: delegation.id,
  };
}
