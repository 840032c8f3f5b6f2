import { Events } from '@lienket/contracts';
import { type ProgrammeActor, requireMinistry, requireSignedIn } from '../domain/actor';
import type { FundingSource, SupportLine, SupportLineRule } from '../domain/model';
import { defaultRules, type RuleInput, ruleId, supportLineRule } from '../domain/support-lines';
import type { UseCaseContext } from './context';
import { ruleToProto } from './to-proto';

/** Support-line rules: stored per year and source, seeded with the defaults the first time a year is asked for. */
export function makeSupportLineRules(ctx: UseCaseContext) {
  const { store, clock, event, afterWrite } = ctx;

  async function rulesOf(year: number, source: FundingSource): Promise<SupportLineRule[]> {
    const stored = await store.findRules(year, source);
    if (stored.length > 0) return stored;
    const now = clock();
    // Two callers seeding at once insert the same ids: the second's are skipped.
    await store.insertNewRules(
      defaultRules(year, source, now).map((rule) => ({
        rule,
        events: [event(Events.supportLineRuleSet, { rule: ruleToProto(rule) }, rule.id, now)],
      })),
    );
    afterWrite();
    return store.findRules(year, source);
  }

  return {
    async listRules(actor: ProgrammeActor, year: number, source: FundingSource) {
      requireSignedIn(actor);
      return rulesOf(year, source);
    },

    /** The rule a scheme of this line, year and source stands under (the year's defaults seeded if it has none). */
    async ruleFor(year: number, source: FundingSource, line: SupportLine) {
      return (
        (await store.findRule(ruleId(year, source, line))) ??
        (await rulesOf(year, source)).find((r) => r.line === line)
      );
    },

    async setRule(actor: ProgrammeActor, input: RuleInput): Promise<SupportLineRule> {
      requireMinistry(actor);
      const now = clock();
      const candidate = supportLineRule(input, actor.subject, now);
      const stored = await store.findRule(candidate.id);
      const announce = (rule: SupportLineRule) => [
        event(Events.supportLineRuleSet, { rule: ruleToProto(rule) }, rule.id, now),
      ];
      if (!stored) {
        await store.insertRule(candidate, announce(candidate));
        afterWrite();
        return candidate;
      }
      return ctx.change(
        () => store.findRule(candidate.id) as Promise<SupportLineRule>,
        (current) => {
          const next = { ...candidate, version: current.version };
          return { next, events: announce(next) };
        },
        store.saveRule,
      );
    },
  };
}

export type SupportLineRules = ReturnType<typeof makeSupportLineRules>;
