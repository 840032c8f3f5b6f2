import { Events } from '@lienket/contracts';
import { isDuplicateKey } from '@lienket/eventbus';
import { versionConflict } from '@lienket/platform';
import { deny, type ProgrammeActor, refuseAnalyst, requireSignedIn } from '../domain/actor';
import { budgetIdOf, setBudget } from '../domain/budget';
import type { Budget, FundingSource, Pledge, Scheme } from '../domain/model';
import { makePledge, matchPledge, maySeePledge, type PledgeInput, receivePledge } from '../domain/pledge';
import { notFound, type UseCaseContext } from './context';
import type { PageRequest, PledgeQuery } from './ports';
import type { SchemeUseCases } from './schemes';
import { budgetToProto, pledgeToProto, schemeFacts } from './to-proto';

/** Budgets (the state's money) and sponsors' pledges. */
export function makeMoneyUseCases(ctx: UseCaseContext, schemes: SchemeUseCases) {
  const { store, clock, newId, afterWrite, event, change } = ctx;
  const loadPledge = ctx.loader(store.findPledge, 'pledge', 'cam kết tài trợ');

  return {
    /**
     * Opens or changes a year's budget. The total moves by a guarded increment (still the total
     * read, available never below zero), so it never races an approval's reservation.
     */
    async setBudget(
      actor: ProgrammeActor,
      input: { year: number; source: string; province: string; totalVnd: number },
    ) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const id = budgetIdOf(input.year, input.source as FundingSource, input.province.trim());
        const current =
          input.source === 'national' || input.source === 'provincial'
            ? await store.findBudget(id)
            : undefined;
        const now = clock();
        const next = setBudget(actor, current, input, now);
        const announce = (b: Budget) => [
          event(
            Events.budgetChanged,
            {
              budget: budgetToProto(b),
              kind: 'set',
              schemeId: '',
              delta: { vnd: b.totalVnd - (current?.totalVnd ?? 0) },
            },
            b.id,
            now,
          ),
        ];
        if (!current) {
          try {
            await store.insertBudget(next, announce(next));
            afterWrite();
            return next;
          } catch (error) {
            if (isDuplicateKey(error)) continue;
            throw error;
          }
        }
        if (
          await store.changeBudgetTotal(
            next.id,
            current.totalVnd,
            next.totalVnd - current.totalVnd,
            announce(next),
          )
        ) {
          afterWrite();
          return (await store.findBudget(next.id)) as Budget;
        }
      }
      throw versionConflict();
    },

    async getBudget(
      actor: ProgrammeActor,
      year: number,
      source: FundingSource,
      province: string,
    ): Promise<Budget> {
      requireSignedIn(actor);
      const id = budgetIdOf(year, source, province);
      const budget = await store.findBudget(id);
      if (!budget) throw notFound('budget', id, 'ngân sách');
      return budget;
    },

    async makePledge(actor: ProgrammeActor, input: PledgeInput): Promise<Pledge> {
      const now = clock();
      const pledge = makePledge(actor, input, newId(), now);
      if (pledge.target.schemeId) await schemes.loadScheme(pledge.target.schemeId);
      await store.insertPledge(pledge, [
        event(Events.pledgeMade, { pledge: pledgeToProto(pledge) }, pledge.id, now),
      ]);
      afterWrite();
      return pledge;
    },

    /**
     * Matches a pledge to a scheme in two single-document steps: the pledge is claimed for the
     * scheme (so no other scheme takes it), then the scheme takes it within its sponsor share; a
     * refusal there frees the pledge again.
     */
    async matchPledge(
      actor: ProgrammeActor,
      pledgeId: string,
      schemeId: string,
    ): Promise<{ pledge: Pledge; scheme: Scheme }> {
      const scheme = await schemes.loadScheme(schemeId);
      const pledge = await loadPledge(pledgeId);
      matchPledge(actor, pledge, scheme, clock()); // refuses early, before anything is written
      const claimed = await change(
        () => loadPledge(pledgeId),
        (p, now) => {
          if (p.schemeId === schemeId) return undefined;
          const decided = matchPledge(actor, p, scheme, now);
          return (
            decided && {
              next: decided.pledge,
              events: [
                event(
                  Events.pledgeMatched,
                  { pledge: pledgeToProto(decided.pledge), province: scheme.province },
                  p.id,
                  now,
                ),
              ],
            }
          );
        },
        store.savePledge,
      );
      try {
        const updated = await change(
          () => schemes.loadScheme(schemeId),
          (s, now) => {
            const decided = matchPledge(actor, claimed, s, now);
            return (
              decided && {
                next: decided.scheme,
                events: [
                  event(
                    Events.schemePledgeMatched,
                    { facts: schemeFacts(decided.scheme), pledgeId, amount: { vnd: claimed.amountVnd } },
                    schemeId,
                    now,
                  ),
                ],
              }
            );
          },
          store.saveScheme,
        );
        return { pledge: claimed, scheme: updated };
      } catch (error) {
        await change(
          () => loadPledge(pledgeId),
          (p, now) =>
            p.schemeId === schemeId
              ? { next: { ...p, schemeId: '', updatedAt: now }, events: [] }
              : undefined,
          store.savePledge,
        );
        throw error;
      }
    },

    /** The sponsor's money arrived: the pledge, then its scheme's copy, are marked received (each once). */
    async receivePledge(actor: ProgrammeActor, pledgeId: string): Promise<Pledge> {
      const current = await loadPledge(pledgeId);
      const scheme = current.schemeId ? await schemes.loadScheme(current.schemeId) : undefined;
      receivePledge(actor, current, scheme, clock());
      const pledge = await change(
        () => loadPledge(pledgeId),
        (p, now) => {
          const decided = receivePledge(actor, p, scheme, now);
          return (
            decided && {
              next: decided.pledge,
              events: [event(Events.pledgeReceived, { pledge: pledgeToProto(decided.pledge) }, p.id, now)],
            }
          );
        },
        store.savePledge,
      );
      if (pledge.schemeId)
        await change(
          () => schemes.loadScheme(pledge.schemeId),
          (s, now) =>
            s.pledges.some((p) => p.pledgeId === pledgeId && p.status === 'pledged')
              ? {
                  next: {
                    ...s,
                    pledges: s.pledges.map((p) =>
                      p.pledgeId === pledgeId ? { ...p, status: 'received' as const, receivedAt: now } : p,
                    ),
                    updatedAt: now,
                  },
                  events: [],
                }
              : undefined,
          store.saveScheme,
        );
      return pledge;
    },

    async getPledge(actor: ProgrammeActor, id: string) {
      const pledge = await loadPledge(id);
      const scheme = pledge.schemeId ? await store.findScheme(pledge.schemeId) : undefined;
      if (!maySeePledge(actor, pledge, scheme?.province)) throw notFound('pledge', id, 'cam kết tài trợ');
      return pledge;
    },

    /** A sponsor its own pledges, a centre those to its province, the ministry all. */
    listPledges(actor: ProgrammeActor, query: PledgeQuery, page: PageRequest) {
      refuseAnalyst(actor);
      const scoped = { ...query };
      if (actor.kind === 'sponsor') scoped.sponsorId = actor.sponsorId;
      else if (actor.kind === 'centre') scoped.province = actor.province;
      else if (actor.kind !== 'ministry' && actor.kind !== 'service')
        throw deny(
          'Pledges are read by their sponsors, centres and the ministry',
          'Chỉ nhà tài trợ, trung tâm và Bộ xem cam kết tài trợ',
        );
      return store.listPledges(scoped, page);
    },
  };
}
