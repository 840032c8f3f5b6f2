// The baseline: the same question asked of the real store, one query per need, each candidate scored by the
// library's own scorePair, so the index and the baseline answer one question and their top k can be compared.
import { type Demand, type Party, type Quantity, type Supply, scorePair } from '@lienket/matching';
import { regionOf } from '@lienket/reference';
import type { Filter, MongoClient } from 'mongodb';
import { bar, elapsedMs, log } from './matching-measure';
import { BASELINE_WARMUP, INSERT_BATCH, K, NOW, THRESHOLD, WARMUP } from './matching-options';
import type { Query, World } from './matching-world';
import { type Latency, latency, round } from './perf-stats';

// ---------------------------------------------------------------- the stored capability

/**
 * A capability as a team would store it: the posting's own fields, the supplier's facts copied in (scoring
 * needs them), and a few derived fields only for the store's filter.
 */
interface SupplyDoc {
  _id: string;
  enterpriseId: string;
  /** The supplier's province: the one the index partitions by and scoring reads. */
  province: string;
  hsCodes: string[];
  vsicCodes: string[];
  tokens: string[];
  monthlyCapacity: Quantity | null;
  leadTimeDays: number;
  servedProvinces: string[];
  servedRegions: string[];
  certifications: string[];
  postedAt: Date;
  validUntil: Date;
  open: boolean;
  supplier: Party;
  // For the filter only.
  /** HS chapters and VSIC divisions: every pair with a product value shares one (see candidateFilter). */
  hs2: string[];
  vsic2: string[];
  /** '*' for everywhere, else the province codes and 'R:<region>'. */
  served: string[];
  /** Kinds of certification held, on the capability or among the supplier's recognitions. */
  certKinds: string[];
}

function chapters(codes: readonly string[]): string[] {
  return [...new Set(codes.filter((c) => c.length >= 2).map((c) => c.slice(0, 2)))];
}

/**
 * The kind of 'OCOP:4' or 'ISO_9001', read as the library reads it (trimmed, before the first colon): a required
 * certification can only be met by one of its kind, whatever the level, so filtering on kinds is never narrower
 * than the library's check, which scoring then makes exactly.
 */
export function certificationKind(text: string): string {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  return colon < 0 ? trimmed : trimmed.slice(0, colon).trim();
}

export function toDoc(supply: Supply, party: Party): SupplyDoc {
  // The index files a posting under its party's province; the copy keeps it the same here.
  const supplier: Party = { ...party };
  if (supplier.responsiveness === undefined) delete supplier.responsiveness;
  return {
    _id: supply.id,
    enterpriseId: supply.enterpriseId,
    province: party.province,
    hsCodes: supply.hsCodes,
    vsicCodes: supply.vsicCodes,
    tokens: supply.tokens,
    monthlyCapacity: supply.monthlyCapacity,
    leadTimeDays: supply.leadTimeDays,
    servedProvinces: supply.servedProvinces,
    servedRegions: supply.servedRegions,
    certifications: supply.certifications,
    postedAt: supply.postedAt,
    validUntil: supply.validUntil,
    open: supply.open,
    supplier,
    hs2: chapters(supply.hsCodes),
    vsic2: chapters(supply.vsicCodes),
    served:
      supply.servedProvinces.length === 0 && supply.servedRegions.length === 0
        ? ['*']
        : [...supply.servedProvinces, ...supply.servedRegions.map((r) => `R:${r}`)],
    certKinds: [...new Set([...supply.certifications, ...party.recognitions].map(certificationKind))],
  };
}

/** What the store sends back: the posting and its supplier, rebuilt into the library's shapes. */
export function fromDoc(doc: SupplyDoc): { supply: Supply; supplier: Party } {
  const supplier: Party = { ...doc.supplier };
  // A stored null (a driver that writes undefined as null) reads back as "no history", as it was.
  if (supplier.responsiveness === null) delete supplier.responsiveness;
  return {
    supply: {
      id: doc._id,
      enterpriseId: doc.enterpriseId,
      province: doc.province,
      hsCodes: doc.hsCodes,
      vsicCodes: doc.vsicCodes,
      tokens: doc.tokens,
      monthlyCapacity: doc.monthlyCapacity,
      leadTimeDays: doc.leadTimeDays,
      servedProvinces: doc.servedProvinces,
      servedRegions: doc.servedRegions,
      certifications: doc.certifications,
      postedAt: doc.postedAt,
      validUntil: doc.validUntil,
      open: doc.open,
    },
    supplier,
  };
}

/** Everything scoring reads; the filter-only fields stay in the store. */
const SCORED_FIELDS = {
  enterpriseId: 1,
  province: 1,
  hsCodes: 1,
  vsicCodes: 1,
  tokens: 1,
  monthlyCapacity: 1,
  leadTimeDays: 1,
  servedProvinces: 1,
  servedRegions: 1,
  certifications: 1,
  postedAt: 1,
  validUntil: 1,
  open: 1,
  supplier: 1,
} as const;

// ---------------------------------------------------------------- the question

/**
 * The store's part: the hard filters scorePair applies (open, not expired, not the buyer's own, served where
 * the buyer is, supplier's province not excluded, certification kinds held) and candidate admission at least as
 * broad as the index's. The index meets candidates only in its HS 2/4/6, VSIC 2/3/4 and keyword lists for the
 * need's codes and keywords; a pair sharing 4 or 6 digits shares the first 2, so "a shared HS chapter, VSIC
 * division or keyword" admits every pair the index can score, and scoring sorts out the rest.
 */
export function candidateFilter(demand: Demand, buyer: Party): Filter<SupplyDoc> {
  const admit: Filter<SupplyDoc>[] = [];
  const hs2 = chapters(demand.hsCodes);
  const vsic2 = chapters(demand.vsicCodes);
  const tokens = [...new Set(demand.tokens)];
  if (hs2.length > 0) admit.push({ hs2: { $in: hs2 } });
  if (vsic2.length > 0) admit.push({ vsic2: { $in: vsic2 } });
  if (tokens.length > 0) admit.push({ tokens: { $in: tokens } });
  const region = regionOf(buyer.province);
  const filter: Filter<SupplyDoc> = {
    open: true,
    validUntil: { $gt: NOW },
    enterpriseId: { $ne: demand.enterpriseId },
    served: { $in: region === undefined ? ['*', buyer.province] : ['*', buyer.province, `R:${region}`] },
    // No code and no keyword: nothing can fit (the index has no list to read either).
    ...(admit.length === 0 ? { _id: { $in: [] } } : { $or: admit }),
  };
  if (demand.excludedProvinces.length > 0) filter.province = { $nin: demand.excludedProvinces };
  const kinds = [...new Set(demand.requiredCertifications.map(certificationKind))];
  if (kinds.length > 0) filter.certKinds = { $all: kinds };
  return filter;
}

export interface BaselineHit {
  id: string;
  score: number;
}

/** The driver's part, all by the library: scorePair on each candidate, threshold, best first, ties by id, top k. */
export function rankCandidates(demand: Demand, buyer: Party, docs: readonly SupplyDoc[]): BaselineHit[] {
  const hits: BaselineHit[] = [];
  for (const doc of docs) {
    const { supply, supplier } = fromDoc(doc);
    const verdict = scorePair(demand, supply, buyer, supplier, NOW);
    if (verdict.ok && verdict.match.score >= THRESHOLD)
      hits.push({ id: supply.id, score: verdict.match.score });
  }
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return hits.slice(0, K);
}

// ---------------------------------------------------------------- agreement with the index

/** A need on which the two answers differ, with what each posting in only one of them is, by the library. */
export interface Disagreement {
  demandId: string;
  index: BaselineHit[];
  baseline: BaselineHit[];
  postings: {
    id: string;
    in: 'index only' | 'baseline only' | 'both, other score';
    /** Whether the store's filter let it through. */
    admittedByStore: boolean;
    /** scorePair on the posting as the benchmark generated it: the score, or why it is excluded. */
    library: string;
  }[];
}

/** |A ∩ B| / max(|A|, |B|): 1 when both are empty or hold the same postings. */
export function overlap(a: readonly BaselineHit[], b: readonly BaselineHit[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const ids = new Set(b.map((h) => h.id));
  return a.filter((h) => ids.has(h.id)).length / Math.max(a.length, b.length);
}

function sameAnswer(a: readonly BaselineHit[], b: readonly BaselineHit[]): boolean {
  return a.length === b.length && a.every((h, i) => h.id === b[i]?.id && h.score === b[i]?.score);
}

function disagreement(
  query: Query,
  index: BaselineHit[],
  baseline: BaselineHit[],
  admitted: ReadonlySet<string>,
  world: WorldLookup,
): Disagreement {
  const theirs = new Map(index.map((h) => [h.id, h.score]));
  const ours = new Map(baseline.map((h) => [h.id, h.score]));
  const ids = [...new Set([...theirs.keys(), ...ours.keys()])].filter(
    (id) => theirs.get(id) !== ours.get(id),
  );
  return {
    demandId: query.demand.id,
    index,
    baseline,
    postings: ids.map((id) => {
      const supply = world.supply.get(id);
      const supplier = supply && world.party.get(supply.enterpriseId);
      let library = 'not in the generated world';
      if (supply && supplier) {
        const verdict = scorePair(query.demand, supply, query.buyer, supplier, NOW);
        library = verdict.ok
          ? `score ${verdict.match.score}`
          : `excluded: ${verdict.exclusions.map((e) => e.reason).join(', ')}`;
      }
      return {
        id,
        in: !ours.has(id) ? 'index only' : !theirs.has(id) ? 'baseline only' : 'both, other score',
        admittedByStore: admitted.has(id),
        library,
      };
    }),
  };
}

interface WorldLookup {
  supply: Map<string, Supply>;
  party: Map<string, Party>;
}

// ---------------------------------------------------------------- the run

export const STORE_CAVEAT =
  'the local store (FerretDB 1.24 on SQLite) pushes no filter down, so each need scans and decodes the whole ' +
  'collection; a MongoDB server would answer the same find from its indexes on hs2, vsic2 and tokens, much ' +
  'faster (not measured here), so these speed-ups overstate the one against production MongoDB';

export interface BaselineResult {
  mode: string;
  insert: { ms: number; docsPerSecond: number };
  createIndexesMs: number;
  /** Per need, the store's find and the driver's scoring together: what the speed-up compares. */
  latency: Latency;
  /** The two parts of it: the find, until the last document is decoded, and scoring the candidates. */
  storeMs: Latency;
  scoringMs: Latency;
  warmup: number;
  /** Documents the store's filter returns per need: what the library scores. */
  meanCandidates: number;
  meanHits: number;
  /** Mean over needs of |baseline top k ∩ index top k| / max of their sizes (1 when both are empty). */
  overlapWithIndex: number;
  /** Needs whose top k are the same postings with the same scores in the same order. */
  identicalAnswers: number;
  needs: number;
  /** The needs on which they differ (at most 10), each posting in one answer only explained by the library. */
  disagreements: Disagreement[];
}

export interface Store {
  client: MongoClient;
  dbName: string;
  server: string;
}

const MAX_DISAGREEMENTS = 10;

export async function benchBaseline(
  store: Store,
  world: World,
  queries: readonly Query[],
  count: number,
  indexTop: readonly BaselineHit[][],
): Promise<BaselineResult> {
  const size = world.supplies.length;
  const db = store.client.db(store.dbName);
  const collection = db.collection<SupplyDoc>(`supplies_${size}`);
  await collection.drop().catch(() => undefined);
  const lookup: WorldLookup = {
    supply: new Map(world.supplies.map((s) => [s.id, s])),
    party: new Map(world.parties.map((p) => [p.enterpriseId, p])),
  };

  const progress = bar(`insert ${size.toLocaleString('en')}`, size);
  const t0 = process.hrtime.bigint();
  for (let from = 0; from < size; from += INSERT_BATCH) {
    const docs = world.supplies
      .slice(from, from + INSERT_BATCH)
      .map((s) => toDoc(s, lookup.party.get(s.enterpriseId) as Party));
    await collection.insertMany(docs, { ordered: false });
    progress.update(Math.min(size, from + INSERT_BATCH));
  }
  const insertMs = elapsedMs(t0);
  progress.stop();
  // The fields the admission's $or branches test: a server with index intersection answers from these.
  const t1 = process.hrtime.bigint();
  for (const field of ['hs2', 'vsic2', 'tokens']) await collection.createIndex({ [field]: 1 });
  const createIndexesMs = elapsedMs(t1);
  log(
    `  inserted ${size.toLocaleString('en')} in ${(insertMs / 1000).toFixed(1)} s, indexes in ${createIndexesMs.toFixed(0)} ms`,
  );

  const run = async (query: Query) => {
    const start = process.hrtime.bigint();
    const docs = (await collection
      .find(candidateFilter(query.demand, query.buyer), { projection: SCORED_FIELDS })
      .toArray()) as SupplyDoc[];
    const storeMs = elapsedMs(start);
    const scoring = process.hrtime.bigint();
    const hits = rankCandidates(query.demand, query.buyer, docs);
    return { hits, docs, storeMs, scoringMs: elapsedMs(scoring), totalMs: elapsedMs(start) };
  };

  for (const query of queries.slice(0, BASELINE_WARMUP)) await run(query);
  const measured = queries.slice(WARMUP, WARMUP + count);
  const total: number[] = [];
  const storeMs: number[] = [];
  const scoringMs: number[] = [];
  let candidates = 0;
  let hits = 0;
  let shared = 0;
  let identical = 0;
  const disagreements: Disagreement[] = [];
  const qbar = bar(`baseline ${size.toLocaleString('en')}`, measured.length);
  for (let i = 0; i < measured.length; i++) {
    const query = measured[i] as Query;
    const answer = await run(query);
    total.push(answer.totalMs);
    storeMs.push(answer.storeMs);
    scoringMs.push(answer.scoringMs);
    candidates += answer.docs.length;
    hits += answer.hits.length;
    const theirs = indexTop[i] ?? [];
    shared += overlap(answer.hits, theirs);
    if (sameAnswer(answer.hits, theirs)) identical++;
    else if (disagreements.length < MAX_DISAGREEMENTS) {
      const admitted = new Set(answer.docs.map((d) => d._id));
      disagreements.push(disagreement(query, theirs, answer.hits, admitted, lookup));
    }
    qbar.update(i + 1);
  }
  qbar.stop();
  await collection.drop().catch(() => undefined);
  const n = Math.max(1, measured.length);
  return {
    mode:
      'find in the store with the hard filters and candidate admission (a shared HS chapter, VSIC division or ' +
      'keyword); each candidate scored in the driver by @lienket/matching scorePair, then threshold, sort and top k',
    insert: { ms: Math.round(insertMs), docsPerSecond: Math.round((size * 1000) / insertMs) },
    createIndexesMs: Math.round(createIndexesMs),
    latency: latency(total, 3),
    storeMs: latency(storeMs, 3),
    scoringMs: latency(scoringMs, 3),
    warmup: BASELINE_WARMUP,
    meanCandidates: round(candidates / n, 1),
    meanHits: round(hits / n, 2),
    overlapWithIndex: round(shared / n, 3),
    identicalAnswers: identical,
    needs: measured.length,
    disagreements,
  };
}
