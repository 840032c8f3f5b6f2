import { aggregateCollection, createModelIndexes, withOutbox } from '@lienket/eventbus';
import type mongoose from 'mongoose';
import type { ProgrammeStore } from '../../app/ports';
import type { Budget, ClusterSite, Plan, Pledge, Scheme, SupportLineRule } from '../../domain/model';
import { collections, programmeModels } from './models';

export { collections } from './models';

export const outboxCollections = Object.values(collections);

type Filter = Record<string, unknown>;

export async function ensureProgrammeIndexes(connection: mongoose.Connection): Promise<void> {
  await createModelIndexes(Object.values(programmeModels(connection)));
}

export function createMongoProgrammeStore(connection: mongoose.Connection): ProgrammeStore {
  const models = programmeModels(connection);
  const rules = aggregateCollection<SupportLineRule>(models.rules);
  const schemes = aggregateCollection<Scheme>(models.schemes, (s) => ({
    sponsorIds: [...new Set(s.pledges.map((p) => p.sponsorId))],
  }));
  const budgets = aggregateCollection<Budget>(models.budgets);
  const pledges = aggregateCollection<Pledge>(models.pledges, (p) => ({ province: p.target.province }));
  const plans = aggregateCollection<Plan>(models.plans);
  const sites = aggregateCollection<ClusterSite>(models.sites);
  const budgetModel = models.budgets;

  return {
    findRules: (year, source) => rules.findMany({ year, source }, { sort: { line: 1 } }),
    findRule: (id) => rules.find(id),
    async insertNewRules(items) {
      await rules.insertNew(items.map(({ rule, events }) => ({ value: rule, events })));
    },
    insertRule: (rule, events) => rules.insert(rule, events),
    saveRule: (rule, version, events) => rules.save(rule, version, events),

    insertScheme: (scheme, events) => schemes.insert(scheme, events),
    findScheme: (id) => schemes.find(id),
    saveScheme: (scheme, version, events) => schemes.save(scheme, version, events),
    listSchemes(query, page) {
      const and: Filter[] = [];
      if (query.province) and.push({ province: query.province });
      if (query.year) and.push({ year: query.year });
      if (query.line) and.push({ line: query.line });
      if (query.statuses.length > 0) and.push({ status: { $in: query.statuses } });
      if (query.beneficiaryId) and.push({ beneficiaryId: query.beneficiaryId });
      if (query.sponsorId) and.push({ 'search.sponsorIds': query.sponsorId });
      return schemes.page(and.length > 0 ? { $and: and } : {}, page);
    },
    schemesOfYear: (year, province) => schemes.findMany(province ? { year, province } : { year }),
    staleApprovals: (before, limit) =>
      schemes.findMany(
        { status: 'approving', updatedAt: { $lt: before } },
        { sort: { updatedAt: 1 }, limit },
      ),

    findBudget: (id) => budgets.find(id),
    insertBudget: (budget, events) => budgets.insert(budget, events),
    async changeBudgetTotal(id, fromTotalVnd, deltaVnd, events) {
      const result = await budgetModel.updateOne(
        { _id: id, totalVnd: fromTotalVnd, availableVnd: { $gte: -deltaVnd } },
        withOutbox(
          {
            $inc: { totalVnd: deltaVnd, availableVnd: deltaVnd, version: 1 },
            $set: { updatedAt: new Date() },
          },
          events,
        ),
      );
      return result.matchedCount === 1;
    },
    async reserveBudget(id, schemeId, amountVnd, events) {
      // The guard and the decrement are one single-document update: two approvals racing for the
      // last money cannot both match `availableVnd >= amount` (ADR 0018).
      const result = await budgetModel.updateOne(
        { _id: id, availableVnd: { $gte: amountVnd }, reservedSchemeIds: { $ne: schemeId } },
        withOutbox(
          {
            $inc: { availableVnd: -amountVnd, committedVnd: amountVnd },
            $push: { reservedSchemeIds: schemeId },
            $set: { updatedAt: new Date() },
          },
          events,
        ),
      );
      if (result.matchedCount === 1) return 'reserved';
      const budget = await budgets.find(id);
      if (!budget) return 'no_budget';
      return budget.reservedSchemeIds.includes(schemeId) ? 'held_already' : 'insufficient';
    },
    async releaseBudget(id, schemeId, amountVnd, events) {
      const result = await budgetModel.updateOne(
        { _id: id, reservedSchemeIds: schemeId, releasedSchemeIds: { $ne: schemeId } },
        withOutbox(
          {
            $inc: { availableVnd: amountVnd, committedVnd: -amountVnd },
            $push: { releasedSchemeIds: schemeId },
            $set: { updatedAt: new Date() },
          },
          events,
        ),
      );
      return result.matchedCount === 1;
    },

    insertPledge: (pledge, events) => pledges.insert(pledge, events),
    findPledge: (id) => pledges.find(id),
    savePledge: (pledge, version, events) => pledges.save(pledge, version, events),
    listPledges(query, page) {
      const and: Filter[] = [];
      if (query.sponsorId) and.push({ sponsorId: query.sponsorId });
      if (query.province) and.push({ 'search.province': query.province });
      if (query.schemeId) and.push({ schemeId: query.schemeId });
      return pledges.page(and.length > 0 ? { $and: and } : {}, page);
    },

    findPlan: (id) => plans.find(id),
    insertPlan: (plan, events) => plans.insert(plan, events),
    savePlan: (plan, version, events) => plans.save(plan, version, events),

    insertSite: (site, events) => sites.insert(site, events),
    findSite: (id) => sites.find(id),
    saveSite: (site, version, events) => sites.save(site, version, events),
    listSites(query, page) {
      const and: Filter[] = [];
      if (query.province) and.push({ province: query.province });
      if (query.treatment) and.push({ treatment: query.treatment });
      return sites.page(and.length > 0 ? { $and: and } : {}, page);
    },
    findSites: (ids) => sites.findByIds(ids),
    sitesOf: (province) => sites.findMany(province ? { province } : {}),
    saveSites: (items) =>
      sites.saveMany(
        items.map(({ site, expectedVersion, events }) => ({ value: site, expectedVersion, events })),
      ),
  };
}
