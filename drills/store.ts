// Reads the services' databases directly (the drills never write to them).
import { processedEventsCollection } from '@lienket/eventbus';
import { type Db, MongoClient } from 'mongodb';
import { databases } from './cluster';
import { chunks } from './util';

type Doc = Record<string, unknown> & { _id: string };

export const outboxCollections: Record<string, string[]> = {
  [databases.registry]: ['enterprises', 'postings', 'clusters'],
  [databases.matchmaking]: ['proposals', 'demand_outcomes'],
  [databases.techtransfer]: ['offers', 'requests', 'interests', 'programmes', 'cofunding_applications'],
};

/** Consumer groups of the platform (createEventConsumer, so deduping and dead-lettering) and their database. */
export const dedupingGroups: Record<string, string> = {
  'lienket-registry': databases.registry,
  'lienket-matchmaking': databases.matchmaking,
  'lienket-matchmaking-index-drills-1': databases.matchmaking,
  'lienket-techtransfer': databases.techtransfer,
  'lienket-insights': databases.insights,
};

export class Store {
  private constructor(readonly client: MongoClient) {}

  static async open(url: string): Promise<Store> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 30_000, maxPoolSize: 8 });
    await client.connect();
    return new Store(client);
  }

  db(name: string): Db {
    return this.client.db(name);
  }

  async close() {
    await this.client.close();
  }

  /** Documents of `collection` whose `_id` is one of `ids`, projected. */
  async byIds(dbName: string, collection: string, ids: string[], projection: Record<string, 0 | 1>) {
    const found = new Map<string, Doc>();
    for (const part of chunks(ids, 500)) {
      const docs = await this.db(dbName)
        .collection<Doc>(collection)
        .find({ _id: { $in: part } }, { projection })
        .toArray();
      for (const doc of docs) found.set(doc._id, doc);
    }
    return found;
  }

  async byField(
    dbName: string,
    collection: string,
    field: string,
    values: string[],
    projection: Record<string, 0 | 1>,
  ) {
    const found: Doc[] = [];
    for (const part of chunks(values, 500)) {
      found.push(
        ...(await this.db(dbName)
          .collection<Doc>(collection)
          .find({ [field]: { $in: part } }, { projection })
          .toArray()),
      );
    }
    return found;
  }

  /** Outbox entries not yet published, documents holding them, and events parked for good. */
  async outbox(): Promise<{
    pendingEvents: number;
    pendingDocuments: number;
    parked: number;
    parkedIds: string[];
  }> {
    let pendingEvents = 0;
    let pendingDocuments = 0;
    let parked = 0;
    const parkedIds: string[] = [];
    for (const [dbName, names] of Object.entries(outboxCollections)) {
      for (const name of names) {
        const collection = this.db(dbName).collection<Doc>(name);
        const pending = await collection
          .find({ outboxPending: true }, { projection: { outbox: 1 } })
          .toArray();
        pendingDocuments += pending.length;
        pendingEvents += pending.reduce(
          (sum, d) => sum + ((d.outbox as unknown[] | undefined)?.length ?? 0),
          0,
        );
        const withParked = await collection
          .find({ outboxParked: { $exists: true } }, { projection: { outboxParked: 1 } })
          .toArray();
        for (const d of withParked) {
          const entries = (d.outboxParked as { id: string }[] | undefined) ?? [];
          parked += entries.length;
          parkedIds.push(...entries.map((e) => `${dbName}.${name}/${d._id}:${e.id}`));
        }
      }
    }
    return { pendingEvents, pendingDocuments, parked, parkedIds };
  }

  async count(dbName: string, collection: string, filter: Record<string, unknown> = {}) {
    return this.db(dbName).collection(collection).countDocuments(filter);
  }

  async all(
    dbName: string,
    collection: string,
    filter: Record<string, unknown>,
    projection: Record<string, 0 | 1>,
  ) {
    return this.db(dbName).collection<Doc>(collection).find(filter, { projection }).toArray();
  }

  async processedIds(group: string, ids: string[]): Promise<Set<string>> {
    const dbName = dedupingGroups[group];
    if (!dbName) return new Set();
    const found = await this.byIds(dbName, processedEventsCollection(group), ids, { _id: 1 });
    return new Set(found.keys());
  }

  async processedCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [group, dbName] of Object.entries(dedupingGroups))
      out[group] = await this.count(dbName, processedEventsCollection(group));
    return out;
  }
}
