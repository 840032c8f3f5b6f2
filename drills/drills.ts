// The four drills. Each runs against the running platform, then checks its invariants.
export { brokerRestartDrill } from './drill-broker';
export type { DrillEnv, DrillResult, Settings } from './drill-common';
export { killDrill } from './drill-kill';
export { poisonAndDuplicatesDrill } from './drill-poison';
export { storeRestartDrill } from './drill-store';
