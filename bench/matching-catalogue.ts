// The synthetic marketplace the matching benchmark draws from: provinces, HS chapters with their products,
// VSIC classes, certifications, lead times. Depends on the seed only.
import { hsChapters, provinces, tokenize, vsicDivisions } from '@lienket/reference';
import { type Rng, Weighted, zipf } from './matching-random';

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

export const UNITS_GENERIC = ['kg', 'tấn', 'chiếc', 'bộ'];
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

export const KINDS = new Weighted(
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
export const LEAD_TIMES = new Weighted(
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

export interface Chapter {
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
export class Catalogue {
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
