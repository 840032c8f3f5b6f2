import type { OutboxEntry } from '@lienket/eventbus';
import type { Capability, Cluster, Enterprise, Need, Posting } from '../domain/model';

export interface Page<T> {
  items: T[];
  nextCursor: string;
  total: number;
}

export interface FacetCounts {
  name: string;
  counts: { value: string; count: number }[];
}

export interface EnterpriseQuery {
  provinces: string[];
  regions: string[];
  vsicPrefix: string;
  kinds: string[];
  recognitions: string[];
  verified?: boolean;
  supportingIndustry?: boolean;
  leadFirm?: boolean;
  textTokens: string[];
}

export interface PostingQuery {
  kind: 'capability' | 'need';
  provinces: string[];
  regions: string[];
  vsicPrefix: string;
  hsPrefix: string;
  categories: string[];
  enterpriseId: string;
  includeClosed: boolean;
  textTokens: string[];
  certifications: string[];
}

export interface PageRequest {
  size: number;
  cursor: string;
}

/** Persistence of the registry's aggregates. Every write stores its events in the same document. */
export interface RegistryStore {
  /** Throws ALREADY_EXISTS when the tax code is taken. */
  insertEnterprise(enterprise: Enterprise, events: OutboxEntry[]): Promise<void>;
  findEnterprise(id: string): Promise<Enterprise | undefined>;
  findEnterprises(ids: string[]): Promise<Enterprise[]>;
  /** False when the stored version is not `expectedVersion` (someone else changed it). */
  saveEnterprise(enterprise: Enterprise, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  searchEnterprises(
    query: EnterpriseQuery,
    page: PageRequest,
    facets: string[],
  ): Promise<Page<Enterprise> & { facets: FacetCounts[] }>;

  /**
   * Inserts an open posting in one of its enterprise's `maxOpen` open-posting slots; false (nothing
   * written) when all are taken. The slot is unique in the store, so concurrent postings never
   * exceed `maxOpen`; a posting leaves its slot when it is saved closed (ADR 0019).
   */
  insertPosting(posting: Posting, events: OutboxEntry[], maxOpen: number): Promise<boolean>;
  findPosting(id: string): Promise<Posting | undefined>;
  savePosting(posting: Posting, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  searchPostings(
    query: PostingQuery,
    page: PageRequest,
    facets: string[],
  ): Promise<Page<Posting> & { facets: FacetCounts[] }>;
  /** Open postings whose expiry or expiring notice is due at `now`. */
  findDuePostings(
    kind: 'capability' | 'need',
    now: Date,
    noticeBefore: Date,
    limit: number,
  ): Promise<(Capability | Need)[]>;

  insertCluster(cluster: Cluster, events: OutboxEntry[]): Promise<void>;
  findCluster(id: string): Promise<Cluster | undefined>;
  saveCluster(cluster: Cluster, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;

  /** Whether an established match lets `granteeId` read `enterpriseId`'s contact. */
  hasContactGrant(enterpriseId: string, granteeId: string, matchId: string): Promise<boolean>;
}
