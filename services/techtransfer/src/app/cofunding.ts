import { createHash } from 'node:crypto';
import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import {
  applyForCoFunding,
  draw,
  recordDisbursement,
  rejectApplication,
  requireDecider,
  requireManager,
} from '../domain/cofunding';
import type { CoFundingApplication } from '../domain/model';
import { deny, requireActsFor, requireAuthenticated } from '../domain/policy';
import type { Approvals } from './approvals';
import { notFound, type UseCaseContext } from './context';
import type { ApplicationQuery, PageRequest } from './ports';
import { budgetChanged, coFundingFacts } from './to-proto';

/** Co-funding applications against a programme: applied for, approved or rejected, disbursed. */
export function makeCoFundingUseCases(ctx: UseCaseContext, approvals: Approvals) {
  const {
    store,
    clock,
    newId,
    afterWrite,
    event,
    loadParty,
    loadProgramme,
    loadApplication,
    changeApplication,
    changeProgramme,
  } = ctx;

  async function mayReadApplication(actor: Actor, a: CoFundingApplication): Promise<boolean> {
    if (actor.role === 'admin' || actor.role === 'service') return true;
    if (actor.role === 'enterprise') return actor.enterpriseId === a.applicantId;
    if (actor.role === 'province') {
      if (actor.provinceCode === a.applicantProvince) return true;
      const programme = await store.findProgramme(a.programmeId);
      return programme?.funderKind === 'provincial_fund' && programme.province === actor.provinceCode;
    }
    return false;
  }

  return {
    async applyForCoFunding(
      actor: Actor,
      programmeId: string,
      agreementId: string,
      enterpriseId: string,
      amountVnd: number,
    ) {
      requireActsFor(actor, enterpriseId);
      const applicant = await loadParty(enterpriseId);
      const programme = await loadProgramme(programmeId);
      const interest = await store.findInterestByAgreement(agreementId);
      if (!interest) throw notFound('agreement', agreementId, 'thỏa thuận');
      const now = clock();
      const application = applyForCoFunding(
        programme,
        interest,
        applicant,
        agreementId,
        amountVnd,
        newId(),
        now,
      );
      await store.insertApplication(application, [
        event(
          Events.coFundingRequested,
          { facts: coFundingFacts(application), agreementValue: { vnd: application.agreementValueVnd } },
          application.id,
          now,
        ),
      ]);
      afterWrite();
      return application;
    },

    approveCoFunding: approvals.approve,

    async rejectCoFunding(actor: Actor, id: string, reason: string) {
      const current = await loadApplication(id);
      requireDecider(actor, current, await loadProgramme(current.programmeId));
      return changeApplication(id, (a, now) => {
        const next = rejectApplication(a, actor.subject, reason, now);
        return {
          next,
          events: [
            event(
              Events.coFundingRejected,
              { facts: coFundingFacts(next), decidedBy: actor.subject, reason: next.decisionReason },
              id,
              now,
            ),
          ],
        };
      });
    },

    /** Records a payment; the same reference again is the same payment (safe to retry). */
    async recordDisbursement(actor: Actor, id: string, amountVnd: number, reference: string) {
      const current = await loadApplication(id);
      const programme = await loadProgramme(current.programmeId);
      if (
        !(
          actor.role === 'admin' ||
          (actor.role === 'province' && actor.provinceCode === current.applicantProvince)
        )
      ) {
        requireManager(actor, programme);
      }
      const disbursementId = createHash('sha256')
        .update(`${id}\n${reference.trim()}`)
        .digest('hex')
        .slice(0, 32);
      const disbursement = {
        id: disbursementId,
        amountVnd,
        reference: reference.trim(),
        recordedBy: actor.subject,
        recordedAt: clock(),
      };
      // Validate on the current state first, so a refused payment touches nothing.
      const preview = recordDisbursement(current, disbursement, clock());
      if (!preview) return current;
      await changeProgramme(programme.id, (p, now) => {
        const next = draw(p, disbursementId, amountVnd, now);
        return (
          next && {
            next,
            events: [
              event(Events.programmeBudgetChanged, budgetChanged(next, 'disbursed', 0, id), p.id, now),
            ],
          }
        );
      });
      return changeApplication(id, (a, now) => {
        const next = recordDisbursement(a, { ...disbursement, recordedAt: now }, now);
        return (
          next && {
            next,
            events: [
              event(
                Events.coFundingDisbursed,
                {
                  facts: coFundingFacts(next),
                  disbursementId,
                  disbursed: { vnd: amountVnd },
                  disbursedTotal: { vnd: next.disbursedVnd },
                },
                id,
                now,
              ),
            ],
          }
        );
      });
    },

    async getCoFundingApplication(actor: Actor, id: string): Promise<CoFundingApplication> {
      const application = await loadApplication(id);
      if (!(await mayReadApplication(actor, application)))
        throw notFound('application', id, 'hồ sơ đồng tài trợ');
      return application;
    },

    async listCoFundingApplications(actor: Actor, query: ApplicationQuery, page: PageRequest) {
      requireAuthenticated(actor);
      // An approval in progress is still a request from the outside.
      const scoped = {
        ...query,
        statuses: query.statuses.includes('requested')
          ? [...query.statuses, 'approving' as const]
          : query.statuses,
      };
      if (actor.role === 'enterprise') scoped.applicantId = actor.enterpriseId;
      else if (actor.role === 'province') scoped.applicantProvince = actor.provinceCode;
      else if (actor.role === 'analyst')
        throw deny(
          'Analysts read aggregates, not applications',
          'Chuyên gia phân tích chỉ xem số liệu tổng hợp',
        );
      return store.listApplications(scoped, page);
    },
  };
}
