import {
  createModelIndexes,
  insertOptions,
  type OutboxEntry,
  onlyDuplicateKeys,
  outboxFields,
  withOutbox,
  withoutOutboxFields,
} from '@lienket/eventbus';
import { AppError, encodePageToken } from '@lienket/platform';
import { hsAncestors, vsicAncestors } from '@lienket/reference';
import type mongoose from 'mongoose';
import type {
  EnterpriseQuery,
  FacetCounts,
  Page,
  PageRequest,
  PostingQuery,
  RegistryStore,
} from '../../app/ports';
import { enterpriseSearchTokens } from '../../domain/enterprise';
import type { Capability, Cluster, Enterprise, Need, Posting } from '../../domain/model';
import { postingSearchTokens } from '../../domain/postings';

import { collections, registryModels } from './models';

type Filter = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: the helpers below serve the models of several collections
type AnyModel = mongoose.Model<any>;

export { collections } from './models';

/** Collections whose documents carry an outbox, for the relay. */
export const outboxCollections = [collections.enterprises, collections.postings, collections.clusters];

/** Search fields stored beside the state: all code prefixes (for prefix filters) and folded words. */
const prefixesOf = (codes: string[], ancestors: (code: string) => string[]) => [
  ...new Set(codes.flatMap((code) => [...ancestors(code), code])),
];

function enterpriseDocument(e: Enterprise) {
  const { id, ...state } = e;
  return {
    _id: id,
    ...state,
    searchTokens: enterpriseSearchTokens(e),
    vsicPrefixes: prefixesOf(e.vsicCodes, vsicAncestors),
    vsicDivisions: [...new Set(e.vsicCodes.map((c) => c.slice(0, 2)))],
    recognitionKinds: [...new Set(e.recognitions.map((r) => r.kind))],
    verified: e.verification.status === 'verified',
  };
}

function postingDocument(p: Posting) {
  const { id, ...state } = p;
  return {
    _id: id,
    ...state,
    searchTokens: postingSearchTokens(p),
    vsicPrefixes: prefixesOf(p.vsicCodes, vsicAncestors),
    hsPrefixes: prefixesOf(p.hsCodes, hsAncestors),
    vsicDivisions: [...new Set(p.vsicCodes.map((c) => c.slice(0, 2)))],
    hsChapters: [...new Set(p.hsCodes.map((c) => c.slice(0, 2)))],
    certificationKinds: p.kind === 'capability' ? p.certifications : p.requiredCertifications,
    region: '',
  };
}

const searchFields = [
  'searchTokens',
  'vsicPrefixes',
  'hsPrefixes',
  'vsicDivisions',
  'hsChapters',
  'recognitionKinds',
  'certificationKinds',
  'verified',
  'slot',
];

function fromDocument<T>(document: Record<string, unknown> | null): T | undefined {
  if (!document) return undefined;
  const { _id, ...rest } = withoutOutboxFields(document);
  for (const field of searchFields) delete rest[field];
  if (rest.kind === 'capability' || rest.kind === 'need') delete rest.region;
  return { id: _id, ...rest } as T;
}

function stateOf(document: Record<string, unknown>): Record<string, unknown> {
  const { _id, version: _version, ...state } = document;
  return state;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function textFilter(tokens: string[]): Filter[] {
  return tokens.slice(0, 8).map((token) => ({ searchTokens: { $regex: `^${escapeRegex(token)}` } }));
}

function cursorPage(filter: Filter, page: PageRequest): { filter: Filter; size: number } {
  const size = Math.min(Math.max(page.size || 20, 1), 100);
  return { filter: page.cursor ? { ...filter, _id: { $lt: page.cursor } } : filter, size };
}

type Stored = Record<string, unknown> & { _id: string };

export function createMongoRegistryStore(
  connection: mongoose.Connection,
  regionOfProvince: (code: string) => string,
): RegistryStore {
  const models = registryModels(connection);
  const enterprises: AnyModel = models.enterprises;
  const postings: AnyModel = models.postings;
  const clusters: AnyModel = models.clusters;
  const grants = models.contactGrants;
  const hideOutbox = { outbox: 0 } as const;
  const slots = openPostingSlots(postings);
  const findOne = (model: AnyModel, id: string) =>
    model.findOne({ _id: id }, hideOutbox).lean<Stored>().exec();

  async function facetCounts(
    collection: AnyModel,
    filter: Filter,
    facets: string[],
    fields: Record<string, { path: string; array: boolean }>,
  ): Promise<FacetCounts[]> {
    const wanted = facets.filter((name) => fields[name]);
    // One $group per facet: the store serves no $facet.
    return Promise.all(
      wanted.map(async (name) => {
        const { path, array } = fields[name] as { path: string; array: boolean };
        const rows = await collection
          .aggregate<{ _id: unknown; count: number }>([
            { $match: filter },
            ...(array ? [{ $unwind: `$${path}` }] : []),
            { $group: { _id: `$${path}`, count: { $sum: 1 } } },
          ])
          .exec();
        return {
          name,
          counts: rows
            .filter((row) => row._id !== null && row._id !== undefined && row._id !== '')
            .map((row) => ({ value: String(row._id), count: row.count }))
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
        };
      }),
    );
  }

  async function searchPage<T>(collection: AnyModel, filter: Filter, page: PageRequest): Promise<Page<T>> {
    const { filter: paged, size } = cursorPage(filter, page);
    const [documents, total] = await Promise.all([
      collection
        .find(paged, hideOutbox)
        .sort({ _id: -1 })
        .limit(size + 1)
        .lean<Stored[]>()
        .exec(),
      collection.countDocuments(filter),
    ]);
    const items = documents.slice(0, size).map((d) => fromDocument<T>(d) as T);
    const last = documents.length > size ? documents[size - 1] : undefined;
    return { items, total, nextCursor: last ? encodePageToken(String(last._id)) : '' };
  }

  async function conditionalSave(
    collection: AnyModel,
    document: Record<string, unknown> & { _id: string; version?: unknown },
    expectedVersion: number,
    events: OutboxEntry[],
  ): Promise<boolean> {
    const result = await collection.updateOne(
      { _id: document._id, version: expectedVersion },
      withOutbox({ $set: { ...stateOf(document), version: expectedVersion + 1 } }, events),
    );
    return result.matchedCount === 1;
  }

  return {
    async insertEnterprise(enterprise, events) {
      try {
        await enterprises.insertMany(
          [{ ...enterpriseDocument(enterprise), ...outboxFields(events) }],
          insertOptions,
        );
      } catch (error) {
        if ((error as { code?: number }).code === 11000) {
          throw new AppError('ALREADY_EXISTS', `Tax code ${enterprise.taxCode} is already registered`, {
            code: 'DUPLICATE_TAX_CODE',
            messageVi: `Mã số thuế ${enterprise.taxCode} đã được đăng ký`,
            violations: [
              {
                field: 'enterprise.taxCode',
                reason: 'duplicate_tax_code',
                description: 'This tax code is already registered',
                descriptionVi: 'Mã số thuế này đã được đăng ký',
              },
            ],
          });
        }
        throw error;
      }
    },
    findEnterprise: async (id) => fromDocument<Enterprise>(await findOne(enterprises, id)),
    async findEnterprises(ids) {
      if (ids.length === 0) return [];
      const documents = await enterprises
        .find({ _id: { $in: ids } }, hideOutbox)
        .lean<Stored[]>()
        .exec();
      return documents.map((d) => fromDocument<Enterprise>(d) as Enterprise);
    },
    saveEnterprise: (enterprise, expectedVersion, events) =>
      conditionalSave(enterprises, enterpriseDocument(enterprise), expectedVersion, events),
    async searchEnterprises(query: EnterpriseQuery, page, facets) {
      const filter: Filter = {};
      const and: Filter[] = [];
      if (query.provinces.length > 0) filter.province = { $in: query.provinces };
      if (query.regions.length > 0) filter.region = { $in: query.regions };
      if (query.vsicPrefix) filter.vsicPrefixes = query.vsicPrefix;
      if (query.kinds.length > 0) filter.kind = { $in: query.kinds };
      if (query.recognitions.length > 0)
        and.push(...query.recognitions.map((kind) => ({ recognitionKinds: kind })));
      if (query.verified !== undefined) filter.verified = query.verified;
      if (query.supportingIndustry !== undefined) filter.supportingIndustry = query.supportingIndustry;
      if (query.leadFirm !== undefined) filter.leadFirm = query.leadFirm;
      and.push(...textFilter(query.textTokens));
      if (and.length > 0) filter.$and = and;
      const [result, counted] = await Promise.all([
        searchPage<Enterprise>(enterprises, filter, page),
        facetCounts(enterprises, filter, facets, {
          province: { path: 'province', array: false },
          region: { path: 'region', array: false },
          kind: { path: 'kind', array: false },
          vsic_division: { path: 'vsicDivisions', array: true },
          recognition: { path: 'recognitionKinds', array: true },
          verified: { path: 'verified', array: false },
          supporting_industry: { path: 'supportingIndustry', array: false },
        }),
      ]);
      return { ...result, facets: counted };
    },

    async insertPosting(posting, events, maxOpen) {
      const document = {
        ...postingDocument(posting),
        region: regionOfProvince(posting.province),
        ...outboxFields(events),
      };
      // Usually one command: the insert, in a slot the hint says is free. A taken slot (another
      // process, or no hint yet) costs one read of the enterprise's open slots and a second try.
      const { enterpriseId } = posting;
      let taken = slots.hint(enterpriseId) ?? new Set<number>();
      let read = false;
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        let slot = freeSlot(taken, maxOpen);
        if (slot === undefined && !read) {
          taken = await slots.read(enterpriseId);
          read = true;
          slot = freeSlot(taken, maxOpen);
        }
        // Refused only on what the store says, never on the hint alone.
        if (slot === undefined) return false;
        try {
          await postings.insertMany([{ ...document, slot: slotKey(enterpriseId, slot) }], insertOptions);
          slots.took(enterpriseId, slot);
          return true;
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
          taken = await slots.read(enterpriseId);
          read = true;
        }
      }
      throw new AppError('UNAVAILABLE', 'Too many postings of this enterprise at once; try again', {
        code: 'POSTING_SLOT_CONTENDED',
        messageVi: 'Doanh nghiệp đang đăng quá nhiều tin cùng lúc; hãy thử lại',
      });
    },
    findPosting: async (id) => fromDocument<Posting>(await findOne(postings, id)),
    savePosting: (posting, expectedVersion, events) =>
      conditionalSave(
        postings,
        {
          ...postingDocument(posting),
          region: regionOfProvince(posting.province),
          // Closed in the same write that leaves the slot: nothing to release afterwards.
          ...(posting.status === 'open' ? {} : { slot: posting.id }),
        },
        expectedVersion,
        events,
      ),
    async searchPostings(query: PostingQuery, page, facets) {
      const filter: Filter = { kind: query.kind };
      const and: Filter[] = [];
      if (!query.includeClosed) filter.status = 'open';
      if (query.provinces.length > 0) filter.province = { $in: query.provinces };
      if (query.regions.length > 0) filter.region = { $in: query.regions };
      if (query.vsicPrefix) filter.vsicPrefixes = query.vsicPrefix;
      if (query.hsPrefix) filter.hsPrefixes = query.hsPrefix;
      if (query.categories.length > 0 && query.kind === 'need') filter.category = { $in: query.categories };
      if (query.enterpriseId) filter.enterpriseId = query.enterpriseId;
      if (query.certifications.length > 0)
        and.push(...query.certifications.map((c) => ({ certificationKinds: c })));
      and.push(...textFilter(query.textTokens));
      if (and.length > 0) filter.$and = and;
      const [result, counted] = await Promise.all([
        searchPage<Posting>(postings, filter, page),
        facetCounts(postings, filter, facets, {
          province: { path: 'province', array: false },
          region: { path: 'region', array: false },
          category: { path: 'category', array: false },
          status: { path: 'status', array: false },
          vsic_division: { path: 'vsicDivisions', array: true },
          hs_chapter: { path: 'hsChapters', array: true },
          certification: { path: 'certificationKinds', array: true },
        }),
      ]);
      return { ...result, facets: counted };
    },
    async findDuePostings(kind, now, noticeBefore, limit) {
      const documents = await postings
        // Past expiry, or inside the notice window and not yet warned (renewal resets the notice),
        // so postings already warned do not crowd out the rest of a pass.
        .find(
          {
            kind,
            status: 'open',
            $or: [
              { validUntil: { $lte: now } },
              { validUntil: { $lte: noticeBefore }, expiringNoticeFor: null },
            ],
          },
          hideOutbox,
        )
        .sort({ validUntil: 1 })
        .limit(limit)
        .lean<Stored[]>()
        .exec();
      return documents
        .map((d) => fromDocument<Capability | Need>(d) as Capability | Need)
        .filter(
          (p) =>
            p.validUntil.getTime() <= now.getTime() ||
            p.expiringNoticeFor?.getTime() !== p.validUntil.getTime(),
        );
    },

    async insertCluster(cluster, events) {
      const { id, ...state } = cluster;
      await clusters.insertMany([{ _id: id, ...state, ...outboxFields(events) }], insertOptions);
    },
    findCluster: async (id) => fromDocument<Cluster>(await findOne(clusters, id)),
    saveCluster(cluster, expectedVersion, events) {
      const { id, ...state } = cluster;
      return conditionalSave(clusters, { _id: id, ...state }, expectedVersion, events);
    },

    async hasContactGrant(enterpriseId, granteeId, matchId) {
      return (await grants.countDocuments({ _id: `${matchId}:${granteeId}:${enterpriseId}` })) === 1;
    },
  };
}

/** Builds the indexes the models' schemas declare (outboxPending included). */
export async function ensureRegistryIndexes(connection: mongoose.Connection): Promise<void> {
  await assignMissingSlots(registryModels(connection).postings);
  await createModelIndexes(Object.values(registryModels(connection)));
}

const slotKey = (enterpriseId: string, slot: number) => `${enterpriseId}#${slot}`;

/** A random slot below `max` that is not in `taken`, or undefined when there is none. */
function freeSlot(taken: ReadonlySet<number>, max: number): number | undefined {
  const inRange = [...taken].filter((n) => n < max).length;
  if (inRange >= max) return undefined;
  // Mostly free (the usual case, and any large limit): draw until a free one comes up.
  if (inRange < max / 2) {
    for (;;) {
      const n = Math.floor(Math.random() * max);
      if (!taken.has(n)) return n;
    }
  }
  const free: number[] = [];
  for (let n = 0; n < max; n += 1) if (!taken.has(n)) free.push(n);
  return free[Math.floor(Math.random() * free.length)];
}

/**
 * The open-posting slots this process saw taken, per enterprise (a hint that spares reads: a slot
 * it thinks free may be taken, and the insert then fails on the unique index), and the read of
 * the slots the store holds.
 */
function openPostingSlots(postings: AnyModel) {
  const hints = new Map<string, Set<number>>();
  const remember = (enterpriseId: string, taken: Set<number>) => {
    hints.delete(enterpriseId);
    hints.set(enterpriseId, taken);
    // The oldest hints go first: a hint is worth one read at most.
    if (hints.size > 10_000) hints.delete(hints.keys().next().value as string);
  };
  return {
    hint: (enterpriseId: string) => hints.get(enterpriseId),
    async read(enterpriseId: string): Promise<Set<number>> {
      const open = await postings
        .find({ enterpriseId, status: 'open' }, { slot: 1 })
        .lean<{ slot?: string }[]>()
        .exec();
      const prefix = `${enterpriseId}#`;
      const taken = new Set(
        open
          .map((d) => (d.slot?.startsWith(prefix) ? Number(d.slot.slice(prefix.length)) : Number.NaN))
          .filter((n) => Number.isInteger(n)),
      );
      remember(enterpriseId, taken);
      return new Set(taken);
    },
    took(enterpriseId: string, slot: number) {
      remember(enterpriseId, (hints.get(enterpriseId) ?? new Set<number>()).add(slot));
    },
  };
}

/**
 * Postings stored before slots existed get one before the unique index is built: a closed posting
 * its own id, an open one the lowest slot its enterprise has free. Reads nothing more when every
 * posting has one.
 */
async function assignMissingSlots(postings: AnyModel): Promise<void> {
  const missing = await postings
    .find({ slot: { $exists: false } }, { enterpriseId: 1, status: 1 })
    .lean<{ _id: string; enterpriseId: string; status: string }[]>()
    .exec();
  if (missing.length === 0) return;
  const open = await postings
    .find({ status: 'open', slot: { $exists: true } }, { enterpriseId: 1, slot: 1 })
    .lean<{ enterpriseId: string; slot: string }[]>()
    .exec();
  const taken = new Map<string, Set<string>>();
  for (const { enterpriseId, slot } of open)
    taken.set(enterpriseId, (taken.get(enterpriseId) ?? new Set()).add(slot));
  const slotOf = (posting: { _id: string; enterpriseId: string; status: string }) => {
    if (posting.status !== 'open') return posting._id;
    const used = taken.get(posting.enterpriseId) ?? new Set<string>();
    let n = 0;
    while (used.has(slotKey(posting.enterpriseId, n))) n += 1;
    const slot = slotKey(posting.enterpriseId, n);
    taken.set(posting.enterpriseId, used.add(slot));
    return slot;
  };
  await postings.bulkWrite(
    missing.map((posting) => ({
      updateOne: {
        filter: { _id: posting._id, slot: { $exists: false } },
        update: { $set: { slot: slotOf(posting) } },
      },
    })),
    { ordered: false },
  );
}

/**
 * Records that each side of these established matches may read the other's contact for that match:
 * one unordered bulk upsert keyed by match, grantee and enterprise (a replay changes nothing).
 */
export async function grantContacts(
  connection: mongoose.Connection,
  linkages: readonly { proposalId: string; buyerEnterpriseId: string; supplierEnterpriseId: string }[],
): Promise<void> {
  if (linkages.length === 0) return;
  const grants = registryModels(connection).contactGrants;
  const at = new Date();
  try {
    await grants.bulkWrite(
      linkages.flatMap(({ proposalId, buyerEnterpriseId: buyer, supplierEnterpriseId: supplier }) =>
        [
          [buyer, supplier],
          [supplier, buyer],
        ].map(([grantee, enterprise]) => ({
          updateOne: {
            filter: { _id: `${proposalId}:${grantee}:${enterprise}` },
            update: {
              $setOnInsert: {
                enterpriseId: enterprise as string,
                granteeId: grantee as string,
                matchId: proposalId,
                at,
              },
            },
            upsert: true,
          },
        })),
      ),
      { ordered: false },
    );
  } catch (error) {
    // Two members upserting the same grant at once: the other one inserted it.
    if (!onlyDuplicateKeys(error)) throw error;
  }
}
