import type { AppError } from '@lienket/platform/errors';
import { taxCodeCheckDigit } from '@lienket/reference';
import { passwordViolations, validateEstablishmentSignUp } from './accounts';
import { claimsForDelegation, claimsForMembership } from './claims';
import {
  grantDelegation,
  isDelegationActive,
  requireMayRevoke,
  requireUsableDelegation,
} from './delegations';
import { issueInvitation, mayAssign, requireUsableInvitation, type Standing } from './invitations';
import { maskLogin, parseLogin } from './login';
import type { Membership, MembershipRole, Organisation, OrganisationKind } from './model';
import { newOrganisation } from './organisations';
import { isLocked, lockAfter, startsNewWindow, type ThrottleRule } from './throttle';

const now = new Date('2026-03-01T08:00:00Z');
const DAY = 86_400_000;

const org = (id: string, kind: OrganisationKind, provinceCode = '', enterpriseId = ''): Organisation => ({
  id,
  kind,
  name: id,
  provinceCode,
  enterpriseId,
  createdAt: now,
});
const member = (accountId: string, organisation: Organisation, role: MembershipRole): Membership => ({
  id: `m-${accountId}-${organisation.id}`,
  accountId,
  organisationId: organisation.id,
  role,
  createdAt: now,
  grantedBy: '',
});
const standing = (accountId: string, organisation: Organisation, role: MembershipRole): Standing => ({
  membership: member(accountId, organisation, role),
  organisation,
});
const code = (error: () => unknown) => {
  try {
    error();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'no error';
};

const thaiNguyen = org('pc-19', 'province_centre', '19');
const hanoiCentre = org('pc-01', 'province_centre', '01');
const commune19 = org('c-19', 'commune', '19');
const ministry = org('moit', 'ministry_department');
const coop = org('e-1', 'enterprise', '19', 'ent-1');
const otherFirm = org('e-2', 'enterprise', '19', 'ent-2');

const taxCode = (() => {
  for (let n = 10_000_000; ; n++) {
    const nine = `01${n}`.slice(0, 9);
    const digit = taxCodeCheckDigit(nine);
    if (digit !== undefined) return `${nine}${digit}`;
  }
})();

describe('logins', () => {
  it('reads emails and Vietnamese mobile numbers in any usual spelling', () => {
    expect(parseLogin(' Binh@BaoBi-TN.vn ')).toEqual({ kind: 'email', value: 'binh@baobi-tn.vn' });
    for (const raw of ['0987 654 321', '+84987654321', '84-987-654-321', '098.765.4321'])
      expect(parseLogin(raw)).toEqual({ kind: 'phone', value: '+84987654321' });
    expect(parseLogin('12345')).toBeUndefined();
    expect(parseLogin('not an email@')).toBeUndefined();
  });

  it('masks a login for lists', () => {
    expect(maskLogin({ kind: 'email', value: 'binh@baobi-tn.vn' })).toBe('b•••@baobi-tn.vn');
    expect(maskLogin({ kind: 'phone', value: '+84987654321' })).toBe('+8498•••21');
  });
});

describe('passwords and sign-up', () => {
  it('asks for length and refuses known-bad passwords, not composition', () => {
    expect(passwordViolations('short')[0]?.reason).toBe('too_short');
    expect(passwordViolations('matkhau123')[0]?.reason).toBe('too_common');
    expect(passwordViolations('aaaaaaaaaaaa')[0]?.reason).toBe('too_common');
    expect(
      passwordViolations('binh@baobi-tn.vn!', { kind: 'email', value: 'binh@baobi-tn.vn' })[0]?.reason,
    ).toBe('too_common');
    expect(passwordViolations('chè tân cương ngon lắm')).toEqual([]);
  });

  const signUp = {
    login: 'binh@baobi-tn.vn',
    displayName: 'Trần Thị Bình',
    password: 'chè tân cương ngon lắm',
    taxCode,
    kind: 'cooperative',
    primaryVsic: '0127',
    enterpriseName: 'HTX Chè Tân Cương',
    provinceCode: '19',
    contactPhone: '0987654321',
    contactEmail: '',
  };

  it('checks the tax code, the province and every field at once', () => {
    const valid = validateEstablishmentSignUp(signUp);
    expect(valid).toMatchObject({
      taxCode,
      provinceCode: '19',
      contactPhone: '+84987654321',
      contactEmail: 'binh@baobi-tn.vn',
    });
    try {
      validateEstablishmentSignUp({
        ...signUp,
        taxCode: `${taxCode.slice(0, 9)}${(Number(taxCode[9]) + 1) % 10}`,
        provinceCode: '99',
        password: 'x',
        kind: 'bank',
      });
      throw new Error('accepted');
    } catch (error) {
      expect((error as AppError).violations.map((v) => v.field).sort()).toEqual([
        'kind',
        'password',
        'province_code',
        'tax_code',
      ]);
    }
  });

  it('maps a pre-2025 province code to the current one', () => {
    // Bắc Kạn (06) merged into Thái Nguyên (19).
    expect(validateEstablishmentSignUp({ ...signUp, provinceCode: '06' })).toMatchObject({
      provinceCode: '19',
      legacyProvinceCode: '06',
    });
  });
});

describe('organisations', () => {
  it('needs a province for centres, communes and enterprises, and a registry id for enterprises', () => {
    expect(code(() => newOrganisation({ kind: 'commune', name: 'Xã Tân Cương' }, 'x', now))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      code(() => newOrganisation({ kind: 'enterprise', name: 'HTX', provinceCode: '19' }, 'x', now)),
    ).toBe('VALIDATION_FAILED');
    expect(
      newOrganisation({ kind: 'ministry_department', name: 'Cục Công Thương địa phương' }, 'x', now),
    ).toMatchObject({ provinceCode: '', enterpriseId: '' });
  });
});

describe('who may invite whom', () => {
  const provinceAdmin = standing('pa', thaiNguyen, 'province_admin');
  const ministryAdmin = standing('ma', ministry, 'ministry_admin');

  it('a province administrator invites officers of its own province only', () => {
    expect(mayAssign(provinceAdmin, thaiNguyen, 'province_officer')).toBe(true);
    expect(mayAssign(provinceAdmin, commune19, 'commune_officer')).toBe(true);
    expect(mayAssign(provinceAdmin, hanoiCentre, 'province_officer')).toBe(false);
    expect(mayAssign(provinceAdmin, thaiNguyen, 'province_admin')).toBe(false);
  });

  it('the ministry department invites province administrators', () => {
    expect(mayAssign(ministryAdmin, hanoiCentre, 'province_admin')).toBe(true);
    expect(mayAssign(ministryAdmin, hanoiCentre, 'province_officer')).toBe(false);
  });

  it('an officer invites nobody, and a role must fit the organisation', () => {
    expect(mayAssign(standing('po', thaiNguyen, 'province_officer'), thaiNguyen, 'province_officer')).toBe(
      false,
    );
    const invite = (role: MembershipRole) =>
      issueInvitation(
        [provinceAdmin],
        {
          id: 'i',
          target: thaiNguyen,
          role,
          invitedLogin: { kind: 'email', value: 'a@b.vn' },
          tokenHash: 'h',
        },
        now,
      );
    expect(code(() => invite('commune_officer'))).toBe('ROLE_NOT_IN_ORGANISATION');
    expect(invite('province_officer')).toMatchObject({
      status: 'pending',
      issuedBy: 'pa',
      expiresAt: new Date(now.getTime() + 7 * DAY),
    });
  });

  it('a link opens once and before it expires', () => {
    const invitation = issueInvitation(
      [provinceAdmin],
      {
        id: 'i',
        target: thaiNguyen,
        role: 'province_officer',
        invitedLogin: { kind: 'email', value: 'a@b.vn' },
        tokenHash: 'h',
        validDays: 2,
      },
      now,
    );
    expect(requireUsableInvitation(invitation, new Date(now.getTime() + DAY))).toBe(invitation);
    const late = new Date(now.getTime() + 2 * DAY);
    expect(code(() => requireUsableInvitation(invitation, late))).toBe('INVITATION_NOT_USABLE');
    expect(code(() => requireUsableInvitation({ ...invitation, status: 'accepted' }, now))).toBe(
      'INVITATION_NOT_USABLE',
    );
    expect(code(() => requireUsableInvitation(undefined, now))).toBe('INVITATION_NOT_USABLE');
  });
});

describe('delegations', () => {
  const owner = member('owner', coop, 'enterprise_owner');
  const communeOfficer = member('co', commune19, 'commune_officer');
  const grant = (overrides: Partial<Parameters<typeof grantDelegation>[0]> = {}) =>
    grantDelegation(
      {
        id: 'd',
        owner,
        enterprise: coop,
        delegate: communeOfficer,
        delegateOrganisation: commune19,
        endsAt: new Date(now.getTime() + 30 * DAY),
        ...overrides,
      },
      now,
    );

  it('an owner lets an officer of its province act for it until an end date', () => {
    const delegation = grant();
    expect(delegation).toMatchObject({ enterpriseId: 'ent-1', grantedBy: 'owner', delegateAccountId: 'co' });
    expect(requireUsableDelegation(delegation, 'co', now)).toBe(delegation);
    expect(isDelegationActive(delegation, new Date(now.getTime() + 30 * DAY))).toBe(false);
  });

  it('refuses a member who is not an owner, an officer of another province, and an end date past a year', () => {
    expect(code(() => grant({ owner: member('m', coop, 'enterprise_member') }))).toBe('NOT_OWNER');
    expect(code(() => grant({ owner: member('owner', otherFirm, 'enterprise_owner') }))).toBe('NOT_OWNER');
    const hanoiOfficer = member('ho', hanoiCentre, 'province_officer');
    expect(code(() => grant({ delegate: hanoiOfficer, delegateOrganisation: hanoiCentre }))).toBe(
      'OTHER_PROVINCE',
    );
    expect(
      code(() =>
        grant({ delegate: member('pa', thaiNguyen, 'province_admin'), delegateOrganisation: thaiNguyen }),
      ),
    ).toBe('NOT_AN_OFFICER');
    expect(code(() => grant({ endsAt: new Date(now.getTime() + 400 * DAY) }))).toBe('INVALID_END_DATE');
    expect(code(() => grant({ endsAt: now }))).toBe('INVALID_END_DATE');
  });

  it('an ended, revoked or someone else’s delegation cannot be used', () => {
    const delegation = grant();
    expect(code(() => requireUsableDelegation(delegation, 'co', new Date(now.getTime() + 31 * DAY)))).toBe(
      'DELEGATION_EXPIRED',
    );
    expect(code(() => requireUsableDelegation({ ...delegation, revokedAt: now }, 'co', now))).toBe(
      'DELEGATION_REVOKED',
    );
    expect(code(() => requireUsableDelegation(delegation, 'someone-else', now))).toBe('NO_DELEGATION');
  });

  it('the owners or the delegate revoke', () => {
    const delegation = grant();
    expect(() => requireMayRevoke(delegation, 'co', false)).not.toThrow();
    expect(() => requireMayRevoke(delegation, 'owner', true)).not.toThrow();
    expect(code(() => requireMayRevoke(delegation, 'stranger', false))).toBe('NOT_ALLOWED');
  });
});

describe('claims the gateway reads', () => {
  it('map each membership to a gateway role with its enterprise or province', () => {
    expect(claimsForMembership(member('a', coop, 'enterprise_owner'), coop)).toEqual({
      role: 'enterprise',
      org_id: 'e-1',
      enterprise_id: 'ent-1',
    });
    expect(claimsForMembership(member('a', thaiNguyen, 'province_officer'), thaiNguyen)).toEqual({
      role: 'province',
      org_id: 'pc-19',
      province_code: '19',
    });
    expect(claimsForMembership(member('a', ministry, 'ministry_admin'), ministry).role).toBe('admin');
    // A commune officer reads; it changes an establishment's data only through a delegation.
    expect(claimsForMembership(member('a', commune19, 'commune_officer'), commune19).role).toBe('analyst');
  });

  it('an officer acting for an establishment carries its enterprise_id and act.sub (RFC 8693)', () => {
    const delegation = grantDelegation(
      {
        id: 'd',
        owner: member('owner', coop, 'enterprise_owner'),
        enterprise: coop,
        delegate: member('co', commune19, 'commune_officer'),
        delegateOrganisation: commune19,
        endsAt: new Date(now.getTime() + DAY),
      },
      now,
    );
    expect(claimsForDelegation(delegation, 'co')).toEqual({
      role: 'enterprise',
      org_id: 'e-1',
      enterprise_id: 'ent-1',
      act: { sub: 'co' },
      delegation_id: 'd',
    });
  });
});

describe('sign-in throttle', () => {
  const rule: ThrottleRule = { maxFailures: 3, windowMs: 60_000, lockMs: 300_000 };
  it('locks at the limit, for the lock time, and starts a new window after the old one', () => {
    expect(lockAfter(2, rule, now)).toBeUndefined();
    const until = lockAfter(3, rule, now) as Date;
    expect(until.getTime() - now.getTime()).toBe(300_000);
    const counter = { key: 'k', failures: 3, windowStartedAt: now, lockedUntil: until };
    expect(isLocked(counter, new Date(now.getTime() + 299_999))).toBe(true);
    expect(isLocked(counter, until)).toBe(false);
    expect(startsNewWindow(counter, rule, new Date(now.getTime() + 59_999))).toBe(false);
    expect(startsNewWindow(counter, rule, new Date(now.getTime() + 60_000))).toBe(true);
    expect(startsNewWindow(undefined, rule, now)).toBe(true);
  });
});
