export * from './hs';
export * from './provinces';
export * from './recognitions';
export * from './regions';
export * from './tax-code';
export * from './text';
export * from './validation';
export * from './vsic';
