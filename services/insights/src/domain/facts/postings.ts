import type { Sectors } from '../places';
import { earliest } from './merge';

/** Capability and need facts, merged from the registry's posting events. */

export interface PostingAttributes extends Sectors {
  enterpriseId: string;
  province: string;
  region: string;
}

export interface Renewal {
  /** The new end of validity, ISO: one renewal per distinct value. */
  validUntil: string;
  at: Date;
}

export interface CapabilityFact extends Partial<PostingAttributes> {
  postedAt?: Date;
  withdrawnAt?: Date;
  expiredAt?: Date;
  /** The earliest end and why: withdrawn | expired. */
  endedAt?: Date;
  endReason?: string;
  renewals: Renewal[];
}

export type CapabilityChange =
  | { kind: 'posted'; attributes: PostingAttributes; at: Date }
  | { kind: 'withdrawn'; at: Date }
  | { kind: 'expired'; at: Date }
  | { kind: 'renewed'; validUntil: string; at: Date }
  | { kind: 'noticed'; enterpriseId: string };

function firstEnd(ends: [string, Date | undefined][]): { endedAt?: Date; endReason?: string } {
  let best: { endedAt?: Date; endReason?: string } = {};
  for (const [reason, at] of ends) {
    if (at && (!best.endedAt || at.getTime() < best.endedAt.getTime()))
      best = { endedAt: at, endReason: reason };
  }
  return best;
}

export function mergeCapabilityChange(
  fact: CapabilityFact | undefined,
  change: CapabilityChange,
): CapabilityFact {
  const f: CapabilityFact = { ...(fact ?? { renewals: [] }) };
  switch (change.kind) {
    case 'posted':
      Object.assign(f, change.attributes);
      f.postedAt = earliest(f.postedAt, change.at);
      break;
    case 'withdrawn':
      f.withdrawnAt = earliest(f.withdrawnAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'renewed': {
      const others = f.renewals.filter((r) => r.validUntil !== change.validUntil);
      const same = f.renewals.find((r) => r.validUntil === change.validUntil);
      f.renewals = [
        ...others,
        { validUntil: change.validUntil, at: earliest(same?.at, change.at) as Date },
      ].sort((a, b) => a.validUntil.localeCompare(b.validUntil));
      break;
    }
    case 'noticed':
      f.enterpriseId ??= change.enterpriseId;
      break;
  }
  const { endedAt, endReason } = firstEnd([
    ['withdrawn', f.withdrawnAt],
    ['expired', f.expiredAt],
  ]);
  return { ...f, endedAt, endReason };
}

export interface NeedFact extends Partial<PostingAttributes> {
  category?: string;
  postedAt?: Date;
  fulfilledAt?: Date;
  closedAt?: Date;
  expiredAt?: Date;
  /** The earliest end and why: fulfilled | closed | expired. */
  endedAt?: Date;
  endReason?: string;
}

export type NeedChange =
  | { kind: 'posted'; attributes: PostingAttributes; category: string; at: Date }
  | { kind: 'fulfilled' | 'closed' | 'expired'; at: Date }
  | { kind: 'noticed'; enterpriseId: string };

export function mergeNeedChange(fact: NeedFact | undefined, change: NeedChange): NeedFact {
  const f: NeedFact = { ...(fact ?? {}) };
  switch (change.kind) {
    case 'posted':
      Object.assign(f, change.attributes, { category: change.category });
      f.postedAt = earliest(f.postedAt, change.at);
      break;
    case 'fulfilled':
      f.fulfilledAt = earliest(f.fulfilledAt, change.at);
      break;
    case 'closed':
      f.closedAt = earliest(f.closedAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'noticed':
      f.enterpriseId ??= change.enterpriseId;
      break;
  }
  const { endedAt, endReason } = firstEnd([
    ['fulfilled', f.fulfilledAt],
    ['closed', f.closedAt],
    ['expired', f.expiredAt],
  ]);
  return { ...f, endedAt, endReason };
}
