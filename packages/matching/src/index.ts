export { demandFromNeed, partyFromEnterprise, supplyFromCapability, titleOf } from './from-registry';
export { MinHeap } from './heap';
export { unknownParty } from './index-core';
export { DemandIndex, type RankedDemand } from './index-demand';
export { type Ranked, SupplyIndex } from './index-supply';
export { type Explanation, explainPair, scorePair } from './score';
export * from './types';
export { componentNames, defaultWeights, normaliseWeights } from './weights';
