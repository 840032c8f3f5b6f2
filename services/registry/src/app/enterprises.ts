import { Events } from '@lienket/contracts';
import { type Actor, versionConflict } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import { tokenize } from '@lienket/reference';
import {
  decideVerification,
  designateLeadFirm,
  type EnterpriseInput,
  registerEnterprise,
  updateEnterprise,
  type VerificationDecision,
} from '../domain/enterprise';
import type { Enterprise } from '../domain/model';
import { requireActsFor, requireMayRegister } from '../domain/policy';
import type { RegistryContext } from './context';
import type { EnterpriseQuery, PageRequest } from './ports';
import { enterpriseToProto } from './to-proto';

/** Enterprises: registered, updated by themselves, verified by their province, designated lead firms. */
export function makeEnterpriseUseCases(ctx: RegistryContext) {
  const { store, clock, newId, afterWrite, event, loadEnterprise, changeEnterprise } = ctx;

  return {
    async registerEnterprise(actor: Actor, input: EnterpriseInput): Promise<Enterprise> {
      const now = clock();
      const enterprise = registerEnterprise(input, newId(), now);
      requireMayRegister(actor, enterprise.province);
      await store.insertEnterprise(enterprise, [
        event(
          Events.enterpriseRegistered,
          { enterprise: enterpriseToProto(enterprise), legacyProvinceCode: enterprise.legacyProvince },
          enterprise.id,
          now,
        ),
      ]);
      afterWrite();
      return enterprise;
    },

    async updateEnterprise(
      actor: Actor,
      id: string,
      input: Omit<EnterpriseInput, 'taxCode'>,
      mask: string[],
      expectedVersion: number,
    ): Promise<Enterprise> {
      requireActsFor(actor, id);
      return changeEnterprise(id, (current, now) => {
        if (expectedVersion && current.version !== expectedVersion) throw versionConflict();
        const { enterprise, changed } = updateEnterprise(current, input, mask, now);
        if (changed.length === 0) return undefined;
        return {
          next: enterprise,
          events: [
            event(
              Events.enterpriseUpdated,
              {
                enterprise: enterpriseToProto({ ...enterprise, version: current.version + 1 }),
                changedFields: changed,
              },
              id,
              now,
            ),
          ],
        };
      });
    },

    getEnterprise: loadEnterprise,

    async batchGetEnterprises(ids: string[]): Promise<Enterprise[]> {
      if (ids.length > 500)
        throw new AppError('INVALID_ARGUMENT', 'At most 500 ids per call', {
          messageVi: 'Tối đa 500 mã mỗi lần gọi',
        });
      const found = new Map((await store.findEnterprises([...new Set(ids)])).map((e) => [e.id, e]));
      return ids.flatMap((id) => (found.has(id) ? [found.get(id) as Enterprise] : []));
    },

    searchEnterprises: (
      query: Omit<EnterpriseQuery, 'textTokens'> & { text: string },
      page: PageRequest,
      facets: string[],
    ) => store.searchEnterprises({ ...query, textTokens: tokenize(query.text) }, page, facets),

    async verifyEnterprise(
      actor: Actor,
      id: string,
      decision: VerificationDecision | undefined,
      reason: string,
    ) {
      return changeEnterprise(id, (current, now) => {
        const next = decideVerification(current, actor, decision, reason, now);
        const events =
          next.verification.status === 'verified'
            ? [
                event(
                  Events.enterpriseVerified,
                  { enterpriseId: id, province: next.province, decidedBy: actor.subject },
                  id,
                  now,
                ),
              ]
            : [
                event(
                  Events.enterpriseRejected,
                  {
                    enterpriseId: id,
                    province: next.province,
                    reason: next.verification.reason,
                    decidedBy: actor.subject,
                  },
                  id,
                  now,
                ),
              ];
        return { next, events };
      });
    },

    async setLeadFirm(actor: Actor, id: string, leadFirm: boolean) {
      return changeEnterprise(id, (current, now) => {
        const next = designateLeadFirm(current, actor, leadFirm, now);
        if (next.leadFirm === current.leadFirm) return undefined;
        return {
          next,
          events: [
            event(
              Events.leadFirmDesignated,
              { enterpriseId: id, province: next.province, leadFirm, decidedBy: actor.subject },
              id,
              now,
            ),
          ],
        };
      });
    },
  };
}
