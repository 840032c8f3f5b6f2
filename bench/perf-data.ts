// Seeded synthetic marketplace for the platform benchmark: enterprises across the 34 provinces, capabilities and
// needs in the programme's main lines of goods, as the gateway's REST API takes them (proto JSON). Same seed, same
// data. Needs are drawn from the same product lines as the capabilities, so most of them have a match to find.
import { provinces } from '@lienket/reference';
import { PROVINCE_WEIGHTS } from './matching-catalogue'; // bigger economies post more

/** mulberry32, as bench/matching.ts. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const between = (next: () => number, lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));

interface Line {
  chapter: string;
  vsic: string;
  units: readonly string[];
  codes: readonly string[];
  phrases: readonly string[];
  weight: number;
}

const LINES: readonly Line[] = [
  {
    chapter: '48',
    vsic: '1702',
    units: ['thùng', 'tấn'],
    codes: ['481910', '481920', '480411', '480419', '481140'],
    phrases: ['Thùng carton 5 lớp', 'Hộp giấy in offset', 'Giấy kraft cuộn', 'Túi giấy'],
    weight: 9,
  },
  {
    chapter: '39',
    vsic: '2220',
    units: ['kg', 'tấn'],
    codes: ['392310', '392321', '392330', '391990', '392690'],
    phrases: ['Bao bì nhựa', 'Màng PE', 'Chai nhựa PET', 'Linh kiện nhựa ép phun'],
    weight: 8,
  },
  {
    chapter: '44',
    vsic: '1610',
    units: ['m3'],
    codes: ['440799', '441299', '441510', '442199'],
    phrases: ['Gỗ xẻ', 'Ván ép', 'Pallet gỗ', 'Gỗ keo rừng trồng'],
    weight: 7,
  },
  {
    chapter: '94',
    vsic: '3100',
    units: ['bộ'],
    codes: ['940360', '940161', '940350', '940171'],
    phrases: ['Bàn ghế gỗ', 'Tủ gỗ', 'Đồ nội thất', 'Sofa'],
    weight: 6,
  },
  {
    chapter: '73',
    vsic: '2511',
    units: ['tấn'],
    codes: ['730840', '731815', '732690', '730890'],
    phrases: ['Kết cấu thép', 'Bu lông ốc vít', 'Gia công kim loại', 'Khung thép'],
    weight: 6,
  },
  {
    chapter: '84',
    vsic: '2829',
    units: ['chiếc'],
    codes: ['843290', '847990', '848071', '848340'],
    phrases: ['Máy nông nghiệp', 'Khuôn mẫu', 'Gia công CNC', 'Phụ tùng máy'],
    weight: 7,
  },
  {
    chapter: '85',
    vsic: '2740',
    units: ['chiếc'],
    codes: ['854449', '850440', '853690', '850110'],
    phrases: ['Dây cáp điện', 'Bộ nguồn', 'Thiết bị đóng cắt', 'Động cơ điện'],
    weight: 7,
  },
  {
    chapter: '61',
    vsic: '1410',
    units: ['chiếc'],
    codes: ['610910', '611030', '610462'],
    phrases: ['Áo thun', 'Hàng dệt kim', 'Đồ thể thao'],
    weight: 5,
  },
  {
    chapter: '62',
    vsic: '1410',
    units: ['chiếc'],
    codes: ['620520', '620342', '621142'],
    phrases: ['Áo sơ mi', 'Quần âu', 'Đồng phục'],
    weight: 5,
  },
  {
    chapter: '19',
    vsic: '1071',
    units: ['kg'],
    codes: ['190590', '190230', '190219'],
    phrases: ['Bánh tráng', 'Bún khô', 'Bánh kẹo'],
    weight: 3,
  },
  {
    chapter: '20',
    vsic: '1030',
    units: ['kg'],
    codes: ['200899', '200819', '200710'],
    phrases: ['Trái cây sấy', 'Mứt', 'Rau quả chế biến'],
    weight: 3,
  },
  {
    chapter: '21',
    vsic: '1079',
    units: ['lít'],
    codes: ['210390', '210690'],
    phrases: ['Nước mắm', 'Tương ớt'],
    weight: 2,
  },
  {
    chapter: '69',
    vsic: '2393',
    units: ['chiếc'],
    codes: ['691200', '690890', '691110'],
    phrases: ['Gốm sứ', 'Gạch men', 'Gốm mỹ nghệ'],
    weight: 3,
  },
  {
    chapter: '46',
    vsic: '1629',
    units: ['chiếc'],
    codes: ['460219', '460211', '460192'],
    phrases: ['Mây tre đan', 'Giỏ cói', 'Hàng lục bình'],
    weight: 3,
  },
  {
    chapter: '52',
    vsic: '1311',
    units: ['mét'],
    codes: ['520812', '520512', '521142'],
    phrases: ['Vải bông', 'Sợi bông', 'Vải thổ cẩm'],
    weight: 2,
  },
];

function weighted<T>(items: readonly T[], weights: readonly number[]): (next: () => number) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    cumulative.push(sum);
  }
  return (next) => {
    const x = next() * sum;
    const i = cumulative.findIndex((c) => c > x);
    return items[i === -1 ? items.length - 1 : i] as T;
  };
}

const drawLine = weighted(
  LINES,
  LINES.map((l) => l.weight),
);
const provinceCodes = provinces.map((p) => p.code);
const drawProvince = weighted(
  provinceCodes,
  provinceCodes.map((c) => PROVINCE_WEIGHTS[c] ?? 1),
);
const KINDS = [
  'ENTERPRISE_KIND_ENTERPRISE',
  'ENTERPRISE_KIND_ENTERPRISE',
  'ENTERPRISE_KIND_ENTERPRISE',
  'ENTERPRISE_KIND_COOPERATIVE',
  'ENTERPRISE_KIND_HOUSEHOLD_BUSINESS',
  'ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT',
];
const SIZES = [
  'SIZE_BAND_MICRO',
  'SIZE_BAND_SMALL',
  'SIZE_BAND_SMALL',
  'SIZE_BAND_MEDIUM',
  'SIZE_BAND_LARGE',
];
const DAY = 86_400_000;

/** A valid Vietnamese tax code from a nine-digit number (the registry's check-digit rule), the next one that has one. */
export function taxCode(from: number): string {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (let i = from; ; i += 1) {
    const nine = String(100_000_000 + (i % 900_000_000)).slice(-9);
    const sum = weights.reduce((total, w, k) => total + w * Number(nine[k]), 0);
    const digit = 10 - (sum % 11);
    if (digit !== 10) return `${nine}${digit}`;
  }
}

export interface SeedEnterprise {
  /** Index into the line list: the enterprise's main line of goods. */
  line: number;
  body: Record<string, unknown>;
}

export function enterprises(seed: number, count: number): SeedEnterprise[] {
  const next = rng(seed);
  const out: SeedEnterprise[] = [];
  for (let i = 0; i < count; i++) {
    const line = drawLine(next);
    const province = drawProvince(next);
    out.push({
      line: LINES.indexOf(line),
      body: {
        // Ten numbers apart, so each finds its own valid code.
        taxCode: taxCode(310_000_000 + i * 10),
        name: `${pick(next, ['Công ty TNHH', 'Công ty CP', 'HTX', 'Cơ sở'])} ${pick(next, line.phrases)} ${province}-${i}`,
        kind: pick(next, KINDS),
        supportingIndustry: next() < 0.25,
        provinceCode: province,
        address: `Khu công nghiệp số ${between(next, 1, 20)}`,
        primaryVsic: line.vsic,
        sizeBand: pick(next, SIZES),
        contact: {
          person: `Người liên hệ ${i}`,
          phone: `09${String(10_000_000 + i).slice(-8)}`,
          email: `lienhe${i}@example.vn`,
        },
      },
    });
  }
  return out;
}

/** Capabilities of enterprise `owner(i)`: most in the enterprise's main line, some in another. */
export function capabilities(
  seed: number,
  count: number,
  owners: readonly { id: string; line: number }[],
): Record<string, unknown>[] {
  const next = rng(seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const owner = owners[i % owners.length] as { id: string; line: number };
    const line = next() < 0.8 ? (LINES[owner.line] as Line) : drawLine(next);
    const codes = new Set([pick(next, line.codes)]);
    if (next() < 0.4) codes.add(pick(next, line.codes));
    out.push({
      enterpriseId: owner.id,
      title: `${pick(next, line.phrases)} chất lượng cao`,
      description: `Năng lực sản xuất ổn định, giao hàng toàn quốc (${i})`,
      hsCodes: [...codes],
      monthlyCapacity: { value: between(next, 5, 200) * 100, unit: pick(next, line.units) },
      leadTimeDays: pick(next, [5, 7, 10, 14, 21, 30]),
    });
  }
  return out;
}

/** One need of buyer `buyer`, the `i`-th of the run. */
export function need(
  next: () => number,
  buyer: { id: string },
  i: number,
  now: number,
): Record<string, unknown> {
  const line = drawLine(next);
  const code = pick(next, line.codes);
  return {
    enterpriseId: buyer.id,
    title: `Cần mua ${pick(next, line.phrases).toLowerCase()}`,
    description: `Nhu cầu thường xuyên, đơn hàng số ${i}`,
    category: pick(next, ['NEED_CATEGORY_MATERIAL', 'NEED_CATEGORY_COMPONENT']),
    // Buyers ask at heading level a third of the time.
    hsCodes: [next() < 0.33 ? code.slice(0, 4) : code],
    quantityPerMonth: { value: between(next, 2, 100) * 100, unit: pick(next, line.units) },
    deadline: new Date(now + between(next, 30, 120) * DAY).toISOString(),
  };
}
