/** The six socio-economic regions of the General Statistics Office. */
export type RegionCode = 'NMM' | 'RRD' | 'NCC' | 'CH' | 'SE' | 'MD';

export interface Region {
  code: RegionCode;
  /** English name. */
  name: string;
  nameVi: string;
}

const REGIONS: Region[] = [
  { code: 'NMM', name: 'Northern Midlands and Mountains', nameVi: 'Trung du và miền núi phía Bắc' },
  { code: 'RRD', name: 'Red River Delta', nameVi: 'Đồng bằng sông Hồng' },
  { code: 'NCC', name: 'North Central and Central Coast', nameVi: 'Bắc Trung Bộ và duyên hải miền Trung' },
  { code: 'CH', name: 'Central Highlands', nameVi: 'Tây Nguyên' },
  { code: 'SE', name: 'Southeast', nameVi: 'Đông Nam Bộ' },
  { code: 'MD', name: 'Mekong Delta', nameVi: 'Đồng bằng sông Cửu Long' },
];

// Frozen because every importer shares these arrays: an in-place sort in one service must not reorder another's.
export const regions: readonly Region[] = Object.freeze(REGIONS.map((region) => Object.freeze(region)));
