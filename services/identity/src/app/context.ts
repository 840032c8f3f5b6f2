import { type EventDefinition, Events } from '@lienket/contracts';
import { outboxEvent } from '@lienket/eventbus';
import { type AuditFields, auditEntry } from '../domain/audit';
import type { Standing } from '../domain/invitations';
import type { AuditKind, Organisation } from '../domain/model';
import type { IdentityStore, PasswordHasher } from './ports';

export { Events };

/** What every use case receives. */
export interface IdentityContext {
  store: IdentityStore;
  hasher: PasswordHasher;
  clock: () => Date;
  newId: () => string;
  source: string;
  /** Called after a write that carries events (wakes the outbox relay). */
  afterWrite?: () => void;
}

export const event = <T>(ctx: IdentityContext, definition: EventDefinition<T>, payload: T, key: string) =>
  outboxEvent(definition, payload, { key, source: ctx.source, time: ctx.clock() });

export const audit = (ctx: IdentityContext, kind: AuditKind, fields: AuditFields) =>
  ctx.store.appendAudit(auditEntry(kind, fields, ctx.newId(), ctx.clock()));

/** The caller's memberships with their organisations. */
export async function standingsOf(ctx: IdentityContext, accountId: string): Promise<Standing[]> {
  if (!accountId) return [];
  const memberships = await ctx.store.membershipsOfAccount(accountId);
  const organisations = new Map(
    (await ctx.store.getOrganisations(memberships.map((m) => m.organisationId))).map((o) => [o.id, o]),
  );
  return memberships.flatMap((membership) => {
    const organisation = organisations.get(membership.organisationId);
    return organisation ? [{ membership, organisation: organisation as Organisation }] : [];
  });
}
