import { canonicalUnit, findQuantityUnit, quantityUnits, unitName } from './units';

describe('quantity units', () => {
  it('shows a Vietnamese unit in English, plural but for one', () => {
    expect(unitName('tấn', 'en', 120)).toBe('tonnes');
    expect(unitName('tấn', 'en', 1)).toBe('tonne');
    expect(unitName(' Chiếc ', 'en', 5_000)).toBe('pieces');
    expect(unitName('mét', 'en', 800)).toBe('metres');
    expect(unitName('kg', 'en', 3)).toBe('kg');
  });

  it('keeps an English unit as written in English and names it in Vietnamese', () => {
    expect(unitName('carton', 'en', 5_000)).toBe('carton');
    expect(unitName('tonnes', 'vi', 2)).toBe('tấn');
    expect(unitName('pcs', 'vi')).toBe('cái');
  });

  it('shows an unknown unit as written', () => {
    expect(unitName('bó', 'en', 3)).toBe('bó');
    expect(unitName('  lạng ', 'vi')).toBe('lạng');
  });

  it('stores the Vietnamese name of a known unit, whichever way it was typed', () => {
    expect(canonicalUnit('Tonnes')).toBe('tấn');
    expect(canonicalUnit('tấn')).toBe('tấn');
    expect(canonicalUnit('m2')).toBe('m²');
    expect(canonicalUnit(' bó ')).toBe('bó');
    expect(findQuantityUnit('litres')?.vi).toBe('lít');
  });

  it('names every unit once in Vietnamese, in NFC', () => {
    const names = quantityUnits.map((u) => u.vi);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.normalize('NFC')).toBe(name);
  });
});
