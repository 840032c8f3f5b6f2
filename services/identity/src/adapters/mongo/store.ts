import { type OutboxEntry, outboxFields, withOutbox } from '@lienket/eventbus';
import { AppError } from '@lienket/platform';
import type mongoose from 'mongoose';
import type { IdentityStore } from '../../app/ports';
import { loginKey } from '../../domain/login';
import type {
  Account,
  AuditEntry,
  Delegation,
  Invitation,
  Membership,
  Organisation,
} from '../../domain/model';
import { type AttemptCounter, lockAfter } from '../../domain/throttle';
import { type IdentityModels, identityModels } from './models';

type Doc = Record<string, unknown>;
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/** A stored document as a domain object: `_id` → `id`, outbox fields and nulls left out. */
function toDomain<T>(document: Doc | null | undefined): T | undefined {
  if (!document) return undefined;
  const {
    _id,
    outbox,
    outboxPending,
    outboxClaim,
    outboxClaimUntil,
    outboxParked,
    loginKey: _key,
    ...rest
  } = document;
  const state: Doc = { id: _id };
  for (const [name, value] of Object.entries(rest))
    if (value !== null && value !== undefined) state[name] = value;
  return state as T;
}
const many = <T>(documents: Doc[]) => documents.map((d) => toDomain<T>(d) as T);
const toDocument = ({ id, ...state }: { id: string }) => ({ _id: id, ...state });

export function createMongoIdentityStore(
  connection: mongoose.Connection,
): IdentityStore & { models: IdentityModels } {
  const m = identityModels(connection);
  const lean = async <T>(query: mongoose.Query<unknown, unknown>) =>
    toDomain<T>((await query.lean()) as Doc | null);

  return {
    models: m,

    async insertAccount(account: Account, events: OutboxEntry[]) {
      try {
        await m.accounts.create({
          ...toDocument(account),
          loginKey: loginKey(account.login),
          ...outboxFields(events),
        });
      } catch (error) {
        if (isDuplicate(error))
          throw new AppError('ALREADY_EXISTS', 'This login is taken', { code: 'LOGIN_TAKEN', cause: error });
        throw error;
      }
    },
    findAccountByLogin: (key) => lean<Account>(m.accounts.findOne({ loginKey: key })),
    getAccount: (id) => lean<Account>(m.accounts.findById(id)),
    async getAccounts(ids) {
      return many<Account>((await m.accounts.find({ _id: { $in: ids } }).lean()) as Doc[]);
    },
    async setPasswordHash(id, hash) {
      await m.accounts.updateOne({ _id: id }, { $set: { passwordHash: hash } });
    },
    async markSessionsRevoked(id, at) {
      await m.accounts.updateOne({ _id: id }, { $set: { sessionsRevokedAt: at } });
    },
    async deleteAccount(id) {
      await m.accounts.deleteOne({ _id: id });
    },

    async upsertOrganisation(organisation) {
      const { id, ...state } = organisation;
      await m.organisations.updateOne({ _id: id }, { $setOnInsert: state }, { upsert: true });
      return (await lean<Organisation>(m.organisations.findById(id))) as Organisation;
    },
    getOrganisation: (id) => lean<Organisation>(m.organisations.findById(id)),
    async getOrganisations(ids) {
      return many<Organisation>((await m.organisations.find({ _id: { $in: ids } }).lean()) as Doc[]);
    },

    async insertMembership(membership, events) {
      try {
        await m.memberships.create({ ...toDocument(membership), ...outboxFields(events) });
      } catch (error) {
        if (isDuplicate(error))
          throw new AppError('ALREADY_EXISTS', 'This account is already a member', {
            code: 'ALREADY_MEMBER',
            messageVi: 'Tài khoản này đã là thành viên',
            cause: error,
          });
        throw error;
      }
    },
    getMembership: (id) => lean<Membership>(m.memberships.findById(id)),
    async membershipsOfAccount(accountId) {
      return many<Membership>((await m.memberships.find({ accountId }).lean()) as Doc[]);
    },
    async membershipsOfOrganisation(organisationId, after, limit) {
      const filter: Doc = { organisationId, ...(after ? { _id: { $gt: after } } : {}) };
      return many<Membership>(
        (await m.memberships.find(filter).sort({ _id: 1 }).limit(limit).lean()) as Doc[],
      );
    },
    async changeRole(id, from, to, events) {
      const result = await m.memberships.updateOne(
        { _id: id, role: from },
        withOutbox({ $set: { role: to } }, events),
      );
      return result.modifiedCount === 1;
    },

    async insertInvitation(invitation) {
      await m.invitations.create(toDocument(invitation));
    },
    findInvitationByTokenHash: (tokenHash) => lean<Invitation>(m.invitations.findOne({ tokenHash })),
    getInvitation: (id) => lean<Invitation>(m.invitations.findById(id)),
    async invitationsOf(organisationId) {
      return many<Invitation>(
        (await m.invitations.find({ organisationId }).sort({ issuedAt: -1 }).lean()) as Doc[],
      );
    },
    async closeInvitation(id, status, by, at) {
      // The conditional write is what makes a link single-use, also across instances.
      const result = await m.invitations.updateOne(
        { _id: id, status: 'pending' },
        { $set: { status, acceptedBy: status === 'accepted' ? by : '', acceptedAt: at } },
      );
      return result.modifiedCount === 1;
    },

    async insertDelegation(delegation, events) {
      await m.delegations.create({ ...toDocument(delegation), ...outboxFields(events) });
    },
    getDelegation: (id) => lean<Delegation>(m.delegations.findById(id)),
    async delegationsOfOrganisation(organisationId) {
      return many<Delegation>(
        (await m.delegations.find({ organisationId }).sort({ grantedAt: -1 }).lean()) as Doc[],
      );
    },
    async delegationsOfDelegate(accountId) {
      return many<Delegation>(
        (await m.delegations.find({ delegateAccountId: accountId }).sort({ grantedAt: -1 }).lean()) as Doc[],
      );
    },
    async revokeDelegation(id, by, at, events) {
      const result = await m.delegations.updateOne(
        { _id: id, revokedAt: { $exists: false } },
        withOutbox({ $set: { revokedAt: at, revokedBy: by } }, events),
      );
      return result.modifiedCount === 1;
    },

    async appendAudit(entry) {
      await m.audit.create(toDocument(entry));
    },
    async listAudit(filter, before, limit) {
      const query: Doc = {};
      if (filter.organisationId) query.organisationId = filter.organisationId;
      if (filter.accountId)
        query.$or = [{ actorAccountId: filter.accountId }, { subjectAccountId: filter.accountId }];
      if (before) query._id = { $lt: before };
      return many<AuditEntry>((await m.audit.find(query).sort({ _id: -1 }).limit(limit).lean()) as Doc[]);
    },

    getAttemptCounter: async (key) => {
      const found = await lean<AttemptCounter & { id: string }>(m.attempts.findById(key));
      return found ? { ...found, key } : undefined;
    },
    async recordFailure(key, rule, now) {
      // A window that is over starts again at one failure (conditional, so two instances never both reset it).
      const restarted = await m.attempts.updateOne(
        { _id: key, windowStartedAt: { $lte: new Date(now.getTime() - rule.windowMs) } },
        { $set: { failures: 1, windowStartedAt: now }, $unset: { lockedUntil: 1 } },
      );
      let counter: Doc | null;
      if (restarted.modifiedCount === 1) counter = { failures: 1, windowStartedAt: now };
      else {
        try {
          counter = (await m.attempts
            .findOneAndUpdate(
              { _id: key },
              { $inc: { failures: 1 }, $setOnInsert: { windowStartedAt: now } },
              { upsert: true, new: true },
            )
            .lean()) as Doc | null;
        } catch (error) {
          // Two first failures at once: one upsert wins, the other counts on the document it made.
          if (!isDuplicate(error)) throw error;
          counter = (await m.attempts
            .findOneAndUpdate({ _id: key }, { $inc: { failures: 1 } }, { new: true })
            .lean()) as Doc | null;
        }
      }
      const failures = Number(counter?.failures ?? 1);
      const lockedUntil = lockAfter(failures, rule, now);
      if (lockedUntil) await m.attempts.updateOne({ _id: key }, { $set: { lockedUntil } });
      return {
        key,
        failures,
        windowStartedAt: (counter?.windowStartedAt as Date | undefined) ?? now,
        ...(lockedUntil ? { lockedUntil } : {}),
      };
    },
    async clearAttempts(key) {
      await m.attempts.deleteOne({ _id: key });
    },
    async pruneAttempts(now, rule) {
      const windowOver = new Date(now.getTime() - rule.windowMs);
      const result = await m.attempts.deleteMany({
        windowStartedAt: { $lte: windowOver },
        $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: { $lte: now } }],
      });
      return result.deletedCount;
    },
  };
}

export async function ensureIdentityIndexes(models: IdentityModels): Promise<void> {
  for (const model of Object.values(models) as { createIndexes(): Promise<unknown> }[])
    await model.createIndexes();
}
