import type { AppError } from '@lienket/platform';
import {
  type AgreementInput,
  abandonNegotiation,
  acceptInterest,
  applyDeadline,
  declineInterest,
  defaultInterestRules,
  dueAction,
  expressInterest,
  proposeAgreement,
  sendMessage,
  signAgreement,
  withdrawInterest,
} from './interest';
import type { Attachment, Interest, Offer, Party } from './model';

const DAY = 86_400_000;
const now = new Date('2026-05-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

const offer = (overrides: Partial<Offer> = {}): Offer => ({
  id: 'offer-1',
  ownerId: 'ent-owner',
  ownerProvince: '01',
  ownerRegion: 'RRD',
  ownerKind: 'research_institute',
  anonymous: true,
  title: 'Công nghệ sấy gỗ bằng bơm nhiệt',
  summary: 'Tiết kiệm 40% điện năng',
  hsCodes: ['4418'],
  vsicCodes: ['1621'],
  keywords: ['sấy gỗ'],
  readinessLevel: 7,
  ipStatus: 'patent',
  ipNumbers: ['1-0012345'],
  transferModes: ['licence'],
  priceBand: null,
  cleanerProduction: true,
  pollutionTreatment: false,
  languages: ['vi'],
  visibility: 'public',
  visibleProvinces: [],
  validUntil: at(180),
  status: 'published',
  publishedAt: now,
  createdAt: now,
  updatedAt: now,
  version: 2,
  ...overrides,
});

const interested = (overrides: Partial<Party> = {}): Party => ({
  enterpriseId: 'ent-buyer',
  province: '79',
  region: 'SE',
  kind: 'enterprise',
  verified: true,
  supportingIndustry: false,
  leadFirm: false,
  recognitions: [],
  ...overrides,
});

const attachment = (overrides: Partial<Attachment> = {}): Attachment => ({
  fileName: 'ban-ve.pdf',
  mediaType: 'application/pdf',
  sizeBytes: 120_000,
  sha256: 'a'.repeat(64),
  ...overrides,
});

const terms = (overrides: Partial<AgreementInput> = {}): AgreementInput => ({
  type: 'licence',
  valueVnd: 900_000_000,
  startDate: at(30),
  termsSummary: 'Li-xăng 5 năm, đào tạo 2 kỹ sư',
  ...overrides,
});

const pending = () =>
  expressInterest(offer(), interested(), { message: 'Chúng tôi quan tâm', requestId: 'req-1' }, 'int-1', now);
/** Accepted on day 1: the negotiation is idle-abandoned on day 61. */
const negotiating = () => acceptInterest(pending(), 'owner', at(1));
const proposedByOwner = () => proposeAgreement(negotiating(), 'owner', terms(), 'agr-1', at(2));

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};
const reasons = (error: AppError) => error.violations.map((v) => `${v.field}:${v.reason}`).sort();

const expectIllegal = (fn: () => unknown, state: string, stateVi: string) => {
  const error = errorOf(fn);
  expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
  expect(error.message).toMatch(new RegExp(`^Cannot .+ an expression of interest that is ${state}$`));
  expect(error.messageVi).toMatch(new RegExp(`^Không thể .+ bày tỏ quan tâm đang ở trạng thái ${stateVi}$`));
};

describe('expressing interest', () => {
  it('opens a pending interest carrying the offer’s facts, answered within 14 days', () => {
    const interest = expressInterest(
      offer(),
      interested(),
      { message: '  Chúng tôi quan tâm  ', requestId: 'req-1' },
      'int-1',
      now,
    );
    expect(interest).toMatchObject({
      id: 'int-1',
      offerId: 'offer-1',
      offerTitle: 'Công nghệ sấy gỗ bằng bơm nhiệt',
      ownerId: 'ent-owner',
      ownerProvince: '01',
      anonymousOwner: true,
      hsCodes: ['4418'],
      vsicCodes: ['1621'],
      cleanerProduction: true,
      interestedId: 'ent-buyer',
      interestedProvince: '79',
      requestId: 'req-1',
      message: 'Chúng tôi quan tâm',
      status: 'pending',
      reminded: '',
      messages: [],
      agreement: null,
      lastActivityAt: now,
      version: 1,
    });
    expect(interest.respondBy).toEqual(at(defaultInterestRules.responseDays));
    expect(interest.respondBy).toEqual(at(14));
  });

  it.each([
    ['draft', 'bản nháp'],
    ['withdrawn', 'đã rút'],
    ['expired', 'đã hết hạn'],
  ] as const)('is refused on an offer that is %s', (status, statusVi) => {
    const error = errorOf(() =>
      expressInterest(offer({ status }), interested(), { message: 'x', requestId: '' }, 'i', now),
    );
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
    expect(error.message).toBe(`Cannot express interest in an offer that is ${status}`);
    expect(error.messageVi).toBe(`Không thể bày tỏ quan tâm tới chào bán đang ở trạng thái ${statusVi}`);
  });

  it('is refused on the enterprise’s own offer', () => {
    const error = errorOf(() =>
      expressInterest(
        offer(),
        interested({ enterpriseId: 'ent-owner' }),
        { message: 'x', requestId: '' },
        'i',
        now,
      ),
    );
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'OWN_OFFER' });
  });

  it('needs a message of 1 to 2000 characters', () => {
    for (const message of ['   ', 'x'.repeat(2_001)]) {
      const error = errorOf(() =>
        expressInterest(offer(), interested(), { message, requestId: '' }, 'i', now),
      );
      expect(error.kind).toBe('INVALID_ARGUMENT');
      expect(reasons(error)).toEqual(['message:invalid_length']);
    }
  });
});

describe('answering an interest', () => {
  it('opens the negotiation when the owner accepts, with a 60-day idle deadline', () => {
    const interest = acceptInterest(pending(), 'owner', at(1));
    expect(interest).toMatchObject({
      status: 'negotiating',
      lastActivityAt: at(1),
      updatedAt: at(1),
      reminded: '',
    });
    expect(interest.respondBy).toEqual(at(61));
  });

  it('lets only the owner accept or decline', () => {
    const accept = errorOf(() => acceptInterest(pending(), 'interested', at(1)));
    expect(accept).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'WRONG_PARTY' });
    expect(accept.message).toBe('Only the offer’s owner may accept an expression of interest');
    expect(accept.messageVi).toBe('Chỉ chủ công nghệ mới được chấp nhận bày tỏ quan tâm');
    expect(() => declineInterest(pending(), 'interested', 'không phù hợp', at(1))).toThrow(
      expect.objectContaining({ kind: 'PERMISSION_DENIED', code: 'WRONG_PARTY' }),
    );
  });

  it('declines with a reason, which is required', () => {
    expect(declineInterest(pending(), 'owner', '  Không phù hợp quy mô  ', at(2))).toMatchObject({
      status: 'declined',
      declineReason: 'Không phù hợp quy mô',
      updatedAt: at(2),
    });
    const error = errorOf(() => declineInterest(pending(), 'owner', '  ', at(2)));
    expect(error.kind).toBe('INVALID_ARGUMENT');
    expect(reasons(error)).toEqual(['reason:invalid_length']);
  });

  it('lets only the interested enterprise withdraw, and only while pending', () => {
    expect(withdrawInterest(pending(), 'interested', at(2))).toMatchObject({
      status: 'withdrawn',
      updatedAt: at(2),
    });
    const error = errorOf(() => withdrawInterest(pending(), 'owner', at(2)));
    expect(error).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'WRONG_PARTY' });
    expect(error.message).toBe('Only the interested enterprise may withdraw an expression of interest');
    expectIllegal(() => withdrawInterest(negotiating(), 'interested', at(2)), 'negotiating', 'đang đàm phán');
  });
});

describe('negotiating', () => {
  it('records messages by side, normalises attachments, and pushes the deadline', () => {
    const first = sendMessage(
      negotiating(),
      'interested',
      {
        text: '  Xin gửi bản vẽ  ',
        attachments: [attachment({ fileName: ' ban-ve.pdf ', sha256: 'ABCDEF'.padEnd(64, '0') })],
      },
      'msg-1',
      at(10),
    );
    const second = sendMessage(first, 'owner', { text: 'Đã nhận', attachments: [] }, 'msg-2', at(11));
    expect(second.messages).toEqual([
      {
        id: 'msg-1',
        authorId: 'ent-buyer',
        text: 'Xin gửi bản vẽ',
        attachments: [attachment({ fileName: 'ban-ve.pdf', sha256: 'abcdef'.padEnd(64, '0') })],
        sentAt: at(10),
      },
      { id: 'msg-2', authorId: 'ent-owner', text: 'Đã nhận', attachments: [], sentAt: at(11) },
    ]);
    expect(second).toMatchObject({ status: 'negotiating', lastActivityAt: at(11) });
    expect(second.respondBy).toEqual(at(71));
  });

  it('checks each attachment: name, media type, size and SHA-256', () => {
    const error = errorOf(() =>
      sendMessage(
        negotiating(),
        'owner',
        {
          text: 'Tài liệu',
          attachments: [
            attachment({ sha256: 'a'.repeat(63) }),
            attachment({ sha256: 'g'.repeat(64) }),
            attachment({ sizeBytes: 0 }),
            attachment({ sizeBytes: 50 * 1024 * 1024 + 1 }),
            attachment({ mediaType: 'pdf' }),
            attachment({ fileName: '   ' }),
          ],
        },
        'm',
        at(2),
      ),
    );
    expect(error.kind).toBe('INVALID_ARGUMENT');
    expect(reasons(error)).toEqual([
      'attachments[0].sha256:invalid_sha256',
      'attachments[1].sha256:invalid_sha256',
      'attachments[2].sizeBytes:out_of_range',
      'attachments[3].sizeBytes:out_of_range',
      'attachments[4].mediaType:invalid_media_type',
      'attachments[5].fileName:invalid_length',
    ]);
    // Exactly 50 MiB is allowed.
    const ok = sendMessage(
      negotiating(),
      'owner',
      { text: 'ok', attachments: [attachment({ sizeBytes: 50 * 1024 * 1024 })] },
      'm',
      at(2),
    );
    expect(ok.messages[0]?.attachments[0]?.sizeBytes).toBe(50 * 1024 * 1024);
  });

  it('allows at most 10 attachments and needs a text', () => {
    const attachments = Array.from({ length: 11 }, () => attachment());
    expect(
      reasons(errorOf(() => sendMessage(negotiating(), 'owner', { text: ' ', attachments }, 'm', at(2)))),
    ).toEqual(['attachments:too_many', 'text:invalid_length']);
  });

  it('lets either side propose terms, replacing an unsigned proposal', () => {
    const proposed = proposedByOwner();
    expect(proposed.agreement).toEqual({
      id: 'agr-1',
      type: 'licence',
      valueVnd: 900_000_000,
      startDate: at(30),
      termsSummary: 'Li-xăng 5 năm, đào tạo 2 kỹ sư',
      status: 'proposed',
      proposedBy: 'ent-owner',
      proposedAt: at(2),
      signedAt: null,
    });
    expect(proposed.respondBy).toEqual(at(62));
    const countered = proposeAgreement(
      proposed,
      'interested',
      terms({ valueVnd: 700_000_000 }),
      'agr-2',
      at(3),
    );
    expect(countered.agreement).toMatchObject({
      id: 'agr-2',
      valueVnd: 700_000_000,
      proposedBy: 'ent-buyer',
    });
  });

  it('validates proposed terms', () => {
    const error = errorOf(() =>
      proposeAgreement(
        negotiating(),
        'owner',
        terms({ type: undefined, valueVnd: -1, startDate: null, termsSummary: 'x'.repeat(2_001) }),
        'a',
        at(2),
      ),
    );
    expect(error.kind).toBe('INVALID_ARGUMENT');
    expect(reasons(error)).toEqual([
      'startDate:required',
      'termsSummary:invalid_length',
      'type:required',
      'value:must_be_positive',
    ]);
    expect(
      reasons(errorOf(() => proposeAgreement(negotiating(), 'owner', terms({ valueVnd: 1.5 }), 'a', at(2)))),
    ).toEqual(['value:must_be_positive']);
  });

  it('is agreed when the other party signs the proposed terms', () => {
    const agreed = signAgreement(proposedByOwner(), 'interested', 'agr-1', at(5));
    expect(agreed).toMatchObject({
      status: 'agreed',
      lastActivityAt: at(5),
      updatedAt: at(5),
      agreement: { id: 'agr-1', status: 'signed', signedAt: at(5), proposedBy: 'ent-owner' },
    });
    const counter = proposeAgreement(proposedByOwner(), 'interested', terms(), 'agr-2', at(3));
    expect(signAgreement(counter, 'owner', 'agr-2', at(4)).status).toBe('agreed');
  });

  it('refuses the proposer signing its own terms', () => {
    const error = errorOf(() => signAgreement(proposedByOwner(), 'owner', 'agr-1', at(5)));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'OWN_PROPOSAL' });
    expect(error.messageVi).toBe('Bên còn lại mới ký điều khoản do bạn đề xuất');
  });

  it('refuses signing terms that changed since they were read', () => {
    const counter = proposeAgreement(proposedByOwner(), 'interested', terms(), 'agr-2', at(3));
    expect(errorOf(() => signAgreement(counter, 'owner', 'agr-1', at(5)))).toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'AGREEMENT_CHANGED',
    });
  });

  it('refuses signing when nothing was proposed', () => {
    expect(errorOf(() => signAgreement(negotiating(), 'interested', 'agr-1', at(5)))).toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'NO_AGREEMENT',
    });
  });

  it('is abandoned by either side with a reason', () => {
    expect(abandonNegotiation(negotiating(), 'interested', ' Giá quá cao ', at(4))).toMatchObject({
      status: 'abandoned',
      abandonReason: 'Giá quá cao',
      abandonedBy: 'interested',
      updatedAt: at(4),
    });
    expect(abandonNegotiation(negotiating(), 'owner', 'Hết năng lực', at(4)).abandonedBy).toBe('owner');
    expect(reasons(errorOf(() => abandonNegotiation(negotiating(), 'owner', '', at(4))))).toEqual([
      'reason:invalid_length',
    ]);
  });
});

describe('illegal interest transitions', () => {
  const terminal: [string, string, () => Interest][] = [
    ['declined', 'đã từ chối', () => declineInterest(pending(), 'owner', 'không phù hợp', at(1))],
    ['agreed', 'đã ký thỏa thuận', () => signAgreement(proposedByOwner(), 'interested', 'agr-1', at(3))],
    ['abandoned', 'đã dừng', () => abandonNegotiation(negotiating(), 'owner', 'hết quan tâm', at(3))],
    ['expired', 'đã hết hạn', () => applyDeadline(pending(), at(14))?.interest as Interest],
    ['withdrawn', 'đã rút', () => withdrawInterest(pending(), 'interested', at(1))],
  ];

  const actions: [string, (i: Interest) => unknown][] = [
    ['accept', (i) => acceptInterest(i, 'owner', at(100))],
    ['decline', (i) => declineInterest(i, 'owner', 'lý do', at(100))],
    ['withdraw', (i) => withdrawInterest(i, 'interested', at(100))],
    ['send a message', (i) => sendMessage(i, 'owner', { text: 'xin chào', attachments: [] }, 'm', at(100))],
    ['propose an agreement', (i) => proposeAgreement(i, 'owner', terms(), 'agr-9', at(100))],
    ['sign an agreement', (i) => signAgreement(i, 'interested', 'agr-1', at(100))],
    ['abandon', (i) => abandonNegotiation(i, 'owner', 'lý do', at(100))],
  ];

  it('builds each terminal status through the state machine', () => {
    expect(terminal.map(([, , make]) => make().status)).toEqual(terminal.map(([status]) => status));
  });

  describe.each(terminal)('from %s', (status, statusVi, make) => {
    it.each(actions)('refuses to %s', (_action, act) => {
      expectIllegal(() => act(make()), status, statusVi);
    });
  });

  it.each(actions.slice(3))('refuses to %s while pending', (_action, act) => {
    expectIllegal(() => act(pending()), 'pending', 'chờ trả lời');
  });

  it.each(actions.slice(0, 3))('refuses to %s while negotiating', (_action, act) => {
    expectIllegal(() => act(negotiating()), 'negotiating', 'đang đàm phán');
  });

  it('names the refused action', () => {
    expect(errorOf(() => acceptInterest(negotiating(), 'owner', at(2))).message).toBe(
      'Cannot accept an expression of interest that is negotiating',
    );
    expect(errorOf(() => signAgreement(pending(), 'owner', 'a', at(2))).messageVi).toBe(
      'Không thể ký thỏa thuận trong bày tỏ quan tâm đang ở trạng thái chờ trả lời',
    );
  });
});

describe('deadlines', () => {
  it('reminds the owner once, 3 days before the response deadline', () => {
    const interest = pending(); // respond by day 14
    expect(dueAction(interest, at(10))).toBeUndefined();
    expect(applyDeadline(interest, at(10))).toBeUndefined();
    expect(dueAction(interest, at(11))).toEqual({ kind: 'remind', action: 'respond', waitingOn: 'owner' });
    const reminded = applyDeadline(interest, at(11));
    expect(reminded?.interest).toMatchObject({ status: 'pending', reminded: 'respond', updatedAt: at(11) });
    expect(dueAction(reminded?.interest as Interest, at(12))).toBeUndefined();
    expect(dueAction(reminded?.interest as Interest, at(13.9))).toBeUndefined();
  });

  it('expires a pending interest at its response deadline', () => {
    const interest = pending();
    expect(dueAction(interest, at(14))).toEqual({ kind: 'expire' });
    const expired = applyDeadline({ ...interest, reminded: 'respond' }, at(14));
    expect(expired).toEqual({
      action: { kind: 'expire' },
      interest: expect.objectContaining({ status: 'expired', updatedAt: at(14) }),
    });
    expect(dueAction(expired?.interest as Interest, at(100))).toBeUndefined();
  });

  it('reminds both sides of an idle negotiation once, then abandons it on timeout', () => {
    const interest = negotiating(); // idle deadline day 61
    expect(dueAction(interest, at(57))).toBeUndefined();
    expect(dueAction(interest, at(58))).toEqual({ kind: 'remind', action: 'negotiate', waitingOn: 'both' });
    const reminded = applyDeadline(interest, at(58))?.interest as Interest;
    expect(reminded.reminded).toBe('negotiate');
    expect(dueAction(reminded, at(60))).toBeUndefined();
    expect(dueAction(reminded, at(61))).toEqual({ kind: 'abandon' });
    expect(applyDeadline(reminded, at(61))).toEqual({
      action: { kind: 'abandon' },
      interest: expect.objectContaining({
        status: 'abandoned',
        abandonedBy: 'timeout',
        abandonReason: 'No activity for 60 days',
        updatedAt: at(61),
      }),
    });
  });

  it('pushes the deadline and resets the reminder on activity', () => {
    const reminded = applyDeadline(negotiating(), at(58))?.interest as Interest;
    const active = sendMessage(reminded, 'owner', { text: 'Còn quan tâm', attachments: [] }, 'm', at(59));
    expect(active).toMatchObject({ reminded: '', lastActivityAt: at(59) });
    expect(active.respondBy).toEqual(at(119));
    expect(dueAction(active, at(61))).toBeUndefined();
    expect(dueAction(active, at(116))).toEqual({ kind: 'remind', action: 'negotiate', waitingOn: 'both' });
    expect(dueAction(active, at(119))).toEqual({ kind: 'abandon' });
  });

  it('waits on the party who has to sign a pending proposal', () => {
    const byOwner = proposedByOwner(); // deadline day 62
    expect(dueAction(byOwner, at(59))).toEqual({
      kind: 'remind',
      action: 'negotiate',
      waitingOn: 'interested',
    });
    const byInterested = proposeAgreement(negotiating(), 'interested', terms(), 'agr-1', at(2));
    expect(dueAction(byInterested, at(59))).toEqual({
      kind: 'remind',
      action: 'negotiate',
      waitingOn: 'owner',
    });
  });

  it('has nothing due once agreed, declined or withdrawn', () => {
    const agreed = signAgreement(proposedByOwner(), 'interested', 'agr-1', at(3));
    expect(dueAction(agreed, at(1_000))).toBeUndefined();
    expect(dueAction(declineInterest(pending(), 'owner', 'x', at(1)), at(1_000))).toBeUndefined();
    expect(applyDeadline(withdrawInterest(pending(), 'interested', at(1)), at(1_000))).toBeUndefined();
  });

  it('follows custom rules', () => {
    const rules = { responseDays: 5, negotiationIdleDays: 10, reminderDays: 1 };
    const interest = expressInterest(offer(), interested(), { message: 'x', requestId: '' }, 'i', now, rules);
    expect(interest.respondBy).toEqual(at(5));
    expect(dueAction(interest, at(3.9), rules)).toBeUndefined();
    expect(dueAction(interest, at(4), rules)).toMatchObject({ kind: 'remind' });
    const accepted = acceptInterest(interest, 'owner', at(1), rules);
    expect(accepted.respondBy).toEqual(at(11));
    expect(applyDeadline(accepted, at(11), rules)?.interest.abandonReason).toBe('No activity for 10 days');
  });
});
