import { makeApprovals } from './approvals';
import { makeCoFundingUseCases } from './cofunding';
import { makeUseCaseContext, type TechTransferDeps } from './context';
import { makeDeadlines } from './deadlines';
import { makeInterestUseCases } from './interests';
import { makeOfferUseCases } from './offers';
import { makeProgrammeUseCases } from './programmes';
import { makeRankOffers } from './rank-offers';
import { makeRequestUseCases } from './requests';

export type { TechTransferDeps } from './context';

/**
 * The technology-transfer use cases, one module per group: load, decide with the domain, save
 * state and events together. Each group is in the file named after it.
 */
export function makeTechTransfer(deps: TechTransferDeps) {
  const ctx = makeUseCaseContext(deps);
  const approvals = makeApprovals(ctx);
  return {
    ...makeOfferUseCases(ctx),
    ...makeRequestUseCases(ctx),
    ...makeRankOffers(ctx),
    ...makeInterestUseCases(ctx),
    ...makeProgrammeUseCases(ctx),
    ...makeCoFundingUseCases(ctx, approvals),
    ...makeDeadlines(ctx, approvals),
  };
}

export type TechTransfer = ReturnType<typeof makeTechTransfer>;
