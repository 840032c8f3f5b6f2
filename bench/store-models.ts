// What a mongoose model costs over the driver's collection for the store's hot loops (ADR 0009): the
// consumers' processed-event check and mark (every event), an aggregate save with its outbox (every
// use case), the relay's mark (20 statements per command) and a lean page read. Each operation runs
// the same number of times both ways, interleaved in rounds, against MONGO_URL (default: the local
// store); reported per operation: wall time and this process's CPU time (the service's own cost).
//   npx tsc -p bench/tsconfig.json && MONGO_URL=mongodb://127.0.0.1:27027 node bench/dist/store-models.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  documentSchemaOptions,
  insertOptions,
  type OutboxEntry,
  outboxFields,
  outboxSchemaFields,
  withOutbox,
} from '@lienket/eventbus';
import mongoose from 'mongoose';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PER_ROUND = Number(process.env.PER_ROUND ?? 100);

const entry = (i: number): OutboxEntry => ({
  id: `e-${i}-${Math.random()}`,
  type: 'vn.lienket.bench.thing.changed.v1',
  topic: 'lienket.bench.thing.v1',
  key: `k-${i}`,
  source: '/lienket/bench',
  time: new Date(),
  data: Buffer.alloc(120, 7),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});

const thingSchema = new mongoose.Schema(
  {
    _id: String,
    name: String,
    province: String,
    codes: [String],
    contact: { person: String, phone: String, email: String },
    recognitions: [new mongoose.Schema({ kind: String, level: String, year: Number }, { _id: false })],
    updatedAt: Date,
    version: Number,
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
const processedSchema = new mongoose.Schema({ _id: String, at: Date, topic: String }, documentSchemaOptions);

const state = (i: number) => ({
  name: `Enterprise ${i}`,
  province: '01',
  codes: ['1010', '10101', '1020'],
  contact: { person: 'Nguyễn Văn A', phone: '0900000000', email: 'a@example.vn' },
  recognitions: [{ kind: 'ocop', level: '4', year: 2024 }],
  updatedAt: new Date(),
});

interface Sample {
  wallMs: number;
  cpuMs: number;
}

async function measure(run: (i: number) => Promise<unknown>, offset: number): Promise<Sample> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < PER_ROUND; i += 1) await run(offset + i);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function main() {
  const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
  const connection = await mongoose
    .createConnection(url, { dbName: `bench_models_${Date.now()}`, serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  const db = connection.db as mongoose.mongo.Db;
  const Thing = connection.model('Thing', thingSchema, 'things');
  const Processed = connection.model('Processed', processedSchema, 'processed');
  const things = db.collection<{ _id: string }>('things');
  const processed = db.collection<{ _id: string; at: Date; topic: string }>('processed');
  const total = ROUNDS * PER_ROUND * 2;
  await things.insertMany(
    Array.from({ length: total }, (_, i) => ({
      _id: `t-${i}`,
      ...state(i),
      version: 1,
      ...outboxFields([]),
    })),
  );

  const operations: Record<
    string,
    { driver: (i: number) => Promise<unknown>; model: (i: number) => Promise<unknown> }
  > = {
    'processed event: check + mark': {
      driver: async (i) => {
        await processed.findOne({ _id: `d-${i}` }, { projection: { _id: 1 } });
        await processed.insertOne({ _id: `d-${i}`, at: new Date(), topic: 't' });
      },
      model: async (i) => {
        await Processed.findOne({ _id: `m-${i}` }, { _id: 1 }).lean();
        await Processed.insertMany([{ _id: `m-${i}`, at: new Date(), topic: 't' }], insertOptions);
      },
    },
    'aggregate save with outbox': {
      driver: (i) =>
        things.updateOne(
          { _id: `t-${i}`, version: 1 },
          withOutbox({ $set: { ...state(i), version: 2 } }, [entry(i)]) as never,
        ),
      model: (i) =>
        Thing.updateOne(
          { _id: `t-${total / 2 + i}`, version: 1 },
          withOutbox({ $set: { ...state(i), version: 2 } }, [entry(i)]),
        ),
    },
    'relay mark (20 statements)': {
      driver: (i) =>
        things.bulkWrite(
          Array.from({ length: 20 }, (_, k) => ({
            updateOne: {
              filter: { _id: `t-${(i * 20 + k) % total}`, outbox: { $size: 1 } },
              update: { $set: { outbox: [], outboxPending: false }, $unset: { outboxClaim: '' } },
            },
          })),
          { ordered: false },
        ),
      model: (i) =>
        Thing.bulkWrite(
          Array.from({ length: 20 }, (_, k) => ({
            updateOne: {
              filter: { _id: `t-${(i * 20 + k) % total}`, outbox: { $size: 1 } },
              update: { $set: { outbox: [], outboxPending: false }, $unset: { outboxClaim: '' } },
            },
          })) as never,
          { ordered: false },
        ),
    },
    'page read (100 documents)': {
      driver: (i) =>
        things
          .find({ _id: { $gte: `t-${i % 100}` } }, { projection: { outbox: 0 } })
          .limit(100)
          .toArray(),
      model: (i) =>
        Thing.find({ _id: { $gte: `t-${i % 100}` } }, { outbox: 0 })
          .limit(100)
          .lean(),
    },
  };

  const results: Record<string, unknown> = {};
  for (const [name, { driver, model }] of Object.entries(operations)) {
    const sums = { driver: { wallMs: 0, cpuMs: 0 }, model: { wallMs: 0, cpuMs: 0 } };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [path, run] of [
        ['driver', driver],
        ['model', model],
      ] as const) {
        const sample = await measure(run, round * PER_ROUND);
        sums[path].wallMs += sample.wallMs;
        sums[path].cpuMs += sample.cpuMs;
      }
    }
    const n = ROUNDS * PER_ROUND;
    const per = (s: Sample) => ({ wallMs: +(s.wallMs / n).toFixed(3), cpuMs: +(s.cpuMs / n).toFixed(3) });
    results[name] = { driver: per(sums.driver), model: per(sums.model) };
    process.stdout.write(
      `${name.padEnd(32)} driver ${per(sums.driver).wallMs} ms (cpu ${per(sums.driver).cpuMs})   model ${per(sums.model).wallMs} ms (cpu ${per(sums.model).cpuMs})\n`,
    );
  }
  writeFileSync(
    join(__dirname, '..', 'results', 'store-models.json'),
    `${JSON.stringify({ at: new Date().toISOString(), rounds: ROUNDS, perRound: PER_ROUND, url: url.replace(/\/\/[^@]*@/, '//'), results }, null, 2)}\n`,
  );
  await connection.dropDatabase();
  await connection.close();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
