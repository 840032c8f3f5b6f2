export * from './api';
export * from './catalogue';
export * from './generate';
export * from './prng';
export * from './run';
export * from './tax-code';
export * from './tokens';
