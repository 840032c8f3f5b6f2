import type { FactRule, FactUpdate } from './fact-update';
import { matchmakingRules } from './matchmaking';
import { programmeRules } from './programme';
import { registryRules } from './registry';
import { techtransferRules } from './techtransfer';

export * from './fact-update';

/**
 * How each public event merges into facts: every catalogued event of every public topic has one,
 * grouped by the context that publishes it (registry.ts, matchmaking.ts, techtransfer.ts, programme.ts).
 */
export const factRules: readonly FactRule[] = [
  ...registryRules,
  ...matchmakingRules,
  ...techtransferRules,
  ...programmeRules,
];

const byType = new Map(factRules.map((r) => [r.definition.type, r]));

/** The fact merges one event brings; none for a type insights does not read. */
export function updatesFor(type: string, payload: unknown, at: Date): FactUpdate[] {
  return byType.get(type)?.updates(payload, at) ?? [];
}

/** The public topics insights reads: every catalogued topic but the testing probe. */
export const publicTopics = [...new Set(factRules.map((r) => r.definition.topic))].sort();
