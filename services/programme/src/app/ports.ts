import type { AggregatePage, OutboxEntry } from '@lienket/eventbus';
import type {
  Budget,
  ClusterSite,
  FundingSource,
  Plan,
  Pledge,
  Scheme,
  SchemeStatus,
  SupportLine,
  SupportLineRule,
  TreatmentState,
} from '../domain/model';

export interface PageRequest {
  size: number;
  cursor: string;
}

export interface SchemeQuery {
  province: string;
  year: number;
  line: SupportLine | '';
  statuses: SchemeStatus[];
  beneficiaryId: string;
  /** Schemes a sponsor's pledges are matched to. */
  sponsorId: string;
}

export interface PledgeQuery {
  sponsorId: string;
  province: string;
  schemeId: string;
}

export type ReserveOutcome = 'reserved' | 'held_already' | 'insufficient' | 'no_budget';

/** The service's store (adapters/mongo/store.ts): single-document writes, each with its events. */
export interface ProgrammeStore {
  findRules(year: number, source: FundingSource): Promise<SupportLineRule[]>;
  findRule(id: string): Promise<SupportLineRule | undefined>;
  /** Inserts rules not stored yet (a year's defaults); those stored already are kept. */
  insertNewRules(items: { rule: SupportLineRule; events: OutboxEntry[] }[]): Promise<void>;
  insertRule(rule: SupportLineRule, events: OutboxEntry[]): Promise<void>;
  saveRule(rule: SupportLineRule, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;

  insertScheme(scheme: Scheme, events: OutboxEntry[]): Promise<void>;
  findScheme(id: string): Promise<Scheme | undefined>;
  saveScheme(scheme: Scheme, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  listSchemes(query: SchemeQuery, page: PageRequest): Promise<AggregatePage<Scheme>>;
  /** Every scheme of a year (one province, or all when empty), for plans and reports. */
  schemesOfYear(year: number, province: string): Promise<Scheme[]>;
  /** Approvals claimed before `before` and not completed. */
  staleApprovals(before: Date, limit: number): Promise<Scheme[]>;

  findBudget(id: string): Promise<Budget | undefined>;
  insertBudget(budget: Budget, events: OutboxEntry[]): Promise<void>;
  /** Moves the total by `deltaVnd` if it is still `fromTotalVnd` and available stays at zero or more. */
  changeBudgetTotal(
    id: string,
    fromTotalVnd: number,
    deltaVnd: number,
    events: OutboxEntry[],
  ): Promise<boolean>;
  /** One conditional decrement: reserves `amountVnd` for the scheme only if that much is available. */
  reserveBudget(
    id: string,
    schemeId: string,
    amountVnd: number,
    events: OutboxEntry[],
  ): Promise<ReserveOutcome>;
  /** Gives back a reserved scheme's unpaid share, once. */
  releaseBudget(id: string, schemeId: string, amountVnd: number, events: OutboxEntry[]): Promise<boolean>;

  insertPledge(pledge: Pledge, events: OutboxEntry[]): Promise<void>;
  findPledge(id: string): Promise<Pledge | undefined>;
  savePledge(pledge: Pledge, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  listPledges(query: PledgeQuery, page: PageRequest): Promise<AggregatePage<Pledge>>;

  findPlan(id: string): Promise<Plan | undefined>;
  insertPlan(plan: Plan, events: OutboxEntry[]): Promise<void>;
  savePlan(plan: Plan, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;

  insertSite(site: ClusterSite, events: OutboxEntry[]): Promise<void>;
  findSite(id: string): Promise<ClusterSite | undefined>;
  saveSite(site: ClusterSite, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  listSites(
    query: { province: string; treatment: TreatmentState | '' },
    page: PageRequest,
  ): Promise<AggregatePage<ClusterSite>>;
  findSites(ids: readonly string[]): Promise<ClusterSite[]>;
  /** Every site of a province, or of all provinces when empty (reports). */
  sitesOf(province: string): Promise<ClusterSite[]>;
  saveSites(items: { site: ClusterSite; expectedVersion: number; events: OutboxEntry[] }[]): Promise<number>;
}
