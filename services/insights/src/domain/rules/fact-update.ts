import type { EventDefinition } from '@lienket/contracts/messages';
import type {
  CapabilityFact,
  ClusterFact,
  CoFundingFact,
  DemandFact,
  DisbursementFact,
  EnterpriseFact,
  InterestFact,
  NeedFact,
  OfferFact,
  ProgrammeFact,
  ProposalFact,
  RequestFact,
  SchemeFact,
} from '../facts';
import { withSlices } from '../slices';

/** The fact collections, one per kind of entity. */
export const factKinds = [
  'enterprise',
  'capability',
  'need',
  'cluster',
  'proposal',
  'demand',
  'offer',
  'request',
  'interest',
  'cofunding',
  'disbursement',
  'programme',
  'scheme',
] as const;
export type FactKind = (typeof factKinds)[number];

/** The document type of each fact kind. */
export interface FactTypes {
  enterprise: EnterpriseFact;
  capability: CapabilityFact;
  need: NeedFact;
  cluster: ClusterFact;
  proposal: ProposalFact;
  demand: DemandFact;
  offer: OfferFact;
  request: RequestFact;
  interest: InterestFact;
  cofunding: CoFundingFact;
  disbursement: DisbursementFact;
  programme: ProgrammeFact;
  scheme: SchemeFact;
}

/** A merge of one event into one fact document. */
export interface FactUpdate<K extends FactKind = FactKind> {
  kind: K;
  id: string;
  reduce: (fact: FactTypes[K] | undefined) => FactTypes[K];
}

export function update<K extends FactKind>(
  kind: K,
  id: string,
  reduce: (fact: FactTypes[K] | undefined) => FactTypes[K],
): FactUpdate[] {
  // Slices are derived on every merge, like the fact's other derived fields.
  const sliced = (fact: FactTypes[K] | undefined) => withSlices(kind, reduce(fact));
  return id ? [{ kind, id, reduce: sliced } as unknown as FactUpdate] : [];
}

export interface FactRule {
  definition: EventDefinition;
  updates: (payload: unknown, at: Date) => FactUpdate[];
}

export const rule = <T>(
  definition: EventDefinition<T>,
  updates: (payload: T, at: Date) => FactUpdate[],
): FactRule => ({ definition, updates }) as FactRule;

/** A time as text for a register's tie-break; '' when absent. */
export const iso = (date: Date | undefined) => date?.toISOString() ?? '';
