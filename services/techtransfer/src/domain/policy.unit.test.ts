import type { Actor, AppError } from '@lienket/platform';
import type { Interest, InterestStatus, Offer, Party } from './model';
import {
  mayKnowInterestOwner,
  mayKnowOwner,
  mayReadInterest,
  maySeeOffer,
  requireActsFor,
  requireAuthenticated,
  sideOf,
  wasAccepted,
} from './policy';

const now = new Date('2026-05-01T00:00:00Z');

const actor = (role: Actor['role'], enterpriseId = '', provinceCode = ''): Actor => ({
  role,
  enterpriseId,
  provinceCode,
  subject: `${role}-${enterpriseId || provinceCode || 'x'}`,
});
const anonymous = actor('anonymous');
const analyst = actor('analyst');
const admin = actor('admin');
const service = actor('service');
const owner = actor('enterprise', 'ent-owner');
const buyer = actor('enterprise', 'ent-buyer');
const officer = (provinceCode: string) => actor('province', '', provinceCode);

const party = (overrides: Partial<Party> = {}): Party => ({
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
const verified = party();
const unverified = party({ verified: false });

const offer = (overrides: Partial<Offer> = {}): Offer => ({
  id: 'offer-1',
  ownerId: 'ent-owner',
  ownerProvince: '01',
  ownerRegion: 'RRD',
  ownerKind: 'enterprise',
  anonymous: false,
  title: 'Công nghệ sấy gỗ',
  summary: '',
  hsCodes: ['4418'],
  vsicCodes: ['1621'],
  keywords: [],
  readinessLevel: 7,
  ipStatus: 'know_how',
  ipNumbers: [],
  transferModes: ['licence'],
  priceBand: null,
  cleanerProduction: false,
  pollutionTreatment: false,
  languages: ['vi'],
  visibility: 'public',
  visibleProvinces: [],
  validUntil: null,
  status: 'published',
  publishedAt: now,
  createdAt: now,
  updatedAt: now,
  version: 2,
  ...overrides,
});

const interest = (overrides: Partial<Interest> = {}): Interest => ({
  id: 'int-1',
  offerId: 'offer-1',
  offerTitle: 'Công nghệ sấy gỗ',
  ownerId: 'ent-owner',
  ownerProvince: '01',
  anonymousOwner: true,
  hsCodes: [],
  vsicCodes: ['1621'],
  cleanerProduction: false,
  pollutionTreatment: false,
  interestedId: 'ent-buyer',
  interestedProvince: '79',
  requestId: '',
  message: 'Quan tâm',
  status: 'pending',
  respondBy: now,
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
  ...overrides,
});

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};

describe('who may see an offer', () => {
  const named = offer({ visibility: 'named_provinces', visibleProvinces: ['79', '48'] });
  const cases: [string, Actor, Party | undefined, boolean, boolean, boolean][] = [
    // who, actor, viewer party, public, verified_enterprises, named_provinces ['79', '48']
    ['anonymous visitor', anonymous, undefined, true, false, false],
    ['analyst', analyst, undefined, true, false, false],
    ['admin', admin, undefined, true, true, true],
    ['service', service, undefined, true, true, true],
    ['verified enterprise in 79', buyer, verified, true, true, true],
    ['unverified enterprise in 79', buyer, unverified, true, false, true],
    ['verified enterprise in 01', buyer, party({ province: '01' }), true, true, false],
    ['enterprise without a known party', buyer, undefined, true, false, false],
    ['officer of a listed province', officer('48'), undefined, true, true, true],
    ['officer of an unlisted province', officer('01'), undefined, true, true, false],
    [
      'owner (unverified, unlisted province)',
      owner,
      party({ enterpriseId: 'ent-owner', province: '01', verified: false }),
      true,
      true,
      true,
    ],
  ];

  it.each(cases)('%s', (_who, who, viewer, seesPublic, seesVerified, seesNamed) => {
    expect([
      maySeeOffer(who, offer({ visibility: 'public' }), viewer),
      maySeeOffer(who, offer({ visibility: 'verified_enterprises' }), viewer),
      maySeeOffer(who, named, viewer),
    ]).toEqual([seesPublic, seesVerified, seesNamed]);
  });

  it('shows an unpublished offer only to its owner, admins and services', () => {
    for (const status of ['draft', 'withdrawn', 'expired'] as const) {
      const hidden = offer({ status, visibility: 'public' });
      expect(maySeeOffer(owner, hidden, undefined)).toBe(true);
      expect(maySeeOffer(admin, hidden, undefined)).toBe(true);
      expect(maySeeOffer(service, hidden, undefined)).toBe(true);
      expect(maySeeOffer(buyer, hidden, verified)).toBe(false);
      expect(maySeeOffer(officer('01'), hidden, undefined)).toBe(false);
      expect(maySeeOffer(anonymous, hidden, undefined)).toBe(false);
    }
  });
});

describe('who may know an offer’s owner', () => {
  it('shows a named owner to everyone', () => {
    for (const who of [anonymous, analyst, buyer, officer('01')]) {
      expect(mayKnowOwner(who, { anonymous: false, ownerId: 'ent-owner' })).toBe(true);
    }
  });

  it('shows an anonymous owner only to itself, admins and services', () => {
    const hidden = { anonymous: true, ownerId: 'ent-owner' };
    expect([owner, admin, service].map((who) => mayKnowOwner(who, hidden))).toEqual([true, true, true]);
    expect([anonymous, analyst, buyer, officer('01')].map((who) => mayKnowOwner(who, hidden))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('hides an anonymous owner from the interested enterprise until accepted', () => {
    expect(mayKnowInterestOwner(buyer, interest({ status: 'pending' }))).toBe(false);
    const shown: InterestStatus[] = ['negotiating', 'agreed', 'abandoned'];
    const hidden: InterestStatus[] = ['pending', 'declined', 'expired', 'withdrawn'];
    expect(shown.map((status) => mayKnowInterestOwner(buyer, interest({ status })))).toEqual([
      true,
      true,
      true,
    ]);
    expect(hidden.map((status) => mayKnowInterestOwner(buyer, interest({ status })))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('shows an anonymous interest owner to itself and admins, never to officers or others', () => {
    const pending = interest();
    expect(mayKnowInterestOwner(owner, pending)).toBe(true);
    expect(mayKnowInterestOwner(admin, pending)).toBe(true);
    expect(mayKnowInterestOwner(service, pending)).toBe(true);
    const negotiating = interest({ status: 'negotiating' });
    expect(mayKnowInterestOwner(officer('01'), negotiating)).toBe(false);
    expect(mayKnowInterestOwner(actor('enterprise', 'ent-third'), negotiating)).toBe(false);
    expect(mayKnowInterestOwner(anonymous, negotiating)).toBe(false);
  });

  it('shows a named interest owner to anyone', () => {
    expect(mayKnowInterestOwner(anonymous, interest({ anonymousOwner: false }))).toBe(true);
    expect(mayKnowInterestOwner(buyer, interest({ anonymousOwner: false }))).toBe(true);
  });

  it('counts negotiating, agreed and abandoned as accepted', () => {
    const statuses: InterestStatus[] = [
      'pending',
      'negotiating',
      'declined',
      'agreed',
      'abandoned',
      'expired',
      'withdrawn',
    ];
    expect(statuses.filter((status) => wasAccepted(interest({ status })))).toEqual([
      'negotiating',
      'agreed',
      'abandoned',
    ]);
  });
});

describe('taking part in an interest', () => {
  it('knows which side an enterprise acts for, and nobody else', () => {
    expect(sideOf(owner, interest())).toBe('owner');
    expect(sideOf(buyer, interest())).toBe('interested');
    for (const who of [actor('enterprise', 'ent-third'), admin, officer('01')]) {
      expect(errorOf(() => sideOf(who, interest()))).toMatchObject({
        kind: 'PERMISSION_DENIED',
        code: 'NOT_A_PARTY',
      });
    }
    expect(errorOf(() => sideOf(anonymous, interest())).kind).toBe('UNAUTHENTICATED');
  });

  it('lets the parties, admins and officers of either province read it', () => {
    const readers = [owner, buyer, admin, service, officer('01'), officer('79')];
    expect(readers.map((who) => mayReadInterest(who, interest()))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    const others = [actor('enterprise', 'ent-third'), officer('48'), analyst, anonymous];
    expect(others.map((who) => mayReadInterest(who, interest()))).toEqual([false, false, false, false]);
  });

  it('lets only the enterprise itself, admins and services act for it', () => {
    expect(() => requireActsFor(buyer, 'ent-buyer')).not.toThrow();
    expect(() => requireActsFor(admin, 'ent-buyer')).not.toThrow();
    expect(() => requireActsFor(service, 'ent-buyer')).not.toThrow();
    expect(errorOf(() => requireActsFor(owner, 'ent-buyer'))).toMatchObject({
      kind: 'PERMISSION_DENIED',
      code: 'NOT_ALLOWED',
    });
    expect(errorOf(() => requireActsFor(officer('79'), 'ent-buyer')).kind).toBe('PERMISSION_DENIED');
    expect(errorOf(() => requireActsFor(anonymous, 'ent-buyer')).kind).toBe('UNAUTHENTICATED');
    expect(errorOf(() => requireAuthenticated(anonymous)).messageVi).toBe('Vui lòng đăng nhập để thực hiện');
  });
});
