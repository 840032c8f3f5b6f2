import { earliest, largest, union } from './merge';

/** Co-funding, disbursement and programme facts, merged from techtransfer's programme and co-funding events. */

export interface CoFundingAttributes {
  programmeId: string;
  agreementId: string;
  applicantProvince: string;
  applicantRegion: string;
  cleaner: boolean;
  vsicCodes: string[];
  vsicDivisions: string[];
  vsicPrefixes: string[];
  /** Applications carry no HS code: always empty, so an HS filter leaves them out. */
  hsPrefixes: string[];
  hsChapters: string[];
}

export interface CoFundingFact extends Partial<CoFundingAttributes> {
  requestedAt?: Date;
  requestedVnd?: number;
  approvedAt?: Date;
  approvedVnd?: number;
  rejectedAt?: Date;
  disbursedTotalVnd?: number;
}

export type CoFundingChange =
  | { kind: 'requested'; amountVnd: number; at: Date }
  | { kind: 'approved'; amountVnd: number; at: Date }
  | { kind: 'rejected'; at: Date }
  | { kind: 'disbursed'; totalVnd: number; at: Date };

export function mergeCoFundingChange(
  fact: CoFundingFact | undefined,
  attributes: CoFundingAttributes,
  change: CoFundingChange,
): CoFundingFact {
  const f: CoFundingFact = { ...(fact ?? {}), ...attributes };
  switch (change.kind) {
    case 'requested':
      f.requestedAt = earliest(f.requestedAt, change.at);
      f.requestedVnd = largest(f.requestedVnd, change.amountVnd);
      break;
    case 'approved':
      f.approvedAt = earliest(f.approvedAt, change.at);
      f.approvedVnd = largest(f.approvedVnd, change.amountVnd);
      break;
    case 'rejected':
      f.rejectedAt = earliest(f.rejectedAt, change.at);
      break;
    case 'disbursed':
      f.disbursedTotalVnd = largest(f.disbursedTotalVnd, change.totalVnd);
      break;
  }
  return f;
}

/** One payment against an application, keyed by its disbursement id. */
export interface DisbursementFact extends Partial<CoFundingAttributes> {
  applicationId?: string;
  amountVnd?: number;
  at?: Date;
}

export function mergeDisbursement(
  fact: DisbursementFact | undefined,
  applicationId: string,
  attributes: CoFundingAttributes,
  amountVnd: number,
  at: Date,
): DisbursementFact {
  const f: DisbursementFact = { ...(fact ?? {}), ...attributes, applicationId };
  f.amountVnd = largest(f.amountVnd, amountVnd);
  f.at = earliest(f.at, at);
  return f;
}

/** A co-funding programme's latest announced budget (kept for figures to come; no RPC reads it yet). */
export interface ProgrammeFact {
  name?: string;
  funderKind?: string;
  province?: string;
  budgetVnd?: number;
  availableVnd?: number;
  committedVnd?: number;
  disbursedVnd?: number;
  /** Time of the snapshot held. */
  at?: Date;
  changes: string[];
}

export interface ProgrammeSnapshot {
  name: string;
  funderKind: string;
  province: string;
  change: string;
  budgetVnd: number;
  availableVnd: number;
  committedVnd: number;
  disbursedVnd: number;
  at: Date;
}

export function mergeProgrammeSnapshot(fact: ProgrammeFact | undefined, s: ProgrammeSnapshot): ProgrammeFact {
  const f: ProgrammeFact = { ...(fact ?? { changes: [] }) };
  // The latest snapshot wins; within the same instant, the one further along (more disbursed, then
  // committed, then budget), so that the choice does not depend on delivery order.
  const rank = (x: { at?: Date; disbursedVnd?: number; committedVnd?: number; budgetVnd?: number }) => [
    x.at?.getTime() ?? -1,
    x.disbursedVnd ?? -1,
    x.committedVnd ?? -1,
    x.budgetVnd ?? -1,
  ];
  const a = rank(f);
  const b = rank(s);
  const index = a.findIndex((value, i) => value !== b[i]);
  if (index >= 0 && (b[index] as number) > (a[index] as number)) {
    Object.assign(f, {
      name: s.name,
      funderKind: s.funderKind,
      province: s.province,
      budgetVnd: s.budgetVnd,
      availableVnd: s.availableVnd,
      committedVnd: s.committedVnd,
      disbursedVnd: s.disbursedVnd,
      at: s.at,
    });
  }
  f.changes = union(f.changes, [s.change]);
  return f;
}
