import { AppError } from '@lienket/platform/errors';
import type { Actor, Enterprise } from './model';

const deny = (message: string, messageVi: string, code = 'NOT_ALLOWED') =>
  new AppError('PERMISSION_DENIED', message, { code, messageVi });

export function requireAuthenticated(actor: Actor): void {
  if (actor.role === 'anonymous') {
    throw new AppError('UNAUTHENTICATED', 'Sign in to do this', {
      messageVi: 'Vui lòng đăng nhập để thực hiện',
    });
  }
}

/** The enterprise itself, an admin, or a LienKet service may change its profile and postings. */
export function requireActsFor(actor: Actor, enterpriseId: string): void {
  requireAuthenticated(actor);
  if (actor.role === 'admin' || actor.role === 'service') return;
  if (actor.role === 'enterprise' && actor.enterpriseId === enterpriseId) return;
  throw deny(
    'Only the enterprise itself may do this',
    'Chỉ chính doanh nghiệp mới được thực hiện thao tác này',
  );
}

/** Verification and lead-firm designation belong to officers of the enterprise's own province. */
export function requireOfficerOf(actor: Actor, enterprise: Enterprise): void {
  requireAuthenticated(actor);
  if (actor.role !== 'province') {
    throw deny(
      'Only a provincial officer may do this',
      'Chỉ cán bộ Sở Công Thương mới được thực hiện thao tác này',
    );
  }
  if (actor.provinceCode !== enterprise.province) {
    throw deny(
      `Only officers of province ${enterprise.province} may decide on this enterprise`,
      `Chỉ cán bộ của tỉnh ${enterprise.province} mới được quyết định đối với doanh nghiệp này`,
      'OTHER_PROVINCE',
    );
  }
}

/**
 * Registering: admins, LienKet services (identity registers exactly the establishment signing up)
 * and provincial officers for their own province. An enterprise's token registers no other firm.
 */
export function requireMayRegister(actor: Actor, province: string): void {
  requireAuthenticated(actor);
  if (actor.role === 'analyst') {
    throw deny(
      'Analysts cannot register enterprises',
      'Chuyên gia phân tích không được đăng ký doanh nghiệp',
    );
  }
  if (actor.role === 'enterprise') {
    throw deny(
      'An enterprise cannot register other enterprises; a new establishment signs up itself',
      'Doanh nghiệp không được đăng ký doanh nghiệp khác; cơ sở mới tự đăng ký tài khoản',
      'ENTERPRISE_REGISTERS_OTHERS',
    );
  }
  if (actor.role === 'province' && actor.provinceCode !== province) {
    throw deny(
      'Officers register enterprises of their own province only',
      'Cán bộ chỉ được đăng ký doanh nghiệp thuộc tỉnh mình',
      'OTHER_PROVINCE',
    );
  }
}

/**
 * Contact details: the enterprise itself, officers of its province, admins; a counterpart only
 * with a grant from an established match (checked by the caller and passed as `granted`).
 */
export function mayReadContact(actor: Actor, enterprise: Enterprise, granted: boolean): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role === 'enterprise' && actor.enterpriseId === enterprise.id) return true;
  if (actor.role === 'province' && actor.provinceCode === enterprise.province) return true;
  return granted && actor.role === 'enterprise';
}
