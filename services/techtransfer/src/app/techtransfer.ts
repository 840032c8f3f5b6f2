import { createHash } from 'node:crypto';
import { Events } from '@lienket/contracts';
import { type OutboxEntry, outboxEvent } from '@lienket/eventbus';
import { type Actor, changeVersioned, versionConflict } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import { tokenize } from '@lienket/reference';
import {
  applyForCoFunding,
  changeBudget,
  claimApproval,
  closeProgramme,
  completeApproval,
  createProgramme,
  draw,
  type ProgrammeInput,
  recordDisbursement,
  rejectApplication,
  requireDecider,
  requireManager,
  reserve,
  revertApproval,
} from '../domain/cofunding';
import {
  type AgreementInput,
  abandonNegotiation,
  acceptInterest,
  applyDeadline,
  declineInterest,
  expressInterest,
  type InterestRules,
  proposeAgreement,
  sendMessage,
  signAgreement,
  withdrawInterest,
} from '../domain/interest';
import type {
  Attachment,
  CoFundingApplication,
  Interest,
  Offer,
  Party,
  Programme,
  TechRequest,
} from '../domain/model';
import {
  createOffer,
  expireOffer,
  type OfferInput,
  type OfferRules,
  offerInputOf,
  publishOffer,
  renewOffer,
  requireOwner,
  updateOffer,
  withdrawOffer,
} from '../domain/offer';
import {
  deny,
  mayKnowInterestOwner,
  mayKnowOwner,
  mayReadInterest,
  maySeeOffer,
  requireActsFor,
  requireAuthenticated,
  sideOf,
} from '../domain/policy';
import { type RankedOffer, rankOffers, technologyWeights } from '../domain/ranking';
import { closeRequest, expireRequest, postRequest, type RequestInput } from '../domain/request';
import type {
  ApplicationQuery,
  InterestQuery,
  OfferQuery,
  PageRequest,
  ProgrammeQuery,
  RequestQuery,
  StoredParty,
  TechTransferStore,
  Viewer,
} from './ports';
import {
  agreementType,
  budgetChanged,
  coFundingFacts,
  interestFacts,
  offerToProto,
  requestToProto,
} from './to-proto';

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

const notFound = (what: string, id: string, whatVi: string) =>
  new AppError('NOT_FOUND', `No ${what} ${id}`, {
    code: `${what.toUpperCase().replaceAll(' ', '_')}_NOT_FOUND`,
    messageVi: `Không tìm thấy ${whatVi} ${id}`,
  });

type Decision<T> = { next: T; events: OutboxEntry[] } | undefined;

/** The technology-transfer use cases: load, decide with the domain, save state and events together. */
export function makeTechTransfer(deps: TechTransferDeps) {
  const { store, clock, newId, source, afterWrite, offerRules, interestRules } = deps;
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

  const offerPublishedEvent = (offer: Offer, now: Date) =>
    event(Events.offerPublished, { offer: offerToProto(offer, !offer.anonymous) }, offer.id, now);

  async function approve(actor: Actor, id: string): Promise<CoFundingApplication> {
    const current = await loadApplication(id);
    const programme = await loadProgramme(current.programmeId);
    requireDecider(actor, current, programme);
    const claimed = await changeApplication(id, (a, now) => ({
      next: claimApproval(a, actor.subject, now),
      events: [],
    }));
    try {
      await changeProgramme(programme.id, (p, now) => {
        const next = reserve(p, id, claimed.amountVnd, now);
        return (
          next && {
            next,
            events: [
              event(Events.programmeBudgetChanged, budgetChanged(next, 'committed', 0, id), p.id, now),
            ],
          }
        );
      });
    } catch (error) {
      await changeApplication(id, (a, now) => {
        const next = revertApproval(a, now);
        return next && { next, events: [] };
      });
      throw error;
    }
    return finishApproval(id);
  }

  const finishApproval = (id: string) =>
    changeApplication(id, (a, now) => {
      const next = completeApproval(a, now);
      return (
        next && {
          next,
          events: [
            event(
              Events.coFundingApproved,
              { facts: coFundingFacts(next), decidedBy: next.decidedBy },
              id,
              now,
            ),
          ],
        }
      );
    });

  return {
    // ---- offers
    async createOffer(actor: Actor, ownerId: string, input: OfferInput): Promise<Offer> {
      requireActsFor(actor, ownerId);
      const owner = await loadParty(ownerId);
      const offer = createOffer(owner, input, newId(), clock(), offerRules);
      await store.insertOffer(offer, []);
      return offer;
    },

    async updateOffer(actor: Actor, id: string, input: OfferInput, mask: string[], expectedVersion: number) {
      return changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        if (expectedVersion && current.version !== expectedVersion) throw versionConflict();
        const { offer, changed } = updateOffer(
          current,
          { ...offerInputOf(current), ...input },
          mask,
          now,
          offerRules,
        );
        if (changed.length === 0) return undefined;
        // A published offer's new content is announced as a fresh publication of it.
        return { next: offer, events: offer.status === 'published' ? [offerPublishedEvent(offer, now)] : [] };
      });
    },

    publishOffer: (actor: Actor, id: string) =>
      changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        const next = publishOffer(current, now, offerRules);
        return { next, events: [offerPublishedEvent(next, now)] };
      }),

    withdrawOffer: (actor: Actor, id: string, reason: string) =>
      changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        const next = withdrawOffer(current, now);
        const events =
          current.status === 'published'
            ? [event(Events.offerWithdrawn, { offerId: id, reason: reason.trim().slice(0, 500) }, id, now)]
            : [];
        return { next, events };
      }),

    renewOffer: (actor: Actor, id: string, validUntil: Date | null) =>
      changeOffer(id, (current, now) => {
        requireOwner(actor, current);
        const next = renewOffer(current, validUntil, now, offerRules);
        return {
          next,
          events: [
            event(Events.offerRenewed, { offerId: id, validUntil: next.validUntil ?? undefined }, id, now),
          ],
        };
      }),

    /** The offer as the actor may see it; an offer it may not see is "not found". */
    async getOffer(actor: Actor, id: string): Promise<{ offer: Offer; showOwner: boolean }> {
      const offer = await loadOffer(id);
      const viewer = await viewerOf(actor);
      if (!maySeeOffer(actor, offer, viewer.party)) throw notFound('offer', id, 'chào bán công nghệ');
      return { offer, showOwner: mayKnowOwner(actor, offer) };
    },

    async searchOffers(
      actor: Actor,
      query: Omit<OfferQuery, 'textTokens' | 'ownerId'> & { text: string; mine: boolean },
      page: PageRequest,
    ) {
      const viewer = await viewerOf(actor);
      if (query.mine && !(actor.role === 'enterprise' && actor.enterpriseId)) {
        throw deny('Only an enterprise has offers of its own', 'Chỉ doanh nghiệp mới có chào bán của mình');
      }
      const result = await store.searchOffers(
        { ...query, textTokens: tokenize(query.text), ownerId: query.mine ? actor.enterpriseId : '' },
        viewer,
        page,
      );
      return {
        ...result,
        items: result.items.map((offer) => ({ offer, showOwner: mayKnowOwner(actor, offer) })),
      };
    },

    // ---- requests
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

    /** A registry need of category technology becomes a request with the need's id (a replay inserts nothing). */
    async requestFromNeed(request: TechRequest): Promise<boolean> {
      const inserted = await store.insertRequest(request, [
        event(Events.requestPosted, { request: requestToProto(request) }, request.id, request.createdAt),
      ]);
      if (inserted) afterWrite();
      return inserted;
    },

    /** The registry closed, fulfilled or expired the need a request came from. */
    async closeFromNeed(needId: string, reason: string): Promise<void> {
      const current = await store.findRequest(needId);
      if (current?.status !== 'open') return;
      await changeRequest(needId, (r, now) =>
        r.status !== 'open'
          ? undefined
          : {
              next: closeRequest(r, now),
              events: [event(Events.requestClosed, { requestId: r.id, reason }, r.id, now)],
            },
      );
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

    /** Published offers the requester may see, ranked by the shared matching score. */
    async rankOffers(
      actor: Actor,
      requestId: string,
      limit: number,
      minScore: number,
    ): Promise<{ ranked: RankedOffer; showOwner: boolean }[]> {
      requireAuthenticated(actor);
      const request = await loadRequest(requestId);
      const requester = await store.findParty(request.requesterId);
      const candidates = await store.candidateOffers(
        {
          hsChapters: [...new Set(request.hsCodes.map((c) => c.slice(0, 2)))],
          vsicDivisions: [...new Set(request.vsicCodes.map((c) => c.slice(0, 2)))],
          tokens: tokenize(`${request.title} ${request.keywords.join(' ')}`),
        },
        deps.ranking.candidates,
      );
      // Visible to the requester (and to the caller): nobody learns of an offer through a ranking.
      const requesterActor: Actor = {
        role: 'enterprise',
        enterpriseId: request.requesterId,
        provinceCode: '',
        subject: '',
      };
      const callerViewer = await viewerOf(actor);
      const visible = candidates.filter(
        (o) =>
          o.ownerId !== request.requesterId &&
          maySeeOffer(requesterActor, o, requester) &&
          maySeeOffer(actor, o, callerViewer.party),
      );
      const owners = new Map<string, Party | undefined>();
      await Promise.all(
        [...new Set(visible.map((o) => o.ownerId))].map(async (id) =>
          owners.set(id, await store.findParty(id)),
        ),
      );
      if (requester) owners.set(requester.enterpriseId, requester);
      const ranked = rankOffers(
        request,
        visible,
        (id) => owners.get(id),
        clock(),
        Math.min(Math.max(limit || 10, 1), 50),
        minScore || deps.ranking.threshold,
        technologyWeights,
      );
      return ranked.map((r) => ({ ranked: r, showOwner: mayKnowOwner(actor, r.offer) }));
    },

    // ---- expressions of interest and negotiation
    async expressInterest(
      actor: Actor,
      offerId: string,
      enterpriseId: string,
      message: string,
      requestId: string,
    ) {
      requireActsFor(actor, enterpriseId);
      const interested = await loadParty(enterpriseId);
      const offer = await loadOffer(offerId);
      if (!maySeeOffer({ ...actor, role: 'enterprise', enterpriseId }, offer, interested))
        throw notFound('offer', offerId, 'chào bán công nghệ');
      if (requestId) {
        const request = await loadRequest(requestId);
        if (request.requesterId !== enterpriseId)
          throw deny(
            'The request belongs to another enterprise',
            'Yêu cầu thuộc doanh nghiệp khác',
            'NOT_A_PARTY',
          );
      }
      const now = clock();
      const interest = expressInterest(
        offer,
        interested,
        { message, requestId },
        newId(),
        now,
        interestRules,
      );
      await store.insertInterest(interest, [
        event(
          Events.interestExpressed,
          { facts: interestFacts(interest), respondBy: interest.respondBy },
          interest.id,
          now,
        ),
      ]);
      afterWrite();
      return interest;
    },

    acceptInterest: (actor: Actor, id: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = acceptInterest(current, side, now, interestRules);
        return { next, events: [event(Events.interestAccepted, { facts: interestFacts(next) }, id, now)] };
      }),

    declineInterest: (actor: Actor, id: string, reason: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = declineInterest(current, side, reason, now);
        return {
          next,
          events: [
            event(
              Events.interestDeclined,
              { facts: interestFacts(next), reason: next.declineReason },
              id,
              now,
            ),
          ],
        };
      }),

    withdrawInterest: (actor: Actor, id: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = withdrawInterest(current, side, now);
        return { next, events: [event(Events.interestWithdrawn, { facts: interestFacts(next) }, id, now)] };
      }),

    sendMessage: (actor: Actor, id: string, text: string, attachments: Attachment[]) =>
      interestAction(actor, id, (current, side, now) => ({
        next: sendMessage(current, side, { text, attachments }, newId(), now, interestRules),
        events: [],
      })),

    proposeAgreement: (actor: Actor, id: string, input: AgreementInput) =>
      interestAction(actor, id, (current, side, now) => ({
        next: proposeAgreement(current, side, input, newId(), now, interestRules),
        events: [],
      })),

    signAgreement: (actor: Actor, id: string, agreementId: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = signAgreement(current, side, agreementId, now);
        const a = next.agreement as NonNullable<Interest['agreement']>;
        return {
          next,
          events: [
            event(
              Events.agreementSigned,
              {
                facts: interestFacts(next),
                agreementId: a.id,
                type: agreementType.toProto(a.type),
                value: { vnd: a.valueVnd },
                startDate: a.startDate,
              },
              id,
              now,
            ),
          ],
        };
      }),

    abandonNegotiation: (actor: Actor, id: string, reason: string) =>
      interestAction(actor, id, (current, side, now) => {
        const next = abandonNegotiation(current, side, reason, now);
        return {
          next,
          events: [
            event(
              Events.negotiationAbandoned,
              { facts: interestFacts(next), reason: next.abandonReason, abandonedBy: next.abandonedBy },
              id,
              now,
            ),
          ],
        };
      }),

    async getInterest(actor: Actor, id: string): Promise<{ interest: Interest; showOwner: boolean }> {
      const interest = await loadInterest(id);
      if (!mayReadInterest(actor, interest)) throw notFound('interest', id, 'bày tỏ quan tâm');
      return { interest, showOwner: mayKnowInterestOwner(actor, interest) };
    },

    async listInterests(actor: Actor, query: InterestQuery, page: PageRequest) {
      requireAuthenticated(actor);
      if (actor.role !== 'admin' && actor.role !== 'service') {
        if (query.offerId) {
          requireOwner(actor, await loadOffer(query.offerId));
        } else if (actor.role === 'enterprise') {
          if (query.enterpriseId !== actor.enterpriseId)
            throw deny(
              'An enterprise lists its own interests only',
              'Doanh nghiệp chỉ xem được bày tỏ quan tâm của mình',
            );
        } else if (actor.role === 'province') {
          const party = query.enterpriseId ? await store.findParty(query.enterpriseId) : undefined;
          if (!party || party.province !== actor.provinceCode)
            throw deny(
              'Officers list the interests of their own province’s firms',
              'Cán bộ chỉ xem được doanh nghiệp thuộc tỉnh mình',
              'OTHER_PROVINCE',
            );
        } else {
          throw deny('Not allowed', 'Không được phép');
        }
      }
      if (!query.enterpriseId && !query.offerId && actor.role !== 'admin') {
        throw new AppError('INVALID_ARGUMENT', 'Give enterprise_id or offer_id', {
          messageVi: 'Cần enterprise_id hoặc offer_id',
        });
      }
      const result = await store.listInterests(query, page);
      return {
        ...result,
        items: result.items.map((interest) => ({
          interest,
          showOwner: mayKnowInterestOwner(actor, interest),
        })),
      };
    },

    // ---- programmes and co-funding
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

    approveCoFunding: approve,

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

    /** Deadlines: expired offers and requests, interests to remind, expire or abandon, stuck approvals. */
    async runDeadlines(limit = 200) {
      const now = clock();
      const counts = { offersExpired: 0, requestsExpired: 0, interests: 0, approvalsReconciled: 0 };
      for (const offer of await store.findDueOffers(now, limit)) {
        await changeOffer(offer.id, (o, t) =>
          o.status !== 'published' || (o.validUntil && o.validUntil.getTime() > t.getTime())
            ? undefined
            : { next: expireOffer(o, t), events: [event(Events.offerExpired, { offerId: o.id }, o.id, t)] },
        );
        counts.offersExpired++;
      }
      for (const request of await store.findDueRequests(now, limit)) {
        await changeRequest(request.id, (r, t) =>
          r.status !== 'open' || r.validUntil.getTime() > t.getTime()
            ? undefined
            : {
                next: expireRequest(r, t),
                events: [event(Events.requestClosed, { requestId: r.id, reason: 'expired' }, r.id, t)],
              },
        );
        counts.requestsExpired++;
      }
      const remindBefore = new Date(now.getTime() + interestRules.reminderDays * 86_400_000);
      for (const interest of await store.findDueInterests(remindBefore, limit)) {
        await changeInterest(interest.id, (i, t) => {
          const due = applyDeadline(i, t, interestRules);
          if (!due) return undefined;
          counts.interests++;
          const facts = interestFacts(due.interest);
          if (due.action.kind === 'expire')
            return { next: due.interest, events: [event(Events.interestExpired, { facts }, i.id, t)] };
          if (due.action.kind === 'abandon')
            return {
              next: due.interest,
              events: [
                event(
                  Events.negotiationAbandoned,
                  { facts, reason: due.interest.abandonReason, abandonedBy: 'timeout' },
                  i.id,
                  t,
                ),
              ],
            };
          return {
            next: due.interest,
            events: [
              event(
                Events.interestReminder,
                { facts, action: due.action.action, waitingOn: due.action.waitingOn, due: i.respondBy },
                i.id,
                t,
              ),
            ],
          };
        });
      }
      counts.approvalsReconciled = await reconcileApprovals(now, limit);
      return counts;
    },
  };

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

  /** Approvals claimed but not completed (a crash between the steps): complete with a reservation, else revert. */
  async function reconcileApprovals(now: Date, limit: number): Promise<number> {
    const stale = await store.listApplications(
      { programmeId: '', applicantProvince: '', applicantId: '', statuses: ['approving'] },
      { size: limit, cursor: '' },
    );
    let reconciled = 0;
    for (const a of stale.items) {
      if (now.getTime() - a.updatedAt.getTime() < deps.approvalClaimTimeoutMs) continue;
      const programme = await store.findProgramme(a.programmeId);
      if (programme?.reservations.some((r) => r.applicationId === a.id)) await finishApproval(a.id);
      else
        await changeApplication(a.id, (current, t) => {
          const next = revertApproval(current, t);
          return next && { next, events: [] };
        });
      reconciled++;
    }
    return reconciled;
  }
}

export type TechTransfer = ReturnType<typeof makeTechTransfer>;
