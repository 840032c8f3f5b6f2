import { type MatchmakingDeps, makeMatchmakingContext } from './context';
import { makeFindMatches } from './find-matches';
import { makeProjection } from './projection';
import { makeProposalUseCases } from './proposals';
import { makeProposeMatches } from './propose-matches';

export type { MatchmakingDeps, MatchmakingSettings } from './context';
export { proposalToProto } from './to-proto';

/**
 * The matchmaking use cases, one module per group: the registry projection (projection.ts), the
 * actions that propose matches (propose-matches.ts), the ranked queries and explanations
 * (find-matches.ts) and the proposal lifecycle (proposals.ts), over the in-memory indexes they
 * share (context.ts).
 */
export function makeMatchmaking(deps: MatchmakingDeps) {
  const ctx = makeMatchmakingContext(deps);
  return {
    supplies: ctx.supplies,
    demands: ctx.demands,
    ...makeProjection(ctx),
    actions: makeProposeMatches(ctx),
    ...makeFindMatches(ctx),
    ...makeProposalUseCases(ctx),
  };
}

export type Matchmaking = ReturnType<typeof makeMatchmaking>;
