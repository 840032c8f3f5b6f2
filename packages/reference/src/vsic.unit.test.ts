import { findVsicDivision, isValidVsicCode, vsicAncestors, vsicDivisions, vsicSections } from './vsic';

// ISIC Rev.4 section ranges, restated here so the grouping in the source is checked against them.
const SECTION_RANGES: readonly (readonly [section: string, first: number, last: number])[] = [
  ['A', 1, 3],
  ['B', 5, 9],
  ['C', 10, 33],
  ['D', 35, 35],
  ['E', 36, 39],
  ['F', 41, 43],
  ['G', 45, 47],
  ['H', 49, 53],
  ['I', 55, 56],
  ['J', 58, 63],
  ['K', 64, 66],
  ['L', 68, 68],
  ['M', 69, 75],
  ['N', 77, 82],
  ['O', 84, 84],
  ['P', 85, 85],
  ['Q', 86, 88],
  ['R', 90, 93],
  ['S', 94, 96],
  ['T', 97, 98],
  ['U', 99, 99],
];

const range = (first: number, last: number): string[] =>
  Array.from({ length: last - first + 1 }, (_, i) => String(first + i).padStart(2, '0'));

describe('VSIC 2018', () => {
  it('has the 21 sections A..U and 88 divisions', () => {
    expect(vsicSections.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    expect(vsicDivisions).toHaveLength(88);
    expect(new Set(vsicDivisions.map((d) => d.code)).size).toBe(88);
  });

  it.each(SECTION_RANGES)('section %s holds divisions %i..%i', (section, first, last) => {
    expect(vsicSections.find((s) => s.code === section)?.divisions).toEqual(range(first, last));
    expect(vsicDivisions.filter((d) => d.section === section).map((d) => d.code)).toEqual(range(first, last));
  });

  it('puts every division in exactly one section, matching its section field', () => {
    for (const division of vsicDivisions) {
      const holders = vsicSections.filter((s) => s.divisions.includes(division.code));
      expect(holders.map((s) => s.code)).toEqual([division.section]);
    }
    expect(vsicSections.flatMap((s) => s.divisions)).toEqual(vsicDivisions.map((d) => d.code));
  });

  it('has no division 04 (nor the other gaps of ISIC Rev.4)', () => {
    const codes = new Set(vsicDivisions.map((d) => d.code));
    for (const gap of ['00', '04', '34', '40', '44', '48', '54', '57', '67', '76', '83', '89']) {
      expect(codes.has(gap)).toBe(false);
    }
  });

  it('names every section and division in English and Vietnamese', () => {
    for (const item of [...vsicSections, ...vsicDivisions]) {
      expect(item.name.trim()).not.toBe('');
      expect(item.nameVi.trim()).not.toBe('');
      expect(item.nameVi.normalize('NFC')).toBe(item.nameVi);
    }
  });

  it('names the manufacturing divisions accurately', () => {
    const byCode = (code: string) => vsicDivisions.find((d) => d.code === code);
    expect(vsicSections.find((s) => s.code === 'C')).toMatchObject({
      name: 'Manufacturing',
      nameVi: 'Công nghiệp chế biến, chế tạo',
    });
    expect(byCode('10')).toMatchObject({
      name: 'Manufacture of food products',
      nameVi: 'Sản xuất, chế biến thực phẩm',
    });
    expect(byCode('13')).toMatchObject({ name: 'Manufacture of textiles', nameVi: 'Dệt' });
    expect(byCode('16')?.name).toMatch(
      /^Manufacture of wood and of products of wood and cork, except furniture; /,
    );
    expect(byCode('16')?.name).toMatch(/articles of straw and plaiting materials$/);
    expect(byCode('16')?.nameVi).toBe(
      'Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện',
    );
    expect(byCode('17')?.name).toBe('Manufacture of paper and paper products');
    expect(byCode('22')?.name).toBe('Manufacture of rubber and plastics products');
    expect(byCode('23')?.name).toBe('Manufacture of other non-metallic mineral products');
    expect(byCode('25')?.name).toBe(
      'Manufacture of fabricated metal products, except machinery and equipment',
    );
    expect(byCode('26')?.name).toBe('Manufacture of computer, electronic and optical products');
    expect(byCode('31')).toMatchObject({
      name: 'Manufacture of furniture',
      nameVi: 'Sản xuất giường, tủ, bàn, ghế',
    });
    expect(byCode('32')).toMatchObject({
      name: 'Other manufacturing',
      nameVi: 'Công nghiệp chế biến, chế tạo khác',
    });
  });

  it.each(['10', '107', '1079', '10790', '01', '99'])('accepts %s', (code) => {
    expect(isValidVsicCode(code)).toBe(true);
  });

  it.each(['04', '1', '107900', '1a', '', ' 10', '10 ', '00', '34'])('rejects %j', (code) => {
    expect(isValidVsicCode(code)).toBe(false);
  });

  it('lists ancestors from the division down', () => {
    expect(vsicAncestors('10790')).toEqual(['10', '107', '1079']);
    expect(vsicAncestors('1079')).toEqual(['10', '107']);
    expect(vsicAncestors('10')).toEqual([]);
    expect(vsicAncestors('04123')).toEqual([]);
  });

  it('finds the division of any valid code', () => {
    expect(findVsicDivision('10790')?.code).toBe('10');
    expect(findVsicDivision('31')?.section).toBe('C');
    expect(findVsicDivision('0412')).toBeUndefined();
    expect(findVsicDivision('1')).toBeUndefined();
  });
});
