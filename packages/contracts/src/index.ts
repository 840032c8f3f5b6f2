export * as insightsServiceV1 from '../gen/lienket/insights/v1/insights_service';
export * as matchmakingServiceV1 from '../gen/lienket/matchmaking/v1/matchmaking_service';
export * as registryServiceV1 from '../gen/lienket/registry/v1/registry_service';
export * as techtransferServiceV1 from '../gen/lienket/techtransfer/v1/techtransfer_service';
export * as testingV1 from '../gen/lienket/testing/v1/testing';
export * from './csv';
export { descriptorSetPath } from './descriptor';
export * from './json-schema';
export * from './messages';
