import type { Sectors } from '../places';
import { earliest, largest } from './merge';

/** Interest facts, merged from techtransfer's interest and agreement events. */

export interface InterestAttributes extends Sectors {
  offerId: string;
  requestId: string;
  ownerProvince: string;
  ownerRegion: string;
  interestedProvince: string;
  interestedRegion: string;
  cleaner: boolean;
}

export interface InterestFact extends Partial<InterestAttributes> {
  /** The earliest event of the interest. */
  expressedAt?: Date;
  acceptedAt?: Date;
  declinedAt?: Date;
  withdrawnAt?: Date;
  expiredAt?: Date;
  abandonedAt?: Date;
  agreementId?: string;
  agreementSignedAt?: Date;
  agreementValueVnd?: number;
}

export type InterestChange =
  | { kind: 'expressed' | 'reminded'; at: Date }
  | { kind: 'accepted' | 'declined' | 'withdrawn' | 'expired' | 'abandoned'; at: Date }
  | { kind: 'agreement_signed'; agreementId: string; valueVnd: number; at: Date };

const interestTimes = {
  accepted: 'acceptedAt',
  declined: 'declinedAt',
  withdrawn: 'withdrawnAt',
  expired: 'expiredAt',
  abandoned: 'abandonedAt',
} as const;

export function mergeInterestChange(
  fact: InterestFact | undefined,
  attributes: InterestAttributes,
  change: InterestChange,
): InterestFact {
  const f: InterestFact = { ...(fact ?? {}) };
  // Owner province and flags are the same in every event of an interest; the ids never hide here.
  Object.assign(f, attributes);
  f.expressedAt = earliest(f.expressedAt, change.at);
  switch (change.kind) {
    case 'expressed':
    case 'reminded':
      break;
    case 'agreement_signed':
      f.agreementId = change.agreementId;
      f.agreementSignedAt = earliest(f.agreementSignedAt, change.at);
      f.agreementValueVnd = largest(f.agreementValueVnd, change.valueVnd);
      break;
    default: {
      const field = interestTimes[change.kind];
      f[field] = earliest(f[field], change.at);
    }
  }
  return f;
}
