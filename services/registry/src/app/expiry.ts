import { Events } from '@lienket/contracts';
import { expirePosting, isExpiringNoticeDue } from '../domain/postings';
import type { RegistryContext } from './context';

/** The periodic expiry job for capabilities and needs. */
export function makeExpiry(ctx: RegistryContext) {
  const { store, clock, rules, afterWrite, event } = ctx;

  return {
    /**
     * One pass of the expiry job: warns postings about to expire and expires those past their
     * date. Each change is a conditional write on the posting's version, so two instances running
     * the job at once apply each transition once.
     */
    async runExpiry(limit = 500): Promise<{ expired: number; warned: number }> {
      const now = clock();
      const noticeBefore = new Date(now.getTime() + rules.expiringNoticeDays * 86_400_000);
      let expired = 0;
      let warned = 0;
      for (const kind of ['capability', 'need'] as const) {
        for (const posting of await store.findDuePostings(kind, now, noticeBefore, limit)) {
          const isCapability = posting.kind === 'capability';
          if (posting.validUntil.getTime() <= now.getTime()) {
            const next = { ...expirePosting(posting, now), version: posting.version + 1 };
            const payload = isCapability
              ? event(
                  Events.capabilityExpired,
                  { capabilityId: posting.id, enterpriseId: posting.enterpriseId },
                  posting.id,
                  now,
                )
              : event(
                  Events.needExpired,
                  { needId: posting.id, enterpriseId: posting.enterpriseId },
                  posting.id,
                  now,
                );
            if (await store.savePosting(next, posting.version, [payload])) expired += 1;
          } else if (isExpiringNoticeDue(posting, now, rules)) {
            const next = { ...posting, expiringNoticeFor: posting.validUntil, version: posting.version + 1 };
            const payload = isCapability
              ? event(
                  Events.capabilityExpiring,
                  {
                    capabilityId: posting.id,
                    enterpriseId: posting.enterpriseId,
                    validUntil: posting.validUntil,
                  },
                  posting.id,
                  now,
                )
              : event(
                  Events.needExpiring,
                  { needId: posting.id, enterpriseId: posting.enterpriseId, validUntil: posting.validUntil },
                  posting.id,
                  now,
                );
            if (await store.savePosting(next, posting.version, [payload])) warned += 1;
          }
        }
      }
      if (expired + warned > 0) afterWrite();
      return { expired, warned };
    },
  };
}
