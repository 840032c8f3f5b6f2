import type { Sectors } from '../places';
import { earliest } from './merge';
import type { Renewal } from './postings';

/** Technology offer and request facts, merged from techtransfer's offer and request events. */

export interface OfferFact extends Partial<Sectors> {
  ownerProvince?: string;
  ownerRegion?: string;
  ownerKind?: string;
  cleanerProduction?: boolean;
  pollutionTreatment?: boolean;
  /** Cleaner production or pollution treatment. */
  cleaner?: boolean;
  publishedAt?: Date;
  withdrawnAt?: Date;
  expiredAt?: Date;
  renewals: Renewal[];
}

export type OfferChange =
  | {
      kind: 'published';
      attributes: Sectors & {
        ownerProvince: string;
        ownerRegion: string;
        ownerKind: string;
        cleanerProduction: boolean;
        pollutionTreatment: boolean;
      };
      at: Date;
    }
  | { kind: 'withdrawn' | 'expired'; at: Date }
  | { kind: 'renewed'; validUntil: string; at: Date };

export function mergeOfferChange(fact: OfferFact | undefined, change: OfferChange): OfferFact {
  const f: OfferFact = { ...(fact ?? { renewals: [] }) };
  switch (change.kind) {
    case 'published':
      Object.assign(f, change.attributes, {
        cleaner: change.attributes.cleanerProduction || change.attributes.pollutionTreatment,
      });
      f.publishedAt = earliest(f.publishedAt, change.at);
      break;
    case 'withdrawn':
      f.withdrawnAt = earliest(f.withdrawnAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'renewed': {
      const same = f.renewals.find((r) => r.validUntil === change.validUntil);
      f.renewals = [
        ...f.renewals.filter((r) => r.validUntil !== change.validUntil),
        { validUntil: change.validUntil, at: earliest(same?.at, change.at) as Date },
      ].sort((a, b) => a.validUntil.localeCompare(b.validUntil));
      break;
    }
  }
  return f;
}

export interface RequestFact extends Partial<Sectors> {
  province?: string;
  region?: string;
  source?: string;
  cleaner?: boolean;
  postedAt?: Date;
  closedAt?: Date;
}

export type RequestChange =
  | {
      kind: 'posted';
      attributes: Sectors & { province: string; region: string; source: string; cleaner: boolean };
      at: Date;
    }
  | { kind: 'closed'; at: Date };

export function mergeRequestChange(fact: RequestFact | undefined, change: RequestChange): RequestFact {
  const f: RequestFact = { ...(fact ?? {}) };
  if (change.kind === 'posted') {
    Object.assign(f, change.attributes);
    f.postedAt = earliest(f.postedAt, change.at);
  } else {
    f.closedAt = earliest(f.closedAt, change.at);
  }
  return f;
}

/** What every interest event carries (InterestFacts), without enterprise ids: insights counts by place. */
