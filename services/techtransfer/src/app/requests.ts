import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import { tokenize } from '@lienket/reference';
import type { TechRequest } from '../domain/model';
import { requireActsFor, requireAuthenticated } from '../domain/policy';
import { closeRequest, postRequest, type RequestInput } from '../domain/request';
import type { UseCaseContext } from './context';
import type { PageRequest, RequestQuery } from './ports';
import { requestToProto } from './to-proto';

/** Technology requests: posted by an enterprise or following a registry need, closed, found. */
export function makeRequestUseCases(ctx: UseCaseContext) {
  const { store, clock, newId, afterWrite, event, loadParty, loadRequest, changeRequest } = ctx;

  return {
    async postRequest(actor: Actor, requesterId: string, input: RequestInput): Promise<TechRequest> {
      requireActsFor(actor, requesterId);
      const requester = await loadParty(requesterId);
      const now = clock();
      const request = postRequest(requester, input, newId(), now);
      await store.insertRequest(request, [
        event(Events.requestPosted, { request: requestToProto(request) }, request.id, now),
      ]);
      afterWrite();
      return request;
    },

    /** Registry needs of category technology, for a batch consumer: one insert; a replay inserts nothing. */
    async requestsFromNeeds(requests: readonly TechRequest[]): Promise<string[]> {
      const inserted = await store.insertRequests(
        requests.map((request) => ({
          request,
          events: [
            event(Events.requestPosted, { request: requestToProto(request) }, request.id, request.createdAt),
          ],
        })),
      );
      if (inserted.length > 0) afterWrite();
      return inserted;
    },

    /**
     * The registry closed, fulfilled or expired these needs, for a batch consumer: one read of their
     * requests, one write closing the open ones (the first reason of a need wins, as one by one).
     * Throws when another writer changed one meanwhile; applied again, it closes what is still open.
     */
    async closeFromNeeds(closes: readonly { needId: string; reason: string }[]): Promise<number> {
      if (closes.length === 0) return 0;
      const open = new Map(
        (await store.findRequests(closes.map((c) => c.needId)))
          .filter((r) => r.status === 'open')
          .map((r) => [r.id, r]),
      );
      const now = clock();
      const saves = [];
      for (const { needId, reason } of closes) {
        const current = open.get(needId);
        if (!current) continue;
        open.delete(needId);
        saves.push({
          request: closeRequest(current, now),
          expectedVersion: current.version,
          events: [event(Events.requestClosed, { requestId: current.id, reason }, current.id, now)],
        });
      }
      if (saves.length === 0) return 0;
      const saved = await store.saveRequests(saves);
      if (saved > 0) afterWrite();
      if (saved < saves.length)
        throw new Error('a request changed while its need was closed; applying again');
      return saved;
    },

    closeRequest: (actor: Actor, id: string) =>
      changeRequest(id, (current, now) => {
        requireActsFor(actor, current.requesterId);
        if (current.source === 'registry_need') {
          throw new AppError(
            'FAILED_PRECONDITION',
            'This request follows a registry need; close the need instead',
            {
              code: 'CLOSE_THE_NEED',
              messageVi: 'Yêu cầu này theo một nhu cầu trong sổ đăng ký; hãy đóng nhu cầu đó',
            },
          );
        }
        const next = closeRequest(current, now);
        return { next, events: [event(Events.requestClosed, { requestId: id, reason: 'closed' }, id, now)] };
      }),

    async getRequest(actor: Actor, id: string): Promise<TechRequest> {
      requireAuthenticated(actor);
      return loadRequest(id);
    },

    async searchRequests(
      actor: Actor,
      query: Omit<RequestQuery, 'textTokens'> & { text: string },
      page: PageRequest,
    ) {
      requireAuthenticated(actor);
      return store.searchRequests({ ...query, textTokens: tokenize(query.text) }, page);
    },
  };
}
