import mongoose from 'mongoose';
import { openTestInfra, type TestInfra } from './test-infra';

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
    const other = infra.db.client.db(`${infra.db.databaseName}_other`);
    const long = other.collection<{ _id: string; n: number }>('long');
    await long.insertMany(Array.from({ length: 600 }, (_, i) => ({ _id: `l${i}`, n: 0 })));
    const here = infra.db.collection<{ _id: string; n: number }>('short');
    await here.insertOne({ _id: 's', n: 0 });
    const shortUpdate = async () => {
      const started = process.hrtime.bigint();
      await here.updateOne({ _id: 's' }, { $inc: { n: 1 } });
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    await shortUpdate();
    const longStarted = process.hrtime.bigint();
    const longCommand = long.bulkWrite(
      Array.from({ length: 600 }, (_, i) => ({
        updateOne: { filter: { _id: `l${i}` }, update: { $inc: { n: 1 } } },
      })),
      { ordered: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const alongside = await shortUpdate();
    const longResult = await longCommand;
    const longMs = Number(process.hrtime.bigint() - longStarted) / 1e6;
    expect(longResult.modifiedCount).toBe(600);
    expect((await here.findOne({ _id: 's' }))?.n).toBe(2);
    // Behind a store-wide lock the short update would wait for most of the long command.
    expect(alongside).toBeLessThan(longMs / 3);
    await other.dropDatabase();
  }, 60_000);

  it('finds a document by _id from its index even when the filter has other conditions', async () => {
    // Every compare-and-set write filters on _id and a version or time; infra/local builds FerretDB
    // to look those up by _id instead of scanning the collection (under its write lock, for writes).
    const docs = infra.db.collection<{ _id: string; version: number; pad: string }>('pushdown');
    const total = 10_000;
    await docs.insertMany(
      Array.from({ length: total }, (_, i) => ({ _id: `p${i}`, version: 1, pad: 'x'.repeat(200) })),
    );
    const time = async (filter: (i: number) => Record<string, unknown>) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 40; i += 1) expect(await docs.findOne(filter(i) as never)).not.toBeNull();
      return Number(process.hrtime.bigint() - started);
    };
    await time((i) => ({ _id: `p${i}` })); // warm-up
    const plain = await time((i) => ({ _id: `p${i * 7}` }));
    const conditional = await time((i) => ({ _id: `p${i * 11}`, version: 1 }));
    const listed = await time((i) => ({ _id: { $in: [`p${i * 13}`, 'absent'] }, version: 1 }));
    // A scan of 10,000 documents per lookup costs many times more; the index, about the same.
    expect(conditional / plain).toBeLessThan(3);
    expect(listed / plain).toBeLessThan(3);
  }, 60_000);

  it('updates and deletes by _id from its index: as fast in 10,000 documents as in 100', async () => {
    const collection = (name: string, total: number) => {
      const docs = infra.db.collection<{ _id: string; n: number; pad: string }>(name);
      return {
        docs,
        fill: () =>
          docs.insertMany(
            Array.from({ length: total }, (_, i) => ({ _id: `u${i}`, n: 0, pad: 'x'.repeat(200) })),
          ),
      };
    };
    const small = collection('by-id-small', 100);
    const large = collection('by-id-large', 10_000);
    await small.fill();
    await large.fill();
    // Ids spread over the whole table, so a scan cannot stop early.
    const time = async (docs: typeof small.docs, total: number) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 40; i += 1) {
        const id = `u${Math.floor(((i * 7919) % 40) * (total / 40))}`;
        expect((await docs.updateOne({ _id: id }, { $inc: { n: 1 } })).modifiedCount).toBe(1);
      }
      return Number(process.hrtime.bigint() - started);
    };
    await time(small.docs, 100); // warm-up
    const inSmall = await time(small.docs, 100);
    const inLarge = await time(large.docs, 10_000);
    // A scan of 10,000 documents per statement costs tens of times more; the index, about the same.
    expect(inLarge / inSmall).toBeLessThan(3);
    const deleted = await large.docs.deleteOne({ _id: 'u9999' });
    expect(deleted.deletedCount).toBe(1);
    expect(await large.docs.countDocuments({})).toBe(9_999);
  }, 120_000);
});
