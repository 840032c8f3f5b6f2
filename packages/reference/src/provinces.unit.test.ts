import {
  areNeighbours,
  findLegacyProvince,
  findProvince,
  legacyLandBorders,
  legacyProvinces,
  neighbours,
  provinces,
  provincesInRegion,
  proximity,
  type RegionCode,
  regionOf,
  regions,
  resolveProvinceCode,
} from './index';
import { foldVietnamese } from './text';

// Written out again here, independently of the source tables: every legacy unit → the unit it joined
// (Resolution 202/2025/QH15), with both names so a mistyped code stands out.
const DOMAIN: readonly (readonly [
  legacy: string,
  legacyName: string,
  current: string,
  currentName: string,
])[] = [
  ['02', 'Hà Giang', '08', 'Tuyên Quang'],
  ['08', 'Tuyên Quang', '08', 'Tuyên Quang'],
  ['04', 'Cao Bằng', '04', 'Cao Bằng'],
  ['20', 'Lạng Sơn', '20', 'Lạng Sơn'],
  ['10', 'Lào Cai', '15', 'Lào Cai'],
  ['15', 'Yên Bái', '15', 'Lào Cai'],
  ['06', 'Bắc Kạn', '19', 'Thái Nguyên'],
  ['19', 'Thái Nguyên', '19', 'Thái Nguyên'],
  ['17', 'Hòa Bình', '25', 'Phú Thọ'],
  ['25', 'Phú Thọ', '25', 'Phú Thọ'],
  ['26', 'Vĩnh Phúc', '25', 'Phú Thọ'],
  ['11', 'Điện Biên', '11', 'Điện Biên'],
  ['12', 'Lai Châu', '12', 'Lai Châu'],
  ['14', 'Sơn La', '14', 'Sơn La'],
  ['01', 'Hà Nội', '01', 'Hà Nội'],
  ['30', 'Hải Dương', '31', 'Hải Phòng'],
  ['31', 'Hải Phòng', '31', 'Hải Phòng'],
  ['22', 'Quảng Ninh', '22', 'Quảng Ninh'],
  ['24', 'Bắc Giang', '24', 'Bắc Ninh'],
  ['27', 'Bắc Ninh', '24', 'Bắc Ninh'],
  ['33', 'Hưng Yên', '33', 'Hưng Yên'],
  ['34', 'Thái Bình', '33', 'Hưng Yên'],
  ['35', 'Hà Nam', '37', 'Ninh Bình'],
  ['36', 'Nam Định', '37', 'Ninh Bình'],
  ['37', 'Ninh Bình', '37', 'Ninh Bình'],
  ['38', 'Thanh Hóa', '38', 'Thanh Hóa'],
  ['40', 'Nghệ An', '40', 'Nghệ An'],
  ['42', 'Hà Tĩnh', '42', 'Hà Tĩnh'],
  ['44', 'Quảng Bình', '44', 'Quảng Trị'],
  ['45', 'Quảng Trị', '44', 'Quảng Trị'],
  ['46', 'Thừa Thiên Huế', '46', 'Huế'],
  ['48', 'Đà Nẵng', '48', 'Đà Nẵng'],
  ['49', 'Quảng Nam', '48', 'Đà Nẵng'],
  ['51', 'Quảng Ngãi', '51', 'Quảng Ngãi'],
  ['62', 'Kon Tum', '51', 'Quảng Ngãi'],
  ['56', 'Khánh Hòa', '56', 'Khánh Hòa'],
  ['58', 'Ninh Thuận', '56', 'Khánh Hòa'],
  ['52', 'Bình Định', '52', 'Gia Lai'],
  ['64', 'Gia Lai', '52', 'Gia Lai'],
  ['54', 'Phú Yên', '66', 'Đắk Lắk'],
  ['66', 'Đắk Lắk', '66', 'Đắk Lắk'],
  ['60', 'Bình Thuận', '68', 'Lâm Đồng'],
  ['67', 'Đắk Nông', '68', 'Lâm Đồng'],
  ['68', 'Lâm Đồng', '68', 'Lâm Đồng'],
  ['74', 'Bình Dương', '79', 'TP. Hồ Chí Minh'],
  ['77', 'Bà Rịa - Vũng Tàu', '79', 'TP. Hồ Chí Minh'],
  ['79', 'TP. Hồ Chí Minh', '79', 'TP. Hồ Chí Minh'],
  ['70', 'Bình Phước', '75', 'Đồng Nai'],
  ['75', 'Đồng Nai', '75', 'Đồng Nai'],
  ['72', 'Tây Ninh', '80', 'Tây Ninh'],
  ['80', 'Long An', '80', 'Tây Ninh'],
  ['92', 'Cần Thơ', '92', 'Cần Thơ'],
  ['93', 'Hậu Giang', '92', 'Cần Thơ'],
  ['94', 'Sóc Trăng', '92', 'Cần Thơ'],
  ['83', 'Bến Tre', '86', 'Vĩnh Long'],
  ['84', 'Trà Vinh', '86', 'Vĩnh Long'],
  ['86', 'Vĩnh Long', '86', 'Vĩnh Long'],
  ['82', 'Tiền Giang', '82', 'Đồng Tháp'],
  ['87', 'Đồng Tháp', '82', 'Đồng Tháp'],
  ['95', 'Bạc Liêu', '96', 'Cà Mau'],
  ['96', 'Cà Mau', '96', 'Cà Mau'],
  ['89', 'An Giang', '91', 'An Giang'],
  ['91', 'Kiên Giang', '91', 'An Giang'],
];

const REGION_OF: Readonly<Record<RegionCode, readonly string[]>> = {
  NMM: ['08', '04', '20', '15', '19', '25', '11', '12', '14'],
  RRD: ['01', '31', '22', '24', '33', '37'],
  NCC: ['38', '40', '42', '44', '46', '48', '51', '56'],
  CH: ['52', '66', '68'],
  SE: ['79', '75', '80'],
  MD: ['92', '86', '82', '96', '91'],
};

const code = (name: string): string => {
  const found = provinces.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no current province named ${name}`);
  return found.code;
};

describe('regions', () => {
  it('are the six GSO regions with their names', () => {
    expect(regions.map((r) => [r.code, r.name, r.nameVi])).toEqual([
      ['NMM', 'Northern Midlands and Mountains', 'Trung du và miền núi phía Bắc'],
      ['RRD', 'Red River Delta', 'Đồng bằng sông Hồng'],
      ['NCC', 'North Central and Central Coast', 'Bắc Trung Bộ và duyên hải miền Trung'],
      ['CH', 'Central Highlands', 'Tây Nguyên'],
      ['SE', 'Southeast', 'Đông Nam Bộ'],
      ['MD', 'Mekong Delta', 'Đồng bằng sông Cửu Long'],
    ]);
  });
});

describe('provinces', () => {
  it('has 34 current units, 63 legacy units, and unique codes in each list', () => {
    expect(provinces).toHaveLength(34);
    expect(legacyProvinces).toHaveLength(63);
    expect(new Set(provinces.map((p) => p.code)).size).toBe(34);
    expect(new Set(legacyProvinces.map((p) => p.code)).size).toBe(63);
    expect(DOMAIN).toHaveLength(63);
  });

  it('places each current unit in its region (9/6/8/3/3/5)', () => {
    const counts = Object.fromEntries(regions.map((r) => [r.code, provincesInRegion(r.code).length]));
    expect(counts).toEqual({ NMM: 9, RRD: 6, NCC: 8, CH: 3, SE: 3, MD: 5 });
    for (const [region, codes] of Object.entries(REGION_OF)) {
      expect(
        provincesInRegion(region as RegionCode)
          .map((p) => p.code)
          .sort(),
      ).toEqual([...codes].sort());
      for (const c of codes) expect(regionOf(c)).toBe(region);
    }
    expect(regionOf('06')).toBeUndefined();
  });

  it.each(DOMAIN)('legacy %s %s joined %s %s', (legacy, legacyName, current, currentName) => {
    expect(findLegacyProvince(legacy)).toMatchObject({ code: legacy, name: legacyName, mergedInto: current });
    expect(findProvince(current)?.name).toBe(currentName);
    expect(resolveProvinceCode(legacy)?.code).toBe(current);
  });

  it('lists in formedFrom exactly the legacy codes that joined each unit, its own code first', () => {
    for (const p of provinces) {
      const joined = DOMAIN.filter(([, , current]) => current === p.code).map(([legacy]) => legacy);
      expect([...p.formedFrom].sort()).toEqual(joined.sort());
      expect(p.formedFrom[0]).toBe(p.code);
    }
    expect(provinces.flatMap((p) => p.formedFrom).sort()).toEqual(legacyProvinces.map((p) => p.code).sort());
  });

  it('gives every current unit a code that was also a legacy code (the capital keeps its code)', () => {
    for (const p of provinces) expect(findLegacyProvince(p.code)?.mergedInto).toBe(p.code);
  });

  it('has names in NFC that fold to their ASCII names', () => {
    for (const p of [...provinces, ...legacyProvinces]) {
      expect(p.name.normalize('NFC')).toBe(p.name);
      expect(foldVietnamese(p.name)).toBe(foldVietnamese(p.nameAscii));
      expect(p.nameAscii).toMatch(/^[\x20-\x7e]+$/);
      // Capitalised words, as a person would write the name without diacritics.
      expect(p.nameAscii.split(' ').every((word) => /^[A-Z-]/.test(word))).toBe(true);
    }
  });

  it('resolves current and legacy codes', () => {
    expect(resolveProvinceCode('06')).toEqual({ code: '19', legacyCode: '06' });
    expect(resolveProvinceCode('19')).toEqual({ code: '19' });
    expect(resolveProvinceCode('46')).toEqual({ code: '46' });
    expect(resolveProvinceCode('99')).toBeUndefined();
    expect(resolveProvinceCode('')).toBeUndefined();
    expect(findProvince('06')).toBeUndefined();
    expect(findLegacyProvince('99')).toBeUndefined();
  });

  it('cannot be mutated through the exported arrays', () => {
    expect(Object.isFrozen(provinces)).toBe(true);
    expect(Object.isFrozen(provinces[0])).toBe(true);
    expect(Object.isFrozen(provinces[0]?.formedFrom)).toBe(true);
    expect(Object.isFrozen(legacyProvinces)).toBe(true);
    expect(Object.isFrozen(neighbours('01'))).toBe(true);
  });
});

describe('legacy land borders', () => {
  const legacyCodes = new Set(legacyProvinces.map((p) => p.code));

  it('name only known legacy codes, lower code first, with no self-loops or duplicates', () => {
    const seen = new Set<string>();
    for (const [a, b] of legacyLandBorders) {
      expect(legacyCodes.has(a)).toBe(true);
      expect(legacyCodes.has(b)).toBe(true);
      expect(a < b).toBe(true);
      expect(seen.has(`${a}-${b}`)).toBe(false);
      seen.add(`${a}-${b}`);
    }
  });

  it('give every legacy unit at least one neighbour (all 63 are on the mainland)', () => {
    const bordered = new Set(legacyLandBorders.flat());
    expect([...legacyCodes].filter((c) => !bordered.has(c))).toEqual([]);
  });

  const legacyPair = (a: string, b: string) =>
    legacyLandBorders.some(([x, y]) => (x === a && y === b) || (x === b && y === a));

  it('give Hà Nội its eight neighbours', () => {
    const hanoi = legacyLandBorders
      .filter((pair) => pair.includes('01'))
      .map(([a, b]) => (a === '01' ? b : a));
    // Thái Nguyên, Bắc Giang, Bắc Ninh, Hưng Yên, Hà Nam, Hòa Bình, Phú Thọ, Vĩnh Phúc.
    expect(hanoi.sort()).toEqual(['17', '19', '24', '25', '26', '27', '33', '35']);
  });

  it.each([
    ['96', '91', 'Cà Mau–Kiên Giang'],
    ['96', '95', 'Cà Mau–Bạc Liêu'],
    ['52', '51', 'Bình Định–Quảng Ngãi'],
    ['52', '64', 'Bình Định–Gia Lai'],
    ['52', '54', 'Bình Định–Phú Yên'],
    ['62', '49', 'Kon Tum–Quảng Nam'],
    ['62', '51', 'Kon Tum–Quảng Ngãi'],
    ['62', '64', 'Kon Tum–Gia Lai'],
    ['77', '60', 'Bà Rịa - Vũng Tàu–Bình Thuận'],
    ['86', '94', 'Vĩnh Long–Sóc Trăng'],
  ])('include %s–%s (%s)', (a, b) => {
    expect(legacyPair(a, b)).toBe(true);
  });

  it.each([
    ['96', '94', 'Cà Mau–Sóc Trăng'],
    ['01', '22', 'Hà Nội–Quảng Ninh'],
    ['01', '30', 'Hà Nội–Hải Dương'],
    ['10', '11', 'Lào Cai–Điện Biên'],
  ])('exclude %s–%s (%s)', (a, b) => {
    expect(legacyPair(a, b)).toBe(false);
  });
});

describe('current neighbours', () => {
  it('are symmetric, irreflexive and name only current codes', () => {
    const current = new Set(provinces.map((p) => p.code));
    for (const p of provinces) {
      expect(neighbours(p.code)).not.toContain(p.code);
      for (const n of neighbours(p.code)) {
        expect(current.has(n)).toBe(true);
        expect(neighbours(n)).toContain(p.code);
      }
    }
  });

  it('connect all 34 units, reached from Hà Nội', () => {
    const reached = new Set(['01']);
    const queue = ['01'];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const n of neighbours(next)) {
        if (!reached.has(n)) {
          reached.add(n);
          queue.push(n);
        }
      }
    }
    expect(reached.size).toBe(34);
  });

  it('follow from the legacy borders: units border exactly when some of their parts did', () => {
    for (const a of provinces) {
      for (const b of provinces) {
        const viaParts =
          a.code !== b.code &&
          a.formedFrom.some((x) =>
            b.formedFrom.some((y) =>
              legacyLandBorders.some(([p, q]) => (p === x && q === y) || (p === y && q === x)),
            ),
          );
        expect(areNeighbours(a.code, b.code)).toBe(viaParts);
      }
    }
  });

  it.each([
    ['Thái Nguyên', 'Hà Nội'],
    ['Thái Nguyên', 'Tuyên Quang'],
    ['Bắc Ninh', 'Hà Nội'],
    ['Bắc Ninh', 'Thái Nguyên'],
    ['Hà Nội', 'Phú Thọ'],
    ['Hà Nội', 'Ninh Bình'],
    ['Hà Nội', 'Hưng Yên'],
    ['Hải Phòng', 'Quảng Ninh'],
    ['Hải Phòng', 'Hưng Yên'],
    ['TP. Hồ Chí Minh', 'Đồng Nai'],
    ['TP. Hồ Chí Minh', 'Tây Ninh'],
    ['TP. Hồ Chí Minh', 'Lâm Đồng'],
    ['Cần Thơ', 'Vĩnh Long'],
    ['An Giang', 'Cần Thơ'],
    ['Cà Mau', 'An Giang'],
    ['Đà Nẵng', 'Quảng Ngãi'],
    ['Đà Nẵng', 'Huế'],
    ['Gia Lai', 'Quảng Ngãi'],
    ['Gia Lai', 'Đắk Lắk'],
    ['Khánh Hòa', 'Lâm Đồng'],
    ['Thanh Hóa', 'Nghệ An'],
  ])('include %s–%s', (a, b) => {
    expect(areNeighbours(code(a), code(b))).toBe(true);
    expect(areNeighbours(code(b), code(a))).toBe(true);
  });

  it.each([
    ['Hà Nội', 'Quảng Ninh'],
    ['Cà Mau', 'TP. Hồ Chí Minh'],
    ['Lai Châu', 'Hà Nội'],
    ['Đà Nẵng', 'Gia Lai'],
    ['Khánh Hòa', 'Gia Lai'],
    ['Điện Biên', 'Lào Cai'],
  ])('exclude %s–%s', (a, b) => {
    expect(areNeighbours(code(a), code(b))).toBe(false);
  });

  it('are empty for unknown codes and for legacy-only codes', () => {
    expect(neighbours('99')).toEqual([]);
    expect(neighbours('06')).toEqual([]);
    expect(areNeighbours('99', '01')).toBe(false);
  });
});

describe('proximity', () => {
  it('gives each of its four answers', () => {
    expect(proximity('19', '19')).toBe('same_province');
    expect(proximity('19', '08')).toBe('neighbour');
    // Lai Châu and Cao Bằng are both in the northern mountains but far apart.
    expect(proximity('12', '04')).toBe('same_region');
    expect(proximity('01', '79')).toBe('other_region');
  });

  it('counts a border across a region boundary as neighbour', () => {
    // Hà Nội is in the Red River Delta, Thái Nguyên in the northern midlands.
    expect(regionOf('01')).not.toBe(regionOf('19'));
    expect(proximity('01', '19')).toBe('neighbour');
  });

  it('rejects codes that are not current', () => {
    expect(() => proximity('06', '19')).toThrow(RangeError);
    expect(() => proximity('19', '99')).toThrow(/99/);
  });
});
