import type { Actor } from '@lienket/platform';
import { programmeActor } from './actor';
import { makeUseCaseContext, type ProgrammeDeps } from './context';
import { makeMoneyUseCases } from './money';
import { makePlanAndSiteUseCases } from './plans-and-sites';
import { makeSchemeUseCases } from './schemes';
import { makeSupportLineRules } from './support-lines';

/** The programme's use cases, each taking the domain's actor (`actorOf` maps the platform's). */
export function makeProgramme(deps: ProgrammeDeps) {
  const ctx = makeUseCaseContext(deps);
  const rules = makeSupportLineRules(ctx);
  const schemes = makeSchemeUseCases(ctx, rules);
  return {
    actorOf: (actor: Actor) => programmeActor(actor),
    ...rules,
    ...schemes,
    ...makeMoneyUseCases(ctx, schemes),
    ...makePlanAndSiteUseCases(ctx),
  };
}

export type Programme = ReturnType<typeof makeProgramme>;
