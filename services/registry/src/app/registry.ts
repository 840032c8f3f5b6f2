import { Events } from '@lienket/contracts';
import { type OutboxEntry, outboxEvent } from '@lienket/eventbus';
import { type Actor, changeVersioned, versionConflict } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import { tokenize } from '@lienket/reference';
import { formCluster, joinCluster, leaveCluster } from '../domain/cluster';
import {
  decideVerification,
  designateLeadFirm,
  type EnterpriseInput,
  registerEnterprise,
  updateEnterprise,
  type VerificationDecision,
} from '../domain/enterprise';
import type { Capability, Cluster, Contact, Enterprise, Need, Posting } from '../domain/model';
import { mayReadContact, requireActsFor, requireAuthenticated, requireMayRegister } from '../domain/policy';
import {
  type CapabilityInput,
  type CounterDrift,
  closeNeed,
  confirmedDrifts,
  expirePosting,
  fulfilNeed,
  isExpiringNoticeDue,
  type NeedInput,
  openPostingLimit,
  type PostingRules,
  postCapability,
  postNeed,
  renewCapability,
  withdrawCapability,
} from '../domain/postings';
import type { EnterpriseQuery, PageRequest, PostingQuery, RegistryStore } from './ports';
import { capabilityToProto, clusterToProto, enterpriseToProto, needToProto } from './to-proto';

export interface RegistryDeps {
  store: RegistryStore;
  clock: () => Date;
  newId: () => string;
  rules: PostingRules;
  /** CloudEvents source of this service. */
  source: string;
  /** Wakes the outbox relay after a write. */
  afterWrite: () => void;
}

const notFound = (what: string, id: string, whatVi: string) =>
  new AppError('NOT_FOUND', `No ${what} ${id}`, {
    code: `${what.toUpperCase()}_NOT_FOUND`,
    messageVi: `Không tìm thấy ${whatVi} ${id}`,
  });

/** The registry's use cases: load, decide with the domain, save state and events together, return. */
export function makeRegistry({ store, clock, newId, rules, source, afterWrite }: RegistryDeps) {
  const event = <T>(definition: Parameters<typeof outboxEvent<T>>[0], payload: T, key: string, time: Date) =>
    outboxEvent(definition, payload, { key, source, subject: key, time });

  async function loadEnterprise(id: string): Promise<Enterprise> {
    const enterprise = id ? await store.findEnterprise(id) : undefined;
    if (!enterprise) throw notFound('enterprise', id, 'doanh nghiệp');
    return enterprise;
  }

  async function loadPosting(id: string): Promise<Posting> {
    const posting = id ? await store.findPosting(id) : undefined;
    if (!posting) throw notFound('posting', id, 'tin');
    return posting;
  }

  /** Load, decide, save on the version read (retrying when a concurrent writer won), wake the relay. */
  async function change<T extends { version: number }>(
    load: () => Promise<T>,
    decide: (current: T, now: Date) => { next: T; events: OutboxEntry[] } | undefined,
    save: (next: T, expectedVersion: number, events: OutboxEntry[]) => Promise<boolean>,
  ): Promise<T> {
    const { value, changed } = await changeVersioned(load, (current) => decide(current, clock()), save);
    if (changed) afterWrite();
    return value;
  }

  const changeEnterprise = (
    id: string,
    decide: (current: Enterprise, now: Date) => { next: Enterprise; events: OutboxEntry[] } | undefined,
  ) => change(() => loadEnterprise(id), decide, store.saveEnterprise);

  const changePosting = <P extends Posting>(
    id: string,
    kind: P['kind'],
    decide: (current: P, now: Date) => { next: P; events: OutboxEntry[] },
  ) =>
    change<P>(
      async () => {
        const current = await loadPosting(id);
        if (current.kind !== kind) throw notFound(kind, id, kind === 'need' ? 'nhu cầu' : 'năng lực');
        return current as P;
      },
      decide,
      store.savePosting,
    );

  const changeCluster = (
    id: string,
    decide: (current: Cluster, now: Date) => { next: Cluster; events: OutboxEntry[] },
  ) =>
    change(
      async () => {
        const current = await store.findCluster(id);
        if (!current) throw notFound('cluster', id, 'cụm liên kết');
        return current;
      },
      decide,
      store.saveCluster,
    );

  async function reserve(enterpriseId: string) {
    if (!(await store.reserveOpenPosting(enterpriseId, rules.maxOpenPostings))) throw openPostingLimit(rules);
  }

  const postingClosed = async (posting: Posting) => store.releaseOpenPosting(posting.enterpriseId);

  let suspectedDrifts: CounterDrift[] = [];

  return {
    async registerEnterprise(actor: Actor, input: EnterpriseInput): Promise<Enterprise> {
      const now = clock();
      const enterprise = registerEnterprise(input, newId(), now);
      requireMayRegister(actor, enterprise.province);
      await store.insertEnterprise(enterprise, [
        event(
          Events.enterpriseRegistered,
          { enterprise: enterpriseToProto(enterprise), legacyProvinceCode: enterprise.legacyProvince },
          enterprise.id,
          now,
        ),
      ]);
      afterWrite();
      return enterprise;
    },

    async updateEnterprise(
      actor: Actor,
      id: string,
      input: Omit<EnterpriseInput, 'taxCode'>,
      mask: string[],
      expectedVersion: number,
    ): Promise<Enterprise> {
      requireActsFor(actor, id);
      return changeEnterprise(id, (current, now) => {
        if (expectedVersion && current.version !== expectedVersion) throw versionConflict();
        const { enterprise, changed } = updateEnterprise(current, input, mask, now);
        if (changed.length === 0) return undefined;
        return {
          next: enterprise,
          events: [
            event(
              Events.enterpriseUpdated,
              {
                enterprise: enterpriseToProto({ ...enterprise, version: current.version + 1 }),
                changedFields: changed,
              },
              id,
              now,
            ),
          ],
        };
      });
    },

    getEnterprise: loadEnterprise,

    async batchGetEnterprises(ids: string[]): Promise<Enterprise[]> {
      if (ids.length > 500)
        throw new AppError('INVALID_ARGUMENT', 'At most 500 ids per call', {
          messageVi: 'Tối đa 500 mã mỗi lần gọi',
        });
      const found = new Map((await store.findEnterprises([...new Set(ids)])).map((e) => [e.id, e]));
      return ids.flatMap((id) => (found.has(id) ? [found.get(id) as Enterprise] : []));
    },

    searchEnterprises: (
      query: Omit<EnterpriseQuery, 'textTokens'> & { text: string },
      page: PageRequest,
      facets: string[],
    ) => store.searchEnterprises({ ...query, textTokens: tokenize(query.text) }, page, facets),

    async verifyEnterprise(
      actor: Actor,
      id: string,
      decision: VerificationDecision | undefined,
      reason: string,
    ) {
      return changeEnterprise(id, (current, now) => {
        const next = decideVerification(current, actor, decision, reason, now);
        const events =
          next.verification.status === 'verified'
            ? [
                event(
                  Events.enterpriseVerified,
                  { enterpriseId: id, province: next.province, decidedBy: actor.subject },
                  id,
                  now,
                ),
              ]
            : [
                event(
                  Events.enterpriseRejected,
                  {
                    enterpriseId: id,
                    province: next.province,
                    reason: next.verification.reason,
                    decidedBy: actor.subject,
                  },
                  id,
                  now,
                ),
              ];
        return { next, events };
      });
    },

    async setLeadFirm(actor: Actor, id: string, leadFirm: boolean) {
      return changeEnterprise(id, (current, now) => {
        const next = designateLeadFirm(current, actor, leadFirm, now);
        if (next.leadFirm === current.leadFirm) return undefined;
        return {
          next,
          events: [
            event(
              Events.leadFirmDesignated,
              { enterpriseId: id, province: next.province, leadFirm, decidedBy: actor.subject },
              id,
              now,
            ),
          ],
        };
      });
    },

    async postCapability(actor: Actor, input: CapabilityInput): Promise<Capability> {
      requireActsFor(actor, input.enterpriseId);
      const enterprise = await loadEnterprise(input.enterpriseId);
      const now = clock();
      const capability = postCapability(enterprise, input, newId(), now, rules);
      await reserve(enterprise.id);
      try {
        await store.insertPosting(capability, [
          event(Events.capabilityPosted, { capability: capabilityToProto(capability) }, capability.id, now),
        ]);
      } catch (error) {
        await store.releaseOpenPosting(enterprise.id);
        throw error;
      }
      afterWrite();
      return capability;
    },

    async withdrawCapability(actor: Actor, id: string, reason: string): Promise<Capability> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      const next = await changePosting<Capability>(id, 'capability', (current, now) => ({
        next: withdrawCapability(current, now),
        events: [
          event(
            Events.capabilityWithdrawn,
            { capabilityId: id, enterpriseId: current.enterpriseId, reason: reason.trim() },
            id,
            now,
          ),
        ],
      }));
      await postingClosed(next);
      return next;
    },

    async renewCapability(actor: Actor, id: string): Promise<Capability> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      return changePosting<Capability>(id, 'capability', (current, now) => {
        const next = renewCapability(current, now, rules);
        return {
          next,
          events: [
            event(
              Events.capabilityRenewed,
              { capabilityId: id, enterpriseId: current.enterpriseId, validUntil: next.validUntil },
              id,
              now,
            ),
          ],
        };
      });
    },

    async postNeed(actor: Actor, input: NeedInput): Promise<Need> {
      requireActsFor(actor, input.enterpriseId);
      const enterprise = await loadEnterprise(input.enterpriseId);
      const now = clock();
      const need = postNeed(enterprise, input, newId(), now, rules);
      await reserve(enterprise.id);
      try {
        await store.insertPosting(need, [
          event(Events.needPosted, { need: needToProto(need) }, need.id, now),
        ]);
      } catch (error) {
        await store.releaseOpenPosting(enterprise.id);
        throw error;
      }
      afterWrite();
      return need;
    },

    async closeNeed(actor: Actor, id: string, reason: string): Promise<Need> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      const next = await changePosting<Need>(id, 'need', (current, now) => ({
        next: closeNeed(current, now),
        events: [
          event(
            Events.needClosed,
            { needId: id, enterpriseId: current.enterpriseId, reason: reason.trim() },
            id,
            now,
          ),
        ],
      }));
      await postingClosed(next);
      return next;
    },

    async fulfilNeed(actor: Actor, id: string): Promise<Need> {
      const posting = await loadPosting(id);
      requireActsFor(actor, posting.enterpriseId);
      const next = await changePosting<Need>(id, 'need', (current, now) => ({
        next: fulfilNeed(current, now),
        events: [event(Events.needFulfilled, { needId: id, enterpriseId: current.enterpriseId }, id, now)],
      }));
      await postingClosed(next);
      return next;
    },

    getPosting: loadPosting,

    searchPostings: (
      query: Omit<PostingQuery, 'textTokens'> & { text: string },
      page: PageRequest,
      facets: string[],
    ) => store.searchPostings({ ...query, textTokens: tokenize(query.text) }, page, facets),

    async formCluster(
      actor: Actor,
      input: { name: string; chain: string; anchorEnterpriseId: string; memberIds: string[] },
    ) {
      requireActsFor(actor, input.anchorEnterpriseId);
      const anchor = await loadEnterprise(input.anchorEnterpriseId);
      const members = await store.findEnterprises(input.memberIds);
      const missing = input.memberIds.filter((id) => !members.some((m) => m.id === id));
      if (missing.length > 0) throw notFound('enterprise', missing.join(', '), 'doanh nghiệp');
      const now = clock();
      const cluster = formCluster(input, anchor, members, newId(), now);
      await store.insertCluster(cluster, [
        event(Events.clusterFormed, { cluster: clusterToProto(cluster) }, cluster.id, now),
      ]);
      afterWrite();
      return cluster;
    },

    async joinCluster(actor: Actor, clusterId: string, enterpriseId: string) {
      requireActsFor(actor, enterpriseId);
      const enterprise = await loadEnterprise(enterpriseId);
      return changeCluster(clusterId, (current, now) => ({
        next: joinCluster(current, enterprise, now),
        events: [
          event(
            Events.clusterMemberJoined,
            { clusterId, enterpriseId, province: enterprise.province },
            clusterId,
            now,
          ),
        ],
      }));
    },

    async leaveCluster(actor: Actor, clusterId: string, enterpriseId: string) {
      requireActsFor(actor, enterpriseId);
      return changeCluster(clusterId, (current, now) => {
        const province = current.members.find((m) => m.enterpriseId === enterpriseId)?.province ?? '';
        return {
          next: leaveCluster(current, enterpriseId, now),
          events: [event(Events.clusterMemberLeft, { clusterId, enterpriseId, province }, clusterId, now)],
        };
      });
    },

    async getCluster(id: string): Promise<Cluster> {
      const cluster = await store.findCluster(id);
      if (!cluster) throw notFound('cluster', id, 'cụm liên kết');
      return cluster;
    },

    async getContact(actor: Actor, enterpriseId: string, matchId: string): Promise<Contact> {
      requireAuthenticated(actor);
      const enterprise = await loadEnterprise(enterpriseId);
      const granted =
        actor.role === 'enterprise' && matchId !== ''
          ? await store.hasContactGrant(enterpriseId, actor.enterpriseId, matchId)
          : false;
      if (!mayReadContact(actor, enterprise, granted)) {
        throw new AppError(
          'PERMISSION_DENIED',
          'Contact details are shared only after both sides accept a match',
          {
            code: 'CONTACT_NOT_RELEASED',
            messageVi: 'Thông tin liên hệ chỉ được chia sẻ khi cả hai bên đã chấp nhận kết nối',
          },
        );
      }
      return enterprise.contact;
    },

    /**
     * One pass of the counter check: an open-postings counter that disagrees with the enterprise's
     * open postings in two passes in a row (a process killed between reserving and writing a
     * posting, or between closing one and releasing it) is set to the count, if it has not moved.
     */
    async reconcileOpenPostings(): Promise<{ corrected: CounterDrift[]; suspect: number }> {
      const [counters, open] = await Promise.all([store.openPostingCounters(), store.countOpenPostings()]);
      const { correct, suspect } = confirmedDrifts(counters, open, suspectedDrifts);
      const corrected: CounterDrift[] = [];
      for (const drift of correct)
        if (await store.correctOpenPostings(drift.enterpriseId, drift.counter, drift.open))
          corrected.push(drift);
      suspectedDrifts = suspect;
      return { corrected, suspect: suspect.length };
    },

    /**
     * One pass of the expiry job: warns postings about to expire and expires those past their
     * date. Each change is a conditional write on the posting's version, so two instances running
     * the job at once apply each transition once.
     */
    async runExpiry(limit = 500): Promise<{ expired: number; warned: number }> {
      const now = clock();
      const noticeBefore = new Date(now.getTime() + rules.expiringNoticeDays * 86_400_000);
      let expired = 0;
      let warned = 0;
      for (const kind of ['capability', 'need'] as const) {
        for (const posting of await store.findDuePostings(kind, now, noticeBefore, limit)) {
          const isCapability = posting.kind === 'capability';
          if (posting.validUntil.getTime() <= now.getTime()) {
            const next = { ...expirePosting(posting, now), version: posting.version + 1 };
            const payload = isCapability
              ? event(
                  Events.capabilityExpired,
                  { capabilityId: posting.id, enterpriseId: posting.enterpriseId },
                  posting.id,
                  now,
                )
              : event(
                  Events.needExpired,
                  { needId: posting.id, enterpriseId: posting.enterpriseId },
                  posting.id,
                  now,
                );
            if (await store.savePosting(next, posting.version, [payload])) {
              await store.releaseOpenPosting(posting.enterpriseId);
              expired += 1;
            }
          } else if (isExpiringNoticeDue(posting, now, rules)) {
            const next = { ...posting, expiringNoticeFor: posting.validUntil, version: posting.version + 1 };
            const payload = isCapability
              ? event(
                  Events.capabilityExpiring,
                  {
                    capabilityId: posting.id,
                    enterpriseId: posting.enterpriseId,
                    validUntil: posting.validUntil,
                  },
                  posting.id,
                  now,
                )
              : event(
                  Events.needExpiring,
                  { needId: posting.id, enterpriseId: posting.enterpriseId, validUntil: posting.validUntil },
                  posting.id,
                  now,
                );
            if (await store.savePosting(next, posting.version, [payload])) warned += 1;
          }
        }
      }
      if (expired + warned > 0) afterWrite();
      return { expired, warned };
    },
  };
}

export type Registry = ReturnType<typeof makeRegistry>;
