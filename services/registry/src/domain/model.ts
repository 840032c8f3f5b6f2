import type { RecognitionKind, RegionCode } from '@lienket/reference';

export type EnterpriseKind =
  | 'enterprise'
  | 'cooperative'
  | 'household_business'
  | 'rural_industrial_establishment'
  | 'research_institute'
  | 'promotion_centre';
export type SizeBand = 'micro' | 'small' | 'medium' | 'large' | 'unspecified';
export type VerificationStatus = 'unverified' | 'verified' | 'rejected';

export interface Recognition {
  kind: RecognitionKind;
  level: string;
  year: number;
  product: string;
}

export interface Trademark {
  name: string;
  registrationNumber: string;
}

export interface Contact {
  person: string;
  phone: string;
  email: string;
}

export interface Enterprise {
  id: string;
  taxCode: string;
  name: string;
  kind: EnterpriseKind;
  supportingIndustry: boolean;
  leadFirm: boolean;
  province: string;
  /** The pre-2025 code the enterprise registered with, when it was one that no longer exists. */
  legacyProvince: string;
  region: RegionCode;
  address: string;
  primaryVsic: string;
  vsicCodes: string[];
  sizeBand: SizeBand;
  recognitions: Recognition[];
  trademarks: Trademark[];
  contact: Contact;
  verification: { status: VerificationStatus; reason: string; decidedBy: string; decidedAt: Date | null };
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type CapabilityStatus = 'open' | 'withdrawn' | 'expired';
export type NeedStatus = 'open' | 'fulfilled' | 'closed' | 'expired';
export type NeedCategory = 'material' | 'component' | 'outsourcing' | 'equipment' | 'technology' | 'service';

export interface Quantity {
  value: number;
  unit: string;
}

export interface MoneyRange {
  minVnd: number;
  maxVnd: number;
}

interface PostingBase {
  id: string;
  enterpriseId: string;
  title: string;
  description: string;
  hsCodes: string[];
  vsicCodes: string[];
  /** The poster's province when posted. */
  province: string;
  validUntil: Date;
  /** The validUntil the expiring warning was last sent for (so it is sent once per period). */
  expiringNoticeFor: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface Capability extends PostingBase {
  kind: 'capability';
  monthlyCapacity: Quantity;
  minimumOrder: Quantity | null;
  leadTimeDays: number;
  servedProvinces: string[];
  servedRegions: RegionCode[];
  certifications: string[];
  priceBand: MoneyRange | null;
  status: CapabilityStatus;
}

export interface Need extends PostingBase {
  kind: 'need';
  category: NeedCategory;
  quantityPerMonth: Quantity;
  deadline: Date | null;
  requiredCertifications: string[];
  preferredProvinces: string[];
  excludedProvinces: string[];
  budget: MoneyRange | null;
  status: NeedStatus;
}

export type Posting = Capability | Need;

export interface ClusterMember {
  enterpriseId: string;
  province: string;
  joinedAt: Date;
}

export interface Cluster {
  id: string;
  name: string;
  chain: string;
  anchorEnterpriseId: string;
  members: ClusterMember[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Who asks (the platform's Actor: role, enterprise, province, subject). */
export type { Actor } from '@lienket/platform';
