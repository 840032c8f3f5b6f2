// The shapes the portal reads, from the gateway's OpenAPI document (@lienket/api-client): proto3 JSON, where
// fields at their default value are left out. Where a screen relies on a field every answer has (ids, titles,
// names), it is marked present here; a field the document no longer has stops the build.
import type { Schemas } from '@lienket/api-client';

/** `T` with the fields `K` (which must be fields of `T`) present. */
type Having<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined> };

export type Quantity = Schemas['lienket.common.v1.Quantity'];
export type PageResponse = Schemas['lienket.common.v1.PageResponse'];
export type FacetCount = Schemas['lienket.registry.v1.FacetCount'];
export type Facet = Schemas['lienket.registry.v1.Facet'];

export type Need = Having<Schemas['lienket.registry.v1.Need'], 'id' | 'enterpriseId' | 'title'>;
export type Capability = Having<Schemas['lienket.registry.v1.Capability'], 'id' | 'enterpriseId' | 'title'>;
export type Posting = { need: Need; capability?: undefined } | { capability: Capability; need?: undefined };

export type SearchPostingsResponse = Omit<
  Schemas['lienket.registry.v1.SearchPostingsResponse'],
  'postings'
> & {
  postings?: Posting[];
};

export type Enterprise = Having<Schemas['lienket.registry.v1.Enterprise'], 'id' | 'name'>;
export type SearchEnterprisesResponse = Omit<
  Schemas['lienket.registry.v1.SearchEnterprisesResponse'],
  'enterprises'
> & {
  enterprises?: Enterprise[];
};

export type ScoreComponent = Schemas['lienket.matchmaking.v1.ScoreComponent'];
export type Proposal = Having<
  Schemas['lienket.matchmaking.v1.Proposal'],
  'id' | 'needId' | 'capabilityId' | 'buyerEnterpriseId' | 'supplierEnterpriseId'
>;
export type ListProposalsResponse = Omit<
  Schemas['lienket.matchmaking.v1.ListProposalsResponse'],
  'proposals'
> & {
  proposals?: Proposal[];
};

export type Offer = Having<Schemas['lienket.techtransfer.v1.Offer'], 'id' | 'title'>;
export type SearchOffersResponse = Omit<Schemas['lienket.techtransfer.v1.SearchOffersResponse'], 'offers'> & {
  offers?: Offer[];
};

export type Interest = Having<Schemas['lienket.techtransfer.v1.Interest'], 'id' | 'offerId'>;
export type ListInterestsResponse = Omit<
  Schemas['lienket.techtransfer.v1.ListInterestsResponse'],
  'interests'
> & {
  interests?: Interest[];
};

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
