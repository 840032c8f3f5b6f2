import {
  checkTaxCode,
  findProvince,
  foldVietnamese,
  isValidHsCode,
  isValidRecognition,
  isValidVsicCode,
  provinces,
  regions,
  resolveProvinceCode,
} from '@lienket/reference';
import { ARCHETYPES, INSTITUTES, PRODUCTS, productByKey, TECHNOLOGIES, technologyByKey } from './catalogue';
import { formatVi, generate, groupCounts, nice, type SeedPlan } from './generate';

const now = new Date('2026-03-01T00:00:00Z');
const plan300 = generate({ enterprises: 300, seed: 'lienket', now });
const plan40 = generate({ enterprises: 40, seed: 7, now });

/** Every HS and VSIC code a plan sends, with where it is. */
function codesOf(plan: SeedPlan): { hs: [string, string][]; vsic: [string, string][] } {
  const hs: [string, string][] = [];
  const vsic: [string, string][] = [];
  for (const e of plan.enterprises) {
    vsic.push([e.ref, e.body.primaryVsic], ...e.body.vsicCodes.map((c) => [e.ref, c] as [string, string]));
  }
  for (const x of [...plan.capabilities, ...plan.needs]) {
    hs.push(...x.body.hsCodes.map((c) => [x.ref, c] as [string, string]));
    vsic.push(...x.body.vsicCodes.map((c) => [x.ref, c] as [string, string]));
  }
  for (const x of [...plan.offers, ...plan.requests]) {
    hs.push(...x.body.hsCodes.map((c) => [x.ref, c] as [string, string]));
    vsic.push(...x.body.vsicCodes.map((c) => [x.ref, c] as [string, string]));
  }
  return { hs, vsic };
}

describe('the catalogue', () => {
  it('gives every product, archetype and technology codes that @lienket/reference accepts', () => {
    for (const p of PRODUCTS) {
      expect(p.hs.length + p.vsic.length).toBeGreaterThan(0);
      for (const code of p.hs) expect([p.key, code, isValidHsCode(code)]).toEqual([p.key, code, true]);
      for (const code of p.vsic) expect([p.key, code, isValidVsicCode(code)]).toEqual([p.key, code, true]);
      expect(p.capacity[0]).toBeLessThanOrEqual(p.capacity[1]);
      expect(p.need[0]).toBeLessThanOrEqual(p.need[1]);
      expect(p.price[0]).toBeLessThan(p.price[1]);
    }
    for (const t of TECHNOLOGIES) {
      expect(t.hs.length + t.vsic.length).toBeGreaterThan(0);
      for (const code of t.hs) expect([t.key, code, isValidHsCode(code)]).toEqual([t.key, code, true]);
      for (const code of t.vsic) expect([t.key, code, isValidVsicCode(code)]).toEqual([t.key, code, true]);
      expect(t.readiness).toBeGreaterThanOrEqual(6);
    }
  });

  it('refers only to known products, provinces and technologies', () => {
    for (const a of ARCHETYPES) {
      for (const key of [...a.products, ...a.needs.map(([k]) => k)])
        expect([a.key, productByKey.has(key)]).toEqual([a.key, true]);
      for (const code of a.provinces)
        expect([a.key, code, findProvince(code) !== undefined]).toEqual([a.key, code, true]);
      for (const code of a.vsic) expect(isValidVsicCode(code)).toBe(true);
    }
    for (const i of INSTITUTES) {
      expect(findProvince(i.province)).toBeDefined();
      for (const key of i.technologies)
        expect([i.name, key, technologyByKey.has(key)]).toEqual([i.name, key, true]);
    }
    // Every product someone needs is made by some archetype, so needs can be matched.
    const made = new Set(ARCHETYPES.flatMap((a) => a.products));
    for (const a of ARCHETYPES)
      for (const [key] of a.needs) expect([a.key, key, made.has(key)]).toEqual([a.key, key, true]);
  });
});

describe('generate', () => {
  it('is deterministic: the same seed gives the same data, another seed other data', () => {
    expect(generate({ enterprises: 300, seed: 'lienket', now })).toEqual(plan300);
    expect(JSON.stringify(generate({ enterprises: 40, seed: 7, now }))).toBe(JSON.stringify(plan40));
    const other = generate({ enterprises: 300, seed: 'other', now });
    expect(other.enterprises.map((e) => e.body.taxCode)).not.toEqual(
      plan300.enterprises.map((e) => e.body.taxCode),
    );
    expect(other.enterprises.map((e) => e.body.name)).not.toEqual(
      plan300.enterprises.map((e) => e.body.name),
    );
  });

  it('makes as many enterprises as asked, in the intended mix', () => {
    for (const n of [1, 5, 12, 40, 300, 1000]) {
      const counts = groupCounts(n);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(n);
      expect(generate({ enterprises: n, seed: 1, now }).enterprises).toHaveLength(n);
    }
    const groups = (g: string) => plan300.enterprises.filter((e) => e.group === g).length;
    expect(groups('rural')).toBeGreaterThan(100);
    expect(groups('supporting')).toBeGreaterThan(70);
    expect(groups('manufacturer')).toBeGreaterThan(30);
    expect(groups('institute')).toBeGreaterThanOrEqual(10);
    const kinds = new Set(plan300.enterprises.map((e) => e.body.kind));
    expect([...kinds].sort()).toEqual([
      'ENTERPRISE_KIND_COOPERATIVE',
      'ENTERPRISE_KIND_ENTERPRISE',
      'ENTERPRISE_KIND_HOUSEHOLD_BUSINESS',
      'ENTERPRISE_KIND_PROMOTION_CENTRE',
      'ENTERPRISE_KIND_RESEARCH_INSTITUTE',
      'ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT',
    ]);
    expect(plan300.enterprises.filter((e) => e.body.supportingIndustry).length).toBeGreaterThan(70);
  });

  it('gives every enterprise a valid, unique tax code', () => {
    for (const plan of [plan300, plan40, generate({ enterprises: 2000, seed: 'big', now })]) {
      const codes = plan.enterprises.map((e) => e.body.taxCode);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of codes) {
        expect(code).toMatch(/^0[1-9]\d{8}$/);
        expect(checkTaxCode(code)).toEqual({ ok: true, taxCode: code, headOffice: code });
      }
    }
  });

  it('uses only codes that @lienket/reference accepts', () => {
    for (const plan of [plan300, plan40]) {
      const { hs, vsic } = codesOf(plan);
      expect(hs.filter(([, c]) => !isValidHsCode(c))).toEqual([]);
      expect(vsic.filter(([, c]) => !isValidVsicCode(c))).toEqual([]);
      for (const x of [...plan.capabilities, ...plan.needs, ...plan.offers, ...plan.requests])
        expect(x.body.hsCodes.length + x.body.vsicCodes.length).toBeGreaterThan(0);
      for (const e of plan.enterprises) {
        expect(findProvince(e.body.provinceCode)).toBeDefined();
        for (const r of e.body.recognitions)
          expect([e.ref, r, isValidRecognition(r.kind, r.level)]).toEqual([e.ref, r, true]);
      }
      for (const c of plan.capabilities) {
        for (const cert of c.body.certifications) {
          const [kind = '', level] = cert.split(':');
          expect([cert, isValidRecognition(kind, level)]).toEqual([cert, true]);
        }
        for (const p of c.body.servedProvinces) expect(resolveProvinceCode(p)).toEqual({ code: p });
        for (const r of c.body.servedRegions) expect(regions.map((x) => x.code)).toContain(r);
      }
      for (const n of plan.needs)
        for (const p of n.body.preferredProvinces) expect(findProvince(p)).toBeDefined();
      for (const o of plan.offers)
        for (const p of o.body.visibleProvinces) expect(findProvince(p)).toBeDefined();
    }
  });

  it('spreads enterprises over all 34 provinces and the six regions', () => {
    for (const seed of ['lienket', 'a', 'b', 42]) {
      for (const n of [200, 300]) {
        const plan = n === 300 && seed === 'lienket' ? plan300 : generate({ enterprises: n, seed, now });
        expect(new Set(plan.enterprises.map((e) => e.province)).size).toBe(34);
        expect(new Set(plan.enterprises.map((e) => e.region)).size).toBe(6);
      }
    }
    expect(provinces).toHaveLength(34);
    // Even a small seed reaches most provinces.
    expect(new Set(plan40.enterprises.map((e) => e.province)).size).toBeGreaterThanOrEqual(30);
    // No province holds an outsized share.
    const perProvince = new Map<string, number>();
    for (const e of plan300.enterprises) perProvince.set(e.province, (perProvince.get(e.province) ?? 0) + 1);
    expect(Math.max(...perProvince.values())).toBeLessThan(300 * 0.15);
  });

  it('names enterprises the Vietnamese way, each name once', () => {
    const pattern =
      /^(Công ty TNHH( MTV)?|Công ty Cổ phần|Hợp tác xã|Cơ sở|Hộ kinh doanh|Viện|Phân viện|Trung tâm) \S/u;
    for (const plan of [plan300, plan40]) {
      const names = plan.enterprises.map((e) => e.body.name);
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) {
        expect(name).toMatch(pattern);
        // Written with diacritics, not folded to ASCII.
        expect(foldVietnamese(name)).not.toBe(name.toLowerCase());
        expect(name.length).toBeLessThanOrEqual(200);
      }
      const byKind = (kind: string) =>
        plan.enterprises.filter((e) => e.body.kind === `ENTERPRISE_KIND_${kind}`);
      for (const e of byKind('COOPERATIVE')) expect(e.body.name).toMatch(/^Hợp tác xã /);
      for (const e of byKind('HOUSEHOLD_BUSINESS')) expect(e.body.name).toMatch(/^Hộ kinh doanh /);
      for (const e of byKind('ENTERPRISE')) expect(e.body.name).toMatch(/^Công ty /);
      for (const e of plan.enterprises) {
        expect(e.body.contact.phone).toMatch(/^0\d{9}$/);
        expect(e.body.contact.email).toMatch(/^[a-z0-9.]+@[a-z0-9]+(\.[a-z]+)+$/);
        expect(e.body.contact.person.split(' ').length).toBeGreaterThanOrEqual(3);
        expect(e.body.address).toContain(findProvince(e.province)?.name as string);
      }
    }
  });

  it('gives rural products OCOP stars and firms certifications that fit them', () => {
    const ocop = plan300.enterprises.filter((e) => e.body.recognitions.some((r) => r.kind === 'OCOP'));
    expect(ocop.length).toBeGreaterThan(20);
    for (const e of ocop) {
      expect(e.group).toBe('rural');
      expect(e.body.trademarks.length).toBeGreaterThan(0);
    }
    for (const e of plan300.enterprises) {
      for (const t of e.body.trademarks) expect(t.registrationNumber).toMatch(/^4-0\d{6}-000$/);
    }
    expect(plan300.enterprises.some((e) => e.body.recognitions.some((r) => r.kind === 'ISO_9001'))).toBe(
      true,
    );
    expect(
      plan300.enterprises.some((e) => e.body.recognitions.some((r) => r.kind === 'TYPICAL_RURAL_PRODUCT')),
    ).toBe(true);
  });

  it('posts needs that some other enterprise can supply, in the same unit', () => {
    const byRef = new Map(plan300.enterprises.map((e) => [e.ref, e]));
    expect(plan300.capabilities.length).toBeGreaterThan(250);
    expect(plan300.needs.length).toBeGreaterThan(150);
    for (const n of plan300.needs) {
      const suppliers = plan300.capabilities.filter((c) => c.product === n.product && c.owner !== n.owner);
      expect([n.ref, suppliers.length > 0]).toEqual([n.ref, true]);
      expect(suppliers.every((c) => c.body.monthlyCapacity.unit === n.body.quantityPerMonth.unit)).toBe(true);
      expect(byRef.get(n.owner)?.verification).not.toBe('reject');
      expect(Date.parse(n.body.deadline)).toBeGreaterThan(now.getTime());
    }
    const outcomes = new Set(plan300.needs.map((n) => n.outcome));
    expect([...outcomes].sort()).toEqual(['accept-one', 'decline', 'establish', 'leave']);
  });

  it('verifies most firms, designates lead firms and forms clusters across provinces', () => {
    const verified = plan300.enterprises.filter((e) => e.verification === 'verify').length;
    expect(verified / 300).toBeGreaterThan(0.75);
    const byRef = new Map(plan300.enterprises.map((e) => [e.ref, e]));
    expect(plan300.clusters.length).toBeGreaterThanOrEqual(5);
    for (const c of plan300.clusters) {
      const anchor = byRef.get(c.anchor);
      expect(anchor?.leadFirm).toBe(true);
      expect(anchor?.verification).toBe('verify');
      const provincesIn = new Set([c.anchor, ...c.members].map((ref) => byRef.get(ref)?.province));
      expect(provincesIn.size).toBeGreaterThanOrEqual(2);
      expect(c.name).toMatch(/^Cụm liên kết chuỗi /);
    }
    for (const e of plan300.enterprises.filter((x) => x.leadFirm)) expect(e.verification).toBe('verify');
    expect(plan40.clusters.length).toBeGreaterThanOrEqual(1);
  });

  it('plans technology offers, requests and interests that end in co-funded agreements', () => {
    for (const plan of [plan300, plan40]) {
      const byRef = new Map(plan.enterprises.map((e) => [e.ref, e]));
      const offers = new Map(plan.offers.map((o) => [o.ref, o]));
      expect(plan.offers.some((o) => o.body.cleanerProduction)).toBe(true);
      expect(plan.offers.some((o) => o.body.pollutionTreatment)).toBe(true);
      expect(plan.requests.length).toBeGreaterThanOrEqual(2);
      for (const i of plan.interests) {
        const offer = offers.get(i.offer);
        expect(offer?.body.visibility).toBe('VISIBILITY_PUBLIC');
        expect(offer?.owner).not.toBe(i.interested);
        expect(byRef.get(i.interested)?.verification).toBe('verify');
      }
      const agreed = plan.interests.filter((i) => i.agreement);
      expect(agreed.length).toBe(2);
      for (const i of agreed) {
        const offer = offers.get(i.offer);
        expect(i.answer).toBe('accept');
        expect(offer?.body.cleanerProduction || offer?.body.pollutionTreatment).toBe(true);
      }
      expect(plan.programmes.map((p) => p.body.funderKind).sort()).toEqual([
        'FUNDER_KIND_NATIONAL_FUND',
        'FUNDER_KIND_PROVINCIAL_FUND',
        'FUNDER_KIND_SPONSOR',
      ]);
      expect(plan.applications).toHaveLength(2);
      for (const a of plan.applications) {
        const applicant = byRef.get(a.applicant);
        expect(a.decidedBy).toBe(applicant?.province);
        const programme = plan.programmes.find((p) => p.ref === a.programme);
        const value = plan.interests.find((i) => i.ref === a.interest)?.agreement?.valueVnd ?? 0;
        expect(a.amountVnd).toBeLessThanOrEqual((value * (programme?.body.maxCofundingPercent ?? 0)) / 100);
        expect(a.amountVnd).toBeLessThanOrEqual(programme?.body.perProjectCap.vnd ?? 0);
      }
    }
  });
});

describe('formatting', () => {
  it('writes thousands the Vietnamese way and rounds to two figures', () => {
    expect(formatVi(5000)).toBe('5.000');
    expect(formatVi(1234567)).toBe('1.234.567');
    expect(formatVi(42)).toBe('42');
    expect(nice(12_345)).toBe(12_000);
    expect(nice(987)).toBe(990);
    expect(nice(7)).toBe(7);
  });
});
