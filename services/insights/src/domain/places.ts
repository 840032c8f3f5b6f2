import {
  findHsChapter,
  findProvince,
  findVsicDivision,
  type RegionCode,
  regionOf,
  regions,
  resolveProvinceCode,
  vsicSections,
} from '@lienket/reference';

/** A province as facts store it: the current code (a legacy code is mapped) and its region. */
export interface Place {
  province: string;
  region: string;
}

/** Maps any province code to its current unit; an unknown code is kept as it came, region ''. */
export function placeOf(code: string | undefined): Place {
  const raw = (code ?? '').trim();
  const province = resolveProvinceCode(raw)?.code ?? raw;
  return { province, region: regionOf(province) ?? '' };
}

/** What sector filters and breakdowns read: the codes, their 2-digit heads and every prefix. */
export interface Sectors {
  vsicCodes: string[];
  hsCodes: string[];
  /** 2-digit VSIC divisions of the codes (known divisions only). */
  vsicDivisions: string[];
  /** 2-digit HS chapters of the codes (known chapters only). */
  hsChapters: string[];
  /** Every prefix of 2+ digits of each VSIC code, and the section letter of its division. */
  vsicPrefixes: string[];
  /** Every prefix of 2+ digits of each HS code. */
  hsPrefixes: string[];
}

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].filter(Boolean).sort();

function digitPrefixes(code: string): string[] {
  if (!/^\d{2,}$/.test(code)) return [];
  const prefixes: string[] = [];
  for (let length = 2; length <= code.length; length += 1) prefixes.push(code.slice(0, length));
  return prefixes;
}

export function sectorsOf(vsic: readonly string[] = [], hs: readonly string[] = []): Sectors {
  const vsicCodes = sortedUnique(vsic.map((c) => c.trim()));
  const hsCodes = sortedUnique(hs.map((c) => c.trim()));
  return {
    vsicCodes,
    hsCodes,
    vsicDivisions: sortedUnique(vsicCodes.map((c) => findVsicDivision(c)?.code ?? '')),
    hsChapters: sortedUnique(hsCodes.map((c) => findHsChapter(c)?.code ?? '')),
    vsicPrefixes: sortedUnique(
      vsicCodes.flatMap((c) => [...digitPrefixes(c), findVsicDivision(c)?.section ?? '']),
    ),
    hsPrefixes: sortedUnique(hsCodes.flatMap(digitPrefixes)),
  };
}

/** The 2-digit VSIC divisions a VSIC filter prefix covers: a section's divisions, or the one division. */
export function divisionsUnder(prefix: string): string[] {
  if (/^[A-U]$/.test(prefix)) return [...(vsicSections.find((s) => s.code === prefix)?.divisions ?? [])];
  return [prefix.slice(0, 2)];
}

export interface Label {
  /** English, or the ASCII spelling of a Vietnamese place name. */
  name: string;
  nameVi: string;
}

const unknownLabel: Label = { name: 'unknown', nameVi: 'không xác định' };

export function provinceLabel(code: string): Label {
  const province = findProvince(code);
  return province ? { name: province.nameAscii, nameVi: province.name } : unknownLabel;
}

export function regionLabel(code: string): Label {
  const region = regions.find((r) => r.code === (code as RegionCode));
  return region ? { name: region.name, nameVi: region.nameVi } : unknownLabel;
}

export function vsicDivisionLabel(code: string): Label {
  const division = findVsicDivision(code);
  return division ? { name: division.name, nameVi: division.nameVi } : unknownLabel;
}

export function hsChapterLabel(code: string): Label {
  const chapter = findHsChapter(code);
  return chapter ? { name: chapter.name, nameVi: chapter.nameVi } : unknownLabel;
}
