import { type Constraints, chosen, id, MAX_VND, province, stringsOf, text, vnd, when } from './shapes';

const P = 'lienket.programme.v1';
// The programme's stateless rules (services/programme/src/domain: scheme.ts, funding.ts, budget.ts,
// pledge.ts, plan.ts, site.ts) as the document states them. What it cannot state stays 422: money
// that does not add up or breaks a support line's rule, a scheme's state, a budget's remainder, a
// pledge's one target among three fields.

const year = { type: 'integer', minimum: 2000, maximum: 2100 };
const reason = text(1, 2_000);
const optionalProvince = { type: 'string', pattern: `^$|${province.pattern}` };
const optionalId = { type: 'string', maxLength: 64, pattern: '^$|^[A-Za-z0-9_.:-]+$' };
const amount = (minimum: number) => ({ properties: { vnd: { type: 'integer', minimum, maximum: MAX_VND } } });
const count = { type: 'integer', minimum: 0 };

export const programmeConstraints: Record<string, Constraints> = {
  [`${P}.FundingMix`]: {
    fields: {
      cost: vnd(1),
      state: amount(0),
      stateSource: chosen(`${P}.FundingSource`),
      counterpart: amount(0),
      sponsor: amount(0),
    },
  },
  [`${P}.ProposeSchemeRequest`]: {
    fields: {
      title: text(3, 200),
      line: chosen(`${P}.SupportLine`),
      year,
      province,
      beneficiaryEnterpriseId: optionalId,
      siteId: optionalId,
      funding: { required: ['cost', 'stateSource'] },
    },
    message: {
      required: ['title', 'line', 'year', 'province', 'funding'],
      allOf: [
        // An establishment's scheme names its kind (a centre's own scheme names no beneficiary).
        when(
          {
            required: ['beneficiaryEnterpriseId'],
            properties: { beneficiaryEnterpriseId: { minLength: 1 } },
          },
          {
            required: ['beneficiaryKind'],
            properties: { beneficiaryKind: chosen('lienket.registry.v1.EnterpriseKind') },
          },
        ),
      ],
    },
  },
  [`${P}.ChecklistItem`]: { fields: { item: text(1, 200) } },
  [`${P}.AppraiseSchemeRequest`]: {
    fields: {
      checklist: { minItems: 1, maxItems: 50 },
      score: { minimum: 0, maximum: 100 },
      reasons: reason,
    },
    message: { required: ['checklist', 'score', 'reasons'] },
  },
  [`${P}.RejectSchemeRequest`]: { fields: { reason }, message: { required: ['reason'] } },
  [`${P}.CancelSchemeRequest`]: { fields: { reason }, message: { required: ['reason'] } },
  [`${P}.ContractSchemeRequest`]: {
    fields: { contractNumber: text(1, 100) },
    message: { required: ['contractNumber'] },
  },
  [`${P}.RecordMilestoneRequest`]: {
    fields: {
      milestoneId: id,
      title: text(1, 200),
      evidence: { ...stringsOf(text(1, 500), 20), minItems: 1 },
    },
    message: { required: ['milestoneId', 'title', 'evidence'] },
  },
  [`${P}.RecordDisbursementRequest`]: {
    fields: {
      source: { type: 'string', enum: ['state', 'counterpart'] },
      amount: vnd(1),
      reference: text(1, 100),
    },
    message: { required: ['source', 'amount', 'reference'] },
  },
  [`${P}.Outcomes`]: {
    fields: {
      jobs: count,
      output: amount(0),
      energySavedKwh: { type: 'integer', minimum: 0, maximum: MAX_VND },
      emissionsCutTonnesCo2e: { type: 'number', minimum: 0, maximum: MAX_VND },
      firmsReached: count,
    },
  },
  [`${P}.AcceptSchemeRequest`]: { message: { required: ['outcomes'] } },
  [`${P}.SetBudgetRequest`]: {
    fields: { year, source: chosen(`${P}.FundingSource`), province: optionalProvince, total: amount(0) },
    message: {
      required: ['year', 'source', 'total'],
      // A province's budget names its province.
      allOf: [
        when(
          { properties: { source: { const: 'FUNDING_SOURCE_PROVINCIAL' } } },
          { required: ['province'], properties: { province } },
        ),
      ],
    },
  },
  [`${P}.MakePledgeRequest`]: {
    fields: {
      sponsorId: id,
      sponsorName: text(2, 200),
      sponsorKind: chosen(`${P}.SponsorKind`),
      targetSchemeId: optionalId,
      targetProvince: optionalProvince,
      amount: vnd(1),
    },
    message: { required: ['sponsorId', 'sponsorName', 'sponsorKind', 'amount'] },
  },
  [`${P}.MatchPledgeRequest`]: { fields: { schemeId: id }, message: { required: ['schemeId'] } },
  [`${P}.PlanTarget`]: {
    fields: { line: chosen(`${P}.SupportLine`), schemes: count, state: amount(0), beneficiaries: count },
    message: { required: ['line'] },
  },
  [`${P}.SetPlanRequest`]: {
    fields: { year, province: optionalProvince, targets: { maxItems: 9 } },
    message: { required: ['year'] },
  },
  [`${P}.RegisterSiteRequest`]: {
    fields: {
      name: text(3, 200),
      province,
      operator: text(2, 200),
      areaHectares: { exclusiveMinimum: 0, maximum: 1_000_000 },
      occupancyPercent: { minimum: 0, maximum: 100 },
      tenantEnterpriseIds: stringsOf(id, 2_000),
      treatment: chosen(`${P}.TreatmentState`),
    },
    message: { required: ['name', 'province', 'operator', 'areaHectares', 'treatment'] },
  },
  [`${P}.UpdateSiteRequest`]: {
    fields: {
      operator: text(2, 200),
      occupancyPercent: { minimum: 0, maximum: 100 },
      tenantEnterpriseIds: stringsOf(id, 2_000),
    },
    message: { required: ['operator'] },
  },
  [`${P}.ChangeSiteTreatmentRequest`]: {
    fields: { treatment: chosen(`${P}.TreatmentState`), note: { maxLength: 2_000 } },
    message: { required: ['treatment'] },
  },
};
