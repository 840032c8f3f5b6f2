import { type Constraints, text } from './shapes';

// services/matchmaking/src/domain/proposal.ts: a decline says why, in 3 to 500 characters.
export const matchmakingConstraints: Record<string, Constraints> = {
  'lienket.matchmaking.v1.DeclineProposalRequest': {
    fields: { reason: text(3, 500) },
    message: { required: ['reason'] },
  },
};
