import type { registryV1 } from '@lienket/contracts';
import { registryV1 as r } from '@lienket/contracts';
import { findLegacyProvince, findProvince } from '@lienket/reference';
import type {
  Capability,
  Cluster,
  Enterprise,
  EnterpriseKind,
  Need,
  NeedCategory,
  SizeBand,
} from '../domain/model';

export const kindToProto: Record<EnterpriseKind, r.EnterpriseKind> = {
  enterprise: r.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
  cooperative: r.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE,
  household_business: r.EnterpriseKind.ENTERPRISE_KIND_HOUSEHOLD_BUSINESS,
  rural_industrial_establishment: r.EnterpriseKind.ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT,
  research_institute: r.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
  promotion_centre: r.EnterpriseKind.ENTERPRISE_KIND_PROMOTION_CENTRE,
};
export const kindFromProto = new Map(Object.entries(kindToProto).map(([k, v]) => [v, k as EnterpriseKind]));

export const sizeToProto: Record<SizeBand, r.SizeBand> = {
  unspecified: r.SizeBand.SIZE_BAND_UNSPECIFIED,
  micro: r.SizeBand.SIZE_BAND_MICRO,
  small: r.SizeBand.SIZE_BAND_SMALL,
  medium: r.SizeBand.SIZE_BAND_MEDIUM,
  large: r.SizeBand.SIZE_BAND_LARGE,
};
export const sizeFromProto = new Map(Object.entries(sizeToProto).map(([k, v]) => [v, k as SizeBand]));

export const categoryToProto: Record<NeedCategory, r.NeedCategory> = {
  material: r.NeedCategory.NEED_CATEGORY_MATERIAL,
  component: r.NeedCategory.NEED_CATEGORY_COMPONENT,
  outsourcing: r.NeedCategory.NEED_CATEGORY_OUTSOURCING,
  equipment: r.NeedCategory.NEED_CATEGORY_EQUIPMENT,
  technology: r.NeedCategory.NEED_CATEGORY_TECHNOLOGY,
  service: r.NeedCategory.NEED_CATEGORY_SERVICE,
};
export const categoryFromProto = new Map(
  Object.entries(categoryToProto).map(([k, v]) => [v, k as NeedCategory]),
);

const verificationToProto = {
  unverified: r.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED,
  verified: r.VerificationStatus.VERIFICATION_STATUS_VERIFIED,
  rejected: r.VerificationStatus.VERIFICATION_STATUS_REJECTED,
} as const;

const capabilityStatus = {
  open: r.CapabilityStatus.CAPABILITY_STATUS_OPEN,
  withdrawn: r.CapabilityStatus.CAPABILITY_STATUS_WITHDRAWN,
  expired: r.CapabilityStatus.CAPABILITY_STATUS_EXPIRED,
} as const;

const needStatus = {
  open: r.NeedStatus.NEED_STATUS_OPEN,
  fulfilled: r.NeedStatus.NEED_STATUS_FULFILLED,
  closed: r.NeedStatus.NEED_STATUS_CLOSED,
  expired: r.NeedStatus.NEED_STATUS_EXPIRED,
} as const;

const money = (range: { minVnd: number; maxVnd: number } | null) =>
  range ? { min: { vnd: range.minVnd }, max: { vnd: range.maxVnd } } : undefined;

/** The public profile: everything but the contact. */
export function enterpriseToProto(e: Enterprise): registryV1.Enterprise {
  return {
    id: e.id,
    taxCode: e.taxCode,
    name: e.name,
    kind: kindToProto[e.kind],
    supportingIndustry: e.supportingIndustry,
    leadFirm: e.leadFirm,
    province: {
      code: e.province,
      legacyCode: e.legacyProvince,
      name: findProvince(e.province)?.name ?? findLegacyProvince(e.province)?.name ?? '',
    },
    region: e.region,
    address: e.address,
    primaryVsic: e.primaryVsic,
    vsicCodes: e.vsicCodes,
    sizeBand: sizeToProto[e.sizeBand],
    recognitions: e.recognitions.map((x) => ({
      kind: x.kind,
      level: x.level,
      year: x.year,
      product: x.product,
    })),
    trademarks: e.trademarks,
    verification: {
      status: verificationToProto[e.verification.status],
      reason: e.verification.reason,
      decidedBy: e.verification.decidedBy,
      decidedAt: e.verification.decidedAt ?? undefined,
    },
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    version: e.version,
  };
}

export function capabilityToProto(c: Capability): registryV1.Capability {
  return {
    id: c.id,
    enterpriseId: c.enterpriseId,
    title: c.title,
    description: c.description,
    hsCodes: c.hsCodes,
    vsicCodes: c.vsicCodes,
    monthlyCapacity: c.monthlyCapacity,
    minimumOrder: c.minimumOrder ?? undefined,
    leadTimeDays: c.leadTimeDays,
    servedProvinces: c.servedProvinces,
    servedRegions: c.servedRegions,
    certifications: c.certifications,
    priceBand: money(c.priceBand),
    validUntil: c.validUntil,
    status: capabilityStatus[c.status],
    province: c.province,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function needToProto(n: Need): registryV1.Need {
  return {
    id: n.id,
    enterpriseId: n.enterpriseId,
    title: n.title,
    description: n.description,
    category: categoryToProto[n.category],
    hsCodes: n.hsCodes,
    vsicCodes: n.vsicCodes,
    quantityPerMonth: n.quantityPerMonth,
    deadline: n.deadline ?? undefined,
    requiredCertifications: n.requiredCertifications,
    preferredProvinces: n.preferredProvinces,
    excludedProvinces: n.excludedProvinces,
    budget: money(n.budget),
    validUntil: n.validUntil,
    status: needStatus[n.status],
    province: n.province,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  };
}

export function clusterToProto(c: Cluster): registryV1.Cluster {
  return {
    id: c.id,
    name: c.name,
    chain: c.chain,
    anchorEnterpriseId: c.anchorEnterpriseId,
    members: c.members,
    createdAt: c.createdAt,
  };
}
