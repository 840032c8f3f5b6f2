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
  /** Counts one more open posting unless the enterprise is at `max`; false when it is. */
  reserveOpenPosting(enterpriseId: string, max: number): Promise<boolean>;
  releaseOpenPosting(enterpriseId: string): Promise<void>;
  /** Every enterprise's open-postings counter that is above 0. */
  openPostingCounters(): Promise<Map<string, number>>;
  /** Open postings per enterprise, counted from the postings. */
  countOpenPostings(): Promise<Map<string, number>>;
  /** Sets the counter to `to` if it still reads `from`; false when it moved meanwhile. */
  correctOpenPostings(enterpriseId: string, from: number, to: number): Promise<boolean>;
  searchEnterprises(
    query: EnterpriseQuery,
    page: PageRequest,
    facets: string[],
  ): Promise<Page<Enterprise> & { facets: FacetCounts[] }>;

  insertPosting(posting: Posting, events: OutboxEntry[]): Promise<void>;
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
