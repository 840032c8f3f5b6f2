// The proto3 JSON shapes the portal reads (fields at their default value are left out by the gateway).

export interface Quantity {
  value?: number;
  unit?: string;
}

export interface PageResponse {
  nextPageToken?: string;
  totalSize?: number | string;
}

export interface FacetCount {
  value: string;
  count?: number | string;
}

export interface Facet {
  name: string;
  counts?: FacetCount[];
}

export interface Need {
  id: string;
  enterpriseId: string;
  title: string;
  description?: string;
  category?: string;
  hsCodes?: string[];
  vsicCodes?: string[];
  quantityPerMonth?: Quantity;
  deadline?: string;
  validUntil?: string;
  status?: string;
  province?: string;
  createdAt?: string;
}

export interface Capability {
  id: string;
  enterpriseId: string;
  title: string;
  description?: string;
  hsCodes?: string[];
  vsicCodes?: string[];
  monthlyCapacity?: Quantity;
  leadTimeDays?: number;
  certifications?: string[];
  validUntil?: string;
  status?: string;
  province?: string;
  createdAt?: string;
}

export type Posting = { need: Need; capability?: undefined } | { capability: Capability; need?: undefined };

export interface SearchPostingsResponse {
  postings?: Posting[];
  page?: PageResponse;
  facets?: Facet[];
}

export interface Enterprise {
  id: string;
  taxCode?: string;
  name: string;
  kind?: string;
  supportingIndustry?: boolean;
  leadFirm?: boolean;
  province?: { code?: string; legacyCode?: string; name?: string };
  region?: string;
  address?: string;
  primaryVsic?: string;
  vsicCodes?: string[];
  sizeBand?: string;
  recognitions?: { kind?: string; level?: string; year?: number; product?: string }[];
  verification?: { status?: string };
}

export interface SearchEnterprisesResponse {
  enterprises?: Enterprise[];
  page?: PageResponse;
  facets?: Facet[];
}

export interface ScoreComponent {
  name: string;
  value?: number;
  weight?: number;
  contribution?: number;
  detail?: string;
  detailVi?: string;
}

export interface Proposal {
  id: string;
  needId: string;
  capabilityId: string;
  buyerEnterpriseId: string;
  supplierEnterpriseId: string;
  buyerProvince?: string;
  supplierProvince?: string;
  score?: number;
  components?: ScoreComponent[];
  reason?: string;
  reasonVi?: string;
  status?: string;
  buyerAcceptedAt?: string;
  supplierAcceptedAt?: string;
  declinedBy?: string;
  declineReason?: string;
  createdAt?: string;
  expiresAt?: string;
  hsCodes?: string[];
  vsicCodes?: string[];
  category?: string;
}

export interface ListProposalsResponse {
  proposals?: Proposal[];
  page?: PageResponse;
}

export interface Offer {
  id: string;
  ownerEnterpriseId?: string;
  ownerProvince?: string;
  ownerRegion?: string;
  anonymous?: boolean;
  title: string;
  summary?: string;
  hsCodes?: string[];
  vsicCodes?: string[];
  keywords?: string[];
  readinessLevel?: number;
  transferModes?: string[];
  cleanerProduction?: boolean;
  pollutionTreatment?: boolean;
  validUntil?: string;
  status?: string;
  publishedAt?: string;
}

export interface SearchOffersResponse {
  offers?: Offer[];
  page?: PageResponse;
}

export interface Interest {
  id: string;
  offerId: string;
  offerTitle?: string;
  ownerEnterpriseId?: string;
  ownerProvince?: string;
  interestedEnterpriseId?: string;
  interestedProvince?: string;
  message?: string;
  status?: string;
  createdAt?: string;
}

export interface ListInterestsResponse {
  interests?: Interest[];
  page?: PageResponse;
}

/** A public event as CloudEvents JSON. */
export interface CloudEvent {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  data: unknown;
}

export const num = (value: number | string | undefined): number => Number(value ?? 0) || 0;
