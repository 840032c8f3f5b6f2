import { registryV1 } from '@lienket/contracts/messages';
import { tokenize } from '@lienket/reference';
import type { Demand, Party, Supply } from './types';

/** Registry payloads → what matching sees. Pure mapping; the consumer feeds it. */
const kinds: Record<number, string> = {
  [registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE]: 'enterprise',
  [registryV1.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE]: 'cooperative',
  [registryV1.EnterpriseKind.ENTERPRISE_KIND_HOUSEHOLD_BUSINESS]: 'household_business',
  [registryV1.EnterpriseKind.ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT]:
    'rural_industrial_establishment',
  [registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE]: 'research_institute',
  [registryV1.EnterpriseKind.ENTERPRISE_KIND_PROMOTION_CENTRE]: 'promotion_centre',
};

const categories: Record<number, string> = {
  [registryV1.NeedCategory.NEED_CATEGORY_MATERIAL]: 'material',
  [registryV1.NeedCategory.NEED_CATEGORY_COMPONENT]: 'component',
  [registryV1.NeedCategory.NEED_CATEGORY_OUTSOURCING]: 'outsourcing',
  [registryV1.NeedCategory.NEED_CATEGORY_EQUIPMENT]: 'equipment',
  [registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY]: 'technology',
  [registryV1.NeedCategory.NEED_CATEGORY_SERVICE]: 'service',
};

export function partyFromEnterprise(e: registryV1.Enterprise): Party {
  return {
    enterpriseId: e.id,
    province: e.province?.code ?? '',
    kind: kinds[e.kind] ?? 'enterprise',
    supportingIndustry: e.supportingIndustry,
    leadFirm: e.leadFirm,
    verified: e.verification?.status === registryV1.VerificationStatus.VERIFICATION_STATUS_VERIFIED,
    recognitions: e.recognitions.map((r) => (r.level ? `${r.kind}:${r.level}` : r.kind)),
  };
}

export function supplyFromCapability(c: registryV1.Capability): Supply {
  return {
    id: c.id,
    enterpriseId: c.enterpriseId,
    province: c.province,
    hsCodes: c.hsCodes,
    vsicCodes: c.vsicCodes,
    tokens: tokenize(`${c.title} ${c.description}`),
    monthlyCapacity: c.monthlyCapacity
      ? { value: c.monthlyCapacity.value, unit: c.monthlyCapacity.unit }
      : null,
    leadTimeDays: c.leadTimeDays,
    servedProvinces: c.servedProvinces,
    servedRegions: c.servedRegions,
    certifications: c.certifications,
    postedAt: c.createdAt ?? new Date(0),
    validUntil: c.validUntil ?? new Date(0),
    open: c.status === registryV1.CapabilityStatus.CAPABILITY_STATUS_OPEN,
  };
}

export function demandFromNeed(n: registryV1.Need): Demand {
  return {
    id: n.id,
    enterpriseId: n.enterpriseId,
    province: n.province,
    category: categories[n.category] ?? 'material',
    hsCodes: n.hsCodes,
    vsicCodes: n.vsicCodes,
    tokens: tokenize(`${n.title} ${n.description}`),
    quantityPerMonth: n.quantityPerMonth
      ? { value: n.quantityPerMonth.value, unit: n.quantityPerMonth.unit }
      : null,
    deadline: n.deadline ?? null,
    requiredCertifications: n.requiredCertifications,
    preferredProvinces: n.preferredProvinces,
    excludedProvinces: n.excludedProvinces,
    postedAt: n.createdAt ?? new Date(0),
    validUntil: n.validUntil ?? new Date(0),
    open: n.status === registryV1.NeedStatus.NEED_STATUS_OPEN,
  };
}

/** Titles are kept beside the index for ad hoc answers (Candidate.title). */
export const titleOf = (posting: { title: string }) => posting.title;
