/**
 * The contracts without the gRPC service definitions, which load @grpc/grpc-js: the message
 * types, the event catalogue and the enum mapping. Domain code imports this entry
 * (`@lienket/contracts/messages`) so that it loads no transport.
 */
export * as commonV1 from '../gen/lienket/common/v1/common';
export * as identityEventsV1 from '../gen/lienket/identity/v1/events';
export * as identityV1 from '../gen/lienket/identity/v1/identity';
export * as insightsV1 from '../gen/lienket/insights/v1/insights';
export * as matchmakingEventsV1 from '../gen/lienket/matchmaking/v1/events';
export * as matchmakingV1 from '../gen/lienket/matchmaking/v1/matchmaking';
export * as programmeEventsV1 from '../gen/lienket/programme/v1/events';
export * as programmeV1 from '../gen/lienket/programme/v1/programme';
export * as registryEventsV1 from '../gen/lienket/registry/v1/events';
export * as registryV1 from '../gen/lienket/registry/v1/registry';
export * as techtransferEventsV1 from '../gen/lienket/techtransfer/v1/events';
export * as techtransferV1 from '../gen/lienket/techtransfer/v1/techtransfer';
export * from './enums';
export * from './events';
export * from './update-masks';
