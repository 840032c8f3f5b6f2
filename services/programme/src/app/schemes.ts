import { createHash } from 'node:crypto';
import { Events } from '@lienket/contracts';
import type { OutboxEntry } from '@lienket/eventbus';
import { AppError, invalidArgument } from '@lienket/platform/errors';
import { deny, type ProgrammeActor, refuseAnalyst, requireSignedIn } from '../domain/actor';
import { insufficientBudget } from '../domain/budget';
import {
  type FundingSource,
  fundingSources,
  type Outcomes,
  type Scheme,
  supportLines,
} from '../domain/model';
import {
  type AppraisalInput,
  acceptScheme,
  appraiseScheme,
  cancelScheme,
  claimApproval,
  completeApproval,
  contractScheme,
  maySeeScheme,
  type ProposalInput,
  proposeScheme,
  recordDisbursement,
  recordMilestone,
  rejectScheme,
  requireApprover,
  revertApproval,
  settleScheme,
  withdrawScheme,
} from '../domain/scheme';
import { unknownSite } from '../domain/site';
import { type Decision, notFound, type UseCaseContext } from './context';
import type { PageRequest, SchemeQuery } from './ports';
import type { SupportLineRules } from './support-lines';
import { budgetToProto, schemeFacts } from './to-proto';

/** Schemes from proposal to settlement; each transition writes the scheme and its event at once. */
export function makeSchemeUseCases(ctx: UseCaseContext, rules: SupportLineRules) {
  const { store, clock, newId, afterWrite, event, change } = ctx;
  const loadScheme = ctx.loader(store.findScheme, 'scheme', 'đề án');
  const changeScheme = (id: string, decide: (current: Scheme, now: Date) => Decision<Scheme>) =>
    change(() => loadScheme(id), decide, store.saveScheme);
  const facts = schemeFacts;

  /** A transition decided by the domain with one event of its facts (plus what the event adds). */
  const transition = (
    id: string,
    decide: (current: Scheme, now: Date) => Scheme | undefined,
    announce: (next: Scheme, now: Date) => OutboxEntry[],
  ) =>
    changeScheme(id, (current, now) => {
      const next = decide(current, now);
      return next && { next, events: announce(next, now) };
    });

  async function ruleOf(scheme: Pick<Scheme, 'year' | 'line'> & { funding: { stateSource: FundingSource } }) {
    if (!(supportLines as readonly string[]).includes(scheme.line)) return undefined;
    if (!(fundingSources as readonly string[]).includes(scheme.funding.stateSource)) return undefined;
    if (!Number.isInteger(scheme.year) || scheme.year < 2000 || scheme.year > 2100) return undefined;
    return rules.ruleFor(scheme.year, scheme.funding.stateSource, scheme.line);
  }

  async function budgetEvent(
    budgetId: string,
    kind: 'committed' | 'released',
    schemeId: string,
    deltaVnd: number,
    now: Date,
  ) {
    const budget = await store.findBudget(budgetId);
    if (!budget) return [];
    return [
      event(
        Events.budgetChanged,
        { budget: budgetToProto(budget, false), kind, schemeId, delta: { vnd: deltaVnd } },
        budgetId,
        now,
      ),
    ];
  }

  /**
   * The second step of an approval: one conditional decrement of the budget. A refusal (not
   * enough money, no budget opened) reverts the claim and answers INSUFFICIENT_BUDGET.
   */
  async function reserveAndComplete(claimed: Scheme): Promise<Scheme> {
    const amount = claimed.funding.stateVnd;
    const outcome = await store.reserveBudget(
      claimed.budgetId,
      claimed.id,
      amount,
      await budgetEvent(claimed.budgetId, 'committed', claimed.id, -amount, clock()),
    );
    if (outcome === 'insufficient' || outcome === 'no_budget') {
      await changeScheme(claimed.id, (s, now) => {
        const next = revertApproval(s, now);
        return next && { next, events: [] };
      });
      const budget = await store.findBudget(claimed.budgetId);
      throw insufficientBudget(claimed.budgetId, budget?.availableVnd, amount);
    }
    afterWrite();
    return transition(
      claimed.id,
      (s, now) => completeApproval(s, now),
      (next, now) => [
        event(Events.schemeApproved, { facts: facts(next), budgetId: next.budgetId }, next.id, now),
      ],
    );
  }

  return {
    loadScheme,

    async proposeScheme(actor: ProgrammeActor, input: ProposalInput): Promise<Scheme> {
      requireSignedIn(actor);
      const rule = await ruleOf(input as never);
      const now = clock();
      const scheme = proposeScheme(actor, input, rule, newId(), now);
      if (scheme.siteId) {
        const site = await store.findSite(scheme.siteId);
        if (!site || site.province !== scheme.province) throw unknownSite(scheme.siteId);
      }
      await store.insertScheme(scheme, [
        event(Events.schemeProposed, { facts: facts(scheme), title: scheme.title }, scheme.id, now),
      ]);
      afterWrite();
      return scheme;
    },

    async getScheme(actor: ProgrammeActor, id: string): Promise<Scheme> {
      refuseAnalyst(actor);
      const scheme = await loadScheme(id);
      if (!maySeeScheme(actor, scheme)) throw notFound('scheme', id, 'đề án');
      return scheme;
    },

    /** Scoped by role: an enterprise its own, a centre its province, a sponsor where its pledges went, the ministry all. */
    listSchemes(actor: ProgrammeActor, query: SchemeQuery, page: PageRequest) {
      refuseAnalyst(actor);
      const scoped = { ...query };
      if (actor.kind === 'enterprise') scoped.beneficiaryId = actor.enterpriseId;
      else if (actor.kind === 'centre') scoped.province = actor.province;
      else if (actor.kind === 'sponsor') scoped.sponsorId = actor.sponsorId;
      // An approval in progress is still appraised from the outside.
      if (scoped.statuses.includes('appraised')) scoped.statuses = [...scoped.statuses, 'approving'];
      return store.listSchemes(scoped, page);
    },

    appraiseScheme: (actor: ProgrammeActor, id: string, input: AppraisalInput) =>
      transition(
        id,
        (s, now) => appraiseScheme(actor, s, input, now),
        (next, now) => [
          event(
            Events.schemeAppraised,
            { facts: facts(next), score: input.score, passed: input.passed },
            id,
            now,
          ),
          ...(next.status === 'rejected'
            ? [event(Events.schemeRejected, { facts: facts(next), reason: next.decisionReason }, id, now)]
            : []),
        ],
      ),

    /** Claim, reserve the state share with a conditional decrement, complete (ADR 0018). */
    async approveScheme(actor: ProgrammeActor, id: string): Promise<Scheme> {
      const current = await loadScheme(id);
      requireApprover(actor, current);
      const rule = await ruleOf(current);
      const claimed = await changeScheme(id, (s, now) => ({
        next: claimApproval(actor, s, rule, now),
        events: [],
      }));
      return reserveAndComplete(claimed);
    },

    /** Approvals left claimed by a crash: completed when the budget holds their reservation, else reverted. */
    async reconcileApprovals(limit = 100): Promise<number> {
      const before = new Date(clock().getTime() - ctx.deps.approvalClaimTimeoutMs);
      const stale = await store.staleApprovals(before, limit);
      for (const scheme of stale) {
        try {
          await reserveAndComplete(scheme);
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'INSUFFICIENT_BUDGET')) throw error;
        }
      }
      return stale.length;
    },

    rejectScheme: (actor: ProgrammeActor, id: string, reason: string) =>
      transition(
        id,
        (s, now) => rejectScheme(actor, s, reason, now),
        (next, now) => [
          event(Events.schemeRejected, { facts: facts(next), reason: next.decisionReason }, id, now),
        ],
      ),

    withdrawScheme: (actor: ProgrammeActor, id: string) =>
      transition(
        id,
        (s, now) => withdrawScheme(actor, s, now),
        (next, now) => [event(Events.schemeWithdrawn, { facts: facts(next) }, id, now)],
      ),

    contractScheme: (actor: ProgrammeActor, id: string, contractNumber: string) =>
      transition(
        id,
        (s, now) => contractScheme(actor, s, contractNumber, now),
        (next, now) => [
          event(
            Events.schemeContracted,
            { facts: facts(next), contractNumber: next.contractNumber },
            id,
            now,
          ),
        ],
      ),

    recordMilestone: (
      actor: ProgrammeActor,
      id: string,
      milestone: { id: string; title: string; evidence: string[] },
    ) => {
      if (!milestone.id.trim() || milestone.id.length > 100)
        throw invalidArgument([
          {
            field: 'milestoneId',
            reason: 'invalid_length',
            description: 'milestoneId must be 1 to 100 characters',
            descriptionVi: 'milestoneId phải dài từ 1 đến 100 ký tự',
          },
        ]);
      return transition(
        id,
        (s, now) => recordMilestone(actor, s, milestone, now),
        (next, now) => [
          event(
            Events.schemeMilestoneRecorded,
            { facts: facts(next), milestoneId: milestone.id, title: milestone.title.trim() },
            id,
            now,
          ),
        ],
      );
    },

    /** The payment's id comes from the scheme and the reference: the same reference again is the same payment. */
    recordDisbursement(
      actor: ProgrammeActor,
      id: string,
      payment: { source: string; amountVnd: number; reference: string },
    ) {
      const disbursementId = createHash('sha256')
        .update(`${id}\n${payment.reference.trim()}`)
        .digest('hex')
        .slice(0, 32);
      return transition(
        id,
        (s, now) => recordDisbursement(actor, s, { ...payment, id: disbursementId }, now),
        (next, now) => [
          event(
            Events.schemeDisbursed,
            {
              facts: facts(next),
              disbursementId,
              source: payment.source,
              amount: { vnd: payment.amountVnd },
            },
            id,
            now,
          ),
        ],
      );
    },

    acceptScheme: (actor: ProgrammeActor, id: string, outcomes: Outcomes) =>
      transition(
        id,
        (s, now) => acceptScheme(actor, s, outcomes, now),
        (next, now) => [
          event(
            Events.schemeAccepted,
            {
              facts: facts(next),
              outcomes: {
                jobs: outcomes.jobs,
                output: { vnd: outcomes.outputVnd },
                energySavedKwh: outcomes.energySavedKwh,
                emissionsCutTonnesCo2e: outcomes.emissionsCutTonnesCo2e,
                firmsReached: outcomes.firmsReached,
              },
            },
            id,
            now,
          ),
        ],
      ),

    settleScheme: (actor: ProgrammeActor, id: string) =>
      transition(
        id,
        (s, now) => settleScheme(actor, s, now),
        (next, now) => [event(Events.schemeSettled, { facts: facts(next) }, id, now)],
      ),

    /**
     * Cancels, then gives the unpaid state share back to the budget (once). Calling it again on a
     * cancelled scheme finishes a release a crash left undone.
     */
    async cancelScheme(actor: ProgrammeActor, id: string, reason: string): Promise<Scheme> {
      let releaseVnd = 0;
      const cancelled = await changeScheme(id, (s, now) => {
        if (s.status === 'cancelled') {
          if (!(actor.kind === 'ministry' || (actor.kind === 'centre' && actor.province === s.province)))
            throw deny('Only the scheme’s managers cancel it', 'Chỉ đơn vị quản lý đề án mới được hủy');
          releaseVnd =
            s.funding.stateVnd -
            s.disbursements.filter((d) => d.source === 'state').reduce((a, d) => a + d.amountVnd, 0);
          return undefined;
        }
        const result = cancelScheme(actor, s, reason, now);
        releaseVnd = result.releaseVnd;
        return {
          next: result.next,
          events: [
            event(
              Events.schemeCancelled,
              {
                facts: facts(result.next),
                reason: result.next.decisionReason,
                released: { vnd: releaseVnd },
              },
              id,
              now,
            ),
          ],
        };
      });
      if (cancelled.budgetId && releaseVnd > 0) {
        const released = await store.releaseBudget(
          cancelled.budgetId,
          id,
          releaseVnd,
          await budgetEvent(cancelled.budgetId, 'released', id, releaseVnd, clock()),
        );
        if (released) afterWrite();
      }
      return cancelled;
    },
  };
}

export type SchemeUseCases = ReturnType<typeof makeSchemeUseCases>;
