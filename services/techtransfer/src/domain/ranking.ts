import {
  type Component,
  type Demand,
  type Party as MatchParty,
  normaliseWeights,
  type Supply,
  scorePair,
  type Weights,
} from '@lienket/matching';
import { tokenize } from '@lienket/reference';
import type { Offer, Party, TechRequest } from './model';

/**
 * Offers are ranked for a request by the platform's one matching score (@lienket/matching): an
 * offer is a supply and a request a demand of category technology. Capacity and lead time mean
 * nothing for a technology, so their weights default to zero; the technology's own hard filters
 * (readiness, transfer modes, cleaner production) come first.
 */
export const technologyWeights: Weights = normaliseWeights({ capacity: 0, lead_time: 0 });

export interface RankedOffer {
  offer: Offer;
  score: number;
  components: Component[];
  reason: string;
  reasonVi: string;
}

export function supplyOfOffer(offer: Offer): Supply {
  return {
    id: offer.id,
    enterpriseId: offer.ownerId,
    province: offer.ownerProvince,
    hsCodes: offer.hsCodes,
    vsicCodes: offer.vsicCodes,
    tokens: tokenize(`${offer.title} ${offer.summary} ${offer.keywords.join(' ')}`),
    monthlyCapacity: null,
    leadTimeDays: 0,
    servedProvinces: [],
    servedRegions: [],
    certifications: [],
    postedAt: offer.publishedAt ?? offer.createdAt,
    validUntil: offer.validUntil ?? new Date(8.64e15),
    open: offer.status === 'published',
  };
}

export function demandOfRequest(request: TechRequest): Demand {
  return {
    id: request.id,
    enterpriseId: request.requesterId,
    province: request.province,
    category: 'technology',
    hsCodes: request.hsCodes,
    vsicCodes: request.vsicCodes,
    tokens: tokenize(`${request.title} ${request.description} ${request.keywords.join(' ')}`),
    quantityPerMonth: null,
    deadline: null,
    requiredCertifications: [],
    preferredProvinces: [],
    excludedProvinces: [],
    postedAt: request.createdAt,
    validUntil: request.validUntil,
    open: request.status === 'open',
  };
}

export function matchParty(party: Party | undefined, enterpriseId: string, province: string): MatchParty {
  return {
    enterpriseId,
    province: party?.province ?? province,
    kind: party?.kind ?? 'enterprise',
    supportingIndustry: party?.supportingIndustry ?? false,
    leadFirm: party?.leadFirm ?? false,
    verified: party?.verified ?? false,
    recognitions: party?.recognitions ?? [],
  };
}

/** Why the request rules the offer out, in both languages; empty when it does not. */
export function technologyExclusions(
  request: TechRequest,
  offer: Offer,
): { detail: string; detailVi: string }[] {
  const out: { detail: string; detailVi: string }[] = [];
  if (request.minReadinessLevel > 0 && offer.readinessLevel < request.minReadinessLevel)
    out.push({
      detail: `readiness TRL ${offer.readinessLevel} is below the TRL ${request.minReadinessLevel} asked`,
      detailVi: `mức sẵn sàng TRL ${offer.readinessLevel} thấp hơn TRL ${request.minReadinessLevel} yêu cầu`,
    });
  if (request.transferModes.length > 0 && !offer.transferModes.some((m) => request.transferModes.includes(m)))
    out.push({
      detail: `none of the transfer modes asked (${request.transferModes.join(', ')})`,
      detailVi: `không có hình thức chuyển giao được yêu cầu (${request.transferModes.join(', ')})`,
    });
  if (request.cleanerProduction && !offer.cleanerProduction)
    out.push({
      detail: 'not a cleaner-production technology',
      detailVi: 'không phải công nghệ sản xuất sạch hơn',
    });
  if (request.pollutionTreatment && !offer.pollutionTreatment)
    out.push({
      detail: 'not a pollution-treatment technology',
      detailVi: 'không phải công nghệ xử lý ô nhiễm',
    });
  return out;
}

/** The k best offers at or above `threshold`, best first (ties by offer id). */
export function rankOffers(
  request: TechRequest,
  offers: Offer[],
  parties: (enterpriseId: string) => Party | undefined,
  now: Date,
  k: number,
  threshold: number,
  weights: Weights = technologyWeights,
): RankedOffer[] {
  const demand = demandOfRequest(request);
  const buyer = matchParty(parties(request.requesterId), request.requesterId, request.province);
  const ranked: RankedOffer[] = [];
  for (const offer of offers) {
    if (technologyExclusions(request, offer).length > 0) continue;
    const supplier = matchParty(parties(offer.ownerId), offer.ownerId, offer.ownerProvince);
    const verdict = scorePair(demand, supplyOfOffer(offer), buyer, supplier, now, weights);
    if (!verdict.ok || verdict.match.score < threshold) continue;
    const { score, components, reason, reasonVi } = verdict.match;
    ranked.push({ offer, score, components, reason, reasonVi });
  }
  ranked.sort((a, b) => b.score - a.score || (a.offer.id < b.offer.id ? -1 : 1));
  return ranked.slice(0, k);
}
