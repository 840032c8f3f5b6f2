import { provinces } from '@lienket/reference';
import { generate } from '../generate';
import { reaches } from './programme';

const now = new Date('2026-06-01T00:00:00Z');
const plan = generate({ enterprises: 60, seed: 'lienket', now });
const p = plan.programme;

/** The service's default rules: state cap and minimum counterpart share per line. */
const rules: Record<string, { cap: number; counterpart: number }> = {
  training: { cap: 300_000_000, counterpart: 0 },
  machinery_technology: { cap: 500_000_000, counterpart: 50 },
  demonstration_model: { cap: 1_500_000_000, counterpart: 30 },
  cleaner_production: { cap: 500_000_000, counterpart: 50 },
  product_development: { cap: 200_000_000, counterpart: 50 },
  trade_promotion: { cap: 300_000_000, counterpart: 20 },
  consulting: { cap: 100_000_000, counterpart: 30 },
  linkage_cluster: { cap: 500_000_000, counterpart: 30 },
  cluster_site_infrastructure: { cap: 5_000_000_000, counterpart: 30 },
};

describe('the programme the seed plans', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(generate({ enterprises: 60, seed: 'lienket', now }).programme).toEqual(p);
    expect(generate({ enterprises: 60, seed: 'other', now }).programme).not.toEqual(p);
  });

  it('gives all 34 provinces a budget and a plan for the year, and the ministry a national plan', () => {
    expect(p.year).toBe(2026);
    expect(new Set(p.budgets.map((b) => b.province)).size).toBe(34);
    expect(p.plans.map((x) => x.province).sort()).toEqual(['', ...provinces.map((x) => x.code)].sort());
    for (const x of p.plans) expect(x.targets.length).toBeGreaterThan(0);
  });

  it('carries schemes to every state, in most provinces, with beneficiaries among verified enterprises', () => {
    const targets = new Set(p.schemes.map((s) => s.target));
    for (const t of ['proposed', 'appraised', 'approved', 'implementing', 'accepted', 'settled', 'rejected'])
      expect(targets).toContain(t);
    expect(new Set(p.schemes.map((s) => s.province)).size).toBeGreaterThanOrEqual(25);
    const verified = new Set(plan.enterprises.filter((e) => e.verification === 'verify').map((e) => e.ref));
    for (const s of p.schemes) expect(verified).toContain(s.beneficiary);
    expect(new Set(p.schemes.map((s) => s.title)).size).toBe(p.schemes.length);
  });

  it('makes money add up within every line’s cap and counterpart share', () => {
    for (const s of p.schemes) {
      const rule = rules[s.line];
      expect(rule).toBeDefined();
      expect(s.stateVnd + s.counterpartVnd + s.sponsorVnd).toBe(s.costVnd);
      expect(s.stateVnd).toBeGreaterThan(0);
      expect(s.stateVnd).toBeLessThanOrEqual(rule?.cap ?? 0);
      expect(s.counterpartVnd * 100).toBeGreaterThanOrEqual((rule?.counterpart ?? 0) * s.costVnd);
      for (const v of [s.costVnd, s.stateVnd, s.counterpartVnd, s.sponsorVnd])
        expect(Number.isSafeInteger(v)).toBe(true);
      expect(s.sponsorVnd > 0).toBe(s.sponsor !== undefined);
    }
  });

  it('funds from the state, counterparts and domestic and foreign sponsors, within every budget', () => {
    const sponsored = p.schemes.filter((s) => s.sponsor);
    expect(sponsored.length).toBeGreaterThan(0);
    const kinds = new Set(
      [...sponsored.map((s) => s.sponsor), ...p.pledges.map((x) => x.sponsor)].map(
        (id) => p.sponsors.find((x) => x.id === id)?.kind,
      ),
    );
    expect(kinds).toEqual(
      new Set(['SPONSOR_KIND_DOMESTIC_ORGANISATION', 'SPONSOR_KIND_FOREIGN_ORGANISATION']),
    );
    expect(p.schemes.some((s) => s.source === 'national')).toBe(true);
    for (const b of p.budgets) {
      const reserved = p.schemes
        .filter(
          (s) => s.province === b.province && s.source === 'provincial' && reaches(s.target, 'approved'),
        )
        .reduce((sum, s) => sum + s.stateVnd, 0);
      expect(b.totalVnd).toBeGreaterThanOrEqual(reserved);
    }
    const national = p.schemes
      .filter((s) => s.source === 'national' && reaches(s.target, 'approved'))
      .reduce((sum, s) => sum + s.stateVnd, 0);
    expect(p.nationalBudgetVnd).toBeGreaterThanOrEqual(national);
  });

  it('registers cluster sites with treatment history, and links wastewater schemes to a site without treatment in their province', () => {
    expect(p.sites.length).toBeGreaterThan(10);
    expect(p.sites.some((s) => s.changes.length > 0)).toBe(true);
    const wastewater = p.schemes.filter((s) => s.line === 'cluster_site_infrastructure');
    expect(wastewater.length).toBeGreaterThan(0);
    for (const s of wastewater) {
      const site = p.sites.find((x) => x.ref === s.site);
      expect(site?.province).toBe(s.province);
      expect(site?.treatment).toBe('TREATMENT_STATE_NONE');
    }
  });
});
