import { earliest } from './merge';

/** Scheme facts, merged from the programme service's scheme events: what a scheme commits, by source. */

export interface SchemeAttributes {
  province: string;
  region: string;
  /** The support line, e.g. "cleaner_production". */
  line: string;
  year: number;
  costVnd: number;
  /** State budget, national or provincial. */
  stateVnd: number;
  counterpartVnd: number;
  sponsorVnd: number;
}

export interface SchemeFact extends Partial<SchemeAttributes> {
  /** When it was approved into a plan: the earliest event that shows it approved or further along. */
  approvedAt?: Date;
  cancelledAt?: Date;
  /** Derived: approved and never cancelled (1), so its money counts. */
  committed?: 0 | 1;
  /** Derived: counterpart + sponsors. */
  nonStateVnd?: number;
  /** Derived: the half-year of approval in Vietnam time, "2026-H1". */
  half?: string;
}

export type SchemeChange = { kind: 'seen' | 'approved' | 'cancelled'; at: Date };

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** "YYYY-H1" or "YYYY-H2" of a time, in Vietnam time (UTC+7). */
export function halfYearOf(at: Date): string {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  return `${local.getUTCFullYear()}-H${local.getUTCMonth() < 6 ? 1 : 2}`;
}

/**
 * Merges one scheme event. The funding mix is fixed at proposal, so every event carries the same
 * attributes; approval and cancellation keep their earliest time, so order and repetition do not
 * matter.
 */
export function mergeSchemeChange(
  fact: SchemeFact | undefined,
  attributes: SchemeAttributes,
  change: SchemeChange,
): SchemeFact {
  const f: SchemeFact = { ...(fact ?? {}), ...attributes };
  if (change.kind === 'approved') f.approvedAt = earliest(f.approvedAt, change.at);
  if (change.kind === 'cancelled') f.cancelledAt = earliest(f.cancelledAt, change.at);
  f.committed = f.approvedAt && !f.cancelledAt ? 1 : 0;
  f.nonStateVnd = attributes.counterpartVnd + attributes.sponsorVnd;
  f.half = f.approvedAt ? halfYearOf(f.approvedAt) : undefined;
  return f;
}
