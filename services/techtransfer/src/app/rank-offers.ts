import type { Actor } from '@lienket/platform';
import { tokenize } from '@lienket/reference';
import type { Party } from '../domain/model';
import { mayKnowOwner, maySeeOffer, requireAuthenticated } from '../domain/policy';
import { type RankedOffer, rankOffers, technologyWeights } from '../domain/ranking';
import type { UseCaseContext } from './context';

/** Ranking the offers that fit a technology request. */
export function makeRankOffers(ctx: UseCaseContext) {
  const { store, clock, deps, loadRequest, viewerOf } = ctx;

  return {
    /** Published offers the requester may see, ranked by the shared matching score. */
    async rankOffers(
      actor: Actor,
      requestId: string,
      limit: number,
      minScore: number,
    ): Promise<{ ranked: RankedOffer; showOwner: boolean }[]> {
      requireAuthenticated(actor);
      const request = await loadRequest(requestId);
      const requester = await store.findParty(request.requesterId);
      const candidates = await store.candidateOffers(
        {
          hsChapters: [...new Set(request.hsCodes.map((c) => c.slice(0, 2)))],
          vsicDivisions: [...new Set(request.vsicCodes.map((c) => c.slice(0, 2)))],
          tokens: tokenize(`${request.title} ${request.keywords.join(' ')}`),
        },
        deps.ranking.candidates,
      );
      // Visible to the requester (and to the caller): nobody learns of an offer through a ranking.
      const requesterActor: Actor = {
        role: 'enterprise',
        enterpriseId: request.requesterId,
        provinceCode: '',
        subject: '',
      };
      const callerViewer = await viewerOf(actor);
      const visible = candidates.filter(
        (o) =>
          o.ownerId !== request.requesterId &&
          maySeeOffer(requesterActor, o, requester) &&
          maySeeOffer(actor, o, callerViewer.party),
      );
      const owners = new Map<string, Party | undefined>();
      await Promise.all(
        [...new Set(visible.map((o) => o.ownerId))].map(async (id) =>
          owners.set(id, await store.findParty(id)),
        ),
      );
      if (requester) owners.set(requester.enterpriseId, requester);
      const ranked = rankOffers(
        request,
        visible,
        (id) => owners.get(id),
        clock(),
        Math.min(Math.max(limit || 10, 1), 50),
        minScore || deps.ranking.threshold,
        technologyWeights,
      );
      return ranked.map((r) => ({ ranked: r, showOwner: mayKnowOwner(actor, r.offer) }));
    },
  };
}
