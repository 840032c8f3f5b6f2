import { findHsChapter, hsAncestors, hsChapters, isValidHsCode } from './hs';

describe('HS 2022 chapters', () => {
  it('has the 96 chapters 01..97 without the reserved 77, in order', () => {
    const expected = Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')).filter(
      (c) => c !== '77',
    );
    expect(hsChapters.map((c) => c.code)).toEqual(expected);
    expect(hsChapters).toHaveLength(96);
  });

  it('names every chapter in English and Vietnamese', () => {
    for (const chapter of hsChapters) {
      expect(chapter.name.trim()).not.toBe('');
      expect(chapter.nameVi.trim()).not.toBe('');
      expect(chapter.nameVi.normalize('NFC')).toBe(chapter.nameVi);
    }
  });

  it('uses the official chapter titles', () => {
    const name = (code: string) => findHsChapter(code)?.name;
    expect(name('44')).toBe('Wood and articles of wood; wood charcoal');
    expect(name('46')).toBe(
      'Manufactures of straw, of esparto or of other plaiting materials; basketware and wickerwork',
    );
    expect(name('48')).toBe('Paper and paperboard; articles of paper pulp, of paper or of paperboard');
    expect(name('69')).toBe('Ceramic products');
    expect(name('84')).toBe('Nuclear reactors, boilers, machinery and mechanical appliances; parts thereof');
    expect(name('85')).toMatch(/^Electrical machinery and equipment and parts thereof/);
    expect(findHsChapter('44')?.nameVi).toBe('Gỗ và các mặt hàng bằng gỗ; than từ gỗ');
    expect(findHsChapter('69')?.nameVi).toBe('Đồ gốm, sứ');
  });

  it.each(['48', '4819', '481910', '48191000', '01', '97'])('accepts %s', (code) => {
    expect(isValidHsCode(code)).toBe(true);
  });

  it.each(['77', '7701', '481', '4819100', '00', '98', '', '4819.10', '481910000'])('rejects %j', (code) => {
    expect(isValidHsCode(code)).toBe(false);
  });

  it('lists ancestors by two-digit steps', () => {
    expect(hsAncestors('48191000')).toEqual(['48', '4819', '481910']);
    expect(hsAncestors('480511')).toEqual(['48', '4805']);
    expect(hsAncestors('48')).toEqual([]);
    expect(hsAncestors('481')).toEqual([]);
  });

  it('finds the chapter of any valid code', () => {
    expect(findHsChapter('48191000')?.code).toBe('48');
    expect(findHsChapter('77')).toBeUndefined();
    expect(findHsChapter('4')).toBeUndefined();
  });
});
