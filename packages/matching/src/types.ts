export interface Quantity {
  value: number;
  unit: string;
}

/** A capability (supply) as matching sees it. */
export interface Supply {
  id: string;
  enterpriseId: string;
  /** Current province code. */
  province: string;
  hsCodes: string[];
  vsicCodes: string[];
  /** Folded words of title and description. */
  tokens: string[];
  monthlyCapacity: Quantity | null;
  leadTimeDays: number;
  /** Current province codes; with servedRegions empty too, the capability serves everywhere. */
  servedProvinces: string[];
  /** Region codes (RegionCode of @lienket/reference). */
  servedRegions: string[];
  /** E.g. 'ISO_9001', 'OCOP:4'. */
  certifications: string[];
  postedAt: Date;
  validUntil: Date;
  open: boolean;
}

/** A need (demand). */
export interface Demand {
  id: string;
  enterpriseId: string;
  province: string;
  category: string;
  hsCodes: string[];
  vsicCodes: string[];
  tokens: string[];
  quantityPerMonth: Quantity | null;
  deadline: Date | null;
  /** 'ISO_9001', or 'OCOP:4' meaning OCOP with at least 4 stars. */
  requiredCertifications: string[];
  preferredProvinces: string[];
  excludedProvinces: string[];
  postedAt: Date;
  validUntil: Date;
  open: boolean;
}

/** Facts about a party (enterprise) that matching uses. */
export interface Party {
  enterpriseId: string;
  /** Current province code. */
  province: string;
  /** 'enterprise' | 'cooperative' | 'household_business' | 'rural_industrial_establishment' | 'research_institute' | 'promotion_centre' */
  kind: string;
  supportingIndustry: boolean;
  leadFirm: boolean;
  verified: boolean;
  /** E.g. 'ISO_9001', 'OCOP:4', 'HACCP'. */
  recognitions: string[];
  /** Share of proposals this party answered (0..1); undefined when it has had none. */
  responsiveness?: number;
}

export type ComponentName =
  | 'product'
  | 'keywords'
  | 'capacity'
  | 'lead_time'
  | 'geography'
  | 'policy'
  | 'trust'
  | 'freshness'
  | 'responsiveness';

export type Weights = Record<ComponentName, number>;

export interface Component {
  name: ComponentName;
  /** 0..1 */
  value: number;
  weight: number;
  /** value × weight */
  contribution: number;
  /** English, short. */
  detail: string;
  detailVi: string;
}

export type ExclusionReason =
  | 'closed'
  | 'expired'
  | 'same_enterprise'
  | 'excluded_province'
  | 'not_served'
  | 'missing_certification'
  | 'no_product_fit';

export interface Exclusion {
  reason: ExclusionReason;
  detail: string;
  detailVi: string;
}

export interface Scored {
  demandId: string;
  supplyId: string;
  /** 0..1, rounded to 4 decimals. */
  score: number;
  components: Component[];
  reason: string;
  reasonVi: string;
}

export type Verdict = { ok: true; match: Scored } | { ok: false; exclusions: Exclusion[] };
