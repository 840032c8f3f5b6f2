import {
  aggregateCollection,
  createModelIndexes,
  isDuplicateKey,
  prefixTextFilter,
  SEARCH_FIELD,
} from '@lienket/eventbus';
import { AppError } from '@lienket/platform';
import { hsAncestors, vsicAncestors } from '@lienket/reference';
import type mongoose from 'mongoose';
import type { StoredParty, TechTransferStore, Viewer } from '../../app/ports';
import type { CoFundingApplication, Interest, Offer, Programme, TechRequest } from '../../domain/model';
import { offerSearchTokens } from '../../domain/offer';
import { requestSearchTokens } from '../../domain/request';

import { collections, techTransferModels } from './models';

type Filter = Record<string, unknown>;

export { collections } from './models';

export const outboxCollections = [
  collections.offers,
  collections.requests,
  collections.interests,
  collections.programmes,
  collections.applications,
];

const s = (field: string) => `${SEARCH_FIELD}.${field}`;

const prefixesOf = (codes: string[], ancestors: (code: string) => string[]) => [
  ...new Set(codes.flatMap((code) => [...ancestors(code), code])),
];

const codeSearch = (p: { hsCodes: string[]; vsicCodes: string[] }) => ({
  hsPrefixes: prefixesOf(p.hsCodes, hsAncestors),
  vsicPrefixes: prefixesOf(p.vsicCodes, vsicAncestors),
  hsChapters: [...new Set(p.hsCodes.map((c) => c.slice(0, 2)))],
  vsicDivisions: [...new Set(p.vsicCodes.map((c) => c.slice(0, 2)))],
});

/** While an interest is open its key is offer + enterprise (unique); once closed, its own id. */
const interestKey = (i: Interest) =>
  i.status === 'pending' || i.status === 'negotiating' ? `${i.offerId}:${i.interestedId}` : i.id;
/** One open application per agreement and programme; a rejected one frees the key. */
const applicationKey = (a: CoFundingApplication) =>
  a.status === 'rejected' ? a.id : `${a.programmeId}:${a.agreementId}`;

/** What the viewer may see among published offers, as a filter. */
function visibilityFilter(viewer: Viewer): Filter {
  if (viewer.role === 'admin' || viewer.role === 'service') return { status: 'published' };
  const or: Filter[] = [{ visibility: 'public' }];
  if (viewer.role === 'province') {
    or.push({ visibility: 'verified_enterprises' });
    or.push({ visibility: 'named_provinces', visibleProvinces: viewer.provinceCode });
  }
  if (viewer.role === 'enterprise' && viewer.party) {
    if (viewer.party.verified) or.push({ visibility: 'verified_enterprises' });
    or.push({ visibility: 'named_provinces', visibleProvinces: viewer.party.province });
  }
  const visible = { status: 'published', $or: or };
  if (viewer.role === 'enterprise' && viewer.enterpriseId)
    return { $or: [visible, { status: 'published', ownerId: viewer.enterpriseId }] };
  return visible;
}

export function createMongoTechTransferStore(connection: mongoose.Connection): TechTransferStore {
  const models = techTransferModels(connection);
  const parties = models.parties;
  const offers = aggregateCollection<Offer>(models.offers, (o) => ({
    ...codeSearch(o),
    tokens: offerSearchTokens(o),
  }));
  const requests = aggregateCollection<TechRequest>(models.requests, (r) => ({
    ...codeSearch(r),
    tokens: requestSearchTokens(r),
  }));
  const interests = aggregateCollection<Interest>(models.interests, (i) => ({
    key: interestKey(i),
    agreementId: i.agreement?.id ?? '',
  }));
  const programmes = aggregateCollection<Programme>(models.programmes, (p) => ({
    reserved: p.reservations.length > 0,
  }));
  const applications = aggregateCollection<CoFundingApplication>(models.applications, (a) => ({
    key: applicationKey(a),
  }));

  const conflict = (message: string, messageVi: string, code: string) =>
    new AppError('ALREADY_EXISTS', message, { code, messageVi });

  return {
    async findParty(enterpriseId) {
      const document = await parties.findOne({ _id: enterpriseId }).lean();
      if (!document) return undefined;
      const { _id, at: _at, ...facts } = document;
      return { ...facts, enterpriseId: _id } as StoredParty;
    },
    async projectParties(changes) {
      if (changes.length === 0) return;
      // One read, then the events folded in order onto what is stored (an event older than the
      // stored party changes nothing), then one write: new parties inserted, stored ones updated
      // only if still as read. Not one guarded upsert per event: FerretDB stops an update command
      // at its first duplicate key even when unordered. A conflict throws; the batch is applied again.
      const ids = [...new Set(changes.map((c) => c.enterpriseId))];
      const stored = new Map(
        (await parties.find({ _id: { $in: ids } }, { _id: 1, at: 1 }).lean()).map((d) => [d._id, d.at]),
      );
      const folded = new Map<string, { facts: Partial<StoredParty>; at: Date }>();
      for (const { enterpriseId, facts, at } of changes) {
        const current = folded.get(enterpriseId);
        const latest = current?.at ?? stored.get(enterpriseId);
        if (latest && at < latest) continue;
        folded.set(enterpriseId, { facts: { ...current?.facts, ...facts }, at });
      }
      if (folded.size === 0) return;
      const writes = [...folded].map(([_id, { facts, at }]) => {
        const readAt = stored.get(_id);
        return readAt
          ? { updateOne: { filter: { _id, at: readAt }, update: { $set: { ...facts, at } } } }
          : { insertOne: { document: { _id, ...facts, at } } };
      });
      const updates = writes.filter((w) => 'updateOne' in w).length;
      const result = await parties.bulkWrite(writes, { ordered: false });
      if (result.matchedCount < updates) throw new Error('a party changed while its events were applied');
    },

    insertOffer: (offer, events) => offers.insert(offer, events),
    findOffer: (id) => offers.find(id),
    saveOffer: (offer, version, events) => offers.save(offer, version, events),
    async searchOffers(query, viewer, page) {
      const and: Filter[] = [query.ownerId ? { ownerId: query.ownerId } : visibilityFilter(viewer)];
      if (query.hsPrefix) and.push({ [s('hsPrefixes')]: query.hsPrefix });
      if (query.vsicPrefix) and.push({ [s('vsicPrefixes')]: query.vsicPrefix });
      if (query.minReadinessLevel > 0) and.push({ readinessLevel: { $gte: query.minReadinessLevel } });
      if (query.maxReadinessLevel > 0) and.push({ readinessLevel: { $lte: query.maxReadinessLevel } });
      if (query.transferModes.length > 0) and.push({ transferModes: { $in: query.transferModes } });
      if (query.cleanerProduction !== undefined) and.push({ cleanerProduction: query.cleanerProduction });
      if (query.pollutionTreatment !== undefined) and.push({ pollutionTreatment: query.pollutionTreatment });
      if (query.ownerProvinces.length > 0) and.push({ ownerProvince: { $in: query.ownerProvinces } });
      if (query.ownerRegions.length > 0) and.push({ ownerRegion: { $in: query.ownerRegions } });
      and.push(...prefixTextFilter(s('tokens'), query.textTokens));
      return offers.page({ $and: and }, page);
    },
    candidateOffers({ hsChapters, vsicDivisions, tokens }, limit) {
      const or: Filter[] = [];
      if (hsChapters.length > 0) or.push({ [s('hsChapters')]: { $in: hsChapters } });
      if (vsicDivisions.length > 0) or.push({ [s('vsicDivisions')]: { $in: vsicDivisions } });
      if (tokens.length > 0) or.push({ [s('tokens')]: { $in: tokens.slice(0, 30) } });
      if (or.length === 0) return Promise.resolve([]);
      return offers.findMany({ status: 'published', $or: or }, { sort: { _id: -1 }, limit });
    },
    findDueOffers: (now, limit) =>
      offers.findMany({ status: 'published', validUntil: { $lte: now } }, { sort: { validUntil: 1 }, limit }),

    async insertRequest(request, events) {
      try {
        await requests.insert(request, events);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    findRequest: (id) => requests.find(id),
    saveRequest: (request, version, events) => requests.save(request, version, events),
    insertRequests: (items) =>
      requests.insertNew(items.map(({ request, events }) => ({ value: request, events }))),
    findRequests: (ids) => requests.findByIds(ids),
    saveRequests: (items) =>
      requests.saveMany(
        items.map(({ request, expectedVersion, events }) => ({ value: request, expectedVersion, events })),
      ),
    searchRequests(query, page) {
      const and: Filter[] = [query.includeClosed ? {} : { status: 'open' }];
      if (query.hsPrefix) and.push({ [s('hsPrefixes')]: query.hsPrefix });
      if (query.vsicPrefix) and.push({ [s('vsicPrefixes')]: query.vsicPrefix });
      if (query.provinces.length > 0) and.push({ province: { $in: query.provinces } });
      if (query.regions.length > 0) and.push({ region: { $in: query.regions } });
      if (query.cleanerProduction !== undefined) and.push({ cleanerProduction: query.cleanerProduction });
      if (query.pollutionTreatment !== undefined) and.push({ pollutionTreatment: query.pollutionTreatment });
      if (query.requesterId) and.push({ requesterId: query.requesterId });
      and.push(...prefixTextFilter(s('tokens'), query.textTokens));
      return requests.page({ $and: and }, page);
    },
    findDueRequests: (now, limit) =>
      requests.findMany({ status: 'open', validUntil: { $lte: now } }, { sort: { validUntil: 1 }, limit }),

    async insertInterest(interest, events) {
      try {
        await interests.insert(interest, events);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        throw conflict(
          'You already have an open expression of interest in this offer',
          'Bạn đã bày tỏ quan tâm tới chào bán này và đang chờ xử lý',
          'INTEREST_EXISTS',
        );
      }
    },
    findInterest: (id) => interests.find(id),
    async findInterestByAgreement(agreementId) {
      if (!agreementId) return undefined;
      const [found] = await interests.findMany({ [s('agreementId')]: agreementId }, { limit: 1 });
      return found;
    },
    saveInterest: (interest, version, events) => interests.save(interest, version, events),
    listInterests(query, page) {
      const and: Filter[] = [];
      if (query.enterpriseId)
        and.push({ $or: [{ ownerId: query.enterpriseId }, { interestedId: query.enterpriseId }] });
      if (query.offerId) and.push({ offerId: query.offerId });
      if (query.statuses.length > 0) and.push({ status: { $in: query.statuses } });
      return interests.page(and.length > 0 ? { $and: and } : {}, page);
    },
    findDueInterests: (remindBefore, limit) =>
      interests.findMany(
        { status: { $in: ['pending', 'negotiating'] }, respondBy: { $lte: remindBefore } },
        { sort: { respondBy: 1 }, limit },
      ),

    insertProgramme: (programme, events) => programmes.insert(programme, events),
    findProgramme: (id) => programmes.find(id),
    saveProgramme: (programme, version, events) => programmes.save(programme, version, events),
    listProgrammes(query, page) {
      const and: Filter[] = [query.includeClosed ? {} : { status: 'open' }];
      if (query.eligibleProvince)
        and.push({
          $or: [
            { 'eligibility.provinces': { $size: 0 } },
            { 'eligibility.provinces': query.eligibleProvince },
          ],
        });
      if (query.funderKinds.length > 0) and.push({ funderKind: { $in: query.funderKinds } });
      return programmes.page({ $and: and }, page);
    },
    programmesWithReservations: (limit) => programmes.findMany({ [s('reserved')]: true }, { limit }),

    async insertApplication(application, events) {
      try {
        await applications.insert(application, events);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        throw conflict(
          'This agreement already has an open application to this programme',
          'Thỏa thuận này đã có hồ sơ đang xét tại chương trình này',
          'APPLICATION_EXISTS',
        );
      }
    },
    findApplication: (id) => applications.find(id),
    findApplications: (ids) => applications.findMany({ _id: { $in: ids } }),
    saveApplication: (application, version, events) => applications.save(application, version, events),
    listApplications(query, page) {
      const and: Filter[] = [];
      if (query.programmeId) and.push({ programmeId: query.programmeId });
      if (query.applicantProvince) and.push({ applicantProvince: query.applicantProvince });
      if (query.applicantId) and.push({ applicantId: query.applicantId });
      if (query.statuses.length > 0) and.push({ status: { $in: query.statuses } });
      return applications.page(and.length > 0 ? { $and: and } : {}, page);
    },
  };
}

/** Builds the indexes the models' schemas declare (outboxPending included). */
export async function ensureTechTransferIndexes(connection: mongoose.Connection): Promise<void> {
  await createModelIndexes(Object.values(techTransferModels(connection)));
}
