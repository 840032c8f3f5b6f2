import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import type { Agreement, AgreementType, Attachment, Interest, Offer, Party } from './model';
import type { InterestSide } from './policy';
import { DAY_MS, illegalTransition } from './transitions';

export interface InterestRules {
  /** The owner answers an expression of interest within this many days, or it expires. */
  responseDays: number;
  /** A negotiation with no message or proposal for this many days is abandoned. */
  negotiationIdleDays: number;
  /** Reminders go out this many days before either deadline. */
  reminderDays: number;
}

export const defaultInterestRules: InterestRules = {
  responseDays: 14,
  negotiationIdleDays: 60,
  reminderDays: 3,
};

const MAX_MESSAGES = 500;
const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;

const interestIllegal = (interest: Interest, action: string, actionVi: string) =>
  illegalTransition('an expression of interest', 'bày tỏ quan tâm', interest.status, action, actionVi);

function requireSide(side: InterestSide, wanted: InterestSide, action: string, actionVi: string): void {
  if (side === wanted) return;
  const who = wanted === 'owner' ? 'the offer’s owner' : 'the interested enterprise';
  const whoVi = wanted === 'owner' ? 'chủ công nghệ' : 'doanh nghiệp quan tâm';
  throw new AppError('PERMISSION_DENIED', `Only ${who} may ${action}`, {
    code: 'WRONG_PARTY',
    messageVi: `Chỉ ${whoVi} mới được ${actionVi}`,
  });
}

function text(value: string, field: string, min: number, max: number, violations: FieldViolation[]): string {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) violations.push(messages.length(field, min, max));
  return trimmed;
}

function touch(interest: Interest, now: Date, rules: InterestRules): Interest {
  return {
    ...interest,
    lastActivityAt: now,
    respondBy: new Date(now.getTime() + rules.negotiationIdleDays * DAY_MS),
    reminded: '',
    updatedAt: now,
  };
}

/** An enterprise's interest in a published offer; the owner has `responseDays` to answer. */
export function expressInterest(
  offer: Offer,
  interested: Party,
  input: { message: string; requestId: string },
  id: string,
  now: Date,
  rules: InterestRules = defaultInterestRules,
): Interest {
  if (offer.status !== 'published' || (offer.validUntil && offer.validUntil.getTime() <= now.getTime())) {
    throw illegalTransition(
      'an offer',
      'chào bán',
      // Published but past its date: expired in all but the next deadline pass.
      offer.status === 'published' ? 'expired' : offer.status,
      'express interest in',
      'bày tỏ quan tâm tới',
    );
  }
  if (offer.ownerId === interested.enterpriseId) {
    throw new AppError('FAILED_PRECONDITION', 'An owner cannot express interest in its own offer', {
      code: 'OWN_OFFER',
      messageVi: 'Chủ công nghệ không thể bày tỏ quan tâm tới chào bán của chính mình',
    });
  }
  const violations: FieldViolation[] = [];
  const message = text(input.message, 'message', 1, 2_000, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    id,
    offerId: offer.id,
    offerTitle: offer.title,
    ownerId: offer.ownerId,
    ownerProvince: offer.ownerProvince,
    anonymousOwner: offer.anonymous,
    hsCodes: offer.hsCodes,
    vsicCodes: offer.vsicCodes,
    cleanerProduction: offer.cleanerProduction,
    pollutionTreatment: offer.pollutionTreatment,
    interestedId: interested.enterpriseId,
    interestedProvince: interested.province,
    requestId: input.requestId,
    message,
    status: 'pending',
    respondBy: new Date(now.getTime() + rules.responseDays * DAY_MS),
    reminded: '',
    messages: [],
    agreement: null,
    declineReason: '',
    abandonReason: '',
    abandonedBy: '',
    lastActivityAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The owner accepts: the negotiation opens (and an anonymous owner becomes known to the counterpart). */
export function acceptInterest(
  interest: Interest,
  side: InterestSide,
  now: Date,
  rules: InterestRules = defaultInterestRules,
): Interest {
  requireSide(side, 'owner', 'accept an expression of interest', 'chấp nhận bày tỏ quan tâm');
  if (interest.status !== 'pending') throw interestIllegal(interest, 'accept', 'chấp nhận');
  return { ...touch(interest, now, rules), status: 'negotiating' };
}

export function declineInterest(interest: Interest, side: InterestSide, reason: string, now: Date): Interest {
  requireSide(side, 'owner', 'decline an expression of interest', 'từ chối bày tỏ quan tâm');
  if (interest.status !== 'pending') throw interestIllegal(interest, 'decline', 'từ chối');
  const violations: FieldViolation[] = [];
  const declineReason = text(reason, 'reason', 1, 500, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  return { ...interest, status: 'declined', declineReason, updatedAt: now };
}

export function withdrawInterest(interest: Interest, side: InterestSide, now: Date): Interest {
  requireSide(side, 'interested', 'withdraw an expression of interest', 'rút bày tỏ quan tâm');
  if (interest.status !== 'pending') throw interestIllegal(interest, 'withdraw', 'rút');
  return { ...interest, status: 'withdrawn', updatedAt: now };
}

function checkAttachments(attachments: Attachment[], violations: FieldViolation[]): Attachment[] {
  if (attachments.length > 10) violations.push(messages.tooMany('attachments', 10));
  attachments.forEach((a, i) => {
    const f = `attachments[${i}]`;
    if (!a.fileName.trim() || a.fileName.length > 255)
      violations.push(messages.length(`${f}.fileName`, 1, 255));
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(a.mediaType))
      violations.push({
        field: `${f}.mediaType`,
        reason: 'invalid_media_type',
        description: 'A media type such as application/pdf',
        descriptionVi: 'Kiểu tệp như application/pdf',
      });
    if (!(a.sizeBytes > 0) || a.sizeBytes > MAX_ATTACHMENT_BYTES)
      violations.push(messages.range(`${f}.sizeBytes`, 1, MAX_ATTACHMENT_BYTES));
    if (!SHA256.test(a.sha256.toLowerCase()))
      violations.push({
        field: `${f}.sha256`,
        reason: 'invalid_sha256',
        description: 'The SHA-256 of the file as 64 hex digits',
        descriptionVi: 'Mã SHA-256 của tệp gồm 64 chữ số hex',
      });
  });
  return attachments.map((a) => ({ ...a, fileName: a.fileName.trim(), sha256: a.sha256.toLowerCase() }));
}

export function sendMessage(
  interest: Interest,
  side: InterestSide,
  input: { text: string; attachments: Attachment[] },
  id: string,
  now: Date,
  rules: InterestRules = defaultInterestRules,
): Interest {
  if (interest.status !== 'negotiating')
    throw interestIllegal(interest, 'send a message in', 'gửi tin nhắn trong');
  if (interest.messages.length >= MAX_MESSAGES) {
    throw new AppError('RESOURCE_EXHAUSTED', `A negotiation holds at most ${MAX_MESSAGES} messages`, {
      code: 'TOO_MANY_MESSAGES',
      messageVi: `Mỗi cuộc đàm phán tối đa ${MAX_MESSAGES} tin nhắn`,
    });
  }
  const violations: FieldViolation[] = [];
  const body = text(input.text, 'text', 1, 5_000, violations);
  const attachments = checkAttachments(input.attachments, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  const authorId = side === 'owner' ? interest.ownerId : interest.interestedId;
  return {
    ...touch(interest, now, rules),
    messages: [...interest.messages, { id, authorId, text: body, attachments, sentAt: now }],
  };
}

export interface AgreementInput {
  type: AgreementType | undefined;
  valueVnd: number;
  startDate: Date | null;
  termsSummary: string;
}

/** Either party proposes terms (replacing an unsigned proposal); the other signs them. */
export function proposeAgreement(
  interest: Interest,
  side: InterestSide,
  input: AgreementInput,
  id: string,
  now: Date,
  rules: InterestRules = defaultInterestRules,
): Interest {
  if (interest.status !== 'negotiating')
    throw interestIllegal(interest, 'propose an agreement in', 'đề xuất thỏa thuận trong');
  const violations: FieldViolation[] = [];
  if (!input.type) violations.push(messages.required('type'));
  if (!Number.isSafeInteger(input.valueVnd) || input.valueVnd <= 0)
    violations.push(messages.positive('value'));
  if (!input.startDate) violations.push(messages.required('startDate'));
  else if (input.startDate.getTime() < now.getTime() - 365 * DAY_MS)
    violations.push({
      field: 'startDate',
      reason: 'too_old',
      description: 'An agreement starts at most a year before it is signed',
      descriptionVi: 'Thỏa thuận chỉ được bắt đầu tối đa một năm trước khi ký',
    });
  const termsSummary = text(input.termsSummary, 'termsSummary', 0, 2_000, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  const agreement: Agreement = {
    id,
    type: input.type as AgreementType,
    valueVnd: input.valueVnd,
    startDate: input.startDate as Date,
    termsSummary,
    status: 'proposed',
    proposedBy: side === 'owner' ? interest.ownerId : interest.interestedId,
    proposedAt: now,
    signedAt: null,
  };
  return { ...touch(interest, now, rules), agreement };
}

export function signAgreement(
  interest: Interest,
  side: InterestSide,
  agreementId: string,
  now: Date,
): Interest {
  if (interest.status !== 'negotiating')
    throw interestIllegal(interest, 'sign an agreement in', 'ký thỏa thuận trong');
  const agreement = interest.agreement;
  if (!agreement) {
    throw new AppError('FAILED_PRECONDITION', 'No agreement has been proposed yet', {
      code: 'NO_AGREEMENT',
      messageVi: 'Chưa có thỏa thuận nào được đề xuất',
    });
  }
  if (agreement.id !== agreementId) {
    throw new AppError(
      'FAILED_PRECONDITION',
      'The terms changed since you read them; read the new proposal first',
      {
        code: 'AGREEMENT_CHANGED',
        messageVi: 'Điều khoản đã thay đổi; hãy xem đề xuất mới trước khi ký',
      },
    );
  }
  const signer = side === 'owner' ? interest.ownerId : interest.interestedId;
  if (agreement.proposedBy === signer) {
    throw new AppError('FAILED_PRECONDITION', 'The other party signs the terms you proposed', {
      code: 'OWN_PROPOSAL',
      messageVi: 'Bên còn lại mới ký điều khoản do bạn đề xuất',
    });
  }
  return {
    ...interest,
    status: 'agreed',
    agreement: { ...agreement, status: 'signed', signedAt: now },
    lastActivityAt: now,
    updatedAt: now,
  };
}

export function abandonNegotiation(
  interest: Interest,
  side: InterestSide,
  reason: string,
  now: Date,
): Interest {
  if (interest.status !== 'negotiating') throw interestIllegal(interest, 'abandon', 'dừng đàm phán');
  const violations: FieldViolation[] = [];
  const abandonReason = text(reason, 'reason', 1, 500, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  return { ...interest, status: 'abandoned', abandonReason, abandonedBy: side, updatedAt: now };
}

export type DeadlineAction =
  | { kind: 'expire' }
  | { kind: 'abandon' }
  | { kind: 'remind'; action: 'respond' | 'negotiate'; waitingOn: 'owner' | 'interested' | 'both' };

/** What is due on an interest at `now`: expiry or abandonment past its deadline, or one reminder before it. */
export function dueAction(
  interest: Interest,
  now: Date,
  rules: InterestRules = defaultInterestRules,
): DeadlineAction | undefined {
  const t = now.getTime();
  const deadline = interest.respondBy.getTime();
  const remindFrom = deadline - rules.reminderDays * DAY_MS;
  if (interest.status === 'pending') {
    if (t >= deadline) return { kind: 'expire' };
    if (t >= remindFrom && interest.reminded !== 'respond')
      return { kind: 'remind', action: 'respond', waitingOn: 'owner' };
  }
  if (interest.status === 'negotiating') {
    if (t >= deadline) return { kind: 'abandon' };
    if (t >= remindFrom && interest.reminded !== 'negotiate') {
      const pending = interest.agreement?.status === 'proposed' ? interest.agreement.proposedBy : '';
      const waitingOn =
        pending === interest.ownerId ? 'interested' : pending === interest.interestedId ? 'owner' : 'both';
      return { kind: 'remind', action: 'negotiate', waitingOn };
    }
  }
  return undefined;
}

/** Applies a due deadline action; undefined when nothing is due (another worker got there first). */
export function applyDeadline(
  interest: Interest,
  now: Date,
  rules: InterestRules = defaultInterestRules,
): { interest: Interest; action: DeadlineAction } | undefined {
  const action = dueAction(interest, now, rules);
  if (!action) return undefined;
  if (action.kind === 'expire')
    return { action, interest: { ...interest, status: 'expired', updatedAt: now } };
  if (action.kind === 'abandon')
    return {
      action,
      interest: {
        ...interest,
        status: 'abandoned',
        abandonedBy: 'timeout',
        abandonReason: `No activity for ${rules.negotiationIdleDays} days`,
        updatedAt: now,
      },
    };
  return { action, interest: { ...interest, reminded: action.action, updatedAt: now } };
}
