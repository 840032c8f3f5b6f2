import type { Sectors } from '../places';
import { earliest, union } from './merge';

/** Proposal facts, merged from matchmaking's proposal events. */

export type ProposalOutcome =
  | 'open'
  | 'accepted_by_one'
  | 'established'
  | 'declined'
  | 'expired'
  | 'retracted';

export interface ProposalAttributes extends Sectors {
  needId: string;
  capabilityId: string;
  buyerEnterpriseId: string;
  supplierEnterpriseId: string;
  buyerProvince: string;
  buyerRegion: string;
  supplierProvince: string;
  supplierRegion: string;
  category: string;
}

export interface LinkageParty {
  id: string;
  province: string;
  region: string;
  role: 'buyer' | 'supplier';
}

export interface ProposalFact extends Partial<ProposalAttributes> {
  /** True once MatchProposed or LinkageEstablished described the pair. */
  described: boolean;
  /** Attributes came from MatchProposed (they win over a linkage's copy). */
  fromProposal: boolean;
  /** The earliest event of the proposal. */
  proposedAt?: Date;
  acceptedSides: string[];
  acceptedAt?: Date;
  establishedAt?: Date;
  declinedAt?: Date;
  expiredAt?: Date;
  retractedAt?: Date;
  // Derived.
  outcome: ProposalOutcome;
  /** 1 when accepted by at least one side (or established), for $sum. */
  accepted: number;
  established: number;
  provinces: string[];
  regions: string[];
  parties: LinkageParty[];
  intraProvince: number;
  intraRegion: number;
  crossRegion: number;
}

export type ProposalChange =
  | { kind: 'proposed'; attributes: ProposalAttributes; at: Date }
  | { kind: 'accepted'; side: string; at: Date }
  | { kind: 'established'; attributes: ProposalAttributes; at: Date }
  | { kind: 'declined' | 'expired' | 'retracted'; at: Date };

function outcomeOf(f: ProposalFact): ProposalOutcome {
  if (f.establishedAt) return 'established';
  if (f.declinedAt) return 'declined';
  if (f.expiredAt) return 'expired';
  if (f.retractedAt) return 'retracted';
  if (f.acceptedSides.length > 0) return 'accepted_by_one';
  return 'open';
}

function deriveProposal(f: ProposalFact): ProposalFact {
  const outcome = outcomeOf(f);
  const described = f.described;
  const parties: LinkageParty[] = described
    ? [
        {
          id: f.buyerEnterpriseId ?? '',
          province: f.buyerProvince ?? '',
          region: f.buyerRegion ?? '',
          role: 'buyer' as const,
        },
        {
          id: f.supplierEnterpriseId ?? '',
          province: f.supplierProvince ?? '',
          region: f.supplierRegion ?? '',
          role: 'supplier' as const,
        },
      ].filter((p) => p.id !== '')
    : [];
  const known = (a?: string, b?: string) => a !== undefined && a !== '' && a === b;
  const intraRegion = known(f.buyerRegion, f.supplierRegion) ? 1 : 0;
  return {
    ...f,
    outcome,
    accepted: outcome === 'established' || f.acceptedSides.length > 0 ? 1 : 0,
    established: outcome === 'established' ? 1 : 0,
    provinces: union([], [f.buyerProvince ?? '', f.supplierProvince ?? '']),
    regions: union([], [f.buyerRegion ?? '', f.supplierRegion ?? '']),
    parties,
    intraProvince: known(f.buyerProvince, f.supplierProvince) ? 1 : 0,
    intraRegion,
    crossRegion: described && !intraRegion ? 1 : 0,
  };
}

export function mergeProposalChange(fact: ProposalFact | undefined, change: ProposalChange): ProposalFact {
  const f: ProposalFact = {
    ...(fact ?? {
      described: false,
      fromProposal: false,
      acceptedSides: [],
      outcome: 'open',
      accepted: 0,
      established: 0,
      provinces: [],
      regions: [],
      parties: [],
      intraProvince: 0,
      intraRegion: 0,
      crossRegion: 0,
    }),
  };
  f.proposedAt = earliest(f.proposedAt, change.at);
  switch (change.kind) {
    case 'proposed':
      Object.assign(f, change.attributes, { described: true, fromProposal: true });
      break;
    case 'established':
      if (!f.fromProposal) Object.assign(f, change.attributes, { described: true });
      f.establishedAt = earliest(f.establishedAt, change.at);
      break;
    case 'accepted':
      f.acceptedSides = union(f.acceptedSides, [change.side || 'unknown']);
      f.acceptedAt = earliest(f.acceptedAt, change.at);
      break;
    case 'declined':
      f.declinedAt = earliest(f.declinedAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'retracted':
      f.retractedAt = earliest(f.retractedAt, change.at);
      break;
  }
  return deriveProposal(f);
}
