import type { CapabilityFact } from './facts';

/**
 * Slices: what a fact counts for under each array-valued dimension, as self-contained entries.
 *
 * FerretDB 1.24's $unwind keeps only `_id` and the unwound field of each document: every other
 * field is gone after it (measured: group keys come back missing, $sum of another field 0, $match on
 * another field empty). So every array the read side unwinds carries, in each entry, the key it
 * groups by and every figure it adds up: `{ d: dimension, k: key, ...carried }`. They are derived
 * from the fact on every merge, like any other derived field.
 */
export type SliceDimension = 'all' | 'province' | 'region' | 'vsic' | 'hs';

export interface Slice {
  d: SliceDimension;
  k: string;
  /** For slices of happenings (renewals): when it happened. */
  at?: Date;
  [carried: string]: string | number | Date | undefined;
}

interface Sliceable {
  provinces?: string[];
  regions?: string[];
  vsicDivisions?: string[];
  hsChapters?: string[];
}

function slicesOf(
  f: Sliceable,
  carried: Record<string, string | number | undefined>,
  dims: SliceDimension[],
): Slice[] {
  const keys: Record<Exclude<SliceDimension, 'all'>, string[] | undefined> = {
    province: f.provinces,
    region: f.regions,
    vsic: f.vsicDivisions,
    hs: f.hsChapters,
  };
  const slices: Slice[] = [];
  for (const d of dims) {
    if (d === 'all') continue;
    for (const k of keys[d] ?? []) slices.push({ d, k, ...carried });
  }
  return slices;
}

const proposalCarried = (f: Record<string, unknown>) => ({
  outcome: f.outcome as string,
  accepted: f.accepted as number,
  established: f.established as number,
  intraRegion: f.intraRegion as number,
  crossRegion: f.crossRegion as number,
  intraProvince: f.intraProvince as number,
});

/** The slices of a fact of a kind (none for kinds the read side never unwinds). */
export function withSlices<F extends object>(kind: string, fact: F): F {
  const f = fact as F & Sliceable & Record<string, unknown>;
  switch (kind) {
    case 'proposal':
      return { ...f, slices: slicesOf(f, proposalCarried(f), ['province', 'region', 'vsic', 'hs']) };
    case 'interest':
      return {
        ...f,
        slices: slicesOf(f, { agreementValueVnd: f.agreementValueVnd as number }, ['vsic', 'hs']),
      };
    case 'cofunding':
      return {
        ...f,
        slices: slicesOf(
          f,
          { requestedVnd: f.requestedVnd as number, approvedVnd: f.approvedVnd as number },
          ['vsic', 'hs'],
        ),
      };
    case 'disbursement':
      return { ...f, slices: slicesOf(f, { amountVnd: f.amountVnd as number }, ['vsic', 'hs']) };
    case 'capability':
      return {
        ...f,
        slices: slicesOf(f, {}, ['vsic', 'hs']),
        renewalSlices: renewalSlices(f as unknown as CapabilityFact),
      };
    case 'need':
    case 'demand':
    case 'offer':
    case 'request':
      return { ...f, slices: slicesOf(f, {}, ['vsic', 'hs']) };
    default:
      return fact;
  }
}

/** One slice per renewal and dimension, with the renewal's time: renewals counted by period and key. */
function renewalSlices(f: CapabilityFact): Slice[] {
  const slices: Slice[] = [];
  for (const r of f.renewals ?? []) {
    slices.push({ d: 'all', k: '', at: r.at });
    if (f.province !== undefined) slices.push({ d: 'province', k: f.province, at: r.at });
    if (f.region) slices.push({ d: 'region', k: f.region, at: r.at });
    for (const k of f.vsicDivisions ?? []) slices.push({ d: 'vsic', k, at: r.at });
    for (const k of f.hsChapters ?? []) slices.push({ d: 'hs', k, at: r.at });
  }
  return slices;
}
