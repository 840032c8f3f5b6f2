import type { Actor } from './model';
import { requireMayRegister } from './policy';

const actor = (role: Actor['role'], extra: Partial<Actor> = {}): Actor => ({
  role,
  enterpriseId: '',
  provinceCode: '',
  subject: `${role}-1`,
  ...extra,
});
const refusal = (a: Actor, province: string) => {
  try {
    requireMayRegister(a, province);
    return 'allowed';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('who may register an enterprise', () => {
  it('never an enterprise token, for any firm in any province (sign-up goes through identity)', () => {
    const firm = actor('enterprise', { enterpriseId: 'e-1' });
    expect(refusal(firm, '19')).toBe('ENTERPRISE_REGISTERS_OTHERS');
    expect(refusal(firm, '01')).toBe('ENTERPRISE_REGISTERS_OTHERS');
  });

  it('an officer for its own province only; admins and LienKet services; never analysts or anonymous', () => {
    expect(refusal(actor('province', { provinceCode: '19' }), '19')).toBe('allowed');
    expect(refusal(actor('province', { provinceCode: '19' }), '01')).toBe('OTHER_PROVINCE');
    expect(refusal(actor('admin'), '01')).toBe('allowed');
    expect(refusal(actor('service'), '01')).toBe('allowed');
    expect(refusal(actor('analyst'), '01')).toBe('NOT_ALLOWED');
    expect(refusal(actor('anonymous'), '01')).toBe('UNAUTHENTICATED');
  });
});
