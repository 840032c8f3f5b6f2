import { explainPair } from '@lienket/matching';
import { AppError } from '@lienket/platform/errors';
import type { MatchmakingContext } from './context';
import { componentsToProto } from './to-proto';

/** Ranked matches for an open posting, both ways, and the explanation of any pair. */
export function makeFindMatches(ctx: MatchmakingContext) {
  const { store, clock, settings, supplies, demands, titles, party, requireDemand, requireSupply } = ctx;

  return {
    findMatchesForNeed(needId: string, limit: number, minScore: number) {
      const demand = requireDemand(needId);
      const ranked = supplies.topK(
        demand,
        party(demand.enterpriseId, demand.province),
        limit || settings.k,
        minScore || settings.threshold,
        clock(),
      );
      return ranked.map(({ supply, match }) => ({
        postingId: supply.id,
        enterpriseId: supply.enterpriseId,
        province: supply.province,
        title: titles.get(supply.id) ?? '',
        score: match.score,
        components: componentsToProto(match.components),
        reason: match.reason,
        reasonVi: match.reasonVi,
      }));
    },
    findNeedsForCapability(capabilityId: string, limit: number, minScore: number) {
      const supply = requireSupply(capabilityId);
      const ranked = demands.topK(
        supply,
        party(supply.enterpriseId, supply.province),
        limit || settings.k,
        minScore || settings.threshold,
        clock(),
      );
      return ranked.map(({ demand, match }) => ({
        postingId: demand.id,
        enterpriseId: demand.enterpriseId,
        province: demand.province,
        title: titles.get(demand.id) ?? '',
        score: match.score,
        components: componentsToProto(match.components),
        reason: match.reason,
        reasonVi: match.reasonVi,
      }));
    },
    /** Why, or why not, for any pair: closed postings are explained from the stored projection. */
    async explain(needId: string, capabilityId: string) {
      const demand = demands.get(needId) ?? (await store.findDemand(needId))?.demand;
      const supply = supplies.get(capabilityId) ?? (await store.findSupply(capabilityId))?.supply;
      if (!demand)
        throw new AppError('NOT_FOUND', `No need ${needId}`, {
          code: 'NEED_NOT_FOUND',
          messageVi: `Không tìm thấy nhu cầu ${needId}`,
        });
      if (!supply) {
        throw new AppError('NOT_FOUND', `No capability ${capabilityId}`, {
          code: 'CAPABILITY_NOT_FOUND',
          messageVi: `Không tìm thấy năng lực ${capabilityId}`,
        });
      }
      const { verdict, components } = explainPair(
        demand,
        supply,
        party(demand.enterpriseId, demand.province),
        party(supply.enterpriseId, supply.province),
        clock(),
        settings.weights,
      );
      return verdict.ok
        ? {
            matched: true,
            score: verdict.match.score,
            components: componentsToProto(components),
            exclusions: [],
            reason: verdict.match.reason,
            reasonVi: verdict.match.reasonVi,
          }
        : {
            matched: false,
            score: 0,
            components: componentsToProto(components),
            exclusions: verdict.exclusions,
            reason: verdict.exclusions.map((e) => e.detail).join('; '),
            reasonVi: verdict.exclusions.map((e) => e.detailVi).join('; '),
          };
    },
  };
}
