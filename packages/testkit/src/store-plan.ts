/**
 * What the store's query plan (`explain`) says about index use, for the two stores the suite runs on:
 * - MongoDB: `queryPlanner.winningPlan`, a tree of stages (`inputStage`, `inputStages`; under
 *   `queryPlan` with the slot-based engine): IDHACK, EXPRESS_IXSCAN or IXSCAN on `_id_` when the
 *   _id index answers, COLLSCAN when the collection is scanned.
 * - FerretDB 1.24 on SQLite: `queryPlanner.Plan`, SQLite's EXPLAIN QUERY PLAN lines:
 *   `SEARCH <table> USING INDEX <table>__id_ (...)` or `SCAN <table>`.
 */
export interface StorePlan {
  store: 'mongodb' | 'ferretdb-sqlite';
  /** The stages (MongoDB) or plan lines (SQLite), for messages. */
  steps: string[];
  /** Answered from the _id index, no collection scan anywhere in the plan. */
  usesIdIndex: boolean;
}

type Stage = { stage?: unknown; indexName?: unknown; [key: string]: unknown };

function stagesOf(node: unknown, out: Stage[] = []): Stage[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const child of node) stagesOf(child, out);
    return out;
  }
  const stage = node as Stage;
  if (typeof stage.stage === 'string') out.push(stage);
  for (const key of ['inputStage', 'inputStages', 'queryPlan', 'shards', 'winningPlan'])
    stagesOf(stage[key], out);
  return out;
}

/** Stages that look up by _id without naming an index; IXSCAN and EXPRESS_IXSCAN name `_id_`. */
const ID_INDEX_STAGES = new Set(['IDHACK', 'CLUSTERED_IXSCAN']);

/** Reads the plan out of an explain answer; throws on a shape it does not know. */
export function storePlan(explain: Record<string, unknown>): StorePlan {
  const planner = explain.queryPlanner as Record<string, unknown> | undefined;
  const lines = planner?.Plan;
  if (Array.isArray(lines) && lines.every((line) => typeof line === 'string')) {
    const steps = lines as string[];
    return {
      store: 'ferretdb-sqlite',
      steps,
      usesIdIndex:
        steps.some((line) => /\bSEARCH \S+ USING INDEX \S+__id_\b/.test(line)) &&
        !steps.some((line) => /\bSCAN \S+/.test(line.replace(/^.*detail=/, ''))),
    };
  }
  if (planner?.winningPlan) {
    const stages = stagesOf(planner.winningPlan);
    const names = stages.map((s) => String(s.stage));
    return {
      store: 'mongodb',
      steps: names,
      usesIdIndex:
        !names.includes('COLLSCAN') &&
        stages.some(
          (s) =>
            ID_INDEX_STAGES.has(String(s.stage)) ||
            ((s.stage === 'IXSCAN' || s.stage === 'EXPRESS_IXSCAN') && s.indexName === '_id_'),
        ),
    };
  }
  throw new Error(`unknown explain answer: ${JSON.stringify(explain).slice(0, 500)}`);
}
