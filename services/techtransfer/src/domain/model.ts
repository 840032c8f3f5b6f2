/** The technology-transfer aggregates as the domain sees them. Money is whole VND. */

export type OfferStatus = 'draft' | 'published' | 'withdrawn' | 'expired';
export type IpStatus = 'patent' | 'utility_solution' | 'know_how' | 'none';
export type TransferMode = 'licence' | 'sale' | 'joint_venture' | 'training_consulting' | 'equipment_supply';
export type Visibility = 'public' | 'verified_enterprises' | 'named_provinces';

export interface MoneyRange {
  minVnd: number;
  maxVnd: number;
}

/** What techtransfer knows about an enterprise, projected from registry events. */
export interface Party {
  enterpriseId: string;
  province: string;
  region: string;
  kind: string;
  verified: boolean;
  supportingIndustry: boolean;
  leadFirm: boolean;
  recognitions: string[];
}

export interface Offer {
  id: string;
  ownerId: string;
  ownerProvince: string;
  ownerRegion: string;
  ownerKind: string;
  anonymous: boolean;
  title: string;
  summary: string;
  hsCodes: string[];
  vsicCodes: string[];
  keywords: string[];
  readinessLevel: number;
  ipStatus: IpStatus;
  ipNumbers: string[];
  transferModes: TransferMode[];
  priceBand: MoneyRange | null;
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
  languages: string[];
  visibility: Visibility;
  visibleProvinces: string[];
  /** Chosen by the owner; null means the default validity from publication. */
  validUntil: Date | null;
  status: OfferStatus;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type RequestStatus = 'open' | 'closed' | 'expired';

export interface TechRequest {
  id: string;
  requesterId: string;
  province: string;
  region: string;
  title: string;
  description: string;
  hsCodes: string[];
  vsicCodes: string[];
  keywords: string[];
  minReadinessLevel: number;
  transferModes: TransferMode[];
  budget: MoneyRange | null;
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
  source: 'direct' | 'registry_need';
  registryNeedId: string;
  validUntil: Date;
  status: RequestStatus;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type InterestStatus =
  | 'pending'
  | 'negotiating'
  | 'declined'
  | 'agreed'
  | 'abandoned'
  | 'expired'
  | 'withdrawn';

export type AgreementType = 'licence' | 'sale' | 'joint_venture' | 'training' | 'subcontracting';

export interface Attachment {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface NegotiationMessage {
  id: string;
  authorId: string;
  text: string;
  attachments: Attachment[];
  sentAt: Date;
}

export interface Agreement {
  id: string;
  type: AgreementType;
  valueVnd: number;
  startDate: Date;
  termsSummary: string;
  status: 'proposed' | 'signed';
  proposedBy: string;
  proposedAt: Date;
  signedAt: Date | null;
}

/** The offer facts an interest carries, so its events and views need no join. */
export interface OfferFacts {
  offerId: string;
  offerTitle: string;
  ownerId: string;
  ownerProvince: string;
  anonymousOwner: boolean;
  hsCodes: string[];
  vsicCodes: string[];
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
}

export interface Interest extends OfferFacts {
  id: string;
  interestedId: string;
  interestedProvince: string;
  requestId: string;
  message: string;
  status: InterestStatus;
  respondBy: Date;
  /** The reminder already sent for the current deadline ("respond" or "negotiate"), so it goes out once. */
  reminded: '' | 'respond' | 'negotiate';
  messages: NegotiationMessage[];
  agreement: Agreement | null;
  declineReason: string;
  abandonReason: string;
  abandonedBy: '' | 'owner' | 'interested' | 'timeout';
  lastActivityAt: Date;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type FunderKind = 'national_fund' | 'provincial_fund' | 'sponsor';
export type SponsorKind = 'domestic_organisation' | 'foreign_organisation' | 'person';

export interface Eligibility {
  provinces: string[];
  vsicPrefixes: string[];
  cleanerProductionOnly: boolean;
}

export interface Programme {
  id: string;
  name: string;
  funderKind: FunderKind;
  sponsor: { name: string; kind: SponsorKind; country: string } | null;
  province: string;
  budgetVnd: number;
  /** budgetVnd − committedVnd; approvals take from it with a conditional update, so it never goes negative. */
  availableVnd: number;
  committedVnd: number;
  disbursedVnd: number;
  maxCofundingPercent: number;
  perProjectCapVnd: number;
  eligibility: Eligibility;
  status: 'open' | 'closed';
  /** Approved applications and what each took: an approval reserves once, a rejection after a crash releases. */
  reservations: { applicationId: string; amountVnd: number }[];
  /** Disbursements counted in disbursedVnd, so a retried one counts once. */
  draws: { disbursementId: string; amountVnd: number }[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** 'approving' is internal: an officer's approval is reserving the budget (shown as requested). */
export type CoFundingStatus = 'requested' | 'approving' | 'approved' | 'rejected' | 'disbursed';

export interface Disbursement {
  id: string;
  amountVnd: number;
  reference: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface CoFundingApplication {
  id: string;
  programmeId: string;
  agreementId: string;
  interestId: string;
  applicantId: string;
  applicantProvince: string;
  amountVnd: number;
  agreementValueVnd: number;
  vsicCodes: string[];
  cleanerProduction: boolean;
  status: CoFundingStatus;
  decidedBy: string;
  decisionReason: string;
  decidedAt: Date | null;
  disbursements: Disbursement[];
  disbursedVnd: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}
