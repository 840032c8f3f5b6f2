/** The programme's own work: support lines, schemes and their money, budgets, pledges, plans, sites. */

/** The nine support lines (nội dung khuyến công) a scheme is proposed under. */
export const supportLines = [
  'training',
  'machinery_technology',
  'demonstration_model',
  'cleaner_production',
  'product_development',
  'trade_promotion',
  'consulting',
  'linkage_cluster',
  'cluster_site_infrastructure',
] as const;
export type SupportLine = (typeof supportLines)[number];

/** Each line's name, as people read it in messages (the portal keeps its own copy for its pages). */
export const supportLineNames: Record<SupportLine, { vi: string; en: string }> = {
  training: { vi: 'Đào tạo nghề, nâng cao tay nghề', en: 'Vocational training and skills' },
  machinery_technology: {
    vi: 'Máy móc thiết bị tiên tiến, chuyển giao công nghệ',
    en: 'Advanced machinery, technology transfer',
  },
  demonstration_model: { vi: 'Mô hình trình diễn kỹ thuật', en: 'Technical demonstration models' },
  cleaner_production: { vi: 'Sản xuất sạch hơn', en: 'Cleaner production' },
  product_development: { vi: 'Phát triển sản phẩm', en: 'Product development' },
  trade_promotion: { vi: 'Xúc tiến thương mại', en: 'Trade promotion' },
  consulting: { vi: 'Tư vấn, thông tin', en: 'Consulting and information' },
  linkage_cluster: { vi: 'Liên kết, cụm liên kết ngành', en: 'Linkage and value-chain clusters' },
  cluster_site_infrastructure: {
    vi: 'Hạ tầng cụm công nghiệp, xử lý ô nhiễm',
    en: 'Cluster-site infrastructure, pollution treatment',
  },
};

/** An amount as people read it in a message: 500,000,000 VND / 500.000.000 đồng. */
export const vndText = {
  en: (vnd: number) => `${vnd.toLocaleString('en-US')} VND`,
  vi: (vnd: number) => `${vnd.toLocaleString('en-US').replaceAll(',', '.')} đồng`,
};

/** Where a scheme's state share comes from: the ministry's national budget or the province's own. */
export const fundingSources = ['national', 'provincial'] as const;
export type FundingSource = (typeof fundingSources)[number];

/** Who may benefit from a line: the registry's enterprise kinds. */
export const enterpriseKinds = [
  'enterprise',
  'cooperative',
  'household_business',
  'rural_industrial_establishment',
  'research_institute',
  'promotion_centre',
] as const;
export type EnterpriseKind = (typeof enterpriseKinds)[number];

/**
 * The rules of one support line for one year and one funding source: reference data, stored and
 * changed by the ministry, never constants in code (the defaults only seed an empty store).
 */
export interface SupportLineRule {
  /** `<year>:<source>:<line>`. */
  id: string;
  line: SupportLine;
  year: number;
  source: FundingSource;
  /** What the line pays for, in words (e.g. "trainers, materials"). */
  funds: string[];
  /** The most state money one scheme may get under this rule, in VND. */
  capVnd: number;
  /** The beneficiary's counterpart must be at least this share of the scheme's cost (whole percent). */
  minCounterpartPercent: number;
  eligibleKinds: EnterpriseKind[];
  updatedBy: string;
  updatedAt: Date;
  version: number;
}

export const schemeStatuses = [
  'proposed',
  'appraised',
  'approving',
  'approved',
  'contracted',
  'implementing',
  'accepted',
  'settled',
  'rejected',
  'withdrawn',
  'cancelled',
] as const;
export type SchemeStatus = (typeof schemeStatuses)[number];

export interface ChecklistItem {
  item: string;
  passed: boolean;
}

export interface Appraisal {
  checklist: ChecklistItem[];
  /** 0 to 100. */
  score: number;
  reasons: string;
  passed: boolean;
  by: string;
  at: Date;
}

/** The money of a scheme: cost = state + counterpart + sponsors, each a whole number of VND. */
export interface FundingMix {
  costVnd: number;
  stateVnd: number;
  stateSource: FundingSource;
  counterpartVnd: number;
  sponsorVnd: number;
}

/** Payments recorded on a scheme; sponsors' money arrives as received pledges (Pledge). */
export const paymentSources = ['state', 'counterpart'] as const;
export type PaymentSource = (typeof paymentSources)[number];

export interface Milestone {
  id: string;
  title: string;
  evidence: string[];
  recordedBy: string;
  recordedAt: Date;
}

export interface Disbursement {
  /** Derived from the scheme and the payment reference: the same reference is the same payment. */
  id: string;
  source: PaymentSource;
  amountVnd: number;
  reference: string;
  recordedBy: string;
  recordedAt: Date;
}

/** Measured at acceptance (nghiệm thu). */
export interface Outcomes {
  jobs: number;
  outputVnd: number;
  energySavedKwh: number;
  emissionsCutTonnesCo2e: number;
  firmsReached: number;
}

export interface MatchedPledge {
  pledgeId: string;
  sponsorId: string;
  sponsorKind: SponsorKind;
  amountVnd: number;
  status: 'pledged' | 'received';
  receivedAt: Date | null;
}

export interface SchemeTransition {
  status: SchemeStatus;
  by: string;
  at: Date;
}

export interface Scheme {
  id: string;
  title: string;
  line: SupportLine;
  year: number;
  province: string;
  /** `enterprise` for an establishment proposing for itself, `centre` for the province's promotion centre. */
  proposedBy: 'enterprise' | 'centre';
  /** The establishment that benefits (a registry id); empty for a centre's own scheme. */
  beneficiaryId: string;
  beneficiaryKind: EnterpriseKind;
  /** An industrial cluster site the scheme treats (cluster-site infrastructure only), else empty. */
  siteId: string;
  /** Wastewater or pollution treatment of the site: its acceptance sets the site's treatment operating. */
  pollutionTreatment: boolean;
  funding: FundingMix;
  status: SchemeStatus;
  appraisal: Appraisal | null;
  /** The budget the state share is reserved on while approved (see budget.ts). */
  budgetId: string;
  decidedBy: string;
  decisionReason: string;
  contractNumber: string;
  milestones: Milestone[];
  disbursements: Disbursement[];
  /** Sponsors' pledges matched to this scheme (their sum never exceeds the sponsor share). */
  pledges: MatchedPledge[];
  outcomes: Outcomes | null;
  history: SchemeTransition[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/**
 * A year's state money of one source: the ministry's national budget or one province's. It is
 * reserved by approvals with a conditional decrement, so it never goes negative (ADR 0018).
 */
export interface Budget {
  /** `<year>:national` or `<year>:provincial:<province>`. */
  id: string;
  year: number;
  source: FundingSource;
  /** Empty for the national budget. */
  province: string;
  totalVnd: number;
  availableVnd: number;
  committedVnd: number;
  /** Schemes whose state share is reserved here, and those whose unpaid share came back (each once). */
  reservedSchemeIds: string[];
  releasedSchemeIds: string[];
  updatedAt: Date;
  version: number;
}

export const sponsorKinds = ['domestic_organisation', 'foreign_organisation', 'person'] as const;
export type SponsorKind = (typeof sponsorKinds)[number];

export const pledgeStatuses = ['pledged', 'received', 'withdrawn'] as const;
export type PledgeStatus = (typeof pledgeStatuses)[number];

/** A sponsor's promise of money to a scheme, a support line or a province; matched to a scheme before it counts. */
export interface Pledge {
  id: string;
  sponsorId: string;
  sponsorName: string;
  sponsorKind: SponsorKind;
  /** What the sponsor gave to: one scheme, or any scheme of a line or a province. */
  target: { schemeId: string; line: SupportLine | ''; province: string };
  amountVnd: number;
  status: PledgeStatus;
  /** The scheme it was matched to, or empty. */
  schemeId: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A province's (or the ministry's, province empty) plan for a year: targets per support line. */
export interface Plan {
  /** `<year>:<province>` or `<year>:national`. */
  id: string;
  year: number;
  province: string;
  targets: PlanTarget[];
  updatedBy: string;
  updatedAt: Date;
  version: number;
}

export interface PlanTarget {
  line: SupportLine;
  schemes: number;
  stateVnd: number;
  beneficiaries: number;
}

export const treatmentStates = ['none', 'under_construction', 'operating', 'degraded'] as const;
export type TreatmentState = (typeof treatmentStates)[number];

/** An industrial cluster site (cụm công nghiệp). */
export interface ClusterSite {
  id: string;
  name: string;
  province: string;
  operator: string;
  areaHectares: number;
  /** Share of the leasable area taken, 0 to 100. */
  occupancyPercent: number;
  /** Registry enterprise ids. */
  tenantIds: string[];
  treatment: TreatmentState;
  treatmentHistory: { state: TreatmentState; at: Date; by: string; schemeId: string; note: string }[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}
