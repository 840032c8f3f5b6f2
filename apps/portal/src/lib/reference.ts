import { findHsChapter, findProvince, findVsicDivision, provinces, regions } from '@lienket/reference';
import type { Lang } from './i18n';

export { provinces, regions };

export const provinceName = (code: string | undefined): string =>
  code ? (findProvince(code)?.name ?? code) : '';

export const regionName = (code: string | undefined, lang: Lang): string => {
  const region = regions.find((r) => r.code === code);
  return region ? (lang === 'vi' ? region.nameVi : region.name) : (code ?? '');
};

export const vsicName = (code: string, lang: Lang): string => {
  const division = findVsicDivision(code);
  return division ? `${code} · ${lang === 'vi' ? division.nameVi : division.name}` : code;
};

export const hsName = (code: string, lang: Lang): string => {
  const chapter = findHsChapter(code);
  return chapter ? `${code} · ${lang === 'vi' ? chapter.nameVi : chapter.name}` : code;
};
