import { codeOptions, describeCode, searchCodes } from './code-search';
import { findHsChapter, isValidHsCode } from './hs';
import { findHsHeading, hsHeadings } from './hs-headings';

const codes = (...args: Parameters<typeof searchCodes>) => searchCodes(...args).map((o) => o.code);

describe('HS headings', () => {
  it('lists valid 4-digit headings once each, in order, named in both languages', () => {
    const list = hsHeadings.map((h) => h.code);
    expect(list).toEqual([...new Set(list)].sort());
    for (const heading of hsHeadings) {
      expect(heading.code).toMatch(/^\d{4}$/);
      expect(isValidHsCode(heading.code)).toBe(true);
      expect(findHsChapter(heading.code)).toBeDefined();
      expect(heading.name.trim()).not.toBe('');
      expect(heading.nameVi.trim()).not.toBe('');
      expect(heading.nameVi.normalize('NFC')).toBe(heading.nameVi);
    }
  });

  it('finds the heading of a longer code', () => {
    expect(findHsHeading('48041100')?.nameVi).toBe('Giấy và bìa kraft');
    expect(findHsHeading('48')).toBeUndefined();
    expect(findHsHeading('7777')).toBeUndefined();
  });
});

describe('searchCodes', () => {
  it('ignores diacritics and case: "det may" finds the textile and garment sectors', () => {
    expect(codes('vsic', 'det may').slice(0, 2).sort()).toEqual(['13', '14']);
    expect(codes('vsic', 'DỆT MAY')).toEqual(codes('vsic', 'det may'));
    const hs = searchCodes('hs', 'det may', { limit: 20 });
    expect(hs.length).toBeGreaterThan(0);
    for (const option of hs) expect(Number(option.code.slice(0, 2))).toBeGreaterThanOrEqual(50);
    for (const option of hs) expect(Number(option.code.slice(0, 2))).toBeLessThanOrEqual(63);
  });

  it('ranks the closest name first, in Vietnamese with or without marks', () => {
    expect(codes('hs', 'giấy kraft')[0]).toBe('4804');
    expect(codes('hs', 'giay kraft')[0]).toBe('4804');
    expect(codes('hs', 'ca phe')[0]).toBe('0901');
    expect(codes('hs', 'chè')[0]).toBe('0902');
    expect(codes('hs', 'bu long')[0]).toBe('7318');
    expect(codes('hs', 'may tre dan')[0]).toBe('4602');
    expect(codes('hs', 'nuoc mam')).toEqual(['2103']);
  });

  it('finds by English words, the page language first', () => {
    expect(codes('hs', 'kraft paper', { lang: 'en' })[0]).toBe('4804');
    expect(codes('hs', 'bolts', { lang: 'en' })).toContain('7318');
    expect(codes('vsic', 'textiles', { lang: 'en' })[0]).toBe('13');
  });

  it('matches the start of a word, not any word containing the letters', () => {
    expect(codes('hs', 'giay')).toContain('4804');
    expect(codes('hs', 'gi')).toContain('4804');
    // "may" (to sew) and "máy" (machine) fold alike; "det" keeps only the textile ones.
    expect(codes('hs', 'det may', { limit: 50 })).not.toContain('8452');
  });

  it('needs every word of the query', () => {
    expect(searchCodes('hs', 'giay xe may')).toEqual([]);
    expect(searchCodes('hs', 'zzqx')).toEqual([]);
    expect(searchCodes('hs', '   ')).toEqual([]);
  });

  it('reads digits as the start of a code, the code itself first', () => {
    expect(codes('hs', '48', { limit: 4 })).toEqual(['48', '4802', '4804', '4808']);
    expect(codes('hs', '480')).toEqual(['4802', '4804', '4808']);
    expect(codes('hs', 'HS 48.04')).toEqual(['4804']);
    expect(codes('vsic', '1')[0]).toBe('10');
  });

  it('offers a valid code the lists do not name, under the code above it', () => {
    const [typed] = searchCodes('hs', '480411');
    expect(typed).toEqual({
      system: 'hs',
      code: '480411',
      name: 'Kraft paper and paperboard',
      nameVi: 'Giấy và bìa kraft',
      under: { code: '4804', name: 'Kraft paper and paperboard', nameVi: 'Giấy và bìa kraft' },
    });
    expect(searchCodes('vsic', '1079')[0]).toMatchObject({ code: '1079', under: { code: '10' } });
    // Not a code: an odd length for HS, an unknown chapter.
    expect(codes('hs', '48041')).toEqual([]);
    expect(codes('hs', '7701')).toEqual([]);
  });

  it('stops at the limit', () => {
    expect(searchCodes('hs', 'san', { limit: 3 })).toHaveLength(3);
    expect(searchCodes('hs', 'san').length).toBeLessThanOrEqual(8);
  });
});

describe('describeCode and codeOptions', () => {
  it('names a listed code, a code under one, and nothing for an invalid code', () => {
    expect(describeCode('hs', '4804')).toMatchObject({ code: '4804', nameVi: 'Giấy và bìa kraft' });
    expect(describeCode('hs', '73181500')?.under?.code).toBe('7318');
    expect(describeCode('hs', '120190')?.under?.code).toBe('12');
    expect(describeCode('vsic', '13')?.nameVi).toBe('Dệt');
    expect(describeCode('hs', 'abc')).toBeUndefined();
  });

  it('lists chapters and headings together in code order', () => {
    const hs = codeOptions('hs').map((o) => o.code);
    expect(hs).toEqual([...hs].sort());
    expect(hs).toContain('48');
    expect(hs).toContain('4804');
    expect(codeOptions('vsic')).toHaveLength(88);
  });
});
