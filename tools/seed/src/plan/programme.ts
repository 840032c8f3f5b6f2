// The promotion programme (issue 18) as the seed plans it: the year's budgets and plans of the 34
// provinces and the ministry, sponsors and their pledges, industrial cluster sites with their wastewater
// treatment, and schemes carried to every state, with beneficiaries from the planned enterprises.

import { provinces } from '@lienket/reference';
import { productByKey } from '../catalogue';
import type { Rng } from '../prng';
import type { PlannedEnterprise } from './bodies';
import { nice, provinceName } from './shared';

export type SchemeTarget =
  | 'proposed'
  | 'appraised'
  | 'rejected'
  | 'withdrawn'
  | 'approved'
  | 'implementing'
  | 'accepted'
  | 'settled'
  | 'cancelled';

/** How far each target goes along the scheme's life, in order. */
const along: Record<SchemeTarget, number> = {
  proposed: 0,
  withdrawn: 0,
  appraised: 1,
  rejected: 1,
  approved: 2,
  cancelled: 2,
  implementing: 3,
  accepted: 4,
  settled: 5,
};
export const reaches = (target: SchemeTarget, step: 'appraised' | 'approved' | 'implementing' | 'accepted') =>
  target !== 'rejected' &&
  target !== 'withdrawn' &&
  along[target] >= { appraised: 1, approved: 2, implementing: 3, accepted: 4 }[step];

/** The lines' state caps and minimum counterpart shares, as the service's default rules have them. */
const lines = {
  training: { cap: 300_000_000, counterpart: 0, name: 'Đào tạo nghề, nâng cao tay nghề' },
  machinery_technology: { cap: 500_000_000, counterpart: 50, name: 'Ứng dụng máy móc tiên tiến' },
  demonstration_model: { cap: 1_500_000_000, counterpart: 30, name: 'Xây dựng mô hình trình diễn kỹ thuật' },
  cleaner_production: { cap: 500_000_000, counterpart: 50, name: 'Áp dụng sản xuất sạch hơn' },
  product_development: {
    cap: 200_000_000,
    counterpart: 50,
    name: 'Phát triển sản phẩm công nghiệp nông thôn',
  },
  trade_promotion: { cap: 300_000_000, counterpart: 20, name: 'Hội chợ, triển lãm xúc tiến thương mại' },
  consulting: { cap: 100_000_000, counterpart: 30, name: 'Tư vấn quản trị và chuyển đổi số' },
  linkage_cluster: { cap: 500_000_000, counterpart: 30, name: 'Liên kết chuỗi giá trị' },
  cluster_site_infrastructure: {
    cap: 5_000_000_000,
    counterpart: 30,
    name: 'Xử lý nước thải tập trung',
  },
} as const;
export type Line = keyof typeof lines;
export const lineOf = (line: Line) => `SUPPORT_LINE_${line.toUpperCase()}`;

/** Lines an establishment of a kind may apply for (the service's default eligible kinds). */
const smallKinds = [
  'ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT',
  'ENTERPRISE_KIND_HOUSEHOLD_BUSINESS',
  'ENTERPRISE_KIND_COOPERATIVE',
  'ENTERPRISE_KIND_ENTERPRISE',
];
const enterpriseLines: Line[] = [
  'training',
  'machinery_technology',
  'demonstration_model',
  'cleaner_production',
  'product_development',
  'trade_promotion',
  'consulting',
  'linkage_cluster',
];

export type SponsorKind = 'SPONSOR_KIND_DOMESTIC_ORGANISATION' | 'SPONSOR_KIND_FOREIGN_ORGANISATION';
export interface PlannedSponsor {
  id: string;
  name: string;
  kind: SponsorKind;
}

/** Illustrative sponsors (names made up for the demo, not real organisations' commitments). */
export const sponsors: readonly PlannedSponsor[] = [
  {
    id: 'sp-quy-xanh-viet',
    name: 'Quỹ Phát triển Công nghiệp Xanh Việt',
    kind: 'SPONSOR_KIND_DOMESTIC_ORGANISATION',
  },
  {
    id: 'sp-hiep-hoi-lang-nghe',
    name: 'Hiệp hội Làng nghề Đồng Tâm',
    kind: 'SPONSOR_KIND_DOMESTIC_ORGANISATION',
  },
  {
    id: 'sp-ngan-hang-nong-thon',
    name: 'Quỹ Cộng đồng Ngân hàng Nông thôn Sao Mai',
    kind: 'SPONSOR_KIND_DOMESTIC_ORGANISATION',
  },
  {
    id: 'sp-nordic-green',
    name: 'Nordic Green Industry Partnership',
    kind: 'SPONSOR_KIND_FOREIGN_ORGANISATION',
  },
  {
    id: 'sp-mekong-cp',
    name: 'Mekong Cleaner Production Facility',
    kind: 'SPONSOR_KIND_FOREIGN_ORGANISATION',
  },
  { id: 'sp-asia-sme', name: 'Asia SME Cooperation Foundation', kind: 'SPONSOR_KIND_FOREIGN_ORGANISATION' },
];

export interface PlannedSite {
  ref: string;
  province: string;
  name: string;
  operator: string;
  areaHectares: number;
  occupancyPercent: number;
  /** Enterprise refs of tenants. */
  tenants: string[];
  /** The state it is registered in, then the changes after it (its history). */
  treatment: string;
  changes: { treatment: string; note: string }[];
}

export interface PlannedScheme {
  ref: string;
  title: string;
  line: Line;
  province: string;
  /** Enterprise ref of the beneficiary; it proposes for itself (a site's scheme: the province's centre). */
  beneficiary: string;
  beneficiaryKind: string;
  proposedBy: 'beneficiary' | 'officer';
  source: 'national' | 'provincial';
  site?: string;
  costVnd: number;
  stateVnd: number;
  counterpartVnd: number;
  sponsorVnd: number;
  /** Who gives the sponsor share (its pledge targets the scheme), when there is one. */
  sponsor?: string;
  target: SchemeTarget;
  score: number;
  milestones: { id: string; title: string; evidence: string[] }[];
  outcomes: {
    jobs: number;
    outputVnd: number;
    energySavedKwh: number;
    emissionsCutTonnesCo2e: number;
    firmsReached: number;
  };
}

export interface PlannedPledge {
  ref: string;
  sponsor: string;
  amountVnd: number;
  line?: Line;
  province?: string;
}

export interface PlannedPlan {
  /** Empty: the ministry's national plan. */
  province: string;
  targets: { line: Line; schemes: number; stateVnd: number; beneficiaries: number }[];
}

export interface ProgrammePlan {
  year: number;
  sponsors: readonly PlannedSponsor[];
  nationalBudgetVnd: number;
  budgets: { province: string; totalVnd: number }[];
  plans: PlannedPlan[];
  sites: PlannedSite[];
  schemes: PlannedScheme[];
  pledges: PlannedPledge[];
}

/** A number in [min, max] on a grid of `step` (Rng.round is for integers). */
const fraction = (rng: Rng, min: number, max: number, step: number) =>
  Number((Math.round((min + rng.next() * (max - min)) / step) * step).toFixed(2));

/** Targets cycled through each province's schemes, so every state appears and most are under way. */
const targets: SchemeTarget[] = [
  'implementing',
  'proposed',
  'approved',
  'accepted',
  'appraised',
  'settled',
  'implementing',
  'rejected',
  'approved',
  'settled',
  'withdrawn',
  'accepted',
  'cancelled',
];

const operators = ['Công ty CP Hạ tầng', 'Công ty TNHH Đầu tư Phát triển', 'Ban Quản lý cụm công nghiệp'];
const sitePlaces = [
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Trung tâm',
  'Phú Lợi',
  'Tân Phú',
  'An Hòa',
  'Hòa Bình',
  'Thịnh Vượng',
];

/**
 * The programme's year for `now`: every province's budget and plan, schemes of verified enterprises
 * in each province (2 to 3, more where cluster sites are), pledges and sites.
 */
export function planProgramme(
  root: Rng,
  enterprises: readonly PlannedEnterprise[],
  now: Date,
): ProgrammePlan {
  const rng = root.fork('programme');
  const year = now.getUTCFullYear();
  const byProvince = new Map<string, PlannedEnterprise[]>();
  for (const e of enterprises) {
    const kind = e.body.kind;
    if (
      e.verification !== 'verify' ||
      !(smallKinds.includes(kind) || kind === 'ENTERPRISE_KIND_PROMOTION_CENTRE')
    )
      continue;
    const list = byProvince.get(e.province) ?? [];
    list.push(e);
    byProvince.set(e.province, list);
  }
  const sites: PlannedSite[] = [];
  const schemes: PlannedScheme[] = [];
  let cycle = 0;
  for (const province of provinces) {
    const firms = byProvince.get(province.code) ?? [];
    const pname = provinceName(province.code);
    // Cluster sites: most provinces have one or two, some with treatment already running.
    const siteCount = rng.weighted([
      [0, 2],
      [1, 5],
      [2, 3],
    ] as const);
    for (let i = 0; i < siteCount; i++) {
      const place = rng.pick(sitePlaces);
      const treatment = rng.weighted([
        ['none', 4],
        ['under_construction', 2],
        ['operating', 3],
        ['degraded', 1],
      ] as const);
      const changes: PlannedSite['changes'] = [];
      if (treatment === 'under_construction')
        changes.push({
          treatment: 'TREATMENT_STATE_UNDER_CONSTRUCTION',
          note: `Khởi công trạm xử lý nước thải năm ${year}`,
        });
      if (treatment === 'degraded')
        changes.push({
          treatment: 'TREATMENT_STATE_DEGRADED',
          note: 'Trạm xử lý quá tải, nước thải vượt QCVN 40:2025',
        });
      sites.push({
        ref: `site-${province.code}-${i + 1}`,
        province: province.code,
        name: `Cụm công nghiệp ${place} ${pname}`,
        operator: `${rng.pick(operators)} ${pname}`,
        areaHectares: fraction(rng, 20, 75, 0.5),
        occupancyPercent: rng.round(35, 98, 1),
        tenants: rng.sample(firms, Math.min(firms.length, rng.int(1, 4))).map((f) => f.ref),
        treatment:
          treatment === 'operating' || treatment === 'degraded'
            ? 'TREATMENT_STATE_OPERATING'
            : 'TREATMENT_STATE_NONE',
        changes,
      });
    }
    if (firms.length === 0) continue;
    const count = Math.min(firms.length, rng.int(2, 3));
    for (const firm of rng.sample(firms, count)) {
      const eligible = smallKinds.includes(firm.body.kind)
        ? enterpriseLines
        : (['training', 'demonstration_model', 'trade_promotion', 'consulting'] as Line[]);
      const line = rng.pick(eligible);
      schemes.push(
        scheme(
          rng,
          `sch-${province.code}-${schemes.length + 1}`,
          line,
          firm,
          province.code,
          'beneficiary',
          undefined,
          targets[cycle++ % targets.length] as SchemeTarget,
        ),
      );
    }
    // A wastewater scheme for a site without working treatment, on an enterprise of the province.
    const site = sites.find((s) => s.province === province.code && s.treatment === 'TREATMENT_STATE_NONE');
    const operator = firms.find(
      (f) => f.body.kind === 'ENTERPRISE_KIND_ENTERPRISE' || f.body.kind === 'ENTERPRISE_KIND_COOPERATIVE',
    );
    if (site && operator)
      schemes.push(
        scheme(
          rng,
          `sch-${province.code}-${schemes.length + 1}`,
          'cluster_site_infrastructure',
          operator,
          province.code,
          'officer',
          site,
          rng.pick(['implementing', 'accepted', 'approved', 'proposed'] as const),
        ),
      );
  }
  // One scheme in six is paid by the national budget (the ministry approves it).
  for (const s of schemes)
    if (rng.chance(1 / 6) && s.line !== 'cluster_site_infrastructure') s.source = 'national';
  // Sponsors take part in a third of the schemes going ahead: their pledge is the sponsor share.
  for (const s of schemes) {
    if (!reaches(s.target, 'approved') || !rng.chance(0.35)) continue;
    const share = nice(s.costVnd * fraction(rng, 0.1, 0.25, 0.05));
    const room = s.costVnd - s.stateVnd - Math.ceil((lines[s.line].counterpart * s.costVnd) / 100);
    const sponsorVnd = Math.min(share, room);
    if (sponsorVnd <= 0) continue;
    s.sponsorVnd = sponsorVnd;
    s.counterpartVnd -= sponsorVnd;
    s.sponsor = rng.pick(sponsors).id;
  }
  const pledges: PlannedPledge[] = [
    { ref: 'pl-line-cp', sponsor: 'sp-mekong-cp', amountVnd: 2_000_000_000, line: 'cleaner_production' },
    {
      ref: 'pl-line-site',
      sponsor: 'sp-nordic-green',
      amountVnd: 5_000_000_000,
      line: 'cluster_site_infrastructure',
    },
    {
      ref: 'pl-prov-1',
      sponsor: 'sp-quy-xanh-viet',
      amountVnd: 800_000_000,
      province: rng.pick(provinces).code,
    },
    {
      ref: 'pl-prov-2',
      sponsor: 'sp-hiep-hoi-lang-nghe',
      amountVnd: 300_000_000,
      province: rng.pick(provinces).code,
    },
  ];

  const committed = (s: PlannedScheme) => reaches(s.target, 'approved') && s.target !== 'cancelled';
  const budgets = provinces.map((p) => {
    const reserved = schemes
      .filter((s) => s.province === p.code && s.source === 'provincial' && reaches(s.target, 'approved'))
      .reduce((sum, s) => sum + s.stateVnd, 0);
    return {
      province: p.code,
      totalVnd: nice(reserved * fraction(rng, 1.4, 2.5, 0.1) + rng.round(2, 8, 1) * 1_000_000_000),
    };
  });
  const national = schemes.filter((s) => s.source === 'national' && reaches(s.target, 'approved'));
  const nationalBudgetVnd = nice(national.reduce((sum, s) => sum + s.stateVnd, 0) * 1.5 + 40_000_000_000);

  const plans: PlannedPlan[] = provinces.map((p) => {
    const own = schemes.filter((s) => s.province === p.code);
    const used = [...new Set(own.map((s) => s.line))];
    const extra = rng.sample(
      enterpriseLines.filter((l) => !used.includes(l)),
      2,
    );
    return {
      province: p.code,
      targets: [...used, ...extra].map((line) => {
        const done = own.filter((s) => s.line === line && committed(s));
        const state = done.reduce((sum, s) => sum + s.stateVnd, 0);
        const schemesTarget = done.length + rng.int(1, 3);
        return {
          line,
          schemes: schemesTarget,
          stateVnd: nice(state + rng.int(1, 3) * lines[line].cap * 0.6),
          beneficiaries: schemesTarget + rng.int(0, 10),
        };
      }),
    };
  });
  const nationalTargets = new Map<Line, PlannedPlan['targets'][number]>();
  for (const plan of plans)
    for (const t of plan.targets) {
      const sum = nationalTargets.get(t.line) ?? { line: t.line, schemes: 0, stateVnd: 0, beneficiaries: 0 };
      sum.schemes += t.schemes;
      sum.stateVnd += t.stateVnd;
      sum.beneficiaries += t.beneficiaries;
      nationalTargets.set(t.line, sum);
    }
  plans.push({ province: '', targets: [...nationalTargets.values()] });
  return { year, sponsors, nationalBudgetVnd, budgets, plans, sites, schemes, pledges };
}

function scheme(
  rng: Rng,
  ref: string,
  line: Line,
  firm: PlannedEnterprise,
  province: string,
  proposedBy: PlannedScheme['proposedBy'],
  site: PlannedSite | undefined,
  target: SchemeTarget,
): PlannedScheme {
  const rule = lines[line];
  const stateVnd = nice(rule.cap * fraction(rng, 0.3, 0.9, 0.05));
  // The state share is at most half the cost where the line asks a counterpart of half or more.
  const statePercent = Math.min(100 - rule.counterpart, rng.int(30, 60));
  // Rounded up to a million, so the counterpart never falls below the line's share.
  const costVnd = Math.ceil((stateVnd * 100) / statePercent / 1_000_000) * 1_000_000;
  const counterpartVnd = costVnd - stateVnd;
  const first = firm.products[0];
  const product = (first && productByKey.get(first)?.short) ?? 'sản phẩm của cơ sở';
  const what =
    line === 'cluster_site_infrastructure'
      ? `Trạm xử lý nước thải tập trung ${site?.name ?? ''}`
      : `${rule.name}: ${product}`;
  const jobs = rng.int(3, 40);
  return {
    ref,
    title: `${what} – ${firm.body.name}`.slice(0, 200),
    line,
    province,
    beneficiary: firm.ref,
    beneficiaryKind: firm.body.kind,
    proposedBy,
    source: 'provincial',
    ...(site ? { site: site.ref } : {}),
    costVnd,
    stateVnd,
    counterpartVnd,
    sponsorVnd: 0,
    target,
    score: target === 'rejected' ? rng.int(35, 55) : rng.int(70, 95),
    milestones: [
      { id: 'm1', title: 'Ký hợp đồng, khởi công', evidence: [`${ref}/bien-ban-khoi-cong.pdf`] },
      {
        id: 'm2',
        title: 'Lắp đặt, vận hành thử',
        evidence: [`${ref}/nhat-ky-van-hanh.pdf`, `${ref}/anh-hien-truong.jpg`],
      },
    ].slice(0, target === 'implementing' ? 1 : 2),
    outcomes: {
      jobs,
      outputVnd: nice(costVnd * fraction(rng, 1.5, 6, 0.5)),
      energySavedKwh:
        line === 'cleaner_production' || line === 'machinery_technology' ? rng.int(8, 120) * 1000 : 0,
      emissionsCutTonnesCo2e:
        line === 'cleaner_production' || line === 'cluster_site_infrastructure'
          ? fraction(rng, 5, 300, 0.5)
          : 0,
      firmsReached: line === 'cluster_site_infrastructure' ? (site?.tenants.length ?? 1) : rng.int(1, 12),
    },
  };
}
