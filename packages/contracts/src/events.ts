import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import * as identity from '../gen/lienket/identity/v1/events';
import * as matchmaking from '../gen/lienket/matchmaking/v1/events';
import * as programme from '../gen/lienket/programme/v1/events';
import * as registry from '../gen/lienket/registry/v1/events';
import * as techtransfer from '../gen/lienket/techtransfer/v1/events';
import type { ProbePinged } from '../gen/lienket/testing/v1/testing';

/** The shape ts-proto generates for every message: enough to put it on and take it off the wire. */
export interface MessageCodec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

/** One CloudEvents type: its name, the topic (aggregate stream) it travels on and its payload. */
export interface EventDefinition<T = unknown> {
  /** CloudEvents `type`, e.g. `vn.lienket.registry.need.posted.v1`. */
  readonly type: string;
  /** Kafka topic without any deployment prefix, e.g. `lienket.registry.need.v1`. */
  readonly topic: string;
  /** Protobuf message name, e.g. `lienket.registry.v1.NeedPosted`. */
  readonly messageName: string;
  readonly codec: MessageCodec<T>;
}

export type PayloadOf<D> = D extends EventDefinition<infer T> ? T : never;

/**
 * The probe's payload shares its generated file with the probe's gRPC service, which loads
 * @grpc/grpc-js; only the platform's own tests publish it, so the file loads on first use and the
 * catalogue stays free of any transport.
 */
const probeCodec = (): MessageCodec<ProbePinged> =>
  (require('../gen/lienket/testing/v1/testing') as typeof import('../gen/lienket/testing/v1/testing'))
    .ProbePinged;
const probePinged: MessageCodec<ProbePinged> = {
  encode: (message, writer) => probeCodec().encode(message, writer),
  decode: (input, length) => probeCodec().decode(input, length),
  fromJSON: (object) => probeCodec().fromJSON(object),
  toJSON: (message) => probeCodec().toJSON(message),
};

function defineEvent<T>(
  type: string,
  topic: string,
  messageName: string,
  codec: MessageCodec<T>,
): EventDefinition<T> {
  return Object.freeze({ type, topic, messageName, codec });
}

/** Every topic, named once. A breaking payload change gets a new `.vN` topic beside the old one. */
export const Topics = Object.freeze({
  testingProbe: 'lienket.testing.probe.v1',
  registryEnterprise: 'lienket.registry.enterprise.v1',
  registryCapability: 'lienket.registry.capability.v1',
  registryNeed: 'lienket.registry.need.v1',
  registryCluster: 'lienket.registry.cluster.v1',
  matchmakingProposal: 'lienket.matchmaking.proposal.v1',
  matchmakingDemand: 'lienket.matchmaking.demand.v1',
  techtransferOffer: 'lienket.techtransfer.offer.v1',
  techtransferRequest: 'lienket.techtransfer.request.v1',
  techtransferInterest: 'lienket.techtransfer.interest.v1',
  techtransferProgramme: 'lienket.techtransfer.programme.v1',
  techtransferCoFunding: 'lienket.techtransfer.cofunding.v1',
  identityAccount: 'lienket.identity.account.v1',
  identityMembership: 'lienket.identity.membership.v1',
  identityDelegation: 'lienket.identity.delegation.v1',
  programmeScheme: 'lienket.programme.scheme.v1',
  programmeBudget: 'lienket.programme.budget.v1',
  programmePledge: 'lienket.programme.pledge.v1',
  programmeSite: 'lienket.programme.site.v1',
  programmePlan: 'lienket.programme.plan.v1',
  programmeRule: 'lienket.programme.rule.v1',
});

function registryEvent<T>(
  aggregate: 'enterprise' | 'capability' | 'need' | 'cluster',
  verb: string,
  message: string,
  codec: MessageCodec<T>,
): EventDefinition<T> {
  return defineEvent(
    `vn.lienket.registry.${aggregate}.${verb}.v1`,
    `lienket.registry.${aggregate}.v1`,
    `lienket.registry.v1.${message}`,
    codec,
  );
}

function matchmakingEvent<T>(
  aggregate: 'proposal' | 'demand',
  verb: string,
  message: string,
  codec: MessageCodec<T>,
): EventDefinition<T> {
  return defineEvent(
    `vn.lienket.matchmaking.${aggregate}.${verb}.v1`,
    `lienket.matchmaking.${aggregate}.v1`,
    `lienket.matchmaking.v1.${message}`,
    codec,
  );
}

function techtransferEvent<T>(
  aggregate: 'offer' | 'request' | 'interest' | 'programme' | 'cofunding',
  verb: string,
  message: string,
  codec: MessageCodec<T>,
): EventDefinition<T> {
  return defineEvent(
    `vn.lienket.techtransfer.${aggregate}.${verb}.v1`,
    `lienket.techtransfer.${aggregate}.v1`,
    `lienket.techtransfer.v1.${message}`,
    codec,
  );
}

function identityEvent<T>(
  aggregate: 'account' | 'membership' | 'delegation',
  verb: string,
  message: string,
  codec: MessageCodec<T>,
): EventDefinition<T> {
  return defineEvent(
    `vn.lienket.identity.${aggregate}.${verb}.v1`,
    `lienket.identity.${aggregate}.v1`,
    `lienket.identity.v1.${message}`,
    codec,
  );
}

function programmeEvent<T>(
  aggregate: 'scheme' | 'budget' | 'pledge' | 'site' | 'plan' | 'rule',
  verb: string,
  message: string,
  codec: MessageCodec<T>,
): EventDefinition<T> {
  return defineEvent(
    `vn.lienket.programme.${aggregate}.${verb}.v1`,
    `lienket.programme.${aggregate}.v1`,
    `lienket.programme.v1.${message}`,
    codec,
  );
}

/** Every event type, named once. */
export const Events = Object.freeze({
  probePinged: defineEvent(
    'vn.lienket.testing.probe.pinged.v1',
    Topics.testingProbe,
    'lienket.testing.v1.ProbePinged',
    probePinged,
  ),

  enterpriseRegistered: registryEvent(
    'enterprise',
    'registered',
    'EnterpriseRegistered',
    registry.EnterpriseRegistered,
  ),
  enterpriseUpdated: registryEvent('enterprise', 'updated', 'EnterpriseUpdated', registry.EnterpriseUpdated),
  enterpriseVerified: registryEvent(
    'enterprise',
    'verified',
    'EnterpriseVerified',
    registry.EnterpriseVerified,
  ),
  enterpriseRejected: registryEvent(
    'enterprise',
    'rejected',
    'EnterpriseRejected',
    registry.EnterpriseRejected,
  ),
  leadFirmDesignated: registryEvent(
    'enterprise',
    'lead_firm_designated',
    'LeadFirmDesignated',
    registry.LeadFirmDesignated,
  ),
  capabilityPosted: registryEvent('capability', 'posted', 'CapabilityPosted', registry.CapabilityPosted),
  capabilityWithdrawn: registryEvent(
    'capability',
    'withdrawn',
    'CapabilityWithdrawn',
    registry.CapabilityWithdrawn,
  ),
  capabilityRenewed: registryEvent('capability', 'renewed', 'CapabilityRenewed', registry.CapabilityRenewed),
  capabilityExpiring: registryEvent(
    'capability',
    'expiring',
    'CapabilityExpiring',
    registry.CapabilityExpiring,
  ),
  capabilityExpired: registryEvent('capability', 'expired', 'CapabilityExpired', registry.CapabilityExpired),
  needPosted: registryEvent('need', 'posted', 'NeedPosted', registry.NeedPosted),
  needClosed: registryEvent('need', 'closed', 'NeedClosed', registry.NeedClosed),
  needFulfilled: registryEvent('need', 'fulfilled', 'NeedFulfilled', registry.NeedFulfilled),
  needExpiring: registryEvent('need', 'expiring', 'NeedExpiring', registry.NeedExpiring),
  needExpired: registryEvent('need', 'expired', 'NeedExpired', registry.NeedExpired),
  clusterFormed: registryEvent('cluster', 'formed', 'ClusterFormed', registry.ClusterFormed),
  clusterMemberJoined: registryEvent(
    'cluster',
    'member_joined',
    'ClusterMemberJoined',
    registry.ClusterMemberJoined,
  ),
  clusterMemberLeft: registryEvent('cluster', 'member_left', 'ClusterMemberLeft', registry.ClusterMemberLeft),

  matchProposed: matchmakingEvent('proposal', 'proposed', 'MatchProposed', matchmaking.MatchProposed),
  matchAccepted: matchmakingEvent('proposal', 'accepted', 'MatchAccepted', matchmaking.MatchAccepted),
  matchDeclined: matchmakingEvent('proposal', 'declined', 'MatchDeclined', matchmaking.MatchDeclined),
  matchExpired: matchmakingEvent('proposal', 'expired', 'MatchExpired', matchmaking.MatchExpired),
  matchRetracted: matchmakingEvent('proposal', 'retracted', 'MatchRetracted', matchmaking.MatchRetracted),
  linkageEstablished: matchmakingEvent(
    'proposal',
    'linkage_established',
    'LinkageEstablished',
    matchmaking.LinkageEstablished,
  ),
  demandUnmet: matchmakingEvent('demand', 'unmet', 'DemandUnmet', matchmaking.DemandUnmet),

  offerPublished: techtransferEvent('offer', 'published', 'OfferPublished', techtransfer.OfferPublished),
  offerWithdrawn: techtransferEvent('offer', 'withdrawn', 'OfferWithdrawn', techtransfer.OfferWithdrawn),
  offerExpired: techtransferEvent('offer', 'expired', 'OfferExpired', techtransfer.OfferExpired),
  offerRenewed: techtransferEvent('offer', 'renewed', 'OfferRenewed', techtransfer.OfferRenewed),
  requestPosted: techtransferEvent('request', 'posted', 'RequestPosted', techtransfer.RequestPosted),
  requestClosed: techtransferEvent('request', 'closed', 'RequestClosed', techtransfer.RequestClosed),
  interestExpressed: techtransferEvent(
    'interest',
    'expressed',
    'InterestExpressed',
    techtransfer.InterestExpressed,
  ),
  interestAccepted: techtransferEvent(
    'interest',
    'accepted',
    'InterestAccepted',
    techtransfer.InterestAccepted,
  ),
  interestDeclined: techtransferEvent(
    'interest',
    'declined',
    'InterestDeclined',
    techtransfer.InterestDeclined,
  ),
  interestWithdrawn: techtransferEvent(
    'interest',
    'withdrawn',
    'InterestWithdrawn',
    techtransfer.InterestWithdrawn,
  ),
  interestExpired: techtransferEvent('interest', 'expired', 'InterestExpired', techtransfer.InterestExpired),
  interestReminder: techtransferEvent(
    'interest',
    'reminder',
    'InterestReminder',
    techtransfer.InterestReminder,
  ),
  agreementSigned: techtransferEvent(
    'interest',
    'agreement_signed',
    'AgreementSigned',
    techtransfer.AgreementSigned,
  ),
  negotiationAbandoned: techtransferEvent(
    'interest',
    'negotiation_abandoned',
    'NegotiationAbandoned',
    techtransfer.NegotiationAbandoned,
  ),
  programmeBudgetChanged: techtransferEvent(
    'programme',
    'budget_changed',
    'ProgrammeBudgetChanged',
    techtransfer.ProgrammeBudgetChanged,
  ),
  coFundingRequested: techtransferEvent(
    'cofunding',
    'requested',
    'CoFundingRequested',
    techtransfer.CoFundingRequested,
  ),
  coFundingApproved: techtransferEvent(
    'cofunding',
    'approved',
    'CoFundingApproved',
    techtransfer.CoFundingApproved,
  ),
  coFundingRejected: techtransferEvent(
    'cofunding',
    'rejected',
    'CoFundingRejected',
    techtransfer.CoFundingRejected,
  ),
  coFundingDisbursed: techtransferEvent(
    'cofunding',
    'disbursed',
    'CoFundingDisbursed',
    techtransfer.CoFundingDisbursed,
  ),

  accountRegistered: identityEvent('account', 'registered', 'AccountRegistered', identity.AccountRegistered),
  membershipChanged: identityEvent('membership', 'changed', 'MembershipChanged', identity.MembershipChanged),
  delegationGranted: identityEvent('delegation', 'granted', 'DelegationGranted', identity.DelegationGranted),
  delegationRevoked: identityEvent('delegation', 'revoked', 'DelegationRevoked', identity.DelegationRevoked),

  schemeProposed: programmeEvent('scheme', 'proposed', 'SchemeProposed', programme.SchemeProposed),
  schemeAppraised: programmeEvent('scheme', 'appraised', 'SchemeAppraised', programme.SchemeAppraised),
  schemeApproved: programmeEvent('scheme', 'approved', 'SchemeApproved', programme.SchemeApproved),
  schemeRejected: programmeEvent('scheme', 'rejected', 'SchemeRejected', programme.SchemeRejected),
  schemeWithdrawn: programmeEvent('scheme', 'withdrawn', 'SchemeWithdrawn', programme.SchemeWithdrawn),
  schemeContracted: programmeEvent('scheme', 'contracted', 'SchemeContracted', programme.SchemeContracted),
  schemeMilestoneRecorded: programmeEvent(
    'scheme',
    'milestone_recorded',
    'SchemeMilestoneRecorded',
    programme.SchemeMilestoneRecorded,
  ),
  schemeDisbursed: programmeEvent('scheme', 'disbursed', 'SchemeDisbursed', programme.SchemeDisbursed),
  schemePledgeMatched: programmeEvent(
    'scheme',
    'pledge_matched',
    'SchemePledgeMatched',
    programme.SchemePledgeMatched,
  ),
  schemeAccepted: programmeEvent('scheme', 'accepted', 'SchemeAccepted', programme.SchemeAccepted),
  schemeSettled: programmeEvent('scheme', 'settled', 'SchemeSettled', programme.SchemeSettled),
  schemeCancelled: programmeEvent('scheme', 'cancelled', 'SchemeCancelled', programme.SchemeCancelled),
  budgetChanged: programmeEvent('budget', 'changed', 'BudgetChanged', programme.BudgetChanged),
  pledgeMade: programmeEvent('pledge', 'made', 'PledgeMade', programme.PledgeMade),
  pledgeMatched: programmeEvent('pledge', 'matched', 'PledgeMatched', programme.PledgeMatched),
  pledgeReceived: programmeEvent('pledge', 'received', 'PledgeReceived', programme.PledgeReceived),
  siteRegistered: programmeEvent('site', 'registered', 'SiteRegistered', programme.SiteRegistered),
  siteUpdated: programmeEvent('site', 'updated', 'SiteUpdated', programme.SiteUpdated),
  siteTreatmentChanged: programmeEvent(
    'site',
    'treatment_changed',
    'SiteTreatmentChanged',
    programme.SiteTreatmentChanged,
  ),
  planSet: programmeEvent('plan', 'set', 'PlanSet', programme.PlanSet),
  supportLineRuleSet: programmeEvent('rule', 'set', 'SupportLineRuleSet', programme.SupportLineRuleSet),
});

const byType = new Map<string, EventDefinition>(
  Object.values(Events).map((definition) => [definition.type, definition as EventDefinition]),
);

/** Looks an event definition up by its CloudEvents type; undefined for a type nobody declared. */
export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

export const eventCatalogue: readonly EventDefinition[] = [...byType.values()];

/** The dead-letter topic of a topic. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
