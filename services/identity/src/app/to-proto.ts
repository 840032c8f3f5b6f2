import { identityV1 } from '@lienket/contracts';
import { isDelegationActive } from '../domain/delegations';
import { maskLogin } from '../domain/login';
import type {
  Account,
  AuditEntry,
  Delegation,
  Invitation,
  Membership,
  MembershipRole,
  Organisation,
  OrganisationKind,
} from '../domain/model';

const upper = (s: string) => s.toUpperCase();

export const roleToProto = (role: MembershipRole): identityV1.MembershipRole =>
  identityV1.MembershipRole[`MEMBERSHIP_ROLE_${upper(role)}` as keyof typeof identityV1.MembershipRole];
export const roleFromProto = (role: identityV1.MembershipRole): MembershipRole | undefined =>
  role === identityV1.MembershipRole.MEMBERSHIP_ROLE_UNSPECIFIED ||
  identityV1.MembershipRole[role] === undefined
    ? undefined
    : (identityV1.MembershipRole[role].replace('MEMBERSHIP_ROLE_', '').toLowerCase() as MembershipRole);
export const kindToProto = (kind: OrganisationKind): identityV1.OrganisationKind =>
  identityV1.OrganisationKind[`ORGANISATION_KIND_${upper(kind)}` as keyof typeof identityV1.OrganisationKind];
export const kindFromProto = (kind: identityV1.OrganisationKind): OrganisationKind | undefined =>
  kind === identityV1.OrganisationKind.ORGANISATION_KIND_UNSPECIFIED ||
  identityV1.OrganisationKind[kind] === undefined
    ? undefined
    : (identityV1.OrganisationKind[kind].replace('ORGANISATION_KIND_', '').toLowerCase() as OrganisationKind);

export const organisationToProto = (o: Organisation): identityV1.Organisation => ({
  organisationId: o.id,
  kind: kindToProto(o.kind),
  name: o.name,
  provinceCode: o.provinceCode,
  enterpriseId: o.enterpriseId,
});

export const membershipToProto = (m: Membership): identityV1.Membership => ({
  membershipId: m.id,
  accountId: m.accountId,
  organisationId: m.organisationId,
  role: roleToProto(m.role),
  createdAt: m.createdAt,
});

export const accountToProto = (a: Account, memberships: Membership[]): identityV1.AccountSummary => ({
  accountId: a.id,
  displayName: a.displayName,
  maskedLogin: maskLogin(a.login),
  memberships: memberships.map(membershipToProto),
});

export const invitationToProto = (i: Invitation): identityV1.Invitation => ({
  invitationId: i.id,
  organisationId: i.organisationId,
  role: roleToProto(i.role),
  maskedLogin: maskLogin(i.invitedLogin),
  issuedBy: i.issuedBy,
  issuedAt: i.issuedAt,
  expiresAt: i.expiresAt,
  status: i.status,
});

export const delegationToProto = (d: Delegation, now: Date): identityV1.Delegation => ({
  delegationId: d.id,
  organisationId: d.organisationId,
  enterpriseId: d.enterpriseId,
  grantedBy: d.grantedBy,
  delegateAccountId: d.delegateAccountId,
  grantedAt: d.grantedAt,
  endsAt: d.endsAt,
  revokedAt: d.revokedAt,
  active: isDelegationActive(d, now),
});

export const auditToProto = (e: AuditEntry): identityV1.AuditEntry => ({
  auditEntryId: e.id,
  at: e.at,
  kind: e.kind,
  actorAccountId: e.actorAccountId,
  subjectAccountId: e.subjectAccountId,
  organisationId: e.organisationId,
  detail: e.detail,
  onBehalfOf: e.onBehalfOf,
});
