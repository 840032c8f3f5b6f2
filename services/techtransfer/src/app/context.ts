import { type OutboxEntry, outboxEvent } from '@lienket/eventbus';
import { type Actor, changeVersioned } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import type { InterestRules } from '../domain/interest';
import type { CoFundingApplication, Interest, Offer, Programme, TechRequest } from '../domain/model';
import type { OfferRules } from '../domain/offer';
import { sideOf } from '../domain/policy';
import type { StoredParty, TechTransferStore, Viewer } from './ports';

export interface TechTransferDeps {
  store: TechTransferStore;
  clock: () => Date;
  newId: () => string;
  source: string;
  afterWrite: () => void;
  offerRules: OfferRules;
  interestRules: InterestRules;
  ranking: { threshold: number; candidates: number };
  /** Approvals claimed longer ago than this without completing are reconciled. */
  approvalClaimTimeoutMs: number;
}

export const notFound = (what: string, id: string, whatVi: string) =>
  new AppError('NOT_FOUND', `No ${what} ${id}`, {
    code: `${what.toUpperCase().replaceAll(' ', '_')}_NOT_FOUND`,
    messageVi: `Không tìm thấy ${whatVi} ${id}`,
  });

export type Decision<T> = { next: T; events: OutboxEntry[] } | undefined;

/**
 * What every techtransfer use case shares: loading an aggregate or a party (NOT_FOUND /
 * UNKNOWN_ENTERPRISE when absent), changing one under optimistic concurrency with its events in
 * the same write, and an outbox event stamped with this service as its source.
 */
export function makeUseCaseContext(deps: TechTransferDeps) {
  const { store, clock, source, afterWrite } = deps;
  const event = <T>(definition: Parameters<typeof outboxEvent<T>>[0], payload: T, key: string, time: Date) =>
    outboxEvent(definition, payload, { key, source, subject: key, time });

  async function change<T extends { version: number }>(
    load: () => Promise<T>,
    decide: (current: T, now: Date) => Decision<T>,
    save: (next: T, expectedVersion: number, events: OutboxEntry[]) => Promise<boolean>,
    attempts = 3,
  ): Promise<T> {
    // Hot aggregates (a programme's budget) get more attempts with random pauses between them.
    const { value, changed } = await changeVersioned(
      load,
      (c) => decide(c, clock()),
      save,
      attempts,
      attempts > 3 ? 20 : 0,
    );
    if (changed) afterWrite();
    return value;
  }

  const loader =
    <T>(find: (id: string) => Promise<T | undefined>, what: string, whatVi: string) =>
    async (id: string): Promise<T> => {
      const found = id ? await find(id) : undefined;
      if (!found) throw notFound(what, id, whatVi);
      return found;
    };
  const loadOffer = loader(store.findOffer, 'offer', 'chào bán công nghệ');
  const loadRequest = loader(store.findRequest, 'request', 'yêu cầu công nghệ');
  const loadInterest = loader(store.findInterest, 'interest', 'bày tỏ quan tâm');
  const loadProgramme = loader(store.findProgramme, 'programme', 'chương trình');
  const loadApplication = loader(store.findApplication, 'application', 'hồ sơ đồng tài trợ');

  async function loadParty(enterpriseId: string): Promise<StoredParty> {
    const party = enterpriseId ? await store.findParty(enterpriseId) : undefined;
    if (!party) {
      throw new AppError(
        'FAILED_PRECONDITION',
        `Enterprise ${enterpriseId} is not known (yet) to technology transfer`,
        {
          code: 'UNKNOWN_ENTERPRISE',
          messageVi: `Doanh nghiệp ${enterpriseId} chưa có trong hệ thống chuyển giao công nghệ`,
        },
      );
    }
    return party;
  }

  async function viewerOf(actor: Actor): Promise<Viewer> {
    const party =
      actor.role === 'enterprise' && actor.enterpriseId
        ? await store.findParty(actor.enterpriseId)
        : undefined;
    return { role: actor.role, enterpriseId: actor.enterpriseId, provinceCode: actor.provinceCode, party };
  }

  const changeOffer = (id: string, decide: (current: Offer, now: Date) => Decision<Offer>) =>
    change(() => loadOffer(id), decide, store.saveOffer);
  const changeRequest = (id: string, decide: (current: TechRequest, now: Date) => Decision<TechRequest>) =>
    change(() => loadRequest(id), decide, store.saveRequest);
  const changeInterest = (id: string, decide: (current: Interest, now: Date) => Decision<Interest>) =>
    change(() => loadInterest(id), decide, store.saveInterest);
  const changeProgramme = (id: string, decide: (current: Programme, now: Date) => Decision<Programme>) =>
    change(() => loadProgramme(id), decide, store.saveProgramme, 100);
  const changeApplication = (
    id: string,
    decide: (current: CoFundingApplication, now: Date) => Decision<CoFundingApplication>,
  ) => change(() => loadApplication(id), decide, store.saveApplication);

  /** An interest action by one of its two parties. */
  const interestAction = (
    actor: Actor,
    id: string,
    decide: (current: Interest, side: ReturnType<typeof sideOf>, now: Date) => Decision<Interest>,
  ) => changeInterest(id, (current, now) => decide(current, sideOf(actor, current), now));

  return {
    deps,
    store,
    clock,
    newId: deps.newId,
    afterWrite,
    event,
    loadOffer,
    loadRequest,
    loadInterest,
    loadProgramme,
    loadApplication,
    loadParty,
    viewerOf,
    changeOffer,
    changeRequest,
    changeInterest,
    changeProgramme,
    changeApplication,
    interestAction,
  };
}

export type UseCaseContext = ReturnType<typeof makeUseCaseContext>;
