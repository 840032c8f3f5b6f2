export * from './browser';
export * from './go-tools';
export * from './grpc';
export * from './infrastructure';
export * from './python-tools';
export * from './test-infra';
export * from './tracing';
export * from './wait';
