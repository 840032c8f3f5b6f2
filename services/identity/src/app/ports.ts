import type { OutboxEntry } from '@lienket/eventbus';
import type {
  Account,
  AuditEntry,
  Delegation,
  Invitation,
  Membership,
  MembershipRole,
  Organisation,
} from '../domain/model';
import type { AttemptCounter, ThrottleRule } from '../domain/throttle';

/** The identity service's store. Each method is one document write (no transactions). */
export interface IdentityStore {
  /** ALREADY_EXISTS (code LOGIN_TAKEN) when the login is taken (unique index). */
  insertAccount(account: Account, events: OutboxEntry[]): Promise<void>;
  findAccountByLogin(loginKey: string): Promise<Account | undefined>;
  getAccount(id: string): Promise<Account | undefined>;
  getAccounts(ids: string[]): Promise<Account[]>;
  setPasswordHash(id: string, hash: string): Promise<void>;
  markSessionsRevoked(id: string, at: Date): Promise<void>;
  deleteAccount(id: string): Promise<void>;

  /** Idempotent for an enterprise (its id is derived from the registry id). */
  upsertOrganisation(organisation: Organisation): Promise<Organisation>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  getOrganisations(ids: string[]): Promise<Organisation[]>;

  /** ALREADY_EXISTS when the account already belongs to the organisation. */
  insertMembership(membership: Membership, events: OutboxEntry[]): Promise<void>;
  getMembership(id: string): Promise<Membership | undefined>;
  membershipsOfAccount(accountId: string): Promise<Membership[]>;
  membershipsOfOrganisation(organisationId: string, after: string, limit: number): Promise<Membership[]>;
  /** Changes the role if it is still `from`; false when it moved meanwhile. */
  changeRole(id: string, from: MembershipRole, to: MembershipRole, events: OutboxEntry[]): Promise<boolean>;

  insertInvitation(invitation: Invitation): Promise<void>;
  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  getInvitation(id: string): Promise<Invitation | undefined>;
  invitationsOf(organisationId: string): Promise<Invitation[]>;
  /** pending → accepted/revoked, once: false when it was not pending (single use). */
  closeInvitation(id: string, status: 'accepted' | 'revoked', by: string, at: Date): Promise<boolean>;

  insertDelegation(delegation: Delegation, events: OutboxEntry[]): Promise<void>;
  getDelegation(id: string): Promise<Delegation | undefined>;
  delegationsOfOrganisation(organisationId: string): Promise<Delegation[]>;
  delegationsOfDelegate(accountId: string): Promise<Delegation[]>;
  /** Sets revokedAt once; false when already revoked. */
  revokeDelegation(id: string, by: string, at: Date, events: OutboxEntry[]): Promise<boolean>;

  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first; `before` is an entry id (ids grow with time). */
  listAudit(
    filter: { organisationId?: string; accountId?: string },
    before: string,
    limit: number,
  ): Promise<AuditEntry[]>;

  getAttemptCounter(key: string): Promise<AttemptCounter | undefined>;
  /** Counts one failure (a new window when the old one is over) and locks the key at the limit. */
  recordFailure(key: string, rule: ThrottleRule, now: Date): Promise<AttemptCounter>;
  clearAttempts(key: string): Promise<void>;
  /** Deletes counters whose window and lock are both over. */
  pruneAttempts(now: Date, rule: ThrottleRule): Promise<number>;
}

/** Memory-hard password hashing. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Always does the full work, also for `undefined` (an unknown login), so timing tells nothing. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
  /** Whether a stored hash is weaker than today's parameters (rehash after a good sign-in). */
  needsRehash(hash: string): boolean;
}

/** The registry, as identity calls it at sign-up (a LienKet service actor). */
export interface EnterpriseRegistry {
  registerEnterprise(input: {
    taxCode: string;
    kind: string;
    primaryVsic: string;
    name: string;
    provinceCode: string;
    contactPerson: string;
    contactPhone: string;
    contactEmail: string;
    subject: string;
  }): Promise<{ enterpriseId: string; provinceCode: string }>;
}
