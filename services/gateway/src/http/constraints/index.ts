import type { JsonSchema, SchemaOverlay } from '@lienket/contracts';
import { matchmakingConstraints } from './matchmaking';
import { programmeConstraints } from './programme';
import { registryConstraints } from './registry';
import type { Constraints } from './shapes';
import { techTransferConstraints } from './techtransfer';

/**
 * The constraints the services check without reading any state, per proto message, for the schemas
 * of both the gateway's validator (http/api.ts) and its document (http/openapi.ts): one table, so the
 * two cannot drift. A request that breaks them is refused 400 before any service is called.
 */
export const constraints: Readonly<Record<string, Constraints>> = {
  ...registryConstraints,
  ...techTransferConstraints,
  ...matchmakingConstraints,
  ...programmeConstraints,
};

/** The part of the table every schema of a message carries (contracts' jsonSchemas merges it). */
export const schemaOverlay: SchemaOverlay = Object.fromEntries(
  Object.entries(constraints).map(([name, { fields, message }]) => [name, { fields, message }]),
);

/** The schema of a request's whole body: the message's, and the rules of a creation where it has them. */
export function bodySchema(name: string, refPrefix: string): JsonSchema {
  const ref = { $ref: `${refPrefix}${name}` };
  const body = constraints[name]?.body;
  return body ? { allOf: [ref, body] } : ref;
}
