export * as commonV1 from '../gen/lienket/common/v1/common';
export * as registryEventsV1 from '../gen/lienket/registry/v1/events';
export * as registryV1 from '../gen/lienket/registry/v1/registry';
export * as registryServiceV1 from '../gen/lienket/registry/v1/registry_service';
export * as testingV1 from '../gen/lienket/testing/v1/testing';
export { descriptorSetPath } from './descriptor';
export * from './events';
