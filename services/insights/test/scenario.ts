import {
  type EventDefinition,
  Events,
  matchmakingV1,
  registryEventsV1 as re,
  registryV1,
  techtransferEventsV1 as te,
  techtransferV1,
} from '@lienket/contracts';

/**
 * A small programme across seven provinces in five regions, August to October 2025, written as
 * plain specs. The integration test turns the specs into catalogued events and, separately,
 * computes every expected figure from the same specs.
 */

export const d = (monthDay: string, time = '03:00:00') => new Date(`2025-${monthDay}T${time}Z`);

export interface EnterpriseSpec {
  id: string;
  name: string;
  province: string;
  kind: registryV1.EnterpriseKind;
  supporting?: boolean;
  registeredAt: Date;
  renamedTo?: { name: string; at: Date };
  verification?: { status: 'verified' | 'rejected'; at: Date };
  /** Lead-firm decisions in order; the last one stands. */
  leadFirm?: { value: boolean; at: Date }[];
}

export interface NeedSpec {
  id: string;
  enterprise: string;
  province: string;
  category: string;
  vsic: string[];
  hs: string[];
  postedAt: Date;
  end?: { reason: 'fulfilled' | 'closed' | 'expired'; at: Date };
}

export interface CapabilitySpec {
  id: string;
  enterprise: string;
  province: string;
  vsic: string[];
  hs: string[];
  postedAt: Date;
  end?: { reason: 'withdrawn' | 'expired'; at: Date };
  renewals?: { validUntil: Date; at: Date }[];
}

export interface ProposalSpec {
  id: string;
  need: NeedSpec;
  capability: CapabilitySpec;
  proposedAt: Date;
  accepts: { side: 'buyer' | 'supplier'; at: Date }[];
  end?: { kind: 'established' | 'declined' | 'expired' | 'retracted'; at: Date };
  /** Publish its events newest first (a re-ordered delivery). */
  reversed?: boolean;
}

export interface UnmetSpec {
  need: NeedSpec;
  reason: 'no_match_above_threshold' | 'expired_unmatched';
  at: Date;
}

export interface OfferSpec {
  id: string;
  ownerProvince: string;
  vsic: string[];
  hs: string[];
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
  publishedAt: Date;
  withdrawnAt?: Date;
  renewed?: { validUntil: Date; at: Date };
}

export interface RequestSpec {
  id: string;
  province: string;
  vsic: string[];
  hs: string[];
  cleaner: boolean;
  postedAt: Date;
  closedAt?: Date;
}

export interface InterestSpec {
  id: string;
  offer: OfferSpec;
  interestedProvince: string;
  expressedAt: Date;
  acceptedAt?: Date;
  declinedAt?: Date;
  withdrawnAt?: Date;
  agreement?: { id: string; valueVnd: number; at: Date };
}

export interface ApplicationSpec {
  id: string;
  interest: InterestSpec;
  applicantProvince: string;
  amountVnd: number;
  requestedAt: Date;
  approvedAt?: Date;
  rejectedAt?: Date;
  disbursements: { id: string; amountVnd: number; at: Date }[];
}

export interface ClusterSpec {
  id: string;
  name: string;
  chain: string;
  formedAt: Date;
  members: { enterprise: string; province: string; joinedAt: Date; leftAt?: Date }[];
}

const K = registryV1.EnterpriseKind;

export const enterprises: EnterpriseSpec[] = [
  {
    id: 'e01',
    name: 'HTX Miến dong Na Rì',
    province: '19',
    kind: K.ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT,
    registeredAt: d('07-01'),
    verification: { status: 'verified', at: d('07-03') },
  },
  {
    id: 'e02',
    name: 'Công ty Bao bì Kinh Bắc',
    province: '24',
    kind: K.ENTERPRISE_KIND_ENTERPRISE,
    supporting: true,
    registeredAt: d('07-01'),
    renamedTo: { name: 'Công ty CP Bao bì Kinh Bắc', at: d('07-20') },
    verification: { status: 'verified', at: d('07-02') },
    leadFirm: [{ value: true, at: d('08-01') }],
  },
  {
    id: 'e03',
    name: 'Công ty Cơ khí Đông Anh',
    province: '01',
    kind: K.ENTERPRISE_KIND_ENTERPRISE,
    supporting: true,
    registeredAt: d('07-02'),
    verification: { status: 'verified', at: d('07-04') },
    leadFirm: [
      { value: true, at: d('08-01') },
      { value: false, at: d('09-15') },
    ],
  },
  {
    id: 'e04',
    name: 'Công ty Nhựa Sài Gòn',
    province: '79',
    kind: K.ENTERPRISE_KIND_ENTERPRISE,
    registeredAt: d('07-05'),
  },
  {
    id: 'e05',
    name: 'Cơ sở xay xát gạo Ô Môn',
    province: '92',
    kind: K.ENTERPRISE_KIND_HOUSEHOLD_BUSINESS,
    registeredAt: d('07-06'),
  },
  {
    id: 'e06',
    name: 'HTX Cà phê Ea Tu',
    province: '66',
    kind: K.ENTERPRISE_KIND_COOPERATIVE,
    registeredAt: d('07-07'),
  },
  {
    id: 'e07',
    name: 'Công ty Gỗ Nghi Lộc',
    province: '40',
    kind: K.ENTERPRISE_KIND_ENTERPRISE,
    registeredAt: d('07-08'),
  },
  {
    id: 'e08',
    name: 'Công ty Linh kiện Quế Võ',
    province: '24',
    kind: K.ENTERPRISE_KIND_ENTERPRISE,
    registeredAt: d('09-03'),
    verification: { status: 'rejected', at: d('09-10') },
  },
  {
    id: 'e09',
    name: 'Viện Công nghệ Môi trường',
    province: '01',
    kind: K.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
    registeredAt: d('07-01'),
  },
  {
    id: 'e10',
    name: 'Công ty Lâm sản Vinh',
    province: '40',
    kind: K.ENTERPRISE_KIND_ENTERPRISE,
    registeredAt: d('07-09'),
  },
  {
    id: 'e11',
    name: 'Công ty Chế biến nông sản Buôn Ma Thuột',
    province: '66',
    kind: K.ENTERPRISE_KIND_ENTERPRISE,
    registeredAt: d('07-10'),
  },
];

const need = (spec: NeedSpec) => spec;
export const n1 = need({
  id: 'n1',
  enterprise: 'e01',
  province: '19',
  category: 'material',
  vsic: ['1702'],
  hs: ['4819'],
  postedAt: d('08-05'),
  end: { reason: 'fulfilled', at: d('09-20') },
});
export const n2 = need({
  id: 'n2',
  enterprise: 'e05',
  province: '92',
  category: 'material',
  vsic: ['2220'],
  hs: ['3923'],
  postedAt: d('08-10'),
});
export const n3 = need({
  id: 'n3',
  enterprise: 'e06',
  province: '66',
  category: 'equipment',
  vsic: ['2825'],
  hs: ['8438'],
  postedAt: d('08-15'),
  end: { reason: 'fulfilled', at: d('09-20') },
});
export const n4 = need({
  id: 'n4',
  enterprise: 'e07',
  province: '40',
  category: 'outsourcing',
  vsic: ['1610'],
  hs: ['4407'],
  postedAt: d('09-01'),
  end: { reason: 'closed', at: d('09-25') },
});
export const n5 = need({
  id: 'n5',
  enterprise: 'e01',
  province: '19',
  category: 'material',
  vsic: ['1702'],
  hs: ['4819'],
  postedAt: d('09-10'),
});
export const n6 = need({
  id: 'n6',
  enterprise: 'e03',
  province: '01',
  category: 'component',
  vsic: ['2592'],
  hs: ['7318'],
  postedAt: d('10-02'),
});
export const n7 = need({
  id: 'n7',
  enterprise: 'e08',
  province: '24',
  category: 'component',
  vsic: ['2610'],
  hs: ['8542'],
  postedAt: d('10-05'),
});
export const n8 = need({
  id: 'n8',
  enterprise: 'e04',
  province: '79',
  category: 'material',
  vsic: ['2013'],
  hs: ['3102'],
  postedAt: d('08-25'),
  end: { reason: 'expired', at: d('10-25') },
});
export const needs = [n1, n2, n3, n4, n5, n6, n7, n8];

const capability = (spec: CapabilitySpec) => spec;
export const c1 = capability({
  id: 'c1',
  enterprise: 'e02',
  province: '24',
  vsic: ['1702'],
  hs: ['4819'],
  postedAt: d('08-01'),
  renewals: [
    { validUntil: d('12-31', '00:00:00'), at: d('09-05') },
    { validUntil: new Date('2026-06-30T00:00:00Z'), at: d('10-10') },
  ],
});
export const c2 = capability({
  id: 'c2',
  enterprise: 'e04',
  province: '79',
  vsic: ['2220'],
  hs: ['3923'],
  postedAt: d('08-03'),
});
export const c3 = capability({
  id: 'c3',
  enterprise: 'e03',
  province: '01',
  vsic: ['2825', '2592'],
  hs: ['8438', '7318'],
  postedAt: d('08-04'),
  end: { reason: 'withdrawn', at: d('10-15') },
});
export const c4 = capability({
  id: 'c4',
  enterprise: 'e10',
  province: '40',
  vsic: ['1610'],
  hs: ['4407'],
  postedAt: d('08-20'),
  end: { reason: 'expired', at: d('10-20') },
});
export const c5 = capability({
  id: 'c5',
  enterprise: 'e05',
  province: '92',
  vsic: ['1061'],
  hs: ['1006'],
  postedAt: d('09-05'),
});
export const c6 = capability({
  id: 'c6',
  enterprise: 'e11',
  province: '66',
  vsic: ['0126'],
  hs: ['0901'],
  postedAt: d('09-15'),
});
export const capabilities = [c1, c2, c3, c4, c5, c6];

export const proposals: ProposalSpec[] = [
  {
    id: 'p1',
    need: n1,
    capability: c1,
    proposedAt: d('08-06'),
    accepts: [
      { side: 'buyer', at: d('08-07') },
      { side: 'supplier', at: d('08-08') },
    ],
    end: { kind: 'established', at: d('08-08') },
  },
  {
    // Established at 01:00 on 1 September in Vietnam: a September linkage.
    id: 'p2',
    need: n2,
    capability: c2,
    proposedAt: d('08-11'),
    accepts: [
      { side: 'buyer', at: d('08-12') },
      { side: 'supplier', at: d('08-31', '18:00:00') },
    ],
    end: { kind: 'established', at: d('08-31', '18:00:00') },
  },
  {
    id: 'p3',
    need: n3,
    capability: c3,
    proposedAt: d('08-16'),
    accepts: [{ side: 'buyer', at: d('08-17') }],
    end: { kind: 'declined', at: d('08-18') },
  },
  {
    id: 'p4',
    need: n4,
    capability: c4,
    proposedAt: d('09-02'),
    accepts: [
      { side: 'supplier', at: d('09-03', '01:00:00') },
      { side: 'buyer', at: d('09-03') },
    ],
    end: { kind: 'established', at: d('09-03') },
  },
  {
    id: 'p5',
    need: n5,
    capability: c1,
    proposedAt: d('09-11'),
    accepts: [],
    end: { kind: 'expired', at: d('09-25') },
  },
  {
    id: 'p6',
    need: n6,
    capability: c2,
    proposedAt: d('10-03'),
    accepts: [{ side: 'supplier', at: d('10-04') }],
    end: { kind: 'retracted', at: d('10-15') },
  },
  { id: 'p7', need: n5, capability: c5, proposedAt: d('09-12'), accepts: [] },
  {
    id: 'p8',
    need: n4,
    capability: c3,
    proposedAt: d('09-02'),
    accepts: [{ side: 'buyer', at: d('09-04') }],
  },
  {
    id: 'p9',
    need: n6,
    capability: c1,
    proposedAt: d('10-03'),
    accepts: [
      { side: 'buyer', at: d('10-05') },
      { side: 'supplier', at: d('10-06') },
    ],
    end: { kind: 'established', at: d('10-06') },
    reversed: true,
  },
  {
    id: 'p10',
    need: n3,
    capability: c6,
    proposedAt: d('09-16'),
    accepts: [
      { side: 'buyer', at: d('09-17') },
      { side: 'supplier', at: d('09-18') },
    ],
    end: { kind: 'established', at: d('09-18') },
  },
];

export const unmet: UnmetSpec[] = [
  { need: n3, reason: 'no_match_above_threshold', at: d('08-15') },
  { need: n7, reason: 'no_match_above_threshold', at: d('10-05') },
  { need: n8, reason: 'no_match_above_threshold', at: d('08-25') },
  { need: n8, reason: 'expired_unmatched', at: d('10-25') },
];

export const o1: OfferSpec = {
  id: 'o1',
  ownerProvince: '01',
  vsic: ['3700'],
  hs: [],
  cleanerProduction: false,
  pollutionTreatment: true,
  publishedAt: d('08-02'),
  renewed: { validUntil: new Date('2026-08-01T00:00:00Z'), at: d('10-01') },
};
export const o2: OfferSpec = {
  id: 'o2',
  ownerProvince: '79',
  vsic: ['2220'],
  hs: ['3923'],
  cleanerProduction: false,
  pollutionTreatment: false,
  publishedAt: d('08-15'),
};
export const o3: OfferSpec = {
  id: 'o3',
  ownerProvince: '24',
  vsic: ['1702'],
  hs: ['4819'],
  cleanerProduction: true,
  pollutionTreatment: false,
  publishedAt: d('09-03'),
  withdrawnAt: d('10-01'),
};
export const o4: OfferSpec = {
  id: 'o4',
  ownerProvince: '92',
  vsic: ['1061'],
  hs: ['1006'],
  cleanerProduction: false,
  pollutionTreatment: false,
  publishedAt: d('10-04'),
};
export const offers = [o1, o2, o3, o4];

export const requests: RequestSpec[] = [
  { id: 'r1', province: '19', vsic: ['1702'], hs: ['4819'], cleaner: true, postedAt: d('08-20') },
  {
    id: 'r2',
    province: '92',
    vsic: ['3700'],
    hs: [],
    cleaner: true,
    postedAt: d('09-01'),
    closedAt: d('10-01'),
  },
  { id: 'r3', province: '66', vsic: ['2825'], hs: ['8438'], cleaner: false, postedAt: d('09-20') },
];

export const i1: InterestSpec = {
  id: 'i1',
  offer: o1,
  interestedProvince: '92',
  expressedAt: d('08-05'),
  acceptedAt: d('08-06'),
  agreement: { id: 'ag1', valueVnd: 600_000_000, at: d('08-20') },
};
export const i2: InterestSpec = {
  id: 'i2',
  offer: o1,
  interestedProvince: '66',
  expressedAt: d('09-02'),
  declinedAt: d('09-05'),
};
export const i3: InterestSpec = {
  id: 'i3',
  offer: o2,
  interestedProvince: '19',
  expressedAt: d('08-20'),
  acceptedAt: d('08-21'),
  agreement: { id: 'ag2', valueVnd: 400_000_000, at: d('09-10') },
};
export const i4: InterestSpec = {
  id: 'i4',
  offer: o3,
  interestedProvince: '40',
  expressedAt: d('09-10'),
  withdrawnAt: d('09-12'),
};
export const i5: InterestSpec = {
  id: 'i5',
  offer: o3,
  interestedProvince: '19',
  expressedAt: d('09-15'),
  acceptedAt: d('09-16'),
  agreement: { id: 'ag3', valueVnd: 300_000_000, at: d('10-02') },
};
export const interests = [i1, i2, i3, i4, i5];

export const applications: ApplicationSpec[] = [
  {
    id: 'a1',
    interest: i1,
    applicantProvince: '92',
    amountVnd: 200_000_000,
    requestedAt: d('08-21'),
    approvedAt: d('08-22'),
    disbursements: [
      { id: 'd1', amountVnd: 120_000_000, at: d('09-01') },
      { id: 'd2', amountVnd: 80_000_000, at: d('10-01') },
    ],
  },
  {
    id: 'a2',
    interest: i3,
    applicantProvince: '19',
    amountVnd: 150_000_000,
    requestedAt: d('09-11'),
    rejectedAt: d('09-15'),
    disbursements: [],
  },
  {
    id: 'a3',
    interest: i5,
    applicantProvince: '19',
    amountVnd: 100_000_000,
    requestedAt: d('10-03'),
    approvedAt: d('10-05'),
    disbursements: [],
  },
];

export const clusters: ClusterSpec[] = [
  {
    id: 'k1',
    name: 'Chuỗi bao bì giấy Bắc Ninh – Thái Nguyên',
    chain: '17',
    formedAt: d('08-01'),
    members: [
      { enterprise: 'e02', province: '24', joinedAt: d('08-01') },
      { enterprise: 'e01', province: '19', joinedAt: d('08-10') },
      { enterprise: 'e08', province: '24', joinedAt: d('09-05'), leftAt: d('10-01') },
    ],
  },
  {
    id: 'k2',
    name: 'Chuỗi cà phê Đắk Lắk',
    chain: '01',
    formedAt: d('09-01'),
    members: [
      { enterprise: 'e06', province: '66', joinedAt: d('09-01') },
      { enterprise: 'e11', province: '66', joinedAt: d('09-20') },
    ],
  },
];

// ---- the events ----------------------------------------------------------------------------------

export interface Planned {
  definition: EventDefinition;
  payload: unknown;
  key: string;
  time: Date;
}

const planned = <T>(definition: EventDefinition<T>, payload: T, key: string, time: Date): Planned => ({
  definition: definition as EventDefinition,
  payload,
  key,
  time,
});

const categoryOf = (category: string) =>
  registryV1.NeedCategory[`NEED_CATEGORY_${category.toUpperCase()}` as keyof typeof registryV1.NeedCategory];

function enterpriseEvents(e: EnterpriseSpec): Planned[] {
  const profile = (version: number, name: string, updatedAt: Date) =>
    registryV1.Enterprise.fromPartial({
      id: e.id,
      name,
      kind: e.kind,
      supportingIndustry: e.supporting ?? false,
      province: { code: e.province },
      verification: { status: registryV1.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED },
      version,
      createdAt: e.registeredAt,
      updatedAt,
    });
  const events = [
    planned(
      Events.enterpriseRegistered,
      re.EnterpriseRegistered.fromPartial({ enterprise: profile(1, e.name, e.registeredAt) }),
      e.id,
      e.registeredAt,
    ),
  ];
  if (e.verification) {
    const { status, at } = e.verification;
    events.push(
      status === 'verified'
        ? planned(
            Events.enterpriseVerified,
            { enterpriseId: e.id, province: e.province, decidedBy: 'officer' },
            e.id,
            at,
          )
        : planned(
            Events.enterpriseRejected,
            { enterpriseId: e.id, province: e.province, reason: 'hồ sơ sai', decidedBy: 'officer' },
            e.id,
            at,
          ),
    );
  }
  if (e.renamedTo) {
    // A profile update carries the unverified status of its snapshot time; the later decision stands.
    events.push(
      planned(
        Events.enterpriseUpdated,
        re.EnterpriseUpdated.fromPartial({
          enterprise: {
            ...profile(2, e.renamedTo.name, e.renamedTo.at),
            verification: { status: registryV1.VerificationStatus.VERIFICATION_STATUS_VERIFIED },
          },
          changedFields: ['name'],
        }),
        e.id,
        e.renamedTo.at,
      ),
    );
  }
  for (const decision of e.leadFirm ?? [])
    events.push(
      planned(
        Events.leadFirmDesignated,
        { enterpriseId: e.id, province: e.province, leadFirm: decision.value, decidedBy: 'officer' },
        e.id,
        decision.at,
      ),
    );
  return events.sort((a, b) => a.time.getTime() - b.time.getTime());
}

function needEvents(n: NeedSpec): Planned[] {
  const events = [
    planned(
      Events.needPosted,
      re.NeedPosted.fromPartial({
        need: {
          id: n.id,
          enterpriseId: n.enterprise,
          title: `need ${n.id}`,
          category: categoryOf(n.category),
          province: n.province,
          vsicCodes: n.vsic,
          hsCodes: n.hs,
          status: registryV1.NeedStatus.NEED_STATUS_OPEN,
          createdAt: n.postedAt,
        },
      }),
      n.id,
      n.postedAt,
    ),
  ];
  if (n.end) {
    const ids = { needId: n.id, enterpriseId: n.enterprise };
    if (n.end.reason === 'fulfilled') events.push(planned(Events.needFulfilled, ids, n.id, n.end.at));
    if (n.end.reason === 'closed')
      events.push(planned(Events.needClosed, { ...ids, reason: 'tự đóng' }, n.id, n.end.at));
    if (n.end.reason === 'expired') {
      events.push(
        planned(
          Events.needExpiring,
          { ...ids, validUntil: n.end.at },
          n.id,
          new Date(n.end.at.getTime() - 86_400_000),
        ),
      );
      events.push(planned(Events.needExpired, ids, n.id, n.end.at));
    }
  }
  return events;
}

function capabilityEvents(c: CapabilitySpec): Planned[] {
  const events = [
    planned(
      Events.capabilityPosted,
      re.CapabilityPosted.fromPartial({
        capability: {
          id: c.id,
          enterpriseId: c.enterprise,
          title: `capability ${c.id}`,
          province: c.province,
          vsicCodes: c.vsic,
          hsCodes: c.hs,
          status: registryV1.CapabilityStatus.CAPABILITY_STATUS_OPEN,
          createdAt: c.postedAt,
        },
      }),
      c.id,
      c.postedAt,
    ),
  ];
  for (const r of c.renewals ?? [])
    events.push(
      planned(
        Events.capabilityRenewed,
        { capabilityId: c.id, enterpriseId: c.enterprise, validUntil: r.validUntil },
        c.id,
        r.at,
      ),
    );
  if (c.end?.reason === 'withdrawn')
    events.push(
      planned(
        Events.capabilityWithdrawn,
        { capabilityId: c.id, enterpriseId: c.enterprise, reason: 'ngừng' },
        c.id,
        c.end.at,
      ),
    );
  if (c.end?.reason === 'expired')
    events.push(
      planned(Events.capabilityExpired, { capabilityId: c.id, enterpriseId: c.enterprise }, c.id, c.end.at),
    );
  return events.sort((a, b) => a.time.getTime() - b.time.getTime());
}

export function linkagePayload(p: ProposalSpec) {
  return {
    proposalId: p.id,
    needId: p.need.id,
    capabilityId: p.capability.id,
    buyerEnterpriseId: p.need.enterprise,
    supplierEnterpriseId: p.capability.enterprise,
    buyerProvince: p.need.province,
    supplierProvince: p.capability.province,
    hsCodes: p.need.hs,
    vsicCodes: p.need.vsic,
    category: p.need.category,
    score: 0.8,
  };
}

export function proposalEvents(p: ProposalSpec): Planned[] {
  const events = [
    planned(
      Events.matchProposed,
      {
        proposal: matchmakingV1.Proposal.fromPartial({
          id: p.id,
          needId: p.need.id,
          capabilityId: p.capability.id,
          buyerEnterpriseId: p.need.enterprise,
          supplierEnterpriseId: p.capability.enterprise,
          buyerProvince: p.need.province,
          supplierProvince: p.capability.province,
          score: 0.8,
          status: matchmakingV1.ProposalStatus.PROPOSAL_STATUS_PROPOSED,
          createdAt: p.proposedAt,
          hsCodes: p.need.hs,
          vsicCodes: p.need.vsic,
          category: p.need.category,
          triggeredBy: 'need',
        }),
      },
      p.id,
      p.proposedAt,
    ),
  ];
  for (const a of p.accepts)
    events.push(
      planned(
        Events.matchAccepted,
        {
          proposalId: p.id,
          enterpriseId: a.side === 'buyer' ? p.need.enterprise : p.capability.enterprise,
          side: a.side,
        },
        p.id,
        a.at,
      ),
    );
  if (p.end?.kind === 'established')
    events.push(planned(Events.linkageEstablished, linkagePayload(p), p.id, p.end.at));
  if (p.end?.kind === 'declined')
    events.push(
      planned(
        Events.matchDeclined,
        {
          proposalId: p.id,
          enterpriseId: p.capability.enterprise,
          side: 'supplier',
          reason: 'không đủ năng lực',
        },
        p.id,
        p.end.at,
      ),
    );
  if (p.end?.kind === 'expired')
    events.push(planned(Events.matchExpired, { proposalId: p.id }, p.id, p.end.at));
  if (p.end?.kind === 'retracted')
    events.push(planned(Events.matchRetracted, { proposalId: p.id, reason: 'need_closed' }, p.id, p.end.at));
  events.sort((a, b) => a.time.getTime() - b.time.getTime());
  return p.reversed ? events.reverse() : events;
}

export function unmetEvent(u: UnmetSpec): Planned {
  return planned(
    Events.demandUnmet,
    {
      needId: u.need.id,
      enterpriseId: u.need.enterprise,
      province: u.need.province,
      hsCodes: u.need.hs,
      vsicCodes: u.need.vsic,
      category: u.need.category,
      reason: u.reason,
    },
    u.need.id,
    u.at,
  );
}

function offerEvents(o: OfferSpec): Planned[] {
  const events = [
    planned(
      Events.offerPublished,
      te.OfferPublished.fromPartial({
        offer: {
          id: o.id,
          ownerProvince: o.ownerProvince,
          ownerKind: 'enterprise',
          anonymous: o.id === 'o2',
          title: `offer ${o.id}`,
          vsicCodes: o.vsic,
          hsCodes: o.hs,
          cleanerProduction: o.cleanerProduction,
          pollutionTreatment: o.pollutionTreatment,
          status: techtransferV1.OfferStatus.OFFER_STATUS_PUBLISHED,
          publishedAt: o.publishedAt,
        },
      }),
      o.id,
      o.publishedAt,
    ),
  ];
  if (o.renewed)
    events.push(
      planned(Events.offerRenewed, { offerId: o.id, validUntil: o.renewed.validUntil }, o.id, o.renewed.at),
    );
  if (o.withdrawnAt)
    events.push(planned(Events.offerWithdrawn, { offerId: o.id, reason: 'rút' }, o.id, o.withdrawnAt));
  return events;
}

function requestEvents(r: RequestSpec): Planned[] {
  const events = [
    planned(
      Events.requestPosted,
      te.RequestPosted.fromPartial({
        request: {
          id: r.id,
          province: r.province,
          title: `request ${r.id}`,
          vsicCodes: r.vsic,
          hsCodes: r.hs,
          cleanerProduction: r.cleaner,
          source: techtransferV1.RequestSource.REQUEST_SOURCE_DIRECT,
        },
      }),
      r.id,
      r.postedAt,
    ),
  ];
  if (r.closedAt)
    events.push(planned(Events.requestClosed, { requestId: r.id, reason: 'closed' }, r.id, r.closedAt));
  return events;
}

export function interestFacts(i: InterestSpec) {
  return te.InterestFacts.fromPartial({
    interestId: i.id,
    offerId: i.offer.id,
    ownerProvince: i.offer.ownerProvince,
    interestedEnterpriseId: `adopter-${i.id}`,
    interestedProvince: i.interestedProvince,
    vsicCodes: i.offer.vsic,
    hsCodes: i.offer.hs,
    cleanerProduction: i.offer.cleanerProduction,
    pollutionTreatment: i.offer.pollutionTreatment,
  });
}

export function agreementEvent(i: InterestSpec, at?: Date): Planned {
  const a = i.agreement as NonNullable<InterestSpec['agreement']>;
  return planned(
    Events.agreementSigned,
    te.AgreementSigned.fromPartial({
      facts: interestFacts(i),
      agreementId: a.id,
      type: techtransferV1.AgreementType.AGREEMENT_TYPE_LICENCE,
      value: { vnd: a.valueVnd },
    }),
    i.id,
    at ?? a.at,
  );
}

function interestEvents(i: InterestSpec): Planned[] {
  const facts = interestFacts(i);
  const events = [
    planned(Events.interestExpressed, { facts, respondBy: undefined }, i.id, i.expressedAt),
    planned(
      Events.interestReminder,
      { facts, action: 'respond', waitingOn: 'owner', due: undefined },
      i.id,
      new Date(i.expressedAt.getTime() + 3_600_000),
    ),
  ];
  if (i.acceptedAt) events.push(planned(Events.interestAccepted, { facts }, i.id, i.acceptedAt));
  if (i.declinedAt)
    events.push(planned(Events.interestDeclined, { facts, reason: 'không phù hợp' }, i.id, i.declinedAt));
  if (i.withdrawnAt) events.push(planned(Events.interestWithdrawn, { facts }, i.id, i.withdrawnAt));
  if (i.agreement) events.push(agreementEvent(i));
  return events;
}

export function coFacts(a: ApplicationSpec) {
  return te.CoFundingFacts.fromPartial({
    applicationId: a.id,
    programmeId: 'g1',
    agreementId: a.interest.agreement?.id ?? '',
    applicantEnterpriseId: `adopter-${a.interest.id}`,
    applicantProvince: a.applicantProvince,
    amount: { vnd: a.amountVnd },
    vsicCodes: a.interest.offer.vsic,
    cleanerProduction: a.interest.offer.cleanerProduction || a.interest.offer.pollutionTreatment,
  });
}

export function disbursementEvent(a: ApplicationSpec, index: number, at?: Date): Planned {
  const disbursement = a.disbursements[index] as ApplicationSpec['disbursements'][number];
  const total = a.disbursements.slice(0, index + 1).reduce((sum, x) => sum + x.amountVnd, 0);
  return planned(
    Events.coFundingDisbursed,
    te.CoFundingDisbursed.fromPartial({
      facts: coFacts(a),
      disbursementId: disbursement.id,
      disbursed: { vnd: disbursement.amountVnd },
      disbursedTotal: { vnd: total },
    }),
    a.id,
    at ?? disbursement.at,
  );
}

function applicationEvents(a: ApplicationSpec): Planned[] {
  const facts = coFacts(a);
  const events = [
    planned(
      Events.coFundingRequested,
      { facts, agreementValue: { vnd: a.interest.agreement?.valueVnd ?? 0 } },
      a.id,
      a.requestedAt,
    ),
  ];
  if (a.approvedAt)
    events.push(planned(Events.coFundingApproved, { facts, decidedBy: 'officer' }, a.id, a.approvedAt));
  if (a.rejectedAt)
    events.push(
      planned(
        Events.coFundingRejected,
        { facts, decidedBy: 'officer', reason: 'hết hạn mức' },
        a.id,
        a.rejectedAt,
      ),
    );
  a.disbursements.forEach((_, index) => {
    events.push(disbursementEvent(a, index));
  });
  return events;
}

function programmeEvents(): Planned[] {
  const change = (change: string, committed: number, disbursed: number, at: Date) =>
    planned(
      Events.programmeBudgetChanged,
      te.ProgrammeBudgetChanged.fromPartial({
        programmeId: 'g1',
        name: 'Khuyến công quốc gia 2025',
        funderKind: techtransferV1.FunderKind.FUNDER_KIND_NATIONAL_FUND,
        change,
        budget: { vnd: 2_000_000_000 },
        available: { vnd: 2_000_000_000 - committed },
        committed: { vnd: committed },
        disbursed: { vnd: disbursed },
      }),
      'g1',
      at,
    );
  return [
    change('opened', 0, 0, d('07-15')),
    change('committed', 200_000_000, 0, d('08-22')),
    change('disbursed', 200_000_000, 120_000_000, d('09-01')),
  ];
}

function clusterEvents(k: ClusterSpec): Planned[] {
  const [anchor, ...others] = k.members;
  const events = [
    planned(
      Events.clusterFormed,
      re.ClusterFormed.fromPartial({
        cluster: {
          id: k.id,
          name: k.name,
          chain: k.chain,
          anchorEnterpriseId: anchor?.enterprise ?? '',
          members: anchor
            ? [{ enterpriseId: anchor.enterprise, province: anchor.province, joinedAt: anchor.joinedAt }]
            : [],
          createdAt: k.formedAt,
        },
      }),
      k.id,
      k.formedAt,
    ),
  ];
  for (const m of others) {
    events.push(
      planned(
        Events.clusterMemberJoined,
        { clusterId: k.id, enterpriseId: m.enterprise, province: m.province },
        k.id,
        m.joinedAt,
      ),
    );
    if (m.leftAt)
      events.push(
        planned(
          Events.clusterMemberLeft,
          { clusterId: k.id, enterpriseId: m.enterprise, province: m.province },
          k.id,
          m.leftAt,
        ),
      );
  }
  return events;
}

/** Every event of the scenario, each aggregate's in its own order. */
export function scenarioEvents(): Planned[] {
  return [
    ...enterprises.flatMap(enterpriseEvents),
    ...needs.flatMap(needEvents),
    ...capabilities.flatMap(capabilityEvents),
    ...clusters.flatMap(clusterEvents),
    ...proposals.flatMap(proposalEvents),
    ...unmet.map(unmetEvent),
    ...offers.flatMap(offerEvents),
    ...requests.flatMap(requestEvents),
    ...interests.flatMap(interestEvents),
    ...programmeEvents(),
    ...applications.flatMap(applicationEvents),
  ];
}
