import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import { deny, type ProgrammeActor, requireProvinceOrMinistry, requireSignedIn } from './actor';
import { moneyIn } from './funding';
import {
  type Pledge,
  type Scheme,
  type SchemeStatus,
  type SponsorKind,
  type SupportLine,
  sponsorKinds,
  supportLines,
} from './model';
import { provinceField } from './province';

export interface PledgeInput {
  sponsorId: string;
  sponsorName: string;
  sponsorKind: string;
  target: { schemeId: string; line: string; province: string };
  amountVnd: number;
}

/**
 * A sponsor pledges in its own name; the ministry (or a province's centre, for its province) may
 * record a pledge on a sponsor's behalf. Exactly one target: a scheme, a support line or a province.
 */
export function makePledge(actor: ProgrammeActor, input: PledgeInput, id: string, now: Date): Pledge {
  requireSignedIn(actor);
  const violations: FieldViolation[] = [];
  const sponsorName = input.sponsorName.trim();
  if (sponsorName.length < 2 || sponsorName.length > 200)
    violations.push(messages.length('sponsorName', 2, 200));
  if (!input.sponsorId.trim()) violations.push(messages.required('sponsorId'));
  if (!(sponsorKinds as readonly string[]).includes(input.sponsorKind))
    violations.push(messages.required('sponsorKind'));
  if (!Number.isSafeInteger(input.amountVnd) || input.amountVnd <= 0)
    violations.push(messages.positive('amountVnd'));
  const { schemeId, line } = input.target;
  const province = provinceField(input.target.province, 'target.province', violations, true);
  if (line && !(supportLines as readonly string[]).includes(line))
    violations.push({
      field: 'target.line',
      reason: 'unknown_support_line',
      description: `Unknown support line "${line}"`,
      descriptionVi: `Nội dung khuyến công "${line}" không tồn tại`,
    });
  if ([schemeId, line, province].filter(Boolean).length !== 1)
    violations.push({
      field: 'target',
      reason: 'one_target',
      description: 'A pledge goes to one scheme, one support line or one province',
      descriptionVi: 'Cam kết tài trợ dành cho một đề án, một nội dung hoặc một tỉnh',
    });
  if (violations.length > 0) throw invalidArgument(violations);
  if (actor.kind === 'sponsor') {
    if (actor.sponsorId !== input.sponsorId)
      throw deny('A sponsor pledges in its own name', 'Nhà tài trợ chỉ cam kết dưới tên mình');
  } else if (actor.kind === 'centre') {
    if (province !== actor.province)
      throw deny(
        'A centre records pledges to its own province',
        'Trung tâm chỉ ghi nhận cam kết tài trợ cho tỉnh mình',
        'OTHER_PROVINCE',
      );
  } else if (actor.kind !== 'ministry') {
    throw deny('Sponsors pledge (or the ministry records it)', 'Nhà tài trợ cam kết (hoặc Bộ ghi nhận)');
  }
  return {
    id,
    sponsorId: input.sponsorId.trim(),
    sponsorName,
    sponsorKind: input.sponsorKind as SponsorKind,
    target: { schemeId, line: line as SupportLine | '', province },
    amountVnd: input.amountVnd,
    status: 'pledged',
    schemeId: '',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** Schemes that may still take a sponsor's money. */
const openForPledges: readonly SchemeStatus[] = [
  'proposed',
  'appraised',
  'approving',
  'approved',
  'contracted',
  'implementing',
];

/**
 * The province's centre (or the ministry) matches a pledge to a scheme its target covers; the
 * matched pledges of a scheme never exceed its sponsor share. Returns both changed aggregates;
 * undefined when this pledge is matched to this scheme already.
 */
export function matchPledge(
  actor: ProgrammeActor,
  pledge: Pledge,
  scheme: Scheme,
  now: Date,
): { pledge: Pledge; scheme: Scheme } | undefined {
  requireProvinceOrMinistry(actor, scheme.province);
  if (pledge.schemeId === scheme.id && scheme.pledges.some((p) => p.pledgeId === pledge.id)) return undefined;
  const violations: FieldViolation[] = [];
  if (pledge.status === 'withdrawn' || (pledge.schemeId && pledge.schemeId !== scheme.id))
    violations.push({
      field: 'pledgeId',
      reason: 'pledge_not_free',
      description: 'The pledge is withdrawn or matched to another scheme',
      descriptionVi: 'Cam kết đã rút hoặc đã gắn với đề án khác',
    });
  const { target } = pledge;
  const covers =
    (target.schemeId !== '' && target.schemeId === scheme.id) ||
    (target.line !== '' && target.line === scheme.line) ||
    (target.province !== '' && target.province === scheme.province);
  if (!covers)
    violations.push({
      field: 'schemeId',
      reason: 'outside_pledge_target',
      description: 'The scheme is outside what the sponsor pledged to',
      descriptionVi: 'Đề án nằm ngoài phạm vi nhà tài trợ cam kết',
    });
  if (!openForPledges.includes(scheme.status))
    violations.push({
      field: 'schemeId',
      reason: 'scheme_closed',
      description: `A ${scheme.status} scheme takes no more pledges`,
      descriptionVi: 'Đề án không còn nhận tài trợ',
    });
  const matched = moneyIn(scheme).sponsorMatched;
  if (matched + pledge.amountVnd > scheme.funding.sponsorVnd)
    violations.push({
      field: 'amountVnd',
      reason: 'above_sponsor_share',
      description: `The scheme's sponsor share has ${scheme.funding.sponsorVnd - matched} VND left, less than the pledge's ${pledge.amountVnd} VND`,
      descriptionVi: `Phần tài trợ của đề án còn ${scheme.funding.sponsorVnd - matched} VND, ít hơn ${pledge.amountVnd} VND cam kết`,
    });
  if (violations.length > 0) throw invalidArgument(violations, 'FUNDING_REFUSED');
  return {
    pledge: { ...pledge, schemeId: scheme.id, updatedAt: now },
    scheme: {
      ...scheme,
      pledges: [
        ...scheme.pledges,
        {
          pledgeId: pledge.id,
          sponsorId: pledge.sponsorId,
          sponsorKind: pledge.sponsorKind,
          amountVnd: pledge.amountVnd,
          status: pledge.status === 'received' ? 'received' : 'pledged',
          receivedAt: pledge.status === 'received' ? pledge.updatedAt : null,
        },
      ],
      updatedAt: now,
    },
  };
}

/** The money arrived: the centre of the scheme's province (or the ministry) records it. */
export function receivePledge(actor: ProgrammeActor, pledge: Pledge, scheme: Scheme | undefined, now: Date) {
  if (scheme) requireProvinceOrMinistry(actor, scheme.province);
  else if (pledge.target.province) requireProvinceOrMinistry(actor, pledge.target.province);
  else requireProvinceOrMinistry(actor, '');
  if (pledge.status === 'received') return undefined;
  if (pledge.status !== 'pledged')
    throw new AppError('FAILED_PRECONDITION', 'A withdrawn pledge cannot be received', {
      code: 'ILLEGAL_TRANSITION',
      messageVi: 'Cam kết đã rút không thể ghi nhận đã nhận tiền',
    });
  return {
    pledge: { ...pledge, status: 'received' as const, updatedAt: now },
    scheme: scheme && {
      ...scheme,
      pledges: scheme.pledges.map((p) =>
        p.pledgeId === pledge.id ? { ...p, status: 'received' as const, receivedAt: now } : p,
      ),
      updatedAt: now,
    },
  };
}

/** Who reads a pledge: its sponsor, the ministry, the centre of the province it serves. */
export function maySeePledge(actor: ProgrammeActor, pledge: Pledge, schemeProvince = ''): boolean {
  switch (actor.kind) {
    case 'ministry':
    case 'service':
      return true;
    case 'sponsor':
      return actor.sponsorId === pledge.sponsorId;
    case 'centre':
      return actor.province === pledge.target.province || actor.province === schemeProvince;
    default:
      return false;
  }
}
