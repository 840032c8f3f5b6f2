import { type OutboxEntry, outboxEvent } from '@lienket/eventbus';
import { changeVersioned } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import type { Cluster, Enterprise, Posting } from '../domain/model';
import type { PostingRules } from '../domain/postings';
import type { RegistryStore } from './ports';

export interface RegistryDeps {
  store: RegistryStore;
  clock: () => Date;
  newId: () => string;
  rules: PostingRules;
  /** CloudEvents source of this service. */
  source: string;
  /** Wakes the outbox relay after a write. */
  afterWrite: () => void;
}

export const notFound = (what: string, id: string, whatVi: string) =>
  new AppError('NOT_FOUND', `No ${what} ${id}`, {
    code: `${what.toUpperCase()}_NOT_FOUND`,
    messageVi: `Không tìm thấy ${whatVi} ${id}`,
  });

/**
 * What the registry's use cases share: loading an enterprise or posting (NOT_FOUND when absent),
 * changing an aggregate on the version read with its events in the same write, and an outbox
 * event stamped with this service as its source.
 */
export function makeRegistryContext(deps: RegistryDeps) {
  const { store, clock, source, afterWrite } = deps;
  const event = <T>(definition: Parameters<typeof outboxEvent<T>>[0], payload: T, key: string, time: Date) =>
    outboxEvent(definition, payload, { key, source, subject: key, time });

  async function loadEnterprise(id: string): Promise<Enterprise> {
    const enterprise = id ? await store.findEnterprise(id) : undefined;
    if (!enterprise) throw notFound('enterprise', id, 'doanh nghiệp');
    return enterprise;
  }

  async function loadPosting(id: string): Promise<Posting> {
    const posting = id ? await store.findPosting(id) : undefined;
    if (!posting) throw notFound('posting', id, 'tin');
    return posting;
  }

  /** Load, decide, save on the version read (retrying when a concurrent writer won), wake the relay. */
  async function change<T extends { version: number }>(
    load: () => Promise<T>,
    decide: (current: T, now: Date) => { next: T; events: OutboxEntry[] } | undefined,
    save: (next: T, expectedVersion: number, events: OutboxEntry[]) => Promise<boolean>,
  ): Promise<T> {
    const { value, changed } = await changeVersioned(load, (current) => decide(current, clock()), save);
    if (changed) afterWrite();
    return value;
  }

  const changeEnterprise = (
    id: string,
    decide: (current: Enterprise, now: Date) => { next: Enterprise; events: OutboxEntry[] } | undefined,
  ) => change(() => loadEnterprise(id), decide, store.saveEnterprise);

  const changePosting = <P extends Posting>(
    id: string,
    kind: P['kind'],
    decide: (current: P, now: Date) => { next: P; events: OutboxEntry[] },
  ) =>
    change<P>(
      async () => {
        const current = await loadPosting(id);
        if (current.kind !== kind) throw notFound(kind, id, kind === 'need' ? 'nhu cầu' : 'năng lực');
        return current as P;
      },
      decide,
      store.savePosting,
    );

  const changeCluster = (
    id: string,
    decide: (current: Cluster, now: Date) => { next: Cluster; events: OutboxEntry[] },
  ) =>
    change(
      async () => {
        const current = await store.findCluster(id);
        if (!current) throw notFound('cluster', id, 'cụm liên kết');
        return current;
      },
      decide,
      store.saveCluster,
    );

  return {
    deps,
    store,
    clock,
    newId: deps.newId,
    rules: deps.rules,
    afterWrite,
    event,
    loadEnterprise,
    loadPosting,
    changeEnterprise,
    changePosting,
    changeCluster,
  };
}

export type RegistryContext = ReturnType<typeof makeRegistryContext>;
