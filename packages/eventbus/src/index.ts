export * from './aggregates';
export * from './cloudevents';
export * from './consumer';
export * from './kafka';
export * from './outbox';
export * from './publisher';
export * from './topics';
export * from './tracing';
