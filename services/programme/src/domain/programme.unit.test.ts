import { AppError } from '@lienket/platform/errors';
import type { ProgrammeActor } from './actor';
import { budgetIdOf, reserve, setBudget } from './budget';
import { fundingViolations, nonStateShareBasisPoints } from './funding';
import type { FundingMix, Scheme, SupportLineRule } from './model';
import { supportLines } from './model';
import { planProgress, setPlan } from './plan';
import { makePledge, matchPledge, receivePledge } from './pledge';
import { provinceReport, requireReportReader } from './report';
import {
  acceptScheme,
  appraiseScheme,
  cancelScheme,
  claimApproval,
  completeApproval,
  contractScheme,
  maySeeScheme,
  type ProposalInput,
  proposeScheme,
  recordDisbursement,
  recordMilestone,
  rejectScheme,
  revertApproval,
  settleScheme,
  withdrawScheme,
} from './scheme';
import { changeTreatment, registerSite, treatmentAfterAcceptance } from './site';
import { defaultRules, ruleId, supportLineRule } from './support-lines';

const now = new Date('2026-03-01T08:00:00Z');
const HN = '01';
const BN = '24'; // Bắc Ninh (since 2025 with Bắc Giang)
const firm: ProgrammeActor = { kind: 'enterprise', enterpriseId: 'ent-1', subject: 'u-firm' };
const otherFirm: ProgrammeActor = { kind: 'enterprise', enterpriseId: 'ent-2', subject: 'u-other' };
const centreBN: ProgrammeActor = { kind: 'centre', province: BN, subject: 'u-centre-bn' };
const centreHN: ProgrammeActor = { kind: 'centre', province: HN, subject: 'u-centre-hn' };
const ministry: ProgrammeActor = { kind: 'ministry', subject: 'u-ministry' };
const analyst: ProgrammeActor = { kind: 'analyst', subject: 'u-analyst' };
const sponsor: ProgrammeActor = { kind: 'sponsor', sponsorId: 'sp-1', subject: 'u-sponsor' };

const rules = new Map<string, SupportLineRule>(
  [...defaultRules(2026, 'provincial', now), ...defaultRules(2026, 'national', now)].map((r) => [r.id, r]),
);
const ruleFor = (input: Pick<ProposalInput, 'line' | 'year'> & { funding: FundingMix }) =>
  rules.get(`${input.year}:${input.funding.stateSource}:${input.line}`);

/** A cleaner-production scheme of 1,000,000,000 VND: 400m provincial, 500m counterpart, 100m sponsors. */
const cleanerProduction = (over: Partial<ProposalInput> = {}): ProposalInput => ({
  title: 'Đánh giá và áp dụng sản xuất sạch hơn tại xưởng gốm',
  line: 'cleaner_production',
  year: 2026,
  province: BN,
  beneficiaryId: 'ent-1',
  beneficiaryKind: 'rural_industrial_establishment',
  siteId: '',
  pollutionTreatment: false,
  funding: {
    costVnd: 1_000_000_000,
    stateVnd: 400_000_000,
    stateSource: 'provincial',
    counterpartVnd: 500_000_000,
    sponsorVnd: 100_000_000,
  },
  ...over,
});

const propose = (input = cleanerProduction(), actor: ProgrammeActor = firm) =>
  proposeScheme(actor, input, ruleFor(input), 's-1', now);

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}
const reasons = (run: () => unknown) => errorOf(run).violations.map((v) => `${v.field}:${v.reason}`);

const passed = {
  checklist: [{ item: 'Hồ sơ đầy đủ', passed: true }],
  score: 82,
  reasons: 'Đạt',
  passed: true,
};

/** Carries a proposed scheme to approved (claim then complete, as the approval use case does). */
const approved = (scheme: Scheme, approver: ProgrammeActor = centreBN) => {
  const appraised = appraiseScheme(centreBN, scheme, passed, now);
  const claimed = claimApproval(approver, appraised, ruleFor(appraised), now);
  return completeApproval(claimed, now) as Scheme;
};

describe('support lines', () => {
  it('seeds a rule for each of the nine lines per year and funding source, keyed by all three', () => {
    const seeded = defaultRules(2027, 'national', now);
    expect(seeded.map((r) => r.line).sort()).toEqual([...supportLines].sort());
    expect(seeded.every((r) => r.id === ruleId(2027, 'national', r.line) && r.year === 2027)).toBe(true);
    expect(seeded.every((r) => r.capVnd > 0 && r.eligibleKinds.length > 0)).toBe(true);
  });

  it('refuses a rule with every bad field named', () => {
    expect(
      reasons(() =>
        supportLineRule(
          {
            line: 'fishing',
            year: 1990,
            source: 'commune',
            funds: [],
            capVnd: -1,
            minCounterpartPercent: 101,
            eligibleKinds: ['bank'],
          },
          'u',
          now,
        ),
      ),
    ).toEqual([
      'rule.line:unknown_support_line',
      'rule.source:unknown_funding_source',
      'rule.year:out_of_range',
      'rule.funds:out_of_range',
      'rule.capVnd:must_be_positive',
      'rule.minCounterpartPercent:out_of_range',
      'rule.eligibleKinds[0]:unknown_enterprise_kind',
    ]);
  });
});

describe('the funding mix', () => {
  const rule = rules.get('2026:provincial:cleaner_production') as SupportLineRule;

  it('stands when the parts add up exactly, within the cap and above the counterpart share', () => {
    expect(fundingViolations(cleanerProduction().funding, rule, 'cooperative')).toEqual([]);
  });

  it('refuses parts that do not add up to the cost, by one dong', () => {
    const funding = { ...cleanerProduction().funding, counterpartVnd: 499_999_999 };
    expect(fundingViolations(funding, rule, 'cooperative').map((v) => v.reason)).toEqual([
      'does_not_add_up',
      'below_counterpart_share',
    ]);
  });

  it('refuses a state share over the line’s cap, fractions of a dong, and a kind the line does not fund', () => {
    const over = {
      costVnd: 1_200_000_000,
      stateVnd: 600_000_000,
      stateSource: 'provincial' as const,
      counterpartVnd: 600_000_000,
      sponsorVnd: 0,
    };
    expect(fundingViolations(over, rule, 'research_institute').map((v) => `${v.field}:${v.reason}`)).toEqual([
      'funding.stateVnd:above_cap',
      'beneficiaryKind:kind_not_eligible',
    ]);
    expect(
      fundingViolations({ ...over, stateVnd: 0.5 }, rule, 'cooperative').map((v) => `${v.field}:${v.reason}`),
    ).toEqual(['funding.stateVnd:must_be_whole_vnd']);
  });

  it('computes the non-state share exactly, in basis points', () => {
    const a = cleanerProduction().funding; // 600m of 1,000m non-state
    const b = { costVnd: 3, stateVnd: 2, stateSource: 'national' as const, counterpartVnd: 1, sponsorVnd: 0 };
    expect(nonStateShareBasisPoints([a])).toBe(6000);
    expect(nonStateShareBasisPoints([a, b])).toBe(Math.floor((600_000_001 * 10_000) / 1_000_000_003));
    expect(nonStateShareBasisPoints([])).toBe(0);
  });
});

describe('proposing a scheme', () => {
  it('lets an establishment propose for itself, in the proposed state with its history', () => {
    const scheme = propose();
    expect(scheme).toMatchObject({
      status: 'proposed',
      proposedBy: 'enterprise',
      province: BN,
      beneficiaryId: 'ent-1',
    });
    expect(scheme.history).toEqual([{ status: 'proposed', by: 'u-firm', at: now }]);
  });

  it('refuses an establishment proposing for another, and roles that do not propose', () => {
    expect(errorOf(() => propose(cleanerProduction(), otherFirm)).code).toBe('NOT_OWN_ENTERPRISE');
    expect(errorOf(() => propose(cleanerProduction(), sponsor)).kind).toBe('PERMISSION_DENIED');
    expect(errorOf(() => propose(cleanerProduction(), analyst)).kind).toBe('PERMISSION_DENIED');
    expect(errorOf(() => propose(cleanerProduction({ beneficiaryId: '' }), centreHN)).code).toBe(
      'OTHER_PROVINCE',
    );
  });

  it('lets a centre propose its own scheme in its province', () => {
    const input = cleanerProduction({
      line: 'training',
      beneficiaryId: '',
      funding: {
        costVnd: 250_000_000,
        stateVnd: 250_000_000,
        stateSource: 'provincial',
        counterpartVnd: 0,
        sponsorVnd: 0,
      },
    });
    expect(propose(input, centreBN)).toMatchObject({
      proposedBy: 'centre',
      beneficiaryKind: 'promotion_centre',
    });
  });

  it('refuses an over-cap amount and money that does not add up with field errors', () => {
    const input = cleanerProduction({
      funding: {
        costVnd: 1_000_000_000,
        stateVnd: 600_000_000,
        stateSource: 'provincial',
        counterpartVnd: 500_000_000,
        sponsorVnd: 0,
      },
    });
    const error = errorOf(() => propose(input));
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'FUNDING_REFUSED' });
    expect(error.violations.map((v) => `${v.field}:${v.reason}`)).toEqual([
      'funding:does_not_add_up',
      'funding.stateVnd:above_cap',
    ]);
  });

  it('needs a rule for the line, year and source, and a site for cluster-site infrastructure', () => {
    expect(errorOf(() => proposeScheme(firm, cleanerProduction(), undefined, 's', now)).code).toBe(
      'NO_SUPPORT_LINE_RULE',
    );
    expect(errorOf(() => propose(cleanerProduction({ year: 2030 }))).code).toBe('NO_SUPPORT_LINE_RULE');
    expect(reasons(() => propose(cleanerProduction({ line: 'cluster_site_infrastructure' })))).toEqual([
      'siteId:required',
    ]);
    expect(reasons(() => propose(cleanerProduction({ pollutionTreatment: true, siteId: 'site-1' })))).toEqual(
      ['pollutionTreatment:line_not_cluster_site'],
    );
    expect(reasons(() => propose(cleanerProduction({ title: 'x', province: '99' })))).toEqual([
      'title:invalid_length',
      'province:unknown_province',
    ]);
  });
});

describe('the scheme’s life', () => {
  it('goes proposed → appraised → approved → contracted → implementing → accepted → settled, money from three sources', () => {
    let scheme = approved(propose());
    expect(scheme.status).toBe('approved');
    expect(scheme.budgetId).toBe(budgetIdOf(2026, 'provincial', BN));
    scheme = contractScheme(centreBN, scheme, 'HĐ-01/2026', now);
    scheme = recordMilestone(
      centreBN,
      scheme,
      { id: 'm1', title: 'Đánh giá SXSH', evidence: ['bao-cao.pdf'] },
      now,
    ) as Scheme;
    expect(scheme.status).toBe('implementing');
    scheme = recordDisbursement(
      centreBN,
      scheme,
      { id: 'd1', source: 'state', amountVnd: 400_000_000, reference: 'UNC-1' },
      now,
    ) as Scheme;
    scheme = recordDisbursement(
      centreBN,
      scheme,
      { id: 'd2', source: 'counterpart', amountVnd: 500_000_000, reference: 'UNC-2' },
      now,
    ) as Scheme;
    const pledge = makePledge(
      sponsor,
      {
        sponsorId: 'sp-1',
        sponsorName: 'Quỹ Xanh',
        sponsorKind: 'foreign_organisation',
        target: { schemeId: '', line: 'cleaner_production', province: '' },
        amountVnd: 100_000_000,
      },
      'p1',
      now,
    );
    const matched = matchPledge(centreBN, pledge, scheme, now);
    scheme = matched?.scheme as Scheme;
    const received = receivePledge(centreBN, matched?.pledge as never, scheme, now);
    scheme = received?.scheme as Scheme;
    expect(received?.pledge.status).toBe('received');
    const outcomes = {
      jobs: 12,
      outputVnd: 3_000_000_000,
      energySavedKwh: 45_000,
      emissionsCutTonnesCo2e: 31.5,
      firmsReached: 1,
    };
    scheme = acceptScheme(centreBN, scheme, outcomes, now);
    expect(scheme).toMatchObject({ status: 'accepted', outcomes });
    scheme = settleScheme(centreBN, scheme, now);
    expect(scheme.history.map((h) => h.status)).toEqual([
      'proposed',
      'appraised',
      'approving',
      'approved',
      'contracted',
      'implementing',
      'accepted',
      'settled',
    ]);
  });

  it('refuses illegal transitions with a status field error', () => {
    const scheme = propose();
    const error = errorOf(() => contractScheme(centreBN, scheme, 'HĐ', now));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
    expect(error.violations[0]).toMatchObject({ field: 'status', reason: 'illegal_transition' });
    expect(
      errorOf(() =>
        acceptScheme(
          centreBN,
          approved(scheme),
          { jobs: 0, outputVnd: 0, energySavedKwh: 0, emissionsCutTonnesCo2e: 0, firmsReached: 0 },
          now,
        ),
      ).code,
    ).toBe('ILLEGAL_TRANSITION');
    expect(errorOf(() => settleScheme(centreBN, scheme, now)).code).toBe('ILLEGAL_TRANSITION');
    expect(errorOf(() => withdrawScheme(firm, approved(scheme), now)).code).toBe('ILLEGAL_TRANSITION');
  });

  it('fails an appraisal into rejected with its reasons, and only passes with every item passed', () => {
    const failed = appraiseScheme(
      centreBN,
      propose(),
      { ...passed, passed: false, score: 40, reasons: 'Thiếu hồ sơ' },
      now,
    );
    expect(failed).toMatchObject({ status: 'rejected', decisionReason: 'Thiếu hồ sơ' });
    expect(
      reasons(() =>
        appraiseScheme(centreBN, propose(), { ...passed, checklist: [{ item: 'A', passed: false }] }, now),
      ),
    ).toEqual(['passed:checklist_not_passed']);
  });

  it('lets only the province’s centre appraise and approve provincial money, only the ministry national money', () => {
    expect(errorOf(() => appraiseScheme(centreHN, propose(), passed, now)).code).toBe('OTHER_PROVINCE');
    const appraised = appraiseScheme(centreBN, propose(), passed, now);
    expect(errorOf(() => claimApproval(ministry, appraised, ruleFor(appraised), now)).code).toBe(
      'OTHER_PROVINCE',
    );
    expect(errorOf(() => claimApproval(firm, appraised, ruleFor(appraised), now)).kind).toBe(
      'PERMISSION_DENIED',
    );
    const national = appraiseScheme(
      centreBN,
      propose(cleanerProduction({ funding: { ...cleanerProduction().funding, stateSource: 'national' } })),
      passed,
      now,
    );
    expect(errorOf(() => claimApproval(centreBN, national, ruleFor(national), now)).kind).toBe(
      'PERMISSION_DENIED',
    );
    expect(claimApproval(ministry, national, ruleFor(national), now)).toMatchObject({
      status: 'approving',
      budgetId: '2026:national',
    });
  });

  it('checks the money again under the rule in force at approval', () => {
    const appraised = appraiseScheme(centreBN, propose(), passed, now);
    const lowered = { ...(ruleFor(appraised) as SupportLineRule), capVnd: 300_000_000 };
    expect(reasons(() => claimApproval(centreBN, appraised, lowered, now))).toEqual([
      'funding.stateVnd:above_cap',
    ]);
  });

  it('reverts a claimed approval to appraised when the budget refuses it', () => {
    const claimed = claimApproval(
      centreBN,
      appraiseScheme(centreBN, propose(), passed, now),
      ruleFor(propose()),
      now,
    );
    expect(revertApproval(claimed, now)).toMatchObject({ status: 'appraised', budgetId: '', decidedBy: '' });
    expect(revertApproval(propose(), now)).toBeUndefined();
  });

  it('lets its proposer withdraw it, the centre reject it, and cancellation return the unpaid state share', () => {
    expect(withdrawScheme(firm, propose(), now).status).toBe('withdrawn');
    expect(errorOf(() => withdrawScheme(otherFirm, propose(), now)).kind).toBe('PERMISSION_DENIED');
    expect(rejectScheme(centreBN, propose(), 'Không phù hợp', now).status).toBe('rejected');
    let scheme = contractScheme(centreBN, approved(propose()), 'HĐ-2', now);
    scheme = recordDisbursement(
      centreBN,
      scheme,
      { id: 'd1', source: 'state', amountVnd: 150_000_000, reference: 'UNC' },
      now,
    ) as Scheme;
    const { next, releaseVnd } = cancelScheme(centreBN, scheme, 'Cơ sở ngừng sản xuất', now);
    expect(next.status).toBe('cancelled');
    expect(releaseVnd).toBe(250_000_000);
  });

  it('never pays a source more than its share, and the same payment twice changes nothing', () => {
    const scheme = contractScheme(centreBN, approved(propose()), 'HĐ-3', now);
    const once = recordDisbursement(
      centreBN,
      scheme,
      { id: 'd1', source: 'state', amountVnd: 300_000_000, reference: 'A' },
      now,
    ) as Scheme;
    expect(
      recordDisbursement(
        centreBN,
        once,
        { id: 'd1', source: 'state', amountVnd: 300_000_000, reference: 'A' },
        now,
      ),
    ).toBeUndefined();
    expect(
      reasons(() =>
        recordDisbursement(
          centreBN,
          once,
          { id: 'd2', source: 'state', amountVnd: 100_000_001, reference: 'B' },
          now,
        ),
      ),
    ).toEqual(['amountVnd:above_share']);
    expect(
      reasons(() =>
        recordDisbursement(
          centreBN,
          once,
          { id: 'd3', source: 'sponsor', amountVnd: 1, reference: 'C' },
          now,
        ),
      ),
    ).toEqual(['source:unknown_payment_source']);
  });

  it('refuses acceptance without a milestone and settlement when the money does not add up', () => {
    let scheme = contractScheme(centreBN, approved(propose()), 'HĐ-4', now);
    scheme = recordDisbursement(
      centreBN,
      scheme,
      { id: 'd1', source: 'state', amountVnd: 400_000_000, reference: 'A' },
      now,
    ) as Scheme;
    const zero = { jobs: 0, outputVnd: 0, energySavedKwh: 0, emissionsCutTonnesCo2e: 0, firmsReached: 0 };
    expect(reasons(() => acceptScheme(centreBN, scheme, { ...zero, jobs: -1 }, now))).toEqual([
      'outcomes.jobs:out_of_range',
      'milestones:no_milestone',
    ]);
    scheme = recordMilestone(
      centreBN,
      scheme,
      { id: 'm', title: 'Lắp đặt', evidence: ['anh.jpg'] },
      now,
    ) as Scheme;
    scheme = acceptScheme(centreBN, scheme, zero, now);
    expect(reasons(() => settleScheme(centreBN, scheme, now))).toEqual([
      'funding.counterpartVnd:does_not_add_up',
      'funding.sponsorVnd:does_not_add_up',
    ]);
  });

  it('shows a scheme to its beneficiary, its province’s centre, the ministry and its sponsors only', () => {
    const scheme = propose();
    expect(maySeeScheme(firm, scheme)).toBe(true);
    expect(maySeeScheme(centreBN, scheme)).toBe(true);
    expect(maySeeScheme(ministry, scheme)).toBe(true);
    expect(maySeeScheme(otherFirm, scheme)).toBe(false);
    expect(maySeeScheme(centreHN, scheme)).toBe(false);
    expect(maySeeScheme(analyst, scheme)).toBe(false);
    expect(maySeeScheme(sponsor, scheme)).toBe(false);
  });
});

describe('budgets', () => {
  it('are set by their holder and never fall below what is committed', () => {
    expect(
      errorOf(() =>
        setBudget(centreBN, undefined, { year: 2026, source: 'national', province: '', totalVnd: 1 }, now),
      ).kind,
    ).toBe('PERMISSION_DENIED');
    expect(
      errorOf(() =>
        setBudget(centreHN, undefined, { year: 2026, source: 'provincial', province: BN, totalVnd: 1 }, now),
      ).code,
    ).toBe('OTHER_PROVINCE');
    const budget = setBudget(
      centreBN,
      undefined,
      { year: 2026, source: 'provincial', province: BN, totalVnd: 1_000 },
      now,
    );
    expect(budget).toMatchObject({ id: '2026:provincial:24', availableVnd: 1_000, committedVnd: 0 });
    const held = reserve(budget, 's1', 700, now);
    expect(held).toMatchObject({ availableVnd: 300, committedVnd: 700 });
    expect(reserve(held as never, 's1', 700, now)).toBeUndefined();
    expect(errorOf(() => reserve(held as never, 's2', 301, now)).code).toBe('INSUFFICIENT_BUDGET');
    expect(
      reasons(() =>
        setBudget(centreBN, held, { year: 2026, source: 'provincial', province: BN, totalVnd: 699 }, now),
      ),
    ).toEqual(['totalVnd:below_committed']);
    expect(
      setBudget(centreBN, held, { year: 2026, source: 'provincial', province: BN, totalVnd: 2_000 }, now),
    ).toMatchObject({
      availableVnd: 1_300,
      committedVnd: 700,
    });
  });
});

describe('pledges', () => {
  const input = {
    sponsorId: 'sp-1',
    sponsorName: 'Quỹ Xanh',
    sponsorKind: 'domestic_organisation',
    target: { schemeId: '', line: '', province: BN },
    amountVnd: 60_000_000,
  };

  it('are made by the sponsor itself (or recorded by the ministry), with one target', () => {
    expect(makePledge(sponsor, input, 'p', now)).toMatchObject({ status: 'pledged', schemeId: '' });
    expect(makePledge(ministry, input, 'p', now).sponsorId).toBe('sp-1');
    expect(
      errorOf(() => makePledge({ ...sponsor, sponsorId: 'sp-2' } as ProgrammeActor, input, 'p', now)).kind,
    ).toBe('PERMISSION_DENIED');
    expect(errorOf(() => makePledge(firm, input, 'p', now)).kind).toBe('PERMISSION_DENIED');
    expect(
      reasons(() =>
        makePledge(
          sponsor,
          { ...input, target: { schemeId: 's', line: 'training', province: '' } },
          'p',
          now,
        ),
      ),
    ).toEqual(['target:one_target']);
  });

  it('are matched within the scheme’s sponsor share and their target only', () => {
    const scheme = propose();
    const first = matchPledge(centreBN, makePledge(sponsor, input, 'p1', now), scheme, now);
    expect(first?.scheme.pledges).toHaveLength(1);
    const second = makePledge(sponsor, input, 'p2', now);
    expect(reasons(() => matchPledge(centreBN, second, first?.scheme as Scheme, now))).toEqual([
      'amountVnd:above_sponsor_share',
    ]);
    const elsewhere = makePledge(
      sponsor,
      { ...input, amountVnd: 1, target: { schemeId: '', line: '', province: HN } },
      'p3',
      now,
    );
    expect(reasons(() => matchPledge(centreBN, elsewhere, scheme, now))).toEqual([
      'schemeId:outside_pledge_target',
    ]);
    expect(
      errorOf(() => matchPledge(centreHN, makePledge(sponsor, input, 'p4', now), scheme, now)).code,
    ).toBe('OTHER_PROVINCE');
    expect(matchPledge(centreBN, first?.pledge as never, first?.scheme as Scheme, now)).toBeUndefined();
  });
});

describe('plans and targets', () => {
  it('count committed schemes of the plan’s year and province by line against the targets', () => {
    const plan = setPlan(
      centreBN,
      undefined,
      {
        year: 2026,
        province: BN,
        targets: [{ line: 'cleaner_production', schemes: 4, stateVnd: 2_000_000_000, beneficiaries: 4 }],
      },
      now,
    );
    const done = approved(propose());
    const other = { ...approved(propose()), id: 's-2', beneficiaryId: 'ent-9' };
    const stillProposed = { ...propose(), id: 's-3' };
    expect(planProgress(plan, [done, other, stillProposed])).toEqual([
      {
        line: 'cleaner_production',
        target: plan.targets[0],
        schemes: 2,
        stateVnd: 800_000_000,
        beneficiaries: 2,
      },
    ]);
    expect(
      errorOf(() => setPlan(centreBN, undefined, { year: 2026, province: '', targets: [] }, now)).kind,
    ).toBe('PERMISSION_DENIED');
    expect(
      reasons(() =>
        setPlan(
          ministry,
          undefined,
          {
            year: 2026,
            province: '',
            targets: [{ line: 'x' as never, schemes: -1, stateVnd: 0, beneficiaries: 0 }],
          },
          now,
        ),
      ),
    ).toEqual(['targets[0].line:unknown_or_repeated_line', 'targets[0].schemes:out_of_range']);
  });
});

describe('industrial cluster sites', () => {
  const site = () =>
    registerSite(
      centreBN,
      {
        name: 'CCN Đông Thọ',
        province: BN,
        operator: 'Công ty Hạ tầng',
        areaHectares: 48.5,
        occupancyPercent: 72,
        tenantIds: ['ent-1'],
        treatment: 'degraded',
      },
      'site-1',
      now,
    );

  it('are registered by their province’s centre, with the treatment state in their history', () => {
    expect(site().treatmentHistory).toEqual([
      { state: 'degraded', at: now, by: 'u-centre-bn', schemeId: '', note: 'registered' },
    ]);
    expect(errorOf(() => registerSite(centreHN, { ...site(), treatment: 'none' }, 'x', now)).code).toBe(
      'OTHER_PROVINCE',
    );
  });

  it('move to operating once a pollution-treatment scheme of theirs is accepted, once', () => {
    const scheme = { siteId: 'site-1', pollutionTreatment: true, status: 'accepted' as const };
    const state = treatmentAfterAcceptance(scheme);
    expect(state).toBe('operating');
    const next = changeTreatment(
      site(),
      state as 'operating',
      { by: 'u', schemeId: 's-9', note: 'accepted' },
      now,
    );
    expect(next?.treatment).toBe('operating');
    expect(next?.treatmentHistory.map((h) => h.state)).toEqual(['degraded', 'operating']);
    expect(
      changeTreatment(next as never, 'operating', { by: 'u', schemeId: 's-9', note: 'again' }, now),
    ).toBeUndefined();
    expect(treatmentAfterAcceptance({ ...scheme, pollutionTreatment: false })).toBeUndefined();
  });
});

describe('the province report', () => {
  const at = (iso: string) => new Date(iso);
  const settledIn = (id: string, province: string, months: [string, string]): Scheme => ({
    ...propose(),
    id,
    province,
    beneficiaryId: `ent-${id}`,
    status: 'accepted',
    history: [
      { status: 'proposed', by: 'u', at: at(`2026-${months[0]}-01T00:00:00Z`) },
      { status: 'approved', by: 'u', at: at(`2026-${months[0]}-10T00:00:00Z`) },
      { status: 'accepted', by: 'u', at: at(`2026-${months[1]}-01T00:00:00Z`) },
    ],
    disbursements: [
      {
        id: 'd',
        source: 'state',
        amountVnd: 400_000_000,
        reference: 'r',
        recordedBy: 'u',
        recordedAt: at(`2026-${months[1]}-01T00:00:00Z`),
      },
    ],
    outcomes: { jobs: 3, outputVnd: 10, energySavedKwh: 5, emissionsCutTonnesCo2e: 1.5, firmsReached: 1 },
  });

  it('reads each scheme as it stood at the period’s end', () => {
    const early = settledIn('a', BN, ['02', '05']);
    const late = settledIn('b', BN, ['03', '10']);
    const elsewhere = settledIn('c', HN, ['02', '05']);
    const half = provinceReport(2026, BN, 'first_half', [early, late, elsewhere], []);
    expect(half.schemesByLineAndStatus).toEqual([
      { line: 'cleaner_production', status: 'accepted', schemes: 1 },
      { line: 'cleaner_production', status: 'approved', schemes: 1 },
    ]);
    expect(half.paid.stateVnd).toBe(400_000_000);
    expect(half.outcomes).toMatchObject({ schemesAccepted: 1, jobs: 3 });
    const year = provinceReport(2026, BN, 'year', [early, late, elsewhere], []);
    expect(year.committed).toMatchObject({
      costVnd: 2_000_000_000,
      stateProvincialVnd: 800_000_000,
      nonStateShareBasisPoints: 6000,
    });
    expect(year.outcomes).toMatchObject({ schemesAccepted: 2, jobs: 6, emissionsCutTonnesCo2e: 3 });
    expect(provinceReport(2026, '', 'year', [early, late, elsewhere], []).beneficiaries).toBe(3);
  });

  it('is read by the province’s centre, the ministry and analysts only', () => {
    expect(() => requireReportReader(centreBN, BN)).not.toThrow();
    expect(() => requireReportReader(analyst, '')).not.toThrow();
    expect(errorOf(() => requireReportReader(centreBN, '')).kind).toBe('PERMISSION_DENIED');
    expect(errorOf(() => requireReportReader(firm, BN)).kind).toBe('PERMISSION_DENIED');
  });
});
