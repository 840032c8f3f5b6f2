import { earliest, union } from './merge';
import type { PostingAttributes } from './postings';

/** Unmet-demand facts, merged from matchmaking's demand events. */

export interface DemandFact extends Partial<PostingAttributes> {
  category?: string;
  /** The first report of any reason. */
  unmetAt?: Date;
  noMatchAt?: Date;
  expiredUnmatchedAt?: Date;
  reasons: string[];
}

export interface DemandReport {
  attributes: PostingAttributes;
  category: string;
  reason: string;
  at: Date;
}

export function mergeDemandReport(fact: DemandFact | undefined, report: DemandReport): DemandFact {
  const f: DemandFact = { ...(fact ?? { reasons: [] }) };
  Object.assign(f, report.attributes, { category: report.category });
  f.unmetAt = earliest(f.unmetAt, report.at);
  if (report.reason === 'no_match_above_threshold') f.noMatchAt = earliest(f.noMatchAt, report.at);
  if (report.reason === 'expired_unmatched') f.expiredUnmatchedAt = earliest(f.expiredUnmatchedAt, report.at);
  f.reasons = union(f.reasons, [report.reason]);
  return f;
}
