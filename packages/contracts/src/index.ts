// The namespaces are listed here, not re-exported from ./messages, so that declaration emit in the
// services can name their types through this entry.
export * as commonV1 from '../gen/lienket/common/v1/common';
export * as identityEventsV1 from '../gen/lienket/identity/v1/events';
export * as identityV1 from '../gen/lienket/identity/v1/identity';
export * as identityServiceV1 from '../gen/lienket/identity/v1/identity_service';
export * as insightsV1 from '../gen/lienket/insights/v1/insights';
export * as insightsServiceV1 from '../gen/lienket/insights/v1/insights_service';
export * as matchmakingEventsV1 from '../gen/lienket/matchmaking/v1/events';
export * as matchmakingV1 from '../gen/lienket/matchmaking/v1/matchmaking';
export * as matchmakingServiceV1 from '../gen/lienket/matchmaking/v1/matchmaking_service';
export * as programmeEventsV1 from '../gen/lienket/programme/v1/events';
export * as programmeV1 from '../gen/lienket/programme/v1/programme';
export * as programmeServiceV1 from '../gen/lienket/programme/v1/programme_service';
export * as registryEventsV1 from '../gen/lienket/registry/v1/events';
export * as registryV1 from '../gen/lienket/registry/v1/registry';
export * as registryServiceV1 from '../gen/lienket/registry/v1/registry_service';
export * as techtransferEventsV1 from '../gen/lienket/techtransfer/v1/events';
export * as techtransferV1 from '../gen/lienket/techtransfer/v1/techtransfer';
export * as techtransferServiceV1 from '../gen/lienket/techtransfer/v1/techtransfer_service';
export * as testingV1 from '../gen/lienket/testing/v1/testing';
export * from './csv';
export { descriptorSetPath, healthDescriptorSetPath } from './descriptor';
export * from './enums';
export * from './events';
export * from './json-schema';
export * from './update-masks';
