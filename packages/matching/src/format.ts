import { findProvince } from '@lienket/reference';

export type Language = 'en' | 'vi';

// Hand-rolled rather than Intl so details read the same whatever ICU data the runtime ships with.
/** Up to 2 decimals; en '5,000.5', vi '5.000,5'. */
export function formatNumber(value: number, language: Language): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole = '0', fraction] = Math.abs(value)
    .toFixed(2)
    .replace(/\.?0+$/, '')
    .split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, language === 'en' ? ',' : '.');
  const sign = value < 0 && Number(value.toFixed(2)) !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction === undefined ? '' : (language === 'en' ? '.' : ',') + fraction}`;
}

/** Whole percent, rounded down so '100%' only ever means all of it. */
export function floorPercent(share: number): string {
  // The epsilon keeps 0.29 × 100 = 28.999… from showing as 28%.
  return `${Math.floor(share * 100 + 1e-9)}%`;
}

export function roundPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** en '2025-06-30', vi '30/06/2025' (UTC). */
export function formatDate(date: Date, language: Language): string {
  if (Number.isNaN(date.getTime())) return 'invalid date';
  const iso = date.toISOString().slice(0, 10);
  if (language === 'en') return iso;
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

export function provinceName(code: string): string {
  return findProvince(code)?.name ?? code;
}
