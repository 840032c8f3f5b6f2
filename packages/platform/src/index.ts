export * from './config';
export * from './errors';
export * from './grpc/client';
export * from './grpc/errors';
export * from './grpc/server';
export * from './lifecycle';
export * from './logging';
export * from './problem';
