import { AppError } from '@lienket/platform/errors';

/**
 * Who acts, as the programme sees it. The platform's actor (role, enterprise, province) is mapped
 * once at the edge (app/actor.ts): an enterprise proposes for itself, a province's centre officer
 * works its province, the ministry's department (admin) sees all and holds the national budget,
 * a sponsor pledges, an analyst reads aggregates only.
 */
export type ProgrammeActor =
  | { kind: 'enterprise'; enterpriseId: string; subject: string }
  | { kind: 'centre'; province: string; subject: string }
  | { kind: 'ministry'; subject: string }
  | { kind: 'sponsor'; sponsorId: string; subject: string }
  | { kind: 'analyst'; subject: string }
  | { kind: 'service'; subject: string }
  | { kind: 'anonymous'; subject: '' };

export const deny = (message: string, messageVi: string, code = 'NOT_ALLOWED') =>
  new AppError('PERMISSION_DENIED', message, { code, messageVi });

export function requireSignedIn(actor: ProgrammeActor): void {
  if (actor.kind === 'anonymous')
    throw new AppError('UNAUTHENTICATED', 'Sign in to do this', {
      messageVi: 'Vui lòng đăng nhập để thực hiện',
    });
}

/** A centre officer of this province, or the ministry. */
export function requireProvinceOrMinistry(actor: ProgrammeActor, province: string): void {
  requireSignedIn(actor);
  if (actor.kind === 'ministry') return;
  if (actor.kind === 'centre' && actor.province === province) return;
  throw deny(
    `Only the promotion centre of province ${province} or the ministry may do this`,
    `Chỉ trung tâm khuyến công tỉnh ${province} hoặc Bộ mới được thực hiện`,
    'OTHER_PROVINCE',
  );
}

export function requireMinistry(actor: ProgrammeActor): void {
  requireSignedIn(actor);
  if (actor.kind !== 'ministry')
    throw deny('Only the ministry’s department may do this', 'Chỉ Cục/Bộ Công Thương mới được thực hiện');
}

/** Analysts read aggregates (reports, plans' progress), never single schemes or pledges. */
export function refuseAnalyst(actor: ProgrammeActor): void {
  requireSignedIn(actor);
  if (actor.kind === 'analyst')
    throw deny(
      'Analysts read aggregates, not single schemes',
      'Chuyên gia phân tích chỉ xem số liệu tổng hợp',
      'AGGREGATES_ONLY',
    );
}
