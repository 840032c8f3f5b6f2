import { Events, registryV1 } from '@lienket/contracts';
import { on, type Subscription } from '@lienket/eventbus';
import { partyFromEnterprise } from '@lienket/matching';
import { regionOf } from '@lienket/reference';
import type { StoredParty, TechTransferStore } from '../../app/ports';
import type { TechTransfer } from '../../app/techtransfer';
import { moneyRangeFromProto } from '../../app/to-proto';
import type { TechRequest } from '../../domain/model';

interface SubscriptionDeps {
  store: TechTransferStore;
  techtransfer: TechTransfer;
}

/** The enterprise facts techtransfer decides with, from a registry enterprise. */
export function partyFacts(e: registryV1.Enterprise): Omit<StoredParty, 'enterpriseId'> {
  const party = partyFromEnterprise(e);
  return {
    province: party.province,
    region: regionOf(party.province) ?? '',
    kind: party.kind,
    verified: party.verified,
    supportingIndustry: party.supportingIndustry,
    leadFirm: party.leadFirm,
    recognitions: party.recognitions,
    rejected: e.verification?.status === registryV1.VerificationStatus.VERIFICATION_STATUS_REJECTED,
  };
}

/** A registry need of category technology, as a technology request with the need's id. */
export function requestFromNeed(n: registryV1.Need): TechRequest {
  const created = n.createdAt ?? new Date();
  return {
    id: n.id,
    requesterId: n.enterpriseId,
    province: n.province,
    region: regionOf(n.province) ?? '',
    title: n.title,
    description: n.description,
    hsCodes: n.hsCodes,
    vsicCodes: n.vsicCodes,
    keywords: [],
    minReadinessLevel: 0,
    transferModes: [],
    budget: moneyRangeFromProto(n.budget),
    cleanerProduction: false,
    pollutionTreatment: false,
    source: 'registry_need',
    registryNeedId: n.id,
    validUntil: n.validUntil ?? new Date(created.getTime() + 180 * 86_400_000),
    status: 'open',
    createdAt: created,
    updatedAt: created,
    version: 1,
  };
}

/** Registry enterprises (the parties) and technology needs (requests), for the registry consumer. */
export function registrySubscriptions({ store, techtransfer }: SubscriptionDeps): Subscription[] {
  return [
    on(Events.enterpriseRegistered, async (p, { event }) => {
      if (p.enterprise) await store.projectParty(p.enterprise.id, partyFacts(p.enterprise), event.time);
    }),
    on(Events.enterpriseUpdated, async (p, { event }) => {
      if (p.enterprise) await store.projectParty(p.enterprise.id, partyFacts(p.enterprise), event.time);
    }),
    on(Events.enterpriseVerified, (p, { event }) =>
      store.projectParty(p.enterpriseId, { verified: true, rejected: false }, event.time),
    ),
    on(Events.enterpriseRejected, (p, { event }) =>
      store.projectParty(p.enterpriseId, { verified: false, rejected: true }, event.time),
    ),
    on(Events.leadFirmDesignated, (p, { event }) =>
      store.projectParty(p.enterpriseId, { leadFirm: p.leadFirm }, event.time),
    ),
    on(Events.needPosted, async (p) => {
      if (p.need?.category === registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY)
        await techtransfer.requestFromNeed(requestFromNeed(p.need));
    }),
    on(Events.needClosed, (p) => techtransfer.closeFromNeed(p.needId, 'need_closed')),
    on(Events.needFulfilled, (p) => techtransfer.closeFromNeed(p.needId, 'need_fulfilled')),
    on(Events.needExpired, (p) => techtransfer.closeFromNeed(p.needId, 'need_expired')),
  ];
}
