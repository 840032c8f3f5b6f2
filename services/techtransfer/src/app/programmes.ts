import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import {
  changeBudget,
  closeProgramme,
  createProgramme,
  type ProgrammeInput,
  requireManager,
} from '../domain/cofunding';
import type { Programme } from '../domain/model';
import { requireAuthenticated } from '../domain/policy';
import type { UseCaseContext } from './context';
import type { PageRequest, ProgrammeQuery } from './ports';
import { budgetChanged } from './to-proto';

/** Promotion programmes: opened with a budget, topped up or reduced, closed. */
export function makeProgrammeUseCases(ctx: UseCaseContext) {
  const { store, clock, newId, afterWrite, event, loadProgramme, changeProgramme } = ctx;

  return {
    async createProgramme(actor: Actor, input: ProgrammeInput): Promise<Programme> {
      const now = clock();
      const programme = createProgramme(actor, input, newId(), now);
      await store.insertProgramme(programme, [
        event(
          Events.programmeBudgetChanged,
          budgetChanged(programme, 'opened', programme.budgetVnd),
          programme.id,
          now,
        ),
      ]);
      afterWrite();
      return programme;
    },

    changeProgrammeBudget: (actor: Actor, id: string, deltaVnd: number) =>
      changeProgramme(id, (current, now) => {
        requireManager(actor, current);
        const next = changeBudget(current, deltaVnd, now);
        const kind = deltaVnd > 0 ? 'top_up' : 'reduction';
        return {
          next,
          events: [event(Events.programmeBudgetChanged, budgetChanged(next, kind, deltaVnd), id, now)],
        };
      }),

    closeProgramme: (actor: Actor, id: string) =>
      changeProgramme(id, (current, now) => {
        requireManager(actor, current);
        const next = closeProgramme(current, now);
        return {
          next,
          events: [event(Events.programmeBudgetChanged, budgetChanged(next, 'closed', 0), id, now)],
        };
      }),

    async getProgramme(actor: Actor, id: string): Promise<Programme> {
      requireAuthenticated(actor);
      return loadProgramme(id);
    },

    async listProgrammes(actor: Actor, query: ProgrammeQuery, page: PageRequest) {
      requireAuthenticated(actor);
      return store.listProgrammes(query, page);
    },
  };
}
