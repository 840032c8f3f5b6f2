import type { AggregatePage, OutboxEntry } from '@lienket/eventbus';
import type {
  CoFundingApplication,
  CoFundingStatus,
  FunderKind,
  Interest,
  InterestStatus,
  Offer,
  Party,
  Programme,
  TechRequest,
  TransferMode,
} from '../domain/model';

export interface PageRequest {
  size: number;
  cursor: string;
}

/** Who is looking, for visibility: the role and, for an enterprise, its projected party. */
export interface Viewer {
  role: string;
  enterpriseId: string;
  provinceCode: string;
  party: Party | undefined;
}

export interface OfferQuery {
  hsPrefix: string;
  vsicPrefix: string;
  minReadinessLevel: number;
  maxReadinessLevel: number;
  transferModes: TransferMode[];
  cleanerProduction?: boolean;
  pollutionTreatment?: boolean;
  ownerProvinces: string[];
  ownerRegions: string[];
  textTokens: string[];
  /** Only this owner's offers, in any status. */
  ownerId: string;
}

export interface RequestQuery {
  hsPrefix: string;
  vsicPrefix: string;
  provinces: string[];
  regions: string[];
  cleanerProduction?: boolean;
  pollutionTreatment?: boolean;
  requesterId: string;
  includeClosed: boolean;
  textTokens: string[];
}

export interface InterestQuery {
  enterpriseId: string;
  offerId: string;
  statuses: InterestStatus[];
}

export interface ProgrammeQuery {
  eligibleProvince: string;
  funderKinds: FunderKind[];
  includeClosed: boolean;
}

export interface ApplicationQuery {
  programmeId: string;
  applicantProvince: string;
  applicantId: string;
  statuses: CoFundingStatus[];
}

export interface StoredParty extends Party {
  rejected: boolean;
}

/** Enterprise facts from one registry event, applied unless a later event already wrote the party. */
export interface PartyChange {
  enterpriseId: string;
  facts: Partial<StoredParty>;
  at: Date;
}

/** Persistence of techtransfer's aggregates; every write stores its events in the same document. */
export interface TechTransferStore {
  findParty(enterpriseId: string): Promise<StoredParty | undefined>;
  /**
   * Applies the projected enterprise facts of a batch of events, in their order, each unless a
   * later event already wrote the party: one read and one write.
   */
  projectParties(changes: readonly PartyChange[]): Promise<void>;

  insertOffer(offer: Offer, events: OutboxEntry[]): Promise<void>;
  findOffer(id: string): Promise<Offer | undefined>;
  saveOffer(offer: Offer, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  searchOffers(query: OfferQuery, viewer: Viewer, page: PageRequest): Promise<AggregatePage<Offer>>;
  /** Published offers sharing a code prefix (HS chapter or VSIC division) or a word with the request. */
  candidateOffers(
    codes: { hsChapters: string[]; vsicDivisions: string[]; tokens: string[] },
    limit: number,
  ): Promise<Offer[]>;
  findDueOffers(now: Date, limit: number): Promise<Offer[]>;

  /** False when a request with this id exists already (a replayed registry need). */
  insertRequest(request: TechRequest, events: OutboxEntry[]): Promise<boolean>;
  findRequest(id: string): Promise<TechRequest | undefined>;
  saveRequest(request: TechRequest, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  /** Inserts the requests not stored yet in one write; returns the ids inserted (a replay inserts none). */
  insertRequests(items: readonly { request: TechRequest; events: OutboxEntry[] }[]): Promise<string[]>;
  /** The requests with these ids, in one read. */
  findRequests(ids: readonly string[]): Promise<TechRequest[]>;
  /** Saves each request at its expected version in one write; resolves with how many matched. */
  saveRequests(
    items: readonly { request: TechRequest; expectedVersion: number; events: OutboxEntry[] }[],
  ): Promise<number>;
  searchRequests(query: RequestQuery, page: PageRequest): Promise<AggregatePage<TechRequest>>;
  findDueRequests(now: Date, limit: number): Promise<TechRequest[]>;

  /** Throws ALREADY_EXISTS when the enterprise already has an open interest in the offer. */
  insertInterest(interest: Interest, events: OutboxEntry[]): Promise<void>;
  findInterest(id: string): Promise<Interest | undefined>;
  findInterestByAgreement(agreementId: string): Promise<Interest | undefined>;
  saveInterest(interest: Interest, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  listInterests(query: InterestQuery, page: PageRequest): Promise<AggregatePage<Interest>>;
  /** Pending and negotiating interests whose deadline or reminder time has come. */
  findDueInterests(remindBefore: Date, limit: number): Promise<Interest[]>;

  insertProgramme(programme: Programme, events: OutboxEntry[]): Promise<void>;
  findProgramme(id: string): Promise<Programme | undefined>;
  saveProgramme(programme: Programme, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  listProgrammes(query: ProgrammeQuery, page: PageRequest): Promise<AggregatePage<Programme>>;
  /** Programmes holding a reservation for an application, for reconciliation. */
  programmesWithReservations(limit: number): Promise<Programme[]>;

  /** Throws ALREADY_EXISTS when the agreement already has an open application to the programme. */
  insertApplication(application: CoFundingApplication, events: OutboxEntry[]): Promise<void>;
  findApplication(id: string): Promise<CoFundingApplication | undefined>;
  findApplications(ids: string[]): Promise<CoFundingApplication[]>;
  saveApplication(
    application: CoFundingApplication,
    expectedVersion: number,
    events: OutboxEntry[],
  ): Promise<boolean>;
  listApplications(query: ApplicationQuery, page: PageRequest): Promise<AggregatePage<CoFundingApplication>>;
}
