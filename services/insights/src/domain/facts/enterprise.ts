import type { Place } from '../places';
import { earliest, newer, type Register } from './merge';

/** Enterprise facts, merged from the registry's enterprise events. */

export interface EnterpriseFact {
  name?: string;
  kind?: string;
  province?: string;
  region?: string;
  supportingIndustry?: boolean;
  /** The profile version the name, kind and place come from (the highest seen). */
  profileVersion?: number;
  registeredAt?: Date;
  leadFirm?: Register<boolean>;
  /** verified | rejected | unverified */
  verification?: Register<string>;
  /** Derived from the registers, for $match. */
  isLeadFirm: boolean;
  isVerified: boolean;
}

export interface EnterpriseProfile {
  name: string;
  kind: string;
  place: Place;
  supportingIndustry: boolean;
  leadFirm: boolean;
  verification: string;
  version: number;
  /** When this state came to be (the profile's own updatedAt, else the event time). */
  stateAt: Date;
  createdAt: Date;
}

function deriveEnterprise(f: Omit<EnterpriseFact, 'isLeadFirm' | 'isVerified'>): EnterpriseFact {
  return {
    ...f,
    isLeadFirm: f.leadFirm?.value === true,
    isVerified: f.verification?.value === 'verified',
  };
}

export function mergeEnterpriseProfile(
  fact: EnterpriseFact | undefined,
  p: EnterpriseProfile,
): EnterpriseFact {
  const f = fact ?? { isLeadFirm: false, isVerified: false };
  const take = f.profileVersion === undefined || p.version >= f.profileVersion;
  return deriveEnterprise({
    ...f,
    ...(take
      ? {
          name: p.name,
          kind: p.kind,
          province: p.place.province,
          region: p.place.region,
          supportingIndustry: p.supportingIndustry,
          profileVersion: p.version,
        }
      : {}),
    registeredAt: earliest(f.registeredAt, p.createdAt),
    leadFirm: newer(f.leadFirm, { value: p.leadFirm, at: p.stateAt, rank: 0 }),
    verification: newer(f.verification, { value: p.verification, at: p.stateAt, rank: 0 }),
  });
}

export function mergeLeadFirmDesignation(
  fact: EnterpriseFact | undefined,
  leadFirm: boolean,
  at: Date,
): EnterpriseFact {
  const f = fact ?? { isLeadFirm: false, isVerified: false };
  return deriveEnterprise({ ...f, leadFirm: newer(f.leadFirm, { value: leadFirm, at, rank: 1 }) });
}

export function mergeVerification(
  fact: EnterpriseFact | undefined,
  verification: 'verified' | 'rejected',
  at: Date,
): EnterpriseFact {
  const f = fact ?? { isLeadFirm: false, isVerified: false };
  return deriveEnterprise({
    ...f,
    verification: newer(f.verification, { value: verification, at, rank: 1 }),
  });
}

/** A posting (need or capability) as posted. */
