// The baseline: the same question as one MongoDB aggregation per need, against the real store.
import { type Demand, defaultWeights, type Party, type Supply } from '@lienket/matching';
import { regionOf } from '@lienket/reference';
import type { Document, MongoClient } from 'mongodb';
import { evaluate } from './matching-evaluate';
import { bar, elapsedMs, log } from './matching-measure';
import { BASELINE_WARMUP, DAY, INSERT_BATCH, K, NOW, WARMUP } from './matching-options';
import type { Query, World } from './matching-world';
import { type Latency, latency, round } from './perf-stats';

// ---------------------------------------------------------------- the baseline: one aggregation per need

/** A capability as a team would store it: the supplier's facts copied in, code prefixes as arrays. */
interface SupplyDoc {
  _id: string;
  enterpriseId: string;
  province: string;
  region: string;
  hs2: string[];
  hs4: string[];
  hs6: string[];
  vsic2: string[];
  vsic3: string[];
  vsic4: string[];
  tokens: string[];
  /** '*' for everywhere, else province codes and 'R:<region>'. */
  served: string[];
  /** The capability's certifications and the supplier's recognitions; OCOP:5 also stored as OCOP:3, OCOP:4… */
  certs: string[];
  capacity: number | null;
  capacityUnit: string | null;
  leadTimeDays: number;
  postedAt: Date;
  validUntil: Date;
  open: boolean;
  verified: boolean;
}

function prefixes(codes: readonly string[], length: number): string[] {
  return [...new Set(codes.filter((c) => c.length >= length).map((c) => c.slice(0, length)))];
}

function expandCertifications(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of list) {
    const [kind = '', level] = text.split(':');
    out.add(kind);
    if (level === undefined) continue;
    if (/^\d+$/.test(level)) for (let n = 1; n <= Number(level); n++) out.add(`${kind}:${n}`);
    else out.add(text);
  }
  return [...out];
}

export function toDoc(supply: Supply, party: Party): SupplyDoc {
  const served =
    supply.servedProvinces.length === 0 && supply.servedRegions.length === 0
      ? ['*']
      : [...supply.servedProvinces, ...supply.servedRegions.map((r) => `R:${r}`)];
  return {
    _id: supply.id,
    enterpriseId: supply.enterpriseId,
    province: party.province,
    region: regionOf(party.province) ?? '',
    hs2: prefixes(supply.hsCodes, 2),
    hs4: prefixes(supply.hsCodes, 4),
    hs6: prefixes(supply.hsCodes, 6),
    vsic2: prefixes(supply.vsicCodes, 2),
    vsic3: prefixes(supply.vsicCodes, 3),
    vsic4: prefixes(supply.vsicCodes, 4),
    tokens: supply.tokens,
    served,
    certs: expandCertifications([...supply.certifications, ...party.recognitions]),
    capacity: supply.monthlyCapacity?.value ?? null,
    capacityUnit: supply.monthlyCapacity ? supply.monthlyCapacity.unit.trim().toLowerCase() : null,
    leadTimeDays: supply.leadTimeDays,
    postedAt: supply.postedAt,
    validUntil: supply.validUntil,
    open: supply.open,
    verified: party.verified,
  };
}

/** A $switch branch; MongoDB names its fields case and then. */
function branch(test: unknown, value: unknown): Document {
  // biome-ignore lint/suspicious/noThenProperty: the field name is MongoDB's, the object is never awaited
  return { case: test, then: value };
}

/** The same question as one pipeline: hard filters, a score on the same components, sort, limit. */
export function baselinePipeline(
  demand: Demand,
  buyer: Party,
): { match: Document; score: Document; tail: Document[] } {
  const q = {
    hs2: prefixes(demand.hsCodes, 2),
    hs4: prefixes(demand.hsCodes, 4),
    hs6: prefixes(demand.hsCodes, 6),
    vsic2: prefixes(demand.vsicCodes, 2),
    vsic3: prefixes(demand.vsicCodes, 3),
    vsic4: prefixes(demand.vsicCodes, 4),
  };
  const region = regionOf(buyer.province) ?? '';
  const codes: Document[] = [];
  if (q.hs2.length > 0) codes.push({ hs2: { $in: q.hs2 } });
  if (q.vsic2.length > 0) codes.push({ vsic2: { $in: q.vsic2 } });
  const match: Document = {
    open: true,
    validUntil: { $gt: NOW },
    enterpriseId: { $ne: demand.enterpriseId },
    served: { $in: ['*', buyer.province, `R:${region}`] },
    $or: codes,
  };
  if (demand.excludedProvinces.length > 0) match.province = { $nin: demand.excludedProvinces };
  if (demand.requiredCertifications.length > 0) {
    match.certs = { $all: demand.requiredCertifications.map((c) => c.trim()) };
  }

  const shares = (field: keyof typeof q) => ({
    $gt: [{ $size: { $setIntersection: [`$${field}`, { $literal: q[field] }] } }, 0],
  });
  const product = {
    $switch: {
      branches: [
        branch(shares('hs6'), 1),
        branch(shares('vsic4'), 0.9),
        branch(shares('hs4'), 0.75),
        branch(shares('vsic3'), 0.7),
        branch(shares('vsic2'), 0.5),
        branch(shares('hs2'), 0.4),
      ],
      default: 0,
    },
  };
  const quantity = demand.quantityPerMonth;
  const capacity: unknown =
    quantity === null
      ? 0.5
      : {
          $cond: [
            {
              $and: [
                { $ne: ['$capacity', null] },
                { $eq: ['$capacityUnit', quantity.unit.trim().toLowerCase()] },
              ],
            },
            quantity.value > 0 ? { $min: [1, { $divide: ['$capacity', quantity.value] }] } : 1,
            0.5,
          ],
        };
  const days = demand.deadline === null ? null : (demand.deadline.getTime() - NOW.getTime()) / DAY;
  const leadTime: unknown =
    days === null
      ? {
          $switch: {
            branches: [
              branch({ $lte: ['$leadTimeDays', 30] }, 1),
              branch({ $lte: ['$leadTimeDays', 90] }, 0.7),
            ],
            default: 0.4,
          },
        }
      : days <= 0
        ? 0
        : { $cond: [{ $lte: ['$leadTimeDays', days] }, 1, { $divide: [days, '$leadTimeDays'] }] };
  // No border graph in the database: same province or same region only.
  const geography = {
    $switch: {
      branches: [
        ...(demand.preferredProvinces.length > 0
          ? [branch({ $in: ['$province', { $literal: demand.preferredProvinces }] }, 1)]
          : []),
        branch({ $eq: ['$province', buyer.province] }, 1),
        branch({ $eq: ['$region', region] }, 0.5),
      ],
      default: 0.2,
    },
  };
  const freshness = {
    $let: {
      vars: { age: { $divide: [{ $subtract: [NOW, '$postedAt'] }, DAY] } },
      in: {
        $switch: {
          branches: [branch({ $lte: ['$$age', 30] }, 1), branch({ $gte: ['$$age', 365] }, 0.3)],
          default: { $subtract: [1, { $divide: [{ $multiply: [0.7, { $subtract: ['$$age', 30] }] }, 335] }] },
        },
      },
    },
  };
  const trust = { $cond: ['$verified', 1, 0.3] };
  const w = defaultWeights;
  const score = {
    $add: [
      { $multiply: [w.product, product] },
      { $multiply: [w.capacity, capacity] },
      { $multiply: [w.lead_time, leadTime] },
      { $multiply: [w.geography, geography] },
      { $multiply: [w.freshness, freshness] },
      { $multiply: [w.trust, trust] },
    ],
  };
  return { match, score, tail: [{ $sort: { score: -1, _id: 1 } }, { $limit: K }] };
}

/** The fields the score reads, so the store sends no more than the server would read itself. */
const SCORED_FIELDS = {
  _id: 1,
  province: 1,
  region: 1,
  hs2: 1,
  hs4: 1,
  hs6: 1,
  vsic2: 1,
  vsic3: 1,
  vsic4: 1,
  capacity: 1,
  capacityUnit: 1,
  leadTimeDays: 1,
  postedAt: 1,
  verified: 1,
};

type BaselineMode = 'aggregation' | 'driver';

export const DRIVER_CAVEAT =
  'the store here (FerretDB 1.24 on SQLite) pushes no filter down and has no expression operators, so each need ' +
  'scans and decodes the whole collection and the score is evaluated in the driver; a MongoDB server would run the ' +
  'same pipeline with an index-backed $match and native $addFields, much faster (not measured here), so these ' +
  'speed-ups overstate the one against production MongoDB';

export interface BaselineResult {
  mode: string;
  insert: { ms: number; docsPerSecond: number };
  createIndexesMs: number;
  latency: Latency;
  warmup: number;
  /** Documents past $match per need: what the score is computed on. */
  meanCandidates: number | null;
  meanHits: number;
  /** Mean share of the baseline's top k also in the index's top k for the same need (the scores differ). */
  overlapWithIndex: number;
}

export interface Store {
  client: MongoClient;
  dbName: string;
  server: string;
}

export async function benchBaseline(
  store: Store,
  world: World,
  queries: readonly Query[],
  count: number,
  indexTop: readonly string[][],
): Promise<BaselineResult> {
  const size = world.supplies.length;
  const db = store.client.db(store.dbName);
  const collection = db.collection<SupplyDoc>(`supplies_${size}`);
  await collection.drop().catch(() => undefined);
  const partyOf = new Map(world.parties.map((p) => [p.enterpriseId, p]));

  const progress = bar(`insert ${size.toLocaleString('en')}`, size);
  const t0 = process.hrtime.bigint();
  for (let from = 0; from < size; from += INSERT_BATCH) {
    const docs = world.supplies
      .slice(from, from + INSERT_BATCH)
      .map((s) => toDoc(s, partyOf.get(s.enterpriseId) as Party));
    await collection.insertMany(docs, { ordered: false });
    progress.update(Math.min(size, from + INSERT_BATCH));
  }
  const insertMs = elapsedMs(t0);
  progress.stop();
  const t1 = process.hrtime.bigint();
  for (const field of ['hs2', 'hs4', 'hs6', 'vsic2', 'vsic3', 'vsic4', 'province']) {
    await collection.createIndex({ [field]: 1 });
  }
  const createIndexesMs = elapsedMs(t1);
  log(
    `  inserted ${size.toLocaleString('en')} in ${(insertMs / 1000).toFixed(1)} s, indexes in ${createIndexesMs.toFixed(0)} ms`,
  );

  // One full pipeline first: a server without the expression operators says so, and then the same expressions
  // are evaluated in the driver over what $match returns.
  let mode: BaselineMode = 'aggregation';
  const probe = queries[0] as Query;
  const p = baselinePipeline(probe.demand, probe.buyer);
  try {
    await collection
      .aggregate([{ $match: p.match }, { $addFields: { score: p.score } }, ...p.tail])
      .toArray();
  } catch (error) {
    const e = error as { code?: number; message?: string };
    if (e.code !== 238 && !/not implemented/i.test(e.message ?? '')) throw error;
    mode = 'driver';
    log(`  the store can't run the pipeline (${e.message}); $addFields/$sort/$limit evaluated in the driver`);
  }

  const run = async (query: Query): Promise<{ ids: string[]; candidates: number | null }> => {
    const { match, score, tail } = baselinePipeline(query.demand, query.buyer);
    if (mode === 'aggregation') {
      const docs = await collection
        .aggregate([{ $match: match }, { $addFields: { score } }, ...tail])
        .toArray();
      return { ids: docs.map((d) => String(d._id)), candidates: null };
    }
    const docs = await collection.aggregate([{ $match: match }, { $project: SCORED_FIELDS }]).toArray();
    const scored = docs.map((d) => ({ id: String(d._id), score: evaluate(score, d) as number }));
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { ids: scored.slice(0, K).map((s) => s.id), candidates: docs.length };
  };

  for (const query of queries.slice(0, BASELINE_WARMUP)) await run(query);
  const measured = queries.slice(WARMUP, WARMUP + count);
  const samples: number[] = [];
  let candidates = 0;
  let hits = 0;
  let overlap = 0;
  const qbar = bar(`baseline ${size.toLocaleString('en')}`, measured.length);
  for (let i = 0; i < measured.length; i++) {
    const start = process.hrtime.bigint();
    const answer = await run(measured[i] as Query);
    samples.push(elapsedMs(start));
    candidates += answer.candidates ?? 0;
    hits += answer.ids.length;
    const theirs = new Set(indexTop[i] ?? []);
    if (answer.ids.length > 0)
      overlap += answer.ids.filter((id) => theirs.has(id)).length / answer.ids.length;
    qbar.update(i + 1);
  }
  qbar.stop();
  await collection.drop().catch(() => undefined);
  const n = Math.max(1, measured.length);
  return {
    mode:
      mode === 'aggregation'
        ? 'one aggregation ($match, $addFields, $sort, $limit) in the store'
        : '$match in the store; the same $addFields expression, $sort and $limit evaluated in the driver (the store has no expression operators)',
    insert: { ms: Math.round(insertMs), docsPerSecond: Math.round((size * 1000) / insertMs) },
    createIndexesMs: Math.round(createIndexesMs),
    latency: latency(samples, 3),
    warmup: BASELINE_WARMUP,
    meanCandidates: mode === 'driver' ? round(candidates / n, 1) : null,
    meanHits: round(hits / n, 2),
    overlapWithIndex: round(overlap / n, 3),
  };
}
