export * as commonV1 from '../gen/lienket/common/v1/common';
export * as testingV1 from '../gen/lienket/testing/v1/testing';
export { descriptorSetPath } from './descriptor';
export * from './events';
