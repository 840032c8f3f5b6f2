import { Events, registryV1 } from '@lienket/contracts';
import { type BatchEvent, eventsOf, onBatch, payloadOf, type Subscription } from '@lienket/eventbus';
import { partyFromEnterprise } from '@lienket/matching';
import { regionOf } from '@lienket/reference';
import type { PartyChange, StoredParty, TechTransferStore } from '../../app/ports';
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

/** The party change one registry enterprise event makes, if any. */
function partyChange(event: BatchEvent): PartyChange | undefined {
  const at = event.time;
  const enterprise = (
    payloadOf(event, Events.enterpriseRegistered) ?? payloadOf(event, Events.enterpriseUpdated)
  )?.enterprise;
  if (enterprise) return { enterpriseId: enterprise.id, facts: partyFacts(enterprise), at };
  const verified = payloadOf(event, Events.enterpriseVerified);
  if (verified)
    return { enterpriseId: verified.enterpriseId, facts: { verified: true, rejected: false }, at };
  const rejected = payloadOf(event, Events.enterpriseRejected);
  if (rejected)
    return { enterpriseId: rejected.enterpriseId, facts: { verified: false, rejected: true }, at };
  const leadFirm = payloadOf(event, Events.leadFirmDesignated);
  if (leadFirm) return { enterpriseId: leadFirm.enterpriseId, facts: { leadFirm: leadFirm.leadFirm }, at };
  return undefined;
}

const closeReasons = new Map<string, string>([
  [Events.needClosed.type, 'need_closed'],
  [Events.needFulfilled.type, 'need_fulfilled'],
  [Events.needExpired.type, 'need_expired'],
]);

/**
 * Registry enterprises (the parties) and technology needs (requests), for the registry consumer.
 * Each batch costs one bulk write of parties, or one insert of requests plus one read and one write
 * of the requests it closes; all are idempotent by their own keys (event time, need id, status and
 * version), so the consumer keeps no record of processed ids.
 */
export function registrySubscriptions({ store, techtransfer }: SubscriptionDeps): Subscription[] {
  return [
    onBatch(
      [
        Events.enterpriseRegistered,
        Events.enterpriseUpdated,
        Events.enterpriseVerified,
        Events.enterpriseRejected,
        Events.leadFirmDesignated,
      ],
      async (events) => {
        const changes = events.map(partyChange).filter((c): c is PartyChange => c !== undefined);
        await store.projectParties(changes);
      },
      { idempotent: true },
    ),
    onBatch(
      [Events.needPosted, Events.needClosed, Events.needFulfilled, Events.needExpired],
      async (events) => {
        // A need is posted before it is closed: every insert first, then the closes, keeps each
        // need's order.
        const posted = eventsOf(events, Events.needPosted)
          .map((e) => e.payload.need)
          .filter((need) => need?.category === registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY)
          .map((need) => requestFromNeed(need as registryV1.Need));
        if (posted.length > 0) await techtransfer.requestsFromNeeds(posted);
        const closes = events.flatMap((e) => {
          const reason = closeReasons.get(e.type);
          const closed =
            payloadOf(e, Events.needClosed) ??
            payloadOf(e, Events.needFulfilled) ??
            payloadOf(e, Events.needExpired);
          return reason && closed ? [{ needId: closed.needId, reason }] : [];
        });
        await techtransfer.closeFromNeeds(closes);
      },
      { idempotent: true },
    ),
  ];
}
