import { Events, enumCodec, type programmeEventsV1, programmeV1 } from '@lienket/contracts/messages';
import { mergeSchemeChange, type SchemeChange } from '../facts';
import { placeOf } from '../places';
import { type FactRule, rule, update } from './fact-update';

const supportLine = enumCodec(programmeV1.SupportLine, 'SUPPORT_LINE');
const schemeStatus = enumCodec(programmeV1.SchemeStatus, 'SCHEME_STATUS');

/** Statuses a scheme has only once approved into a plan. */
const approvedOrLater = new Set(['approved', 'contracted', 'implementing', 'accepted', 'settled']);

function schemeUpdate(facts: programmeEventsV1.SchemeFacts | undefined, at: Date, cancelled = false) {
  if (!facts) return [];
  const place = placeOf(facts.province);
  const f = facts.funding;
  const attributes = {
    province: place.province,
    region: place.region,
    line: supportLine.fromProto(facts.line) ?? 'unspecified',
    year: facts.year,
    costVnd: f?.cost?.vnd ?? 0,
    stateVnd: f?.state?.vnd ?? 0,
    counterpartVnd: f?.counterpart?.vnd ?? 0,
    sponsorVnd: f?.sponsor?.vnd ?? 0,
  };
  const status = schemeStatus.fromProto(facts.status) ?? '';
  const change: SchemeChange = {
    kind: cancelled ? 'cancelled' : approvedOrLater.has(status) ? 'approved' : 'seen',
    at,
  };
  return update('scheme', facts.schemeId, (fact) => mergeSchemeChange(fact, attributes, change));
}

/**
 * How the programme's scheme events merge into scheme facts (the money by source of the schemes
 * approved into plans). Its budget, pledge, site, plan and rule topics are not read: the scheme
 * events carry each scheme's funding mix.
 */
export const programmeRules: readonly FactRule[] = [
  rule(Events.schemeProposed, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeAppraised, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeApproved, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeRejected, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeWithdrawn, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeContracted, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeMilestoneRecorded, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeDisbursed, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemePledgeMatched, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeAccepted, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeSettled, (p, at) => schemeUpdate(p.facts, at)),
  rule(Events.schemeCancelled, (p, at) => schemeUpdate(p.facts, at, true)),
];
