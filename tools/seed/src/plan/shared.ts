// What the planning modules share: number formats, names of places, and the enterprise draft they refine.

import { findProvince, type RegionCode, regions } from '@lienket/reference';
import type { Kind, Product, Size } from '../catalogue';
import type { PlannedEnterprise } from './bodies';

export const DAY_MS = 86_400_000;

/** 12345 → "12.345", as Vietnamese writes thousands. */
export function formatVi(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Two significant figures: 12_345 → 12_000; keeps small numbers. */
export function nice(n: number): number {
  if (n < 100) return Math.max(1, Math.round(n));
  const magnitude = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / magnitude) * magnitude;
}

export const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
export const unique = <T>(items: readonly T[]) => [...new Set(items)];

export const regionName = (code: RegionCode) => regions.find((r) => r.code === code)?.nameVi ?? code;
export const provinceName = (code: string) => findProvince(code)?.name ?? code;

/** An enterprise while it is planned: what the later steps decide from, besides what is sent. */
export interface Draft extends PlannedEnterprise {
  index: number;
  size: Size;
  kind: Kind;
  place: string;
  brand: string;
  primaryProduct: Product | undefined;
  ocop: { stars: string; product: string } | undefined;
}
