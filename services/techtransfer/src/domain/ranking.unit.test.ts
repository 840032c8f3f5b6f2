import type { Offer, Party, TechRequest } from './model';
import {
  demandOfRequest,
  matchParty,
  rankOffers,
  supplyOfOffer,
  technologyExclusions,
  technologyWeights,
} from './ranking';

const DAY = 86_400_000;
const now = new Date('2026-05-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

const request = (overrides: Partial<TechRequest> = {}): TechRequest => ({
  id: 'req-1',
  requesterId: 'ent-buyer',
  province: '79',
  region: 'SE',
  title: 'Công nghệ sấy gỗ bơm nhiệt',
  description: '',
  hsCodes: [],
  vsicCodes: ['1621'],
  keywords: [],
  minReadinessLevel: 6,
  transferModes: ['licence', 'training_consulting'],
  budget: null,
  cleanerProduction: false,
  pollutionTreatment: false,
  source: 'direct',
  registryNeedId: '',
  validUntil: at(90),
  status: 'open',
  createdAt: now,
  updatedAt: now,
  version: 1,
  ...overrides,
});

const offer = (id: string, overrides: Partial<Offer> = {}): Offer => ({
  id,
  ownerId: `owner-of-${id}`,
  ownerProvince: '01',
  ownerRegion: 'RRD',
  ownerKind: 'research_institute',
  anonymous: false,
  title: 'Công nghệ sấy gỗ bơm nhiệt',
  summary: '',
  hsCodes: [],
  vsicCodes: ['1621'],
  keywords: [],
  readinessLevel: 7,
  ipStatus: 'patent',
  ipNumbers: ['1-0012345'],
  transferModes: ['licence'],
  priceBand: null,
  cleanerProduction: false,
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

const noParties = (): Party | undefined => undefined;
const rank = (offers: Offer[], k = 10, threshold = 0, req: TechRequest = request()) =>
  rankOffers(req, offers, noParties, at(1), k, threshold);
const ids = (ranked: { offer: Offer }[]) => ranked.map((r) => r.offer.id);
const productOf = (ranked: { components: { name: string; value: number }[] }) =>
  ranked.components.find((c) => c.name === 'product')?.value;

describe('technology exclusions', () => {
  it('has none for an offer meeting the request', () => {
    expect(technologyExclusions(request(), offer('o'))).toEqual([]);
  });

  it('explains each hard filter in both languages', () => {
    const strict = request({
      minReadinessLevel: 8,
      transferModes: ['sale'],
      cleanerProduction: true,
      pollutionTreatment: true,
    });
    expect(technologyExclusions(strict, offer('o', { readinessLevel: 5 }))).toEqual([
      {
        detail: 'readiness TRL 5 is below the TRL 8 asked',
        detailVi: 'mức sẵn sàng TRL 5 thấp hơn TRL 8 yêu cầu',
      },
      {
        detail: 'none of the transfer modes asked (sale)',
        detailVi: 'không có hình thức chuyển giao được yêu cầu (sale)',
      },
      { detail: 'not a cleaner-production technology', detailVi: 'không phải công nghệ sản xuất sạch hơn' },
      { detail: 'not a pollution-treatment technology', detailVi: 'không phải công nghệ xử lý ô nhiễm' },
    ]);
  });

  it('ignores readiness and modes when the request names none', () => {
    const open = request({ minReadinessLevel: 0, transferModes: [] });
    expect(technologyExclusions(open, offer('o', { readinessLevel: 1, transferModes: ['sale'] }))).toEqual(
      [],
    );
    expect(
      technologyExclusions(request({ minReadinessLevel: 7 }), offer('o', { readinessLevel: 7 })),
    ).toEqual([]);
  });
});

describe('ranking offers for a request', () => {
  it('ranks an offer sharing the request’s VSIC code above one sharing only its division', () => {
    // Ids chosen so that a tie would put the division-only offer first.
    const exact = offer('offer-b', { vsicCodes: ['1621'] });
    const division = offer('offer-a', { vsicCodes: ['1610'] });
    const ranked = rank([division, exact]);
    expect(ids(ranked)).toEqual(['offer-b', 'offer-a']);
    expect(productOf(ranked[0] as (typeof ranked)[number])).toBe(0.9);
    expect(productOf(ranked[1] as (typeof ranked)[number])).toBe(0.5);
    expect(ranked[0]?.score).toBeGreaterThan(ranked[1]?.score as number);
    expect(ranked[0]?.reason).toContain('VSIC');
  });

  it('orders by score, best first, and breaks ties by offer id', () => {
    const ranked = rank([
      offer('offer-c', { vsicCodes: ['1610'] }),
      offer('offer-b'),
      offer('offer-a'),
      offer('offer-d', { vsicCodes: ['162'] }),
    ]);
    expect(ids(ranked)).toEqual(['offer-a', 'offer-b', 'offer-d', 'offer-c']);
    const scores = ranked.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBe(scores[1]);
    expect(scores[1]).toBeGreaterThan(scores[2] as number);
  });

  it('excludes offers failing readiness, transfer-mode or cleaner-production filters', () => {
    const offers = [
      offer('ok'),
      offer('low-trl', { readinessLevel: 5 }),
      offer('wrong-mode', { transferModes: ['sale', 'joint_venture'] }),
      offer('cleaner', { cleanerProduction: true }),
    ];
    expect(ids(rank(offers))).toEqual(['cleaner', 'ok']);
    expect(ids(rank(offers, 10, 0, request({ cleanerProduction: true })))).toEqual(['cleaner']);
  });

  it('excludes unpublished, expired, own and unrelated offers', () => {
    const offers = [
      offer('ok'),
      offer('draft', { status: 'draft', publishedAt: null }),
      offer('withdrawn', { status: 'withdrawn' }),
      offer('past', { validUntil: at(1) }),
      offer('own', { ownerId: 'ent-buyer', ownerProvince: '79' }),
      offer('unrelated', { vsicCodes: ['2592'], title: 'Gia công cơ khí chính xác' }),
    ];
    expect(ids(rank(offers))).toEqual(['ok']);
  });

  it('returns at most k offers', () => {
    const offers = [offer('offer-c'), offer('offer-a'), offer('offer-b')];
    expect(ids(rank(offers, 2))).toEqual(['offer-a', 'offer-b']);
    expect(rank(offers, 0)).toEqual([]);
  });

  it('keeps only offers at or above the threshold', () => {
    const exact = offer('exact');
    const division = offer('division', { vsicCodes: ['1610'] });
    const [top, second] = rank([exact, division]);
    const topScore = top?.score as number;
    const secondScore = second?.score as number;
    expect(ids(rank([exact, division], 10, topScore))).toEqual(['exact']);
    expect(ids(rank([exact, division], 10, secondScore))).toEqual(['exact', 'division']);
    expect(ids(rank([exact, division], 10, (topScore + secondScore) / 2))).toEqual(['exact']);
    expect(rank([exact, division], 10, topScore + 0.001)).toEqual([]);
  });

  it('credits a verified owner through the parties it is given', () => {
    const parties = (id: string): Party | undefined =>
      id === 'owner-of-offer-b'
        ? {
            enterpriseId: id,
            province: '01',
            region: 'RRD',
            kind: 'research_institute',
            verified: true,
            supportingIndustry: false,
            leadFirm: false,
            recognitions: [],
          }
        : undefined;
    const ranked = rankOffers(request(), [offer('offer-a'), offer('offer-b')], parties, at(1), 10, 0);
    expect(ids(ranked)).toEqual(['offer-b', 'offer-a']);
    const trust = ranked.map((r) => r.components.find((c) => c.name === 'trust')?.value);
    expect(trust).toEqual([1, 0.3]);
  });
});

describe('the matching view of offers and requests', () => {
  it('gives capacity and lead time no weight', () => {
    expect(technologyWeights.capacity).toBe(0);
    expect(technologyWeights.lead_time).toBe(0);
    const sum = Object.values(technologyWeights).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
  });

  it('maps an offer to a supply served everywhere and open only when published', () => {
    const supply = supplyOfOffer(offer('o', { keywords: ['bơm nhiệt'], summary: 'Tiết kiệm' }));
    expect(supply).toMatchObject({
      id: 'o',
      enterpriseId: 'owner-of-o',
      province: '01',
      vsicCodes: ['1621'],
      monthlyCapacity: null,
      servedProvinces: [],
      servedRegions: [],
      postedAt: now,
      validUntil: at(180),
      open: true,
    });
    expect(supply.tokens).toEqual(expect.arrayContaining(['say', 'go', 'tiet', 'kiem', 'bom', 'nhiet']));
    const draft = supplyOfOffer(
      offer('o', { status: 'draft', publishedAt: null, validUntil: null, createdAt: at(-3) }),
    );
    expect(draft).toMatchObject({ open: false, postedAt: at(-3) });
    expect(draft.validUntil.getTime()).toBeGreaterThan(at(100_000).getTime());
  });

  it('maps a request to a technology demand', () => {
    expect(demandOfRequest(request())).toMatchObject({
      id: 'req-1',
      enterpriseId: 'ent-buyer',
      province: '79',
      category: 'technology',
      vsicCodes: ['1621'],
      quantityPerMonth: null,
      deadline: null,
      validUntil: at(90),
      open: true,
    });
    expect(demandOfRequest(request({ status: 'closed' })).open).toBe(false);
  });

  it('falls back to the posting’s facts for an unknown party', () => {
    expect(matchParty(undefined, 'ent-1', '48')).toEqual({
      enterpriseId: 'ent-1',
      province: '48',
      kind: 'enterprise',
      supportingIndustry: false,
      leadFirm: false,
      verified: false,
      recognitions: [],
    });
  });
});
