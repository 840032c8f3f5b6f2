/** The identity service's records. Pure data: no I/O here. */

export const organisationKinds = [
  'enterprise',
  'province_centre',
  'commune',
  'ministry_department',
  'sponsor',
] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const membershipRoles = [
  'enterprise_member',
  'enterprise_owner',
  'province_officer',
  'province_admin',
  'commune_officer',
  'ministry_admin',
  'sponsor_member',
  'analyst',
] as const;
export type MembershipRole = (typeof membershipRoles)[number];

/** How a person signs in: an email address or a Vietnamese mobile number, normalised. */
export interface Login {
  kind: 'email' | 'phone';
  /** Lower-cased email, or a phone number in E.164 (`+84…`). */
  value: string;
}

export interface Account {
  id: string;
  login: Login;
  displayName: string;
  /** Self-describing hash (`scrypt$…`); never leaves the service. */
  passwordHash: string;
  createdAt: Date;
  /** Bumped by "sign out everywhere"; grants issued before it are revoked. */
  sessionsRevokedAt?: Date;
  disabled: boolean;
}

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  /** Current (34) province code: for province centres, communes and enterprises. */
  provinceCode: string;
  /** The registry's enterprise id, for enterprises. */
  enterpriseId: string;
  createdAt: Date;
}

export interface Membership {
  id: string;
  accountId: string;
  organisationId: string;
  role: MembershipRole;
  createdAt: Date;
  /** Who granted this role (an account id; empty for sign-up and seeding). */
  grantedBy: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked';

export interface Invitation {
  id: string;
  organisationId: string;
  role: MembershipRole;
  /** Who is expected to accept; the link is what proves it, the login is filled in on sign-up. */
  invitedLogin: Login;
  issuedBy: string;
  issuedAt: Date;
  expiresAt: Date;
  /** SHA-256 of the link token; the token itself is only ever in the link. */
  tokenHash: string;
  status: InvitationStatus;
  acceptedBy: string;
  acceptedAt?: Date;
}

export interface Delegation {
  id: string;
  /** The enterprise organisation that consented. */
  organisationId: string;
  /** The registry enterprise the delegate may act for. */
  enterpriseId: string;
  enterpriseProvinceCode: string;
  /** The owner who consented. */
  grantedBy: string;
  /** The officer (account) who may act for the enterprise. */
  delegateAccountId: string;
  /** The delegate's membership (a commune or province officer). */
  delegateMembershipId: string;
  grantedAt: Date;
  endsAt: Date;
  revokedAt?: Date;
  revokedBy: string;
}

export const auditKinds = [
  'account.registered',
  'sign_in.succeeded',
  'sign_in.failed',
  'sign_in.throttled',
  'sign_out.everywhere',
  'role.changed',
  'invitation.issued',
  'invitation.accepted',
  'delegation.granted',
  'delegation.revoked',
  'delegation.used',
] as const;
export type AuditKind = (typeof auditKinds)[number];

export interface AuditEntry {
  id: string;
  at: Date;
  kind: AuditKind;
  /** The account that did it (empty for an unknown login). */
  actorAccountId: string;
  /** The account it was done to or for, when not the actor. */
  subjectAccountId: string;
  organisationId: string;
  /** Client address, for sign-in entries. */
  address: string;
  /** Short machine-readable detail, e.g. `wrong_password`, `province_officer→province_admin`. */
  detail: string;
  /** The enterprise an officer acted for (delegation entries). */
  onBehalfOf: string;
}
