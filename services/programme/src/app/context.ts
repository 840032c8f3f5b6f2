import { type OutboxEntry, outboxEvent } from '@lienket/eventbus';
import { changeVersioned } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import type { ProgrammeStore } from './ports';

export interface ProgrammeDeps {
  store: ProgrammeStore;
  clock: () => Date;
  newId: () => string;
  /** CloudEvents source of the service's events. */
  source: string;
  /** Wakes the outbox relay after a write. */
  afterWrite: () => void;
  /** Approvals claimed longer ago than this without completing are reconciled. */
  approvalClaimTimeoutMs: number;
}

export const notFound = (what: string, id: string, whatVi: string) =>
  new AppError('NOT_FOUND', `No ${what} ${id}`, {
    code: `${what.toUpperCase().replaceAll(' ', '_')}_NOT_FOUND`,
    messageVi: `Không tìm thấy ${whatVi} ${id}`,
  });

export type Decision<T> = { next: T; events: OutboxEntry[] } | undefined;

/** Loading (NOT_FOUND when absent), versioned changes with their events in the same write, events stamped with the service. */
export function makeUseCaseContext(deps: ProgrammeDeps) {
  const { clock, source, afterWrite } = deps;
  const event = <T>(definition: Parameters<typeof outboxEvent<T>>[0], payload: T, key: string, time: Date) =>
    outboxEvent(definition, payload, { key, source, subject: key, time });

  const loader =
    <T>(find: (id: string) => Promise<T | undefined>, what: string, whatVi: string) =>
    async (id: string): Promise<T> => {
      const found = id ? await find(id) : undefined;
      if (!found) throw notFound(what, id, whatVi);
      return found;
    };

  async function change<T extends { version: number }>(
    load: () => Promise<T>,
    decide: (current: T, now: Date) => Decision<T>,
    save: (next: T, expectedVersion: number, events: OutboxEntry[]) => Promise<boolean>,
  ): Promise<T> {
    const { value, changed } = await changeVersioned(load, (c) => decide(c, clock()), save, 5, 20);
    if (changed) afterWrite();
    return value;
  }

  return { deps, store: deps.store, clock, newId: deps.newId, afterWrite, event, loader, change };
}

export type UseCaseContext = ReturnType<typeof makeUseCaseContext>;
