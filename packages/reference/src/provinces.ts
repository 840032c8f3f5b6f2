import type { RegionCode } from './regions';

/** A provincial unit in force since 1 July 2025 (Resolution 202/2025/QH15; codes by Decision 19/2025/QĐ-TTg). */
export interface Province {
  code: string;
  /** Vietnamese with diacritics, e.g. 'Thái Nguyên', 'TP. Hồ Chí Minh'. */
  name: string;
  /** The name without diacritics, e.g. 'Thai Nguyen'. */
  nameAscii: string;
  region: RegionCode;
  /** Legacy codes merged into this unit, its own code first. */
  formedFrom: readonly string[];
}

/** One of the 63 provincial units before 1 July 2025. */
export interface LegacyProvince {
  code: string;
  name: string;
  nameAscii: string;
  /** The current unit it belongs to. */
  mergedInto: string;
}

export type Proximity = 'same_province' | 'neighbour' | 'same_region' | 'other_region';

// A merged unit keeps the code of the old unit where its capital sits, so that code comes first in formedFrom.
const CURRENT: Province[] = [
  { code: '08', name: 'Tuyên Quang', nameAscii: 'Tuyen Quang', region: 'NMM', formedFrom: ['08', '02'] },
  { code: '04', name: 'Cao Bằng', nameAscii: 'Cao Bang', region: 'NMM', formedFrom: ['04'] },
  { code: '20', name: 'Lạng Sơn', nameAscii: 'Lang Son', region: 'NMM', formedFrom: ['20'] },
  { code: '15', name: 'Lào Cai', nameAscii: 'Lao Cai', region: 'NMM', formedFrom: ['15', '10'] },
  { code: '19', name: 'Thái Nguyên', nameAscii: 'Thai Nguyen', region: 'NMM', formedFrom: ['19', '06'] },
  { code: '25', name: 'Phú Thọ', nameAscii: 'Phu Tho', region: 'NMM', formedFrom: ['25', '26', '17'] },
  { code: '11', name: 'Điện Biên', nameAscii: 'Dien Bien', region: 'NMM', formedFrom: ['11'] },
  { code: '12', name: 'Lai Châu', nameAscii: 'Lai Chau', region: 'NMM', formedFrom: ['12'] },
  { code: '14', name: 'Sơn La', nameAscii: 'Son La', region: 'NMM', formedFrom: ['14'] },

  { code: '01', name: 'Hà Nội', nameAscii: 'Ha Noi', region: 'RRD', formedFrom: ['01'] },
  { code: '31', name: 'Hải Phòng', nameAscii: 'Hai Phong', region: 'RRD', formedFrom: ['31', '30'] },
  { code: '22', name: 'Quảng Ninh', nameAscii: 'Quang Ninh', region: 'RRD', formedFrom: ['22'] },
  { code: '24', name: 'Bắc Ninh', nameAscii: 'Bac Ninh', region: 'RRD', formedFrom: ['24', '27'] },
  { code: '33', name: 'Hưng Yên', nameAscii: 'Hung Yen', region: 'RRD', formedFrom: ['33', '34'] },
  { code: '37', name: 'Ninh Bình', nameAscii: 'Ninh Binh', region: 'RRD', formedFrom: ['37', '35', '36'] },

  { code: '38', name: 'Thanh Hóa', nameAscii: 'Thanh Hoa', region: 'NCC', formedFrom: ['38'] },
  { code: '40', name: 'Nghệ An', nameAscii: 'Nghe An', region: 'NCC', formedFrom: ['40'] },
  { code: '42', name: 'Hà Tĩnh', nameAscii: 'Ha Tinh', region: 'NCC', formedFrom: ['42'] },
  { code: '44', name: 'Quảng Trị', nameAscii: 'Quang Tri', region: 'NCC', formedFrom: ['44', '45'] },
  { code: '46', name: 'Huế', nameAscii: 'Hue', region: 'NCC', formedFrom: ['46'] },
  { code: '48', name: 'Đà Nẵng', nameAscii: 'Da Nang', region: 'NCC', formedFrom: ['48', '49'] },
  { code: '51', name: 'Quảng Ngãi', nameAscii: 'Quang Ngai', region: 'NCC', formedFrom: ['51', '62'] },
  { code: '56', name: 'Khánh Hòa', nameAscii: 'Khanh Hoa', region: 'NCC', formedFrom: ['56', '58'] },

  { code: '52', name: 'Gia Lai', nameAscii: 'Gia Lai', region: 'CH', formedFrom: ['52', '64'] },
  { code: '66', name: 'Đắk Lắk', nameAscii: 'Dak Lak', region: 'CH', formedFrom: ['66', '54'] },
  { code: '68', name: 'Lâm Đồng', nameAscii: 'Lam Dong', region: 'CH', formedFrom: ['68', '67', '60'] },

  {
    code: '79',
    name: 'TP. Hồ Chí Minh',
    nameAscii: 'TP. Ho Chi Minh',
    region: 'SE',
    formedFrom: ['79', '74', '77'],
  },
  { code: '75', name: 'Đồng Nai', nameAscii: 'Dong Nai', region: 'SE', formedFrom: ['75', '70'] },
  { code: '80', name: 'Tây Ninh', nameAscii: 'Tay Ninh', region: 'SE', formedFrom: ['80', '72'] },

  { code: '92', name: 'Cần Thơ', nameAscii: 'Can Tho', region: 'MD', formedFrom: ['92', '94', '93'] },
  { code: '86', name: 'Vĩnh Long', nameAscii: 'Vinh Long', region: 'MD', formedFrom: ['86', '83', '84'] },
  { code: '82', name: 'Đồng Tháp', nameAscii: 'Dong Thap', region: 'MD', formedFrom: ['82', '87'] },
  { code: '96', name: 'Cà Mau', nameAscii: 'Ca Mau', region: 'MD', formedFrom: ['96', '95'] },
  { code: '91', name: 'An Giang', nameAscii: 'An Giang', region: 'MD', formedFrom: ['91', '89'] },
];

// [code, name, nameAscii]; where each went is read from CURRENT so the merger is stated once.
const LEGACY: readonly (readonly [string, string, string])[] = [
  ['01', 'Hà Nội', 'Ha Noi'],
  ['02', 'Hà Giang', 'Ha Giang'],
  ['04', 'Cao Bằng', 'Cao Bang'],
  ['06', 'Bắc Kạn', 'Bac Kan'],
  ['08', 'Tuyên Quang', 'Tuyen Quang'],
  ['10', 'Lào Cai', 'Lao Cai'],
  ['11', 'Điện Biên', 'Dien Bien'],
  ['12', 'Lai Châu', 'Lai Chau'],
  ['14', 'Sơn La', 'Son La'],
  ['15', 'Yên Bái', 'Yen Bai'],
  ['17', 'Hòa Bình', 'Hoa Binh'],
  ['19', 'Thái Nguyên', 'Thai Nguyen'],
  ['20', 'Lạng Sơn', 'Lang Son'],
  ['22', 'Quảng Ninh', 'Quang Ninh'],
  ['24', 'Bắc Giang', 'Bac Giang'],
  ['25', 'Phú Thọ', 'Phu Tho'],
  ['26', 'Vĩnh Phúc', 'Vinh Phuc'],
  ['27', 'Bắc Ninh', 'Bac Ninh'],
  ['30', 'Hải Dương', 'Hai Duong'],
  ['31', 'Hải Phòng', 'Hai Phong'],
  ['33', 'Hưng Yên', 'Hung Yen'],
  ['34', 'Thái Bình', 'Thai Binh'],
  ['35', 'Hà Nam', 'Ha Nam'],
  ['36', 'Nam Định', 'Nam Dinh'],
  ['37', 'Ninh Bình', 'Ninh Binh'],
  ['38', 'Thanh Hóa', 'Thanh Hoa'],
  ['40', 'Nghệ An', 'Nghe An'],
  ['42', 'Hà Tĩnh', 'Ha Tinh'],
  ['44', 'Quảng Bình', 'Quang Binh'],
  ['45', 'Quảng Trị', 'Quang Tri'],
  ['46', 'Thừa Thiên Huế', 'Thua Thien Hue'],
  ['48', 'Đà Nẵng', 'Da Nang'],
  ['49', 'Quảng Nam', 'Quang Nam'],
  ['51', 'Quảng Ngãi', 'Quang Ngai'],
  ['52', 'Bình Định', 'Binh Dinh'],
  ['54', 'Phú Yên', 'Phu Yen'],
  ['56', 'Khánh Hòa', 'Khanh Hoa'],
  ['58', 'Ninh Thuận', 'Ninh Thuan'],
  ['60', 'Bình Thuận', 'Binh Thuan'],
  ['62', 'Kon Tum', 'Kon Tum'],
  ['64', 'Gia Lai', 'Gia Lai'],
  ['66', 'Đắk Lắk', 'Dak Lak'],
  ['67', 'Đắk Nông', 'Dak Nong'],
  ['68', 'Lâm Đồng', 'Lam Dong'],
  ['70', 'Bình Phước', 'Binh Phuoc'],
  ['72', 'Tây Ninh', 'Tay Ninh'],
  ['74', 'Bình Dương', 'Binh Duong'],
  ['75', 'Đồng Nai', 'Dong Nai'],
  // Hyphen rather than en dash, as in Decision 19/2025/QĐ-TTg, so the name folds to plain ASCII.
  ['77', 'Bà Rịa - Vũng Tàu', 'Ba Ria - Vung Tau'],
  ['79', 'TP. Hồ Chí Minh', 'TP. Ho Chi Minh'],
  ['80', 'Long An', 'Long An'],
  ['82', 'Tiền Giang', 'Tien Giang'],
  ['83', 'Bến Tre', 'Ben Tre'],
  ['84', 'Trà Vinh', 'Tra Vinh'],
  ['86', 'Vĩnh Long', 'Vinh Long'],
  ['87', 'Đồng Tháp', 'Dong Thap'],
  ['89', 'An Giang', 'An Giang'],
  ['91', 'Kiên Giang', 'Kien Giang'],
  ['92', 'Cần Thơ', 'Can Tho'],
  ['93', 'Hậu Giang', 'Hau Giang'],
  ['94', 'Sóc Trăng', 'Soc Trang'],
  ['95', 'Bạc Liêu', 'Bac Lieu'],
  ['96', 'Cà Mau', 'Ca Mau'],
];

// Land borders between the 63 legacy units (shared land, including across a river; not across the sea).
// Each border is written from both sides, so a slip on one side shows up as an asymmetry at load.
const LEGACY_NEIGHBOURS: Readonly<Record<string, readonly string[]>> = {
  '01': ['17', '19', '24', '25', '26', '27', '33', '35'],
  '02': ['04', '08', '10', '15'],
  '04': ['02', '06', '08', '20'],
  '06': ['04', '08', '19', '20'],
  '08': ['02', '04', '06', '15', '19', '25', '26'],
  '10': ['02', '12', '15'],
  '11': ['12', '14'],
  '12': ['10', '11', '14', '15'],
  '14': ['11', '12', '15', '17', '25', '38'],
  '15': ['02', '08', '10', '12', '14', '25'],
  '17': ['01', '14', '25', '35', '37', '38'],
  '19': ['01', '06', '08', '20', '24', '26'],
  '20': ['04', '06', '19', '22', '24'],
  '22': ['20', '24', '30', '31'],
  '24': ['01', '19', '20', '22', '27', '30'],
  '25': ['01', '08', '14', '15', '17', '26'],
  '26': ['01', '08', '19', '25'],
  '27': ['01', '24', '30', '33'],
  '30': ['22', '24', '27', '31', '33', '34'],
  '31': ['22', '30', '34'],
  '33': ['01', '27', '30', '34', '35'],
  '34': ['30', '31', '33', '35', '36'],
  '35': ['01', '17', '33', '34', '36', '37'],
  '36': ['34', '35', '37'],
  '37': ['17', '35', '36', '38'],
  '38': ['14', '17', '37', '40'],
  '40': ['38', '42'],
  '42': ['40', '44'],
  '44': ['42', '45'],
  '45': ['44', '46'],
  '46': ['45', '48', '49'],
  '48': ['46', '49'],
  '49': ['46', '48', '51', '62'],
  '51': ['49', '52', '62', '64'],
  '52': ['51', '54', '64'],
  '54': ['52', '56', '64', '66'],
  '56': ['54', '58', '66', '68'],
  '58': ['56', '60', '68'],
  '60': ['58', '68', '75', '77'],
  '62': ['49', '51', '64'],
  '64': ['51', '52', '54', '62', '66'],
  '66': ['54', '56', '64', '67', '68'],
  '67': ['66', '68', '70'],
  '68': ['56', '58', '60', '66', '67', '70', '75'],
  '70': ['67', '68', '72', '74', '75'],
  '72': ['70', '74', '79', '80'],
  '74': ['70', '72', '75', '79'],
  '75': ['60', '68', '70', '74', '77', '79'],
  '77': ['60', '75', '79'],
  // TP. Hồ Chí Minh (Cần Giờ) and Tiền Giang (Gò Công Đông) face each other across the Soài Rạp.
  '79': ['72', '74', '75', '77', '80', '82'],
  '80': ['72', '79', '82', '87'],
  '82': ['79', '80', '83', '86', '87'],
  '83': ['82', '84', '86'],
  '84': ['83', '86', '94'],
  '86': ['82', '83', '84', '87', '92', '93', '94'],
  '87': ['80', '82', '86', '89', '92'],
  '89': ['87', '91', '92'],
  '91': ['89', '92', '93', '95', '96'],
  '92': ['86', '87', '89', '91', '93'],
  '93': ['86', '91', '92', '94', '95'],
  '94': ['84', '86', '93', '95'],
  '95': ['91', '93', '94', '96'],
  '96': ['91', '95'],
};

export const provinces: readonly Province[] = Object.freeze(
  CURRENT.map((p) => Object.freeze({ ...p, formedFrom: Object.freeze([...p.formedFrom]) })),
);

const currentByCode = new Map(provinces.map((p) => [p.code, p]));
const currentByLegacy = new Map(
  provinces.flatMap((p) => p.formedFrom.map((legacy) => [legacy, p.code] as const)),
);

export const legacyProvinces: readonly LegacyProvince[] = Object.freeze(
  LEGACY.map(([code, name, nameAscii]) => {
    const mergedInto = currentByLegacy.get(code);
    if (mergedInto === undefined)
      throw new Error(`legacy province ${code} is in no current unit's formedFrom`);
    return Object.freeze({ code, name, nameAscii, mergedInto });
  }),
);

const legacyByCode = new Map(legacyProvinces.map((p) => [p.code, p]));

function bordersFrom(lists: Readonly<Record<string, readonly string[]>>): (readonly [string, string])[] {
  const pairs: (readonly [string, string])[] = [];
  for (const [a, list] of Object.entries(lists)) {
    for (const b of list) {
      if (!lists[b]?.includes(a)) throw new Error(`border ${a}–${b} is listed only from ${a}'s side`);
      if (a < b) pairs.push(Object.freeze([a, b] as const));
    }
  }
  return pairs.sort(([a1, b1], [a2, b2]) => a1.localeCompare(a2) || b1.localeCompare(b2));
}

/** Land borders between the 63 legacy units, each unordered pair once with the lower code first. */
export const legacyLandBorders: readonly (readonly [string, string])[] = Object.freeze(
  bordersFrom(LEGACY_NEIGHBOURS),
);

// The current graph is derived, never written by hand: two units border when any of their old parts did.
const currentNeighbours = new Map<string, readonly string[]>();
{
  const sets = new Map(provinces.map((p) => [p.code, new Set<string>()]));
  for (const [a, b] of legacyLandBorders) {
    const ca = currentByLegacy.get(a);
    const cb = currentByLegacy.get(b);
    if (ca === undefined || cb === undefined)
      throw new Error(`border ${a}–${b} names an unknown legacy code`);
    if (ca === cb) continue;
    sets.get(ca)?.add(cb);
    sets.get(cb)?.add(ca);
  }
  for (const [code, set] of sets) currentNeighbours.set(code, Object.freeze([...set].sort()));
}

/** A current unit by its code; legacy codes that are not also current give undefined. */
export function findProvince(code: string): Province | undefined {
  return currentByCode.get(code);
}

export function findLegacyProvince(code: string): LegacyProvince | undefined {
  return legacyByCode.get(code);
}

/**
 * Accepts a current code or a legacy code; returns the current code and, for a legacy code that is not itself
 * current, the legacy code. Undefined for unknown codes.
 */
export function resolveProvinceCode(code: string): { code: string; legacyCode?: string } | undefined {
  if (currentByCode.has(code)) return { code };
  const legacy = legacyByCode.get(code);
  return legacy === undefined ? undefined : { code: legacy.mergedInto, legacyCode: code };
}

/** Current codes sharing a land border with the current unit `code`, sorted; empty for unknown codes. */
export function neighbours(code: string): readonly string[] {
  return currentNeighbours.get(code) ?? [];
}

export function areNeighbours(a: string, b: string): boolean {
  return neighbours(a).includes(b);
}

export function regionOf(code: string): RegionCode | undefined {
  return currentByCode.get(code)?.region;
}

/**
 * How close two current units are, closest answer first: a border counts even across a region boundary
 * (Hà Nội and Thái Nguyên are 'neighbour'). Throws on a code that is not current, since any answer would be a guess;
 * resolve legacy codes with resolveProvinceCode first.
 */
export function proximity(a: string, b: string): Proximity {
  const regionA = regionOf(a);
  const regionB = regionOf(b);
  if (regionA === undefined || regionB === undefined) {
    throw new RangeError(`not a current province code: ${regionA === undefined ? a : b}`);
  }
  if (a === b) return 'same_province';
  if (areNeighbours(a, b)) return 'neighbour';
  return regionA === regionB ? 'same_region' : 'other_region';
}

export function provincesInRegion(region: RegionCode): readonly Province[] {
  return provinces.filter((p) => p.region === region);
}
