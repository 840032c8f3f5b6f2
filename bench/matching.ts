// Matching benchmark: SupplyIndex (@lienket/matching) against the way a team would write the same question
// first, one MongoDB aggregation per need. Synthetic, seeded data; figures go to bench/results/matching.json and
// a Markdown table to stdout, progress to stderr.
//
//   npm run bench:matching -- [--sizes 100000,1000000] [--queries 1000] [--baseline-queries 100]
//                             [--baseline-max-size 100000] [--seed 20250701] [--out bench/results/matching.json]
//
// The store is MONGO_URL when set, else the local one (`node infra/local/cli.mjs up --json`), which is stopped
// again only when this run started it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { type Demand, defaultWeights, type Party, type Supply, SupplyIndex } from '@lienket/matching';
import { hsChapters, provinces, regionOf, tokenize, vsicDivisions } from '@lienket/reference';
import cliProgress from 'cli-progress';
import { type Document, MongoClient } from 'mongodb';
import { type Latency, latency, round } from './perf-stats';

const ROOT = resolve(__dirname, '../..');

const K = 10;
const THRESHOLD = 0.3;
const WARMUP = 50;
const BASELINE_WARMUP = 2;
const INSERT_BATCH = 5_000;
const DAY = 86_400_000;
/** The clock every posting and query is scored against, fixed so runs compare. */
const NOW = new Date('2025-10-01T00:00:00Z');

const TARGET_P99_MS = 10;
const TARGET_P99_SIZE = 1_000_000;
const TARGET_SPEEDUP = 50;

// ---------------------------------------------------------------- options

interface Options {
  sizes: number[];
  queries: number;
  baselineQueries: number;
  baselineMaxSize: number;
  seed: number;
  /** Where the JSON goes. */
  out: string;
}

function positiveInt(name: string, text: string, allowZero = false): number {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(
      `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${text}`,
    );
  }
  return value;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      queries: { type: 'string', default: '1000' },
      'baseline-queries': { type: 'string', default: '100' },
      'baseline-max-size': { type: 'string', default: '100000' },
      seed: { type: 'string', default: '20250701' },
      out: { type: 'string', default: 'bench/results/matching.json' },
    },
  });
  return {
    sizes: (values.sizes ?? '').split(',').map((s) => positiveInt('sizes', s.trim())),
    queries: positiveInt('queries', values.queries ?? ''),
    baselineQueries: positiveInt('baseline-queries', values['baseline-queries'] ?? '', true),
    baselineMaxSize: positiveInt('baseline-max-size', values['baseline-max-size'] ?? '', true),
    seed: positiveInt('seed', values.seed ?? '', true),
    out: resolve(ROOT, values.out ?? 'bench/results/matching.json'),
  };
}

// ---------------------------------------------------------------- seeded randomness

/** mulberry32: a tiny seeded PRNG, so every run draws the same data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** 0..n-1 */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** lo..hi inclusive */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Log-uniform between lo and hi, rounded to two significant digits like figures people type. */
  amount(lo: number, hi: number): number {
    const x = Math.exp(Math.log(lo) + this.next() * (Math.log(hi) - Math.log(lo)));
    const unit = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
    return Math.round(x / unit) * unit;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** Draws items in proportion to their weights: a cumulative table and a binary search. */
class Weighted<T> {
  private readonly cumulative: Float64Array;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    for (let i = 0; i < items.length; i++) {
      sum += weights[i] ?? 0;
      this.cumulative[i] = sum;
    }
  }

  draw(rng: Rng): T {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const x = rng.float() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/** Zipf-like popularity: the item at rank r (from 0) weighs 1 / (r + 1)^s. */
function zipf(n: number, s = 1): number[] {
  return Array.from({ length: n }, (_, r) => 1 / (r + 1) ** s);
}

// ---------------------------------------------------------------- the synthetic marketplace

// Bigger economies post more: TP.HCM, Hà Nội, then the industrial provinces around them.
export const PROVINCE_WEIGHTS: Readonly<Record<string, number>> = {
  '79': 14,
  '01': 11,
  '24': 6,
  '31': 6,
  '75': 6,
  '33': 3,
  '48': 3,
  '80': 3,
  '19': 2,
  '22': 2,
  '25': 2,
  '37': 2,
  '38': 2,
  '40': 2,
  '92': 2,
};

const UNITS_GENERIC = ['kg', 'tấn', 'chiếc', 'bộ'];
const CERTS_INDUSTRY = ['ISO_9001', 'ISO_9001', 'ISO_14001'];
const CERTS_FOOD = ['HACCP', 'ISO_22000', 'OCOP:3', 'OCOP:4', 'OCOP:5', 'VIETGAP'];
const CERTS_CRAFT = ['OCOP:3', 'OCOP:3', 'OCOP:4', 'OCOP:5', 'TYPICAL_RURAL_PRODUCT:provincial', 'ISO_9001'];

interface ChapterProfile {
  /** Share of postings, relative to the other chapters (the long tail shares TAIL_WEIGHT). */
  weight: number;
  /** VSIC divisions a maker of these goods registers under. */
  vsic: readonly string[];
  units: readonly string[];
  phrases: readonly string[];
  certs: readonly string[];
  /** Makers of these goods are often supporting-industry firms. */
  supporting: boolean;
}

// The chapters the programme is about: wood, basketry, packaging, plastics, ceramics, metal articles,
// machinery, electrical, furniture, processed food, textiles and garments.
const FOCUS: Readonly<Record<string, ChapterProfile>> = {
  '44': {
    weight: 9,
    vsic: ['16'],
    units: ['m3', 'tấm'],
    phrases: ['đồ gỗ', 'gỗ ép', 'ván gỗ', 'pallet gỗ', 'gỗ xẻ', 'dăm gỗ', 'gỗ keo'],
    certs: CERTS_CRAFT,
    supporting: false,
  },
  '46': {
    weight: 4,
    vsic: ['16', '32'],
    units: ['chiếc', 'bộ'],
    phrases: ['tre đan', 'mây tre', 'giỏ mây', 'cói', 'lục bình', 'thủ công mỹ nghệ'],
    certs: CERTS_CRAFT,
    supporting: false,
  },
  '48': {
    weight: 9,
    vsic: ['17', '18'],
    units: ['thùng', 'carton', 'tấn'],
    phrases: ['thùng carton', 'hộp giấy', 'bao bì giấy', 'giấy kraft', 'in offset', 'túi giấy'],
    certs: CERTS_INDUSTRY,
    supporting: true,
  },
  '39': {
    weight: 8,
    vsic: ['22'],
    units: ['kg', 'tấn', 'chiếc'],
    phrases: ['nhựa', 'bao bì nhựa', 'khuôn nhựa', 'ép phun', 'màng PE', 'chai nhựa'],
    certs: CERTS_INDUSTRY,
    supporting: true,
  },
  '69': {
    weight: 4,
    vsic: ['23'],
    units: ['chiếc', 'm2', 'bộ'],
    phrases: ['gốm sứ', 'gạch men', 'gốm mỹ nghệ', 'sứ vệ sinh', 'gốm Bát Tràng'],
    certs: CERTS_CRAFT,
    supporting: false,
  },
  '73': {
    weight: 7,
    vsic: ['25', '24'],
    units: ['tấn', 'kg', 'chiếc'],
    phrases: ['thép', 'kết cấu thép', 'bu lông', 'ốc vít', 'khung thép', 'gia công kim loại'],
    certs: CERTS_INDUSTRY,
    supporting: true,
  },
  '84': {
    weight: 8,
    vsic: ['28', '25', '33'],
    units: ['chiếc', 'bộ'],
    phrases: ['máy móc', 'cơ khí', 'khuôn mẫu', 'máy nông nghiệp', 'gia công CNC', 'phụ tùng máy'],
    certs: CERTS_INDUSTRY,
    supporting: true,
  },
  '85': {
    weight: 8,
    vsic: ['26', '27'],
    units: ['chiếc', 'bộ', 'mét'],
    phrases: ['linh kiện điện tử', 'dây cáp điện', 'bảng mạch', 'động cơ điện', 'thiết bị điện'],
    certs: CERTS_INDUSTRY,
    supporting: true,
  },
  '94': {
    weight: 7,
    vsic: ['31', '16'],
    units: ['bộ', 'chiếc'],
    phrases: ['nội thất', 'bàn ghế', 'tủ gỗ', 'đồ nội thất', 'giường tủ', 'sofa'],
    certs: CERTS_CRAFT,
    supporting: false,
  },
  '19': {
    weight: 3,
    vsic: ['10'],
    units: ['kg', 'tấn', 'thùng'],
    phrases: ['bánh kẹo', 'bánh tráng', 'mì gạo', 'bún khô', 'bánh đa'],
    certs: CERTS_FOOD,
    supporting: false,
  },
  '20': {
    weight: 3,
    vsic: ['10'],
    units: ['kg', 'tấn', 'thùng'],
    phrases: ['rau quả chế biến', 'trái cây sấy', 'đồ hộp', 'mứt', 'nước ép'],
    certs: CERTS_FOOD,
    supporting: false,
  },
  '21': {
    weight: 3,
    vsic: ['10', '11'],
    units: ['lít', 'kg', 'thùng'],
    phrases: ['nước mắm', 'gia vị', 'nước chấm', 'tương ớt', 'trà thảo mộc'],
    certs: CERTS_FOOD,
    supporting: false,
  },
  '52': {
    weight: 3,
    vsic: ['13'],
    units: ['mét', 'kg', 'tấn'],
    phrases: ['sợi bông', 'vải bông', 'dệt', 'dệt thổ cẩm', 'vải mộc'],
    certs: CERTS_INDUSTRY,
    supporting: true,
  },
  '61': {
    weight: 5,
    vsic: ['14', '13'],
    units: ['chiếc', 'bộ'],
    phrases: ['may mặc', 'áo thun', 'hàng dệt kim', 'đồ thể thao', 'quần áo trẻ em'],
    certs: CERTS_INDUSTRY,
    supporting: false,
  },
  '62': {
    weight: 5,
    vsic: ['14'],
    units: ['chiếc', 'bộ'],
    phrases: ['may mặc', 'áo sơ mi', 'quần âu', 'đồng phục', 'áo khoác'],
    certs: CERTS_INDUSTRY,
    supporting: false,
  },
};
/** The other ~80 chapters together, Zipf-distributed among themselves. */
const TAIL_WEIGHT = 17;

const GENERIC_PHRASES = [
  'sản xuất',
  'gia công',
  'xuất khẩu',
  'theo yêu cầu',
  'OEM',
  'giá sỉ',
  'số lượng lớn',
  'chất lượng cao',
];

const KINDS = new Weighted(
  [
    'enterprise',
    'cooperative',
    'household_business',
    'rural_industrial_establishment',
    'research_institute',
    'promotion_centre',
  ],
  [72, 8, 10, 7, 2, 1],
);
const LEAD_TIMES = new Weighted(
  [3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120],
  [4, 5, 9, 8, 10, 7, 9, 5, 4, 2, 1],
);
const CLASS_DIGITS = ['0', '1', '2', '3', '9'];
const SUBHEADINGS = [
  '10',
  '11',
  '12',
  '19',
  '20',
  '21',
  '22',
  '29',
  '30',
  '31',
  '39',
  '40',
  '50',
  '90',
  '99',
];

interface Chapter {
  code: string;
  profile: ChapterProfile | null;
  /** Tokens of each phrase, folded once. */
  phrases: readonly (readonly string[])[];
  units: readonly string[];
  certs: readonly string[];
  /** A few hundred 6-digit codes (fewer in the tail), Zipf-like popularity. */
  codes: Weighted<string>;
}

/** Everything drawn from: chapters with their code pools, VSIC classes, provinces. Depends on the seed only. */
class Catalogue {
  readonly chapters: Weighted<Chapter>;
  readonly divisions: Weighted<string>;
  readonly classes = new Map<string, Weighted<string>>();
  readonly provinces: Weighted<string>;
  readonly provinceCodes: readonly string[] = provinces.map((p) => p.code);
  readonly regionCodes: readonly string[];
  readonly generic: readonly (readonly string[])[] = GENERIC_PHRASES.map((p) => tokenize(p));

  constructor(rng: Rng) {
    const focus: Chapter[] = [];
    const tail: Chapter[] = [];
    for (const { code, nameVi } of hsChapters) {
      const profile = FOCUS[code] ?? null;
      // A heading per two digits, a subheading per two more; popularity Zipf-like along shuffled ranks.
      const headings = rng.shuffle(Array.from({ length: profile ? 24 : 10 }, (_, i) => i + 1));
      const subs = rng.shuffle(SUBHEADINGS);
      const codes: string[] = [];
      const weights: number[] = [];
      headings.forEach((heading, hr) => {
        subs.forEach((sub, sr) => {
          codes.push(`${code}${String(heading).padStart(2, '0')}${sub}`);
          weights.push(1 / ((hr + 1) ** 0.9 * (sr + 1) ** 0.9));
        });
      });
      const chapter: Chapter = {
        code,
        profile,
        phrases: profile
          ? profile.phrases.map((p) => tokenize(p))
          : // The tail talks about its goods in the words of the chapter title.
            tokenize(nameVi)
              .filter((t) => t.length > 2)
              .slice(0, 6)
              .map((t) => [t]),
        units: profile?.units ?? UNITS_GENERIC,
        certs: profile?.certs ?? CERTS_INDUSTRY,
        codes: new Weighted(codes, weights),
      };
      (profile ? focus : tail).push(chapter);
    }
    const tailOrder = rng.shuffle(tail);
    const tailWeights = zipf(tailOrder.length);
    const tailSum = tailWeights.reduce((a, b) => a + b, 0);
    this.chapters = new Weighted(
      [...focus, ...tailOrder],
      [...focus.map((c) => c.profile?.weight ?? 0), ...tailWeights.map((w) => (w / tailSum) * TAIL_WEIGHT)],
    );

    // Manufacturing divisions 10-33, each with a handful of 4-digit classes.
    const divisions = rng.shuffle(
      vsicDivisions.map((d) => d.code).filter((code) => Number(code) >= 10 && Number(code) <= 33),
    );
    this.divisions = new Weighted(divisions, zipf(divisions.length, 0.8));
    for (const division of divisions) {
      const classes = rng
        .shuffle(
          ['1', '2', '3', '4', '5', '6', '7', '9'].flatMap((g) =>
            CLASS_DIGITS.map((c) => `${division}${g}${c}`),
          ),
        )
        .slice(0, 12);
      this.classes.set(division, new Weighted(classes, zipf(classes.length)));
    }

    this.provinces = new Weighted(
      this.provinceCodes,
      this.provinceCodes.map((code) => PROVINCE_WEIGHTS[code] ?? 1),
    );
    this.regionCodes = [...new Set(provinces.map((p) => p.region))];
  }

  vsicClass(rng: Rng, division: string): string {
    return (this.classes.get(division) as Weighted<string>).draw(rng);
  }

  /** The division of a maker of this chapter's goods most of the time, else any. */
  division(rng: Rng, chapter: Chapter): string {
    const usual = chapter.profile?.vsic;
    return usual && rng.chance(0.7) ? rng.pick(usual) : this.divisions.draw(rng);
  }

  tokens(rng: Rng, chapter: Chapter, phrases: number, generic: number): string[] {
    const out = new Set<string>();
    for (let i = 0; i < phrases; i++) for (const t of rng.pick(chapter.phrases)) out.add(t);
    for (let i = 0; i < generic; i++) for (const t of rng.pick(this.generic)) out.add(t);
    return [...out];
  }
}

interface World {
  parties: Party[];
  supplies: Supply[];
}

interface Query {
  demand: Demand;
  buyer: Party;
}

function date(daysFromNow: number): Date {
  return new Date(NOW.getTime() + daysFromNow * DAY);
}

function capacityFigure(rng: Rng, chapter: Chapter, lo: number, hi: number) {
  return { value: rng.amount(lo, hi), unit: rng.pick(chapter.units) };
}

/** About one party per three supplies; each with a main line of goods that most of its postings are in. */
function generateWorld(
  cat: Catalogue,
  seed: number,
  size: number,
  onProgress: (done: number) => void,
): World {
  const rng = new Rng(seed);
  const partyCount = Math.max(1, Math.round(size / 3));
  const parties: Party[] = [];
  const mainChapter: Chapter[] = [];
  for (let i = 0; i < partyCount; i++) {
    const chapter = cat.chapters.draw(rng);
    const party: Party = {
      enterpriseId: `E${String(i).padStart(7, '0')}`,
      province: cat.provinces.draw(rng),
      kind: KINDS.draw(rng),
      supportingIndustry: rng.chance(chapter.profile?.supporting ? 0.4 : 0.12),
      leadFirm: rng.chance(0.04),
      verified: rng.chance(0.6),
      recognitions: rng.chance(0.3) ? [...new Set([rng.pick(chapter.certs), rng.pick(chapter.certs)])] : [],
    };
    if (rng.chance(0.65)) party.responsiveness = Math.round((0.2 + 0.8 * rng.float()) * 100) / 100;
    parties.push(party);
    mainChapter.push(chapter);
  }

  const supplies: Supply[] = [];
  for (let i = 0; i < size; i++) {
    const p = rng.int(partyCount);
    const party = parties[p] as Party;
    const main = mainChapter[p] as Chapter;
    const first = rng.chance(0.75) ? main : cat.chapters.draw(rng);
    const hsCodes: string[] = [];
    if (rng.chance(0.88)) {
      const count = rng.chance(0.6) ? 1 : rng.chance(0.7) ? 2 : 3;
      let chapter = first;
      for (let c = 0; c < count; c++) {
        hsCodes.push(chapter.codes.draw(rng));
        chapter = rng.chance(0.75) ? first : cat.chapters.draw(rng);
      }
    }
    const vsicCodes: string[] = [];
    if (hsCodes.length === 0 || rng.chance(0.6)) {
      const count = rng.chance(0.8) ? 1 : 2;
      for (let c = 0; c < count; c++) vsicCodes.push(cat.vsicClass(rng, cat.division(rng, first)));
    }
    const served = rng.float();
    const region = regionOf(party.province) as string;
    const certs = rng.chance(0.25) ? [rng.pick(first.certs)] : [];
    if (certs.length > 0 && rng.chance(0.3)) certs.push(rng.pick(first.certs));
    const age = Math.min(400, Math.floor(-Math.log(1 - rng.float()) * 90));
    supplies.push({
      id: `S${String(i).padStart(7, '0')}`,
      enterpriseId: party.enterpriseId,
      province: party.province,
      hsCodes: [...new Set(hsCodes)],
      vsicCodes: [...new Set(vsicCodes)],
      tokens: cat.tokens(rng, first, rng.between(1, 3), rng.between(0, 2)),
      monthlyCapacity: rng.chance(0.85) ? capacityFigure(rng, first, 50, 200_000) : null,
      leadTimeDays: LEAD_TIMES.draw(rng),
      servedProvinces:
        served < 0.08
          ? [
              ...new Set([
                party.province,
                ...Array.from({ length: rng.between(2, 5) }, () => cat.provinces.draw(rng)),
              ]),
            ]
          : [],
      servedRegions:
        served >= 0.08 && served < 0.2
          ? [...new Set([region, ...(rng.chance(0.3) ? [rng.pick(cat.regionCodes)] : [])])]
          : [],
      certifications: [...new Set(certs)],
      postedAt: new Date(NOW.getTime() - age * DAY - rng.int(DAY)),
      validUntil: date(rng.between(10, 365)),
      open: true,
    });
    if (i % 10_000 === 9_999) onProgress(i + 1);
  }
  onProgress(size);
  return { parties, supplies };
}

/** Needs drawn the same way; the buyer is any party, so its own capabilities are in the index too. */
function generateQueries(cat: Catalogue, seed: number, parties: readonly Party[], count: number): Query[] {
  const rng = new Rng(seed);
  const queries: Query[] = [];
  for (let i = 0; i < count; i++) {
    const buyer = rng.pick(parties);
    const first = cat.chapters.draw(rng);
    const hsCodes: string[] = [];
    if (rng.chance(0.85)) {
      const count = rng.chance(0.75) ? 1 : rng.chance(0.8) ? 2 : 3;
      let chapter = first;
      for (let c = 0; c < count; c++) {
        const code = chapter.codes.draw(rng);
        // Buyers often ask at heading level.
        hsCodes.push(rng.chance(0.65) ? code : code.slice(0, 4));
        chapter = rng.chance(0.8) ? first : cat.chapters.draw(rng);
      }
    }
    const vsicCodes: string[] = [];
    if (hsCodes.length === 0 || rng.chance(0.35)) {
      const code = cat.vsicClass(rng, cat.division(rng, first));
      const r = rng.float();
      vsicCodes.push(r < 0.7 ? code : r < 0.9 ? code.slice(0, 3) : code.slice(0, 2));
    }
    const others = () =>
      [...new Set(Array.from({ length: rng.between(1, 3) }, () => cat.provinces.draw(rng)))].filter(
        (code) => code !== buyer.province,
      );
    const demand: Demand = {
      id: `D${String(i).padStart(5, '0')}`,
      enterpriseId: buyer.enterpriseId,
      province: buyer.province,
      category: 'goods',
      hsCodes: [...new Set(hsCodes)],
      vsicCodes,
      tokens: cat.tokens(rng, first, rng.between(1, 2), rng.between(0, 1)),
      quantityPerMonth: rng.chance(0.85)
        ? {
            value: rng.amount(20, 50_000),
            unit: rng.chance(0.8) ? rng.pick(first.units) : rng.pick(UNITS_GENERIC),
          }
        : null,
      deadline: rng.chance(0.5) ? date(rng.between(7, 120)) : null,
      requiredCertifications: rng.chance(0.12) ? [rng.pick(first.certs)] : [],
      preferredProvinces: rng.chance(0.1) ? others() : [],
      excludedProvinces: rng.chance(0.08) ? others() : [],
      postedAt: date(-rng.between(0, 30)),
      validUntil: date(rng.between(30, 120)),
      open: true,
    };
    queries.push({ demand, buyer });
  }
  return queries;
}

// ---------------------------------------------------------------- measuring

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run node with --expose-gc (npm run bench:matching does)');
  collect();
  collect();
}

function heapMb(): number {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Garbage collections while a phase runs, to tell a GC pause from a slow query. */
class GcWatch {
  private readonly pauses: number[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.pauses.push(entry.duration);
  });

  start(): void {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Async: the observer is told of collections on a later turn of the event loop, never during a sync loop. */
  async stop(): Promise<{ count: number; totalMs: number; maxMs: number }> {
    await new Promise((done) => setTimeout(done, 50));
    this.observer.disconnect();
    return {
      count: this.pauses.length,
      totalMs: round(
        this.pauses.reduce((a, b) => a + b, 0),
        1,
      ),
      maxMs: round(Math.max(0, ...this.pauses), 2),
    };
  }
}

function bar(label: string, total: number): cliProgress.SingleBar {
  const b = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 10_000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0);
  return b;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ---------------------------------------------------------------- the index

interface IndexResult {
  parties: number;
  build: { ms: number; partiesMs: number; suppliesMs: number };
  memory: { indexMbPer100k: number; postingsMbPer100k: number; heapAfterBuildMb: number };
  latency: Latency;
  warmup: number;
  meanHits: number;
  fullTopK: number;
  gcDuringQueries: { count: number; totalMs: number; maxMs: number };
  /** The slowest needs, each timed again (best of five) to tell a costly need from a pause or a busy machine. */
  slowest: Slow[];
  /** Top-k ids of the first queries, to compare with the baseline's answers. */
  topIds: string[][];
}

interface Slow {
  id: string;
  ms: number;
  againBestOf5Ms: number;
  hits: number;
  /** Score of the k-th hit: the lower it is, the more lists the search must read. */
  kthScore: number | null;
  province: string;
  hsCodes: string[];
  vsicCodes: string[];
  requiredCertifications: string[];
  excludedProvinces: string[];
  preferredProvinces: string[];
}

const SLOWEST = 5;

async function benchIndex(
  world: World,
  queries: readonly Query[],
  postingsMb: number,
  keep: number,
): Promise<IndexResult> {
  const size = world.supplies.length;
  const before = heapMb();
  const index = new SupplyIndex();
  const build = bar(`build ${size.toLocaleString('en')}`, size + world.parties.length);
  const t0 = process.hrtime.bigint();
  // Parties first, as a replay of the registry would bring enterprises before their postings.
  for (let i = 0; i < world.parties.length; i++) {
    index.setParty(world.parties[i] as Party);
    if (i % 10_000 === 9_999) build.update(i + 1);
  }
  const partiesMs = elapsedMs(t0);
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < size; i++) {
    index.upsert(world.supplies[i] as Supply);
    if (i % 10_000 === 9_999) build.update(world.parties.length + i + 1);
  }
  const suppliesMs = elapsedMs(t1);
  build.update(size + world.parties.length);
  build.stop();
  const after = heapMb();

  for (const { demand, buyer } of queries.slice(0, WARMUP)) index.topK(demand, buyer, K, THRESHOLD, NOW);
  const measured = queries.slice(WARMUP);
  const samples: number[] = [];
  const topIds: string[][] = [];
  const kth: (number | null)[] = [];
  let hits = 0;
  let full = 0;
  const progress = bar(`queries ${size.toLocaleString('en')}`, measured.length);
  const watch = new GcWatch();
  watch.start();
  for (let i = 0; i < measured.length; i++) {
    const { demand, buyer } = measured[i] as Query;
    const start = process.hrtime.bigint();
    const ranked = index.topK(demand, buyer, K, THRESHOLD, NOW);
    samples.push(elapsedMs(start));
    hits += ranked.length;
    kth.push(ranked[K - 1]?.match.score ?? null);
    if (ranked.length === K) full++;
    if (i < keep) topIds.push(ranked.map((r) => r.supply.id));
    if (i % 25 === 24) progress.update(i + 1);
  }
  const gcs = await watch.stop();
  progress.update(measured.length);
  progress.stop();
  const slowest = samples
    .map((ms, i) => ({ ms, i }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SLOWEST)
    .map(({ ms, i }): Slow => {
      const { demand, buyer } = measured[i] as Query;
      let again = Number.POSITIVE_INFINITY;
      let count = 0;
      for (let r = 0; r < 5; r++) {
        const start = process.hrtime.bigint();
        count = index.topK(demand, buyer, K, THRESHOLD, NOW).length;
        again = Math.min(again, elapsedMs(start));
      }
      return {
        id: demand.id,
        ms: round(ms, 3),
        againBestOf5Ms: round(again, 3),
        hits: count,
        kthScore: kth[i] ?? null,
        province: buyer.province,
        hsCodes: demand.hsCodes,
        vsicCodes: demand.vsicCodes,
        requiredCertifications: demand.requiredCertifications,
        excludedProvinces: demand.excludedProvinces,
        preferredProvinces: demand.preferredProvinces,
      };
    });
  return {
    parties: world.parties.length,
    build: {
      ms: Math.round(partiesMs + suppliesMs),
      partiesMs: Math.round(partiesMs),
      suppliesMs: Math.round(suppliesMs),
    },
    memory: {
      indexMbPer100k: round(((after - before) * 100_000) / size, 1),
      postingsMbPer100k: round((postingsMb * 100_000) / size, 1),
      heapAfterBuildMb: Math.round(after),
    },
    latency: latency(samples, 3),
    warmup: WARMUP,
    meanHits: round(hits / Math.max(1, measured.length), 2),
    fullTopK: round(full / Math.max(1, measured.length), 3),
    gcDuringQueries: gcs,
    slowest,
    topIds,
  };
}

// ---------------------------------------------------------------- the baseline: one aggregation per need

/** A capability as a team would store it: the supplier's facts copied in, code prefixes as arrays. */
interface SupplyDoc {
  _id: string;
  enterpriseId: string;
  province: string;
  region: string;
  hs2: string[];
  hs4: string[];
  hs6: string[];
  vsic2: string[];
  vsic3: string[];
  vsic4: string[];
  tokens: string[];
  /** '*' for everywhere, else province codes and 'R:<region>'. */
  served: string[];
  /** The capability's certifications and the supplier's recognitions; OCOP:5 also stored as OCOP:3, OCOP:4… */
  certs: string[];
  capacity: number | null;
  capacityUnit: string | null;
  leadTimeDays: number;
  postedAt: Date;
  validUntil: Date;
  open: boolean;
  verified: boolean;
}

function prefixes(codes: readonly string[], length: number): string[] {
  return [...new Set(codes.filter((c) => c.length >= length).map((c) => c.slice(0, length)))];
}

function expandCertifications(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of list) {
    const [kind = '', level] = text.split(':');
    out.add(kind);
    if (level === undefined) continue;
    if (/^\d+$/.test(level)) for (let n = 1; n <= Number(level); n++) out.add(`${kind}:${n}`);
    else out.add(text);
  }
  return [...out];
}

function toDoc(supply: Supply, party: Party): SupplyDoc {
  const served =
    supply.servedProvinces.length === 0 && supply.servedRegions.length === 0
      ? ['*']
      : [...supply.servedProvinces, ...supply.servedRegions.map((r) => `R:${r}`)];
  return {
    _id: supply.id,
    enterpriseId: supply.enterpriseId,
    province: party.province,
    region: regionOf(party.province) ?? '',
    hs2: prefixes(supply.hsCodes, 2),
    hs4: prefixes(supply.hsCodes, 4),
    hs6: prefixes(supply.hsCodes, 6),
    vsic2: prefixes(supply.vsicCodes, 2),
    vsic3: prefixes(supply.vsicCodes, 3),
    vsic4: prefixes(supply.vsicCodes, 4),
    tokens: supply.tokens,
    served,
    certs: expandCertifications([...supply.certifications, ...party.recognitions]),
    capacity: supply.monthlyCapacity?.value ?? null,
    capacityUnit: supply.monthlyCapacity ? supply.monthlyCapacity.unit.trim().toLowerCase() : null,
    leadTimeDays: supply.leadTimeDays,
    postedAt: supply.postedAt,
    validUntil: supply.validUntil,
    open: supply.open,
    verified: party.verified,
  };
}

/** A $switch branch; MongoDB names its fields case and then. */
function branch(test: unknown, value: unknown): Document {
  // biome-ignore lint/suspicious/noThenProperty: the field name is MongoDB's, the object is never awaited
  return { case: test, then: value };
}

/** The same question as one pipeline: hard filters, a score on the same components, sort, limit. */
function baselinePipeline(
  demand: Demand,
  buyer: Party,
): { match: Document; score: Document; tail: Document[] } {
  const q = {
    hs2: prefixes(demand.hsCodes, 2),
    hs4: prefixes(demand.hsCodes, 4),
    hs6: prefixes(demand.hsCodes, 6),
    vsic2: prefixes(demand.vsicCodes, 2),
    vsic3: prefixes(demand.vsicCodes, 3),
    vsic4: prefixes(demand.vsicCodes, 4),
  };
  const region = regionOf(buyer.province) ?? '';
  const codes: Document[] = [];
  if (q.hs2.length > 0) codes.push({ hs2: { $in: q.hs2 } });
  if (q.vsic2.length > 0) codes.push({ vsic2: { $in: q.vsic2 } });
  const match: Document = {
    open: true,
    validUntil: { $gt: NOW },
    enterpriseId: { $ne: demand.enterpriseId },
    served: { $in: ['*', buyer.province, `R:${region}`] },
    $or: codes,
  };
  if (demand.excludedProvinces.length > 0) match.province = { $nin: demand.excludedProvinces };
  if (demand.requiredCertifications.length > 0) {
    match.certs = { $all: demand.requiredCertifications.map((c) => c.trim()) };
  }

  const shares = (field: keyof typeof q) => ({
    $gt: [{ $size: { $setIntersection: [`$${field}`, { $literal: q[field] }] } }, 0],
  });
  const product = {
    $switch: {
      branches: [
        branch(shares('hs6'), 1),
        branch(shares('vsic4'), 0.9),
        branch(shares('hs4'), 0.75),
        branch(shares('vsic3'), 0.7),
        branch(shares('vsic2'), 0.5),
        branch(shares('hs2'), 0.4),
      ],
      default: 0,
    },
  };
  const quantity = demand.quantityPerMonth;
  const capacity: unknown =
    quantity === null
      ? 0.5
      : {
          $cond: [
            {
              $and: [
                { $ne: ['$capacity', null] },
                { $eq: ['$capacityUnit', quantity.unit.trim().toLowerCase()] },
              ],
            },
            quantity.value > 0 ? { $min: [1, { $divide: ['$capacity', quantity.value] }] } : 1,
            0.5,
          ],
        };
  const days = demand.deadline === null ? null : (demand.deadline.getTime() - NOW.getTime()) / DAY;
  const leadTime: unknown =
    days === null
      ? {
          $switch: {
            branches: [
              branch({ $lte: ['$leadTimeDays', 30] }, 1),
              branch({ $lte: ['$leadTimeDays', 90] }, 0.7),
            ],
            default: 0.4,
          },
        }
      : days <= 0
        ? 0
        : { $cond: [{ $lte: ['$leadTimeDays', days] }, 1, { $divide: [days, '$leadTimeDays'] }] };
  // No border graph in the database: same province or same region only.
  const geography = {
    $switch: {
      branches: [
        ...(demand.preferredProvinces.length > 0
          ? [branch({ $in: ['$province', { $literal: demand.preferredProvinces }] }, 1)]
          : []),
        branch({ $eq: ['$province', buyer.province] }, 1),
        branch({ $eq: ['$region', region] }, 0.5),
      ],
      default: 0.2,
    },
  };
  const freshness = {
    $let: {
      vars: { age: { $divide: [{ $subtract: [NOW, '$postedAt'] }, DAY] } },
      in: {
        $switch: {
          branches: [branch({ $lte: ['$$age', 30] }, 1), branch({ $gte: ['$$age', 365] }, 0.3)],
          default: { $subtract: [1, { $divide: [{ $multiply: [0.7, { $subtract: ['$$age', 30] }] }, 335] }] },
        },
      },
    },
  };
  const trust = { $cond: ['$verified', 1, 0.3] };
  const w = defaultWeights;
  const score = {
    $add: [
      { $multiply: [w.product, product] },
      { $multiply: [w.capacity, capacity] },
      { $multiply: [w.lead_time, leadTime] },
      { $multiply: [w.geography, geography] },
      { $multiply: [w.freshness, freshness] },
      { $multiply: [w.trust, trust] },
    ],
  };
  return { match, score, tail: [{ $sort: { score: -1, _id: 1 } }, { $limit: K }] };
}

/**
 * The aggregation expressions the baseline uses, evaluated in the driver for a server that lacks them (FerretDB
 * 1.24 runs $match, $sort and $limit but no expression operators in $addFields). Same expression object, same
 * meaning, so the pipeline is defined once.
 */
function evaluate(expr: unknown, doc: Document, vars: Record<string, unknown> = {}): unknown {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return vars[expr.slice(2)] ?? null;
    if (expr.startsWith('$')) return doc[expr.slice(1)] ?? null;
    return expr;
  }
  if (expr === null || typeof expr !== 'object' || expr instanceof Date) return expr;
  if (Array.isArray(expr)) return expr.map((e) => evaluate(e, doc, vars));
  const [op, arg] = Object.entries(expr)[0] as [string, unknown];
  const args = () => (Array.isArray(arg) ? arg : [arg]).map((e) => evaluate(e, doc, vars));
  const number = (x: unknown) => (x instanceof Date ? x.getTime() : (x as number));
  switch (op) {
    case '$literal':
      return arg;
    case '$switch': {
      const s = arg as { branches: { case: unknown; then: unknown }[]; default: unknown };
      for (const branch of s.branches)
        if (truthy(evaluate(branch.case, doc, vars))) return evaluate(branch.then, doc, vars);
      return evaluate(s.default, doc, vars);
    }
    case '$cond': {
      const [c, t, f] = arg as unknown[];
      return truthy(evaluate(c, doc, vars)) ? evaluate(t, doc, vars) : evaluate(f, doc, vars);
    }
    case '$let': {
      const l = arg as { vars: Record<string, unknown>; in: unknown };
      const scope = { ...vars };
      for (const [name, value] of Object.entries(l.vars)) scope[name] = evaluate(value, doc, vars);
      return evaluate(l.in, doc, scope);
    }
    case '$and':
      return args().every(truthy);
    case '$eq':
    case '$ne':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const [a, b] = args();
      const c = compare(a, b);
      return op === '$eq'
        ? c === 0
        : op === '$ne'
          ? c !== 0
          : op === '$gt'
            ? c > 0
            : op === '$gte'
              ? c >= 0
              : op === '$lt'
                ? c < 0
                : c <= 0;
    }
    case '$in': {
      const [x, list] = args();
      return (list as unknown[]).some((y) => compare(x, y) === 0);
    }
    case '$size':
      return (args()[0] as unknown[]).length;
    case '$setIntersection': {
      const [first = [], ...rest] = args() as unknown[][];
      return [...new Set(first)].filter((x) => rest.every((set) => set.includes(x)));
    }
    case '$min':
      return Math.min(
        ...args()
          .filter((x) => x !== null)
          .map(number),
      );
    case '$add':
      return args().reduce<number>((sum, x) => sum + number(x), 0);
    case '$multiply':
      return args().reduce<number>((product, x) => product * number(x), 1);
    case '$subtract': {
      const [a, b] = args();
      return number(a) - number(b);
    }
    case '$divide': {
      const [a, b] = args();
      return number(a) / number(b);
    }
    default:
      throw new Error(`evaluate: ${op} is not implemented here`);
  }
}

function truthy(x: unknown): boolean {
  return !(x === false || x === null || x === undefined || x === 0);
}

// BSON order for the types the baseline compares: null < numbers < strings < booleans < dates.
function typeRank(x: unknown): number {
  if (x === null || x === undefined) return 0;
  if (typeof x === 'number') return 1;
  if (typeof x === 'string') return 2;
  if (typeof x === 'boolean') return 8;
  if (x instanceof Date) return 9;
  return 3;
}

function compare(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return x === y ? 0 : (x as number | string) < (y as number | string) ? -1 : 1;
}

/** The fields the score reads, so the store sends no more than the server would read itself. */
const SCORED_FIELDS = {
  _id: 1,
  province: 1,
  region: 1,
  hs2: 1,
  hs4: 1,
  hs6: 1,
  vsic2: 1,
  vsic3: 1,
  vsic4: 1,
  capacity: 1,
  capacityUnit: 1,
  leadTimeDays: 1,
  postedAt: 1,
  verified: 1,
};

type BaselineMode = 'aggregation' | 'driver';

const DRIVER_CAVEAT =
  'the store here (FerretDB 1.24 on SQLite) pushes no filter down and has no expression operators, so each need ' +
  'scans and decodes the whole collection and the score is evaluated in the driver; a MongoDB server would run the ' +
  'same pipeline with an index-backed $match and native $addFields, much faster (not measured here), so these ' +
  'speed-ups overstate the one against production MongoDB';

interface BaselineResult {
  mode: string;
  insert: { ms: number; docsPerSecond: number };
  createIndexesMs: number;
  latency: Latency;
  warmup: number;
  /** Documents past $match per need: what the score is computed on. */
  meanCandidates: number | null;
  meanHits: number;
  /** Mean share of the baseline's top k also in the index's top k for the same need (the scores differ). */
  overlapWithIndex: number;
}

interface Store {
  client: MongoClient;
  dbName: string;
  server: string;
}

async function benchBaseline(
  store: Store,
  world: World,
  queries: readonly Query[],
  count: number,
  indexTop: readonly string[][],
): Promise<BaselineResult> {
  const size = world.supplies.length;
  const db = store.client.db(store.dbName);
  const collection = db.collection<SupplyDoc>(`supplies_${size}`);
  await collection.drop().catch(() => undefined);
  const partyOf = new Map(world.parties.map((p) => [p.enterpriseId, p]));

  const progress = bar(`insert ${size.toLocaleString('en')}`, size);
  const t0 = process.hrtime.bigint();
  for (let from = 0; from < size; from += INSERT_BATCH) {
    const docs = world.supplies
      .slice(from, from + INSERT_BATCH)
      .map((s) => toDoc(s, partyOf.get(s.enterpriseId) as Party));
    await collection.insertMany(docs, { ordered: false });
    progress.update(Math.min(size, from + INSERT_BATCH));
  }
  const insertMs = elapsedMs(t0);
  progress.stop();
  const t1 = process.hrtime.bigint();
  for (const field of ['hs2', 'hs4', 'hs6', 'vsic2', 'vsic3', 'vsic4', 'province']) {
    await collection.createIndex({ [field]: 1 });
  }
  const createIndexesMs = elapsedMs(t1);
  log(
    `  inserted ${size.toLocaleString('en')} in ${(insertMs / 1000).toFixed(1)} s, indexes in ${createIndexesMs.toFixed(0)} ms`,
  );

  // One full pipeline first: a server without the expression operators says so, and then the same expressions
  // are evaluated in the driver over what $match returns.
  let mode: BaselineMode = 'aggregation';
  const probe = queries[0] as Query;
  const p = baselinePipeline(probe.demand, probe.buyer);
  try {
    await collection
      .aggregate([{ $match: p.match }, { $addFields: { score: p.score } }, ...p.tail])
      .toArray();
  } catch (error) {
    const e = error as { code?: number; message?: string };
    if (e.code !== 238 && !/not implemented/i.test(e.message ?? '')) throw error;
    mode = 'driver';
    log(`  the store can't run the pipeline (${e.message}); $addFields/$sort/$limit evaluated in the driver`);
  }

  const run = async (query: Query): Promise<{ ids: string[]; candidates: number | null }> => {
    const { match, score, tail } = baselinePipeline(query.demand, query.buyer);
    if (mode === 'aggregation') {
      const docs = await collection
        .aggregate([{ $match: match }, { $addFields: { score } }, ...tail])
        .toArray();
      return { ids: docs.map((d) => String(d._id)), candidates: null };
    }
    const docs = await collection.aggregate([{ $match: match }, { $project: SCORED_FIELDS }]).toArray();
    const scored = docs.map((d) => ({ id: String(d._id), score: evaluate(score, d) as number }));
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { ids: scored.slice(0, K).map((s) => s.id), candidates: docs.length };
  };

  for (const query of queries.slice(0, BASELINE_WARMUP)) await run(query);
  const measured = queries.slice(WARMUP, WARMUP + count);
  const samples: number[] = [];
  let candidates = 0;
  let hits = 0;
  let overlap = 0;
  const qbar = bar(`baseline ${size.toLocaleString('en')}`, measured.length);
  for (let i = 0; i < measured.length; i++) {
    const start = process.hrtime.bigint();
    const answer = await run(measured[i] as Query);
    samples.push(elapsedMs(start));
    candidates += answer.candidates ?? 0;
    hits += answer.ids.length;
    const theirs = new Set(indexTop[i] ?? []);
    if (answer.ids.length > 0)
      overlap += answer.ids.filter((id) => theirs.has(id)).length / answer.ids.length;
    qbar.update(i + 1);
  }
  qbar.stop();
  await collection.drop().catch(() => undefined);
  const n = Math.max(1, measured.length);
  return {
    mode:
      mode === 'aggregation'
        ? 'one aggregation ($match, $addFields, $sort, $limit) in the store'
        : '$match in the store; the same $addFields expression, $sort and $limit evaluated in the driver (the store has no expression operators)',
    insert: { ms: Math.round(insertMs), docsPerSecond: Math.round((size * 1000) / insertMs) },
    createIndexesMs: Math.round(createIndexesMs),
    latency: latency(samples, 3),
    warmup: BASELINE_WARMUP,
    meanCandidates: mode === 'driver' ? round(candidates / n, 1) : null,
    meanHits: round(hits / n, 2),
    overlapWithIndex: round(overlap / n, 3),
  };
}

// ---------------------------------------------------------------- the store's lifecycle

interface Provisioned {
  url: string;
  source: string;
  started: string[];
}

function provisionStore(): Provisioned {
  const url = process.env.MONGO_URL;
  if (url) return { url, source: 'MONGO_URL', started: [] };
  log('store: node infra/local/cli.mjs up --json');
  const out = spawnSync(process.execPath, [join(ROOT, 'infra/local/cli.mjs'), 'up', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !last.startsWith('{'))
    throw new Error(`infra/local up failed (exit ${out.status})`);
  const result = JSON.parse(last) as { mongoUrl: string; started: string[] };
  if (result.started.length > 0) log(`store: this run started ${result.started.join(', ')}`);
  return { url: result.mongoUrl, source: 'infra/local', started: result.started };
}

/** Stops what this run started and nothing else (the CLI's down stops both components). */
function releaseStore(p: Provisioned): void {
  if (p.started.length === 0) return;
  if (p.started.includes('store') && p.started.includes('kafka')) {
    log('store: node infra/local/cli.mjs down');
    spawnSync(process.execPath, [join(ROOT, 'infra/local/cli.mjs'), 'down'], { cwd: ROOT, stdio: 'inherit' });
    return;
  }
  log(`store: stopping ${p.started.join(', ')}`);
  const infra = pathToFileURL(join(ROOT, 'infra/local/infra.mjs')).href;
  const script = `const { down } = await import(${JSON.stringify(infra)}); await down({ only: ${JSON.stringify(p.started)} });`;
  spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: 'inherit' });
}

// ---------------------------------------------------------------- report

interface SizeResult {
  size: number;
  index: IndexResult;
  baseline: BaselineResult | string;
  speedup: { p50: number; p99: number } | null;
}

function fmt(x: number | undefined, digits = 2): string {
  return x === undefined || Number.isNaN(x) ? '–' : x.toLocaleString('en', { maximumFractionDigits: digits });
}

function table(results: readonly SizeResult[]): string {
  const head = [
    'size',
    'build ms',
    'MB per 100k',
    'p50 ms',
    'p99 ms',
    'baseline p50 ms',
    'baseline p99 ms',
    'speed-up p50',
    'speed-up p99',
  ];
  const rows = results.map((r) => {
    const b = typeof r.baseline === 'string' ? undefined : r.baseline;
    return [
      r.size.toLocaleString('en'),
      fmt(r.index.build.ms, 0),
      fmt(r.index.memory.indexMbPer100k, 1),
      fmt(r.index.latency.p50, 3),
      fmt(r.index.latency.p99, 3),
      b ? fmt(b.latency.p50, 1) : 'skipped',
      b ? fmt(b.latency.p99, 1) : 'skipped',
      r.speedup ? `${fmt(r.speedup.p50, 0)}×` : '–',
      r.speedup ? `${fmt(r.speedup.p99, 0)}×` : '–',
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

interface Targets {
  p99At1M: { targetMs: number; size: number; measuredMs: number | null; met: boolean | null };
  speedup: { target: number; measured: { size: number; p50: number; p99: number }[]; met: boolean | null };
}

function targets(results: readonly SizeResult[]): Targets {
  const at1M = results.find((r) => r.size === TARGET_P99_SIZE);
  const measured = results.flatMap((r) => (r.speedup ? [{ size: r.size, ...r.speedup }] : []));
  return {
    p99At1M: {
      targetMs: TARGET_P99_MS,
      size: TARGET_P99_SIZE,
      measuredMs: at1M ? at1M.index.latency.p99 : null,
      met: at1M ? at1M.index.latency.p99 < TARGET_P99_MS : null,
    },
    speedup: {
      target: TARGET_SPEEDUP,
      measured,
      met:
        measured.length === 0
          ? null
          : measured.every((m) => m.p50 >= TARGET_SPEEDUP && m.p99 >= TARGET_SPEEDUP),
    },
  };
}

function verdict(met: boolean | null): string {
  return met === null ? 'not measured in this run' : met ? 'met' : 'NOT met';
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date();
  const catalogue = new Catalogue(new Rng(opts.seed));
  const needsStore = opts.baselineQueries > 0 && opts.sizes.some((s) => s <= opts.baselineMaxSize);
  let provisioned: Provisioned | null = null;
  let store: Store | null = null;
  const results: SizeResult[] = [];
  let server: string | null = null;

  const cleanup = async () => {
    if (store) {
      const s = store;
      store = null;
      await s.client
        .db(s.dbName)
        .dropDatabase()
        .catch(() => undefined);
      await s.client.close().catch(() => undefined);
    }
    if (provisioned) {
      const p = provisioned;
      provisioned = null;
      releaseStore(p);
    }
  };
  const interrupted = () => {
    log('\ninterrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    if (needsStore) {
      provisioned = provisionStore();
      const client = new MongoClient(provisioned.url, { serverSelectionTimeoutMS: 10_000 });
      await client.connect();
      const info = await client.db('admin').command({ buildInfo: 1 });
      server = `${'ferretdbVersion' in info ? 'FerretDB' : 'MongoDB'} (reports ${String(info.version)})`;
      store = { client, dbName: `bench_matching_${Date.now()}`, server };
      log(`store: ${provisioned.url} (${server}), database ${store.dbName}`);
    }

    for (const size of opts.sizes) {
      log(`\n== ${size.toLocaleString('en')} supplies`);
      heapMb();
      const base = heapMb();
      const gen = bar(`generate ${size.toLocaleString('en')}`, size);
      const world = generateWorld(catalogue, opts.seed + 1, size, (done) => gen.update(done));
      gen.stop();
      const postingsMb = heapMb() - base;
      const queries = generateQueries(catalogue, opts.seed + 2, world.parties, WARMUP + opts.queries);
      const runBaseline = store !== null && size <= opts.baselineMaxSize && opts.baselineQueries > 0;
      const keep = runBaseline ? Math.min(opts.baselineQueries, opts.queries) : 0;

      const index = await benchIndex(world, queries, postingsMb, keep);
      log(
        `  index: build ${index.build.ms} ms, ${index.memory.indexMbPer100k} MB per 100k, ` +
          `p50 ${index.latency.p50} ms, p99 ${index.latency.p99} ms, max ${index.latency.max} ms`,
      );
      let baseline: BaselineResult | string;
      if (!runBaseline || store === null) {
        baseline =
          opts.baselineQueries === 0
            ? 'skipped (--baseline-queries 0)'
            : 'skipped (size above --baseline-max-size)';
      } else {
        baseline = await benchBaseline(store, world, queries, keep, index.topIds);
        log(`  baseline: p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms`);
      }
      const speedup =
        typeof baseline === 'string'
          ? null
          : {
              p50: round(baseline.latency.p50 / index.latency.p50, 1),
              p99: round(baseline.latency.p99 / index.latency.p99, 1),
            };
      results.push({ size, index, baseline, speedup });
    }
  } finally {
    await cleanup();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }

  const cpus = os.cpus();
  const goals = targets(results);
  const inDriver = results.some((r) => typeof r.baseline !== 'string' && r.baseline.meanCandidates !== null);
  const report = {
    benchmark: 'matching: SupplyIndex.topK against one MongoDB aggregation per need',
    date: startedAt.toISOString(),
    machine: {
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cpus: cpus.length,
      totalMemoryGb: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    },
    node: process.version,
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    seed: opts.seed,
    now: NOW.toISOString(),
    sizes: opts.sizes,
    queries: opts.queries,
    warmupQueries: WARMUP,
    k: K,
    threshold: THRESHOLD,
    baselineQueries: opts.baselineQueries,
    baselineMaxSize: opts.baselineMaxSize,
    store: server,
    notes: [
      'memory: heap used after the build minus before it (gc() before both), per 100,000 postings; the supply objects themselves are counted apart (postingsMbPer100k)',
      'latency: process.hrtime.bigint() around each topK (k = 10, threshold 0.3), after 50 warm-up queries; percentiles by nearest rank',
      'baseline: hard filters in $match (open, not expired, not the buyer, served, province not excluded, certifications, shared HS chapter or VSIC division), score from product by prefix level, capacity, lead time, same province/region, freshness and trust; the baseline queries are the first of the measured queries',
      ...(inDriver ? [DRIVER_CAVEAT] : []),
    ],
    results: results.map((r) => ({
      size: r.size,
      index: { ...r.index, topIds: undefined },
      baseline: r.baseline,
      speedup: r.speedup,
    })),
    targets: goals,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(`${opts.out}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${opts.out}.tmp`, opts.out);

  const out: string[] = [
    '',
    `Matching benchmark, ${report.date}: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.totalMemoryGb} GB, node ${report.node}`,
    `top-${K}, threshold ${THRESHOLD}, ${opts.queries} queries after ${WARMUP} warm-up, seed ${opts.seed}; baseline: ${opts.baselineQueries} queries, sizes up to ${opts.baselineMaxSize.toLocaleString('en')}${server ? ` on ${server}` : ''}`,
    '',
    table(results),
    '',
  ];
  for (const r of results) {
    const l = r.index.latency;
    out.push(
      `- ${r.size.toLocaleString('en')}: p90 ${fmt(l.p90, 3)} ms, max ${fmt(l.max, 3)} ms; ` +
        `${r.index.meanHits} hits per need (${Math.round(r.index.fullTopK * 100)}% full); ` +
        `${r.index.gcDuringQueries.count} GCs during queries (max pause ${r.index.gcDuringQueries.maxMs} ms); ` +
        `supply objects ${fmt(r.index.memory.postingsMbPer100k, 1)} MB per 100k on top of the index`,
      `  slowest: ${r.index.slowest
        .map(
          (s) =>
            `${s.id} ${fmt(s.ms, 1)} ms (again ${fmt(s.againBestOf5Ms, 1)}; ${[...s.hsCodes, ...s.vsicCodes.map((c) => `VSIC ${c}`)].join(' ')}` +
            `${s.requiredCertifications.length ? `, needs ${s.requiredCertifications.join(' ')}` : ''}` +
            `${s.excludedProvinces.length ? `, excludes ${s.excludedProvinces.length}` : ''}, k-th ${s.kthScore ?? '–'})`,
        )
        .join('; ')}`,
    );
    if (typeof r.baseline !== 'string') {
      const b = r.baseline;
      out.push(
        `  baseline: ${b.mode}; insert ${fmt(b.insert.ms / 1000, 1)} s (${fmt(b.insert.docsPerSecond, 0)} docs/s)` +
          `${b.meanCandidates === null ? '' : `, ${fmt(b.meanCandidates, 0)} documents past $match per need`}` +
          `, top-${K} overlap with the index ${Math.round(b.overlapWithIndex * 100)}%`,
      );
    } else {
      out.push(`  baseline: ${r.baseline}`);
    }
  }
  const p99 = goals.p99At1M;
  out.push(
    '',
    `Target: top-${K} p99 under ${TARGET_P99_MS} ms at ${TARGET_P99_SIZE.toLocaleString('en')} supplies: ` +
      `${p99.measuredMs === null ? '' : `${fmt(p99.measuredMs, 3)} ms, `}${verdict(p99.met)}`,
    `Target: at least ${TARGET_SPEEDUP}× faster than the baseline: ` +
      `${goals.speedup.measured.map((m) => `${m.size.toLocaleString('en')}: p50 ${fmt(m.p50, 0)}×, p99 ${fmt(m.p99, 0)}×`).join('; ')}${goals.speedup.measured.length ? ', ' : ''}${verdict(goals.speedup.met)}`,
    ...(inDriver ? ['', `Caveat: ${DRIVER_CAVEAT}`] : []),
    '',
    `Written to ${relative(ROOT, opts.out)}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

// Exported for checking the pipeline's expressions against a hand-written score; run as a script otherwise.
export { baselinePipeline, evaluate, toDoc };

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
