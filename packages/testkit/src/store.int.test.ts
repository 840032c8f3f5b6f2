import mongoose from 'mongoose';
import { storePlan } from './store-plan';
import { openTestInfra, type TestInfra } from './test-infra';
import { waitFor } from './wait';

let infra: TestInfra;
beforeAll(async () => {
  infra = await openTestInfra('store');
});
afterAll(() => infra.close());

const Firm = new mongoose.Schema({
  taxCode: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  province: String,
  tags: [String],
});

describe('mongoose on the real store', () => {
  it('writes, reads back and enforces a unique index', async () => {
    const Model = infra.connection.model('Firm', Firm);
    await Model.init(); // builds the unique index
    await Model.create({
      taxCode: '0100109106',
      name: 'Công ty Mây tre Phú Vinh',
      province: '01',
      tags: ['may-tre'],
    });

    const found = await Model.findOne({ taxCode: '0100109106' }).lean();
    expect(found).toMatchObject({ name: 'Công ty Mây tre Phú Vinh', province: '01', tags: ['may-tre'] });

    const duplicate = await Model.create({ taxCode: '0100109106', name: 'Another' }).catch((error) => error);
    expect(duplicate).toMatchObject({ code: 11000 });
    expect(await Model.countDocuments({})).toBe(1);
  });

  it('applies concurrent conditional updates to one document atomically', async () => {
    const budgets = infra.db.collection<{ _id: string; remaining: number }>('budgets');
    await budgets.insertOne({ _id: 'fund', remaining: 1_000 });
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        budgets.updateOne({ _id: 'fund', remaining: { $gte: 70 } }, { $inc: { remaining: -70 } }),
      ),
    );
    const approved = results.filter((r) => r.modifiedCount === 1).length;
    const { remaining } = (await budgets.findOne({ _id: 'fund' })) ?? { remaining: Number.NaN };
    expect(approved).toBe(14); // floor(1000 / 70)
    expect(remaining).toBe(1_000 - 14 * 70);
  });

  it('serves one update command of many statements, with other writes alongside', async () => {
    // FerretDB 1.24 as published keeps a connection per statement until the command ends and hangs
    // at 100; infra/local builds it to release each statement's connection (ADR 0003).
    const docs = infra.db.collection<{ _id: string; outbox: number[] }>('many_statements');
    await docs.insertMany(Array.from({ length: 400 }, (_, i) => ({ _id: `d${i}`, outbox: [1, 2] })));
    const [result] = await Promise.all([
      docs.bulkWrite(
        Array.from({ length: 400 }, (_, i) => ({
          updateOne: { filter: { _id: `d${i}` }, update: { $pullAll: { outbox: [1] } } },
        })),
        { ordered: true },
      ),
      infra.db.collection('bystanders').insertOne({ at: new Date() }),
    ]);
    expect(result.modifiedCount).toBe(400);
    expect(await docs.countDocuments({ outbox: [2] })).toBe(400);
  }, 60_000);

  it('serialises updates within a database only: a long update command elsewhere does not hold one up', async () => {
    // Each service has its own database; the local store's write lock is per database (ADR 0003).
    // Behind a store-wide lock an update in another database could only be answered after the long
    // command; with one lock per database it is answered while the long command is still running.
    const other = infra.db.client.db(`${infra.db.databaseName}_other`);
    const long = other.collection<{ _id: string; n: number }>('long');
    const total = 3_000;
    await long.insertMany(Array.from({ length: total }, (_, i) => ({ _id: `l${i}`, n: 0 })));
    const here = infra.db.collection<{ _id: string; n: number }>('short');
    await here.insertOne({ _id: 's', n: 0 });
    let longDone = false;
    const longCommand = long
      .bulkWrite(
        Array.from({ length: total }, (_, i) => ({
          updateOne: { filter: { _id: `l${i}` }, update: { $inc: { n: 1 } } },
        })),
        { ordered: true },
      )
      .finally(() => {
        longDone = true;
      });
    // Under way: its first statements are visible (reads take no lock).
    await waitFor(async () => longDone || (await long.countDocuments({ n: 1 })) > 0, {
      what: 'the long command to start',
    });
    expect({ longDoneBeforeTheShortUpdate: longDone }).toEqual({ longDoneBeforeTheShortUpdate: false });
    expect((await here.updateOne({ _id: 's' }, { $inc: { n: 1 } })).modifiedCount).toBe(1);
    expect({ longStillRunning: !longDone }).toEqual({ longStillRunning: true });
    expect((await longCommand).modifiedCount).toBe(total);
    expect((await here.findOne({ _id: 's' }))?.n).toBe(1);
    await other.dropDatabase();
  }, 120_000);

  /** The plan the store answers for a find with this filter. */
  const planOfFind = async (collection: string, filter: Record<string, unknown>) =>
    storePlan(await infra.db.collection(collection).find(filter).explain('queryPlanner'));

  /**
   * The plan of a write's lookup. MongoDB explains the write command itself; FerretDB's explain
   * ignores a write's filter, and its update, delete and findAndModify handlers read through the
   * same backend query as a find, so there the find with the write's filter is the write's plan.
   */
  const planOfWrite = async (
    collection: string,
    command: { update: Record<string, unknown> } | { delete: Record<string, unknown> },
  ) => {
    const [kind, statement] =
      'update' in command
        ? (['update', { updates: [{ q: command.update, u: { $inc: { n: 1 } } }] }] as const)
        : (['delete', { deletes: [{ q: command.delete, limit: 1 }] }] as const);
    const explain = await infra.db.command({
      explain: { [kind]: collection, ...statement },
      verbosity: 'queryPlanner',
    });
    if (explain.serverInfo?.ferretdbVersion === undefined) return storePlan(explain);
    return planOfFind(collection, 'update' in command ? command.update : command.delete);
  };

  it('finds a document by _id from its index even when the filter has other conditions', async () => {
    // Every compare-and-set write filters on _id and a version or time; infra/local builds FerretDB
    // to look those up by _id instead of scanning the collection (under its write lock, for writes).
    const docs = infra.db.collection<{ _id: string; version: number }>('pushdown');
    await docs.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: `p${i}`, version: 1 })));
    const filters: Record<string, unknown>[] = [
      { _id: 'p7' },
      { _id: 'p11', version: 1 },
      { _id: { $in: ['p13', 'absent'] }, version: 1 },
    ];
    for (const filter of filters) {
      expect(await docs.findOne(filter as never)).not.toBeNull();
      const plan = await planOfFind('pushdown', filter);
      expect({ filter, plan: plan.steps, usesIdIndex: plan.usesIdIndex }).toEqual({
        filter,
        plan: plan.steps,
        usesIdIndex: true,
      });
    }
    // And a filter without _id scans: the plan tells the two apart.
    expect((await planOfFind('pushdown', { version: 1 })).usesIdIndex).toBe(false);
  }, 60_000);

  it('updates and deletes by _id from its index', async () => {
    const docs = infra.db.collection<{ _id: string; n: number }>('by-id');
    await docs.insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: `u${i}`, n: 0 })));
    for (const command of [
      { update: { _id: 'u42' } },
      { update: { _id: 'u43', n: 0 } },
      { delete: { _id: 'u99' } },
    ]) {
      const plan = await planOfWrite('by-id', command);
      expect({ command, plan: plan.steps, usesIdIndex: plan.usesIdIndex }).toEqual({
        command,
        plan: plan.steps,
        usesIdIndex: true,
      });
    }
    expect((await planOfWrite('by-id', { update: { n: 0 } })).usesIdIndex).toBe(false);
    expect((await docs.updateOne({ _id: 'u42' }, { $inc: { n: 1 } })).modifiedCount).toBe(1);
    expect((await docs.updateOne({ _id: 'u43', n: 0 }, { $inc: { n: 1 } })).modifiedCount).toBe(1);
    expect((await docs.deleteOne({ _id: 'u99' })).deletedCount).toBe(1);
    expect(await docs.countDocuments({})).toBe(99);
  }, 60_000);
});
