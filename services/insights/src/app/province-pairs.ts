import { regionOf, resolveProvinceCode } from '@lienket/reference';
import { provinceLabel } from '../domain/places';

export function provinceRegion(code: string): string {
  return resolveProvinceCode(code) ? (regionOf(code) ?? '') : '';
}

export function pairLabels(buyer: string, supplier: string) {
  return {
    buyerProvince: buyer,
    buyerProvinceName: provinceLabel(buyer).nameVi,
    buyerRegion: provinceRegion(buyer),
    supplierProvince: supplier,
    supplierProvinceName: provinceLabel(supplier).nameVi,
    supplierRegion: provinceRegion(supplier),
  };
}

export const byPair = (
  a: { buyerProvince: string; supplierProvince: string },
  b: { buyerProvince: string; supplierProvince: string },
) => a.buyerProvince.localeCompare(b.buyerProvince) || a.supplierProvince.localeCompare(b.supplierProvince);
