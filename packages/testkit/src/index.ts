export * from './grpc';
export * from './infrastructure';
export * from './test-infra';
export * from './tracing';
export * from './wait';
