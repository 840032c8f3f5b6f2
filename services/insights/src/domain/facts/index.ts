/**
 * Facts: one document per entity keyed by its id, holding what the events told about it. One
 * module per kind of fact, each reducer named after what it merges (`mergeCapabilityChange`...);
 * merge.ts holds the rules that make every merge independent of the order and number of deliveries.
 */

export * from './cluster';
export * from './cofunding';
export * from './demand';
export * from './enterprise';
export * from './interest';
export * from './merge';
export * from './offers';
export * from './postings';
export * from './proposal';
export * from './scheme';
