import { findProvince, foldVietnamese, regionOf } from '@lienket/reference';
import type { Rng } from './prng';

/**
 * Places by current province code: communes and localities, many of them the seats of well-known craft
 * villages or specialities (Bát Tràng, Phú Vinh, Tân Cương, Bàu Trúc, Mang Thít, …), including those of
 * the provinces merged in 2025 (Chu Đậu in former Hải Dương, Kim Sơn and La Xuyên in Ninh Bình, …).
 */
export const PLACES: Readonly<Record<string, readonly string[]>> = {
  '01': ['Phú Vinh', 'Bát Tràng', 'Vạn Phúc', 'Chương Mỹ', 'Sơn Đồng', 'Thường Tín', 'Phú Xuyên', 'Đông Anh'],
  '04': ['Hòa An', 'Quảng Uyên', 'Trùng Khánh', 'Nguyên Bình', 'Phja Thắp'],
  '08': ['Hàm Yên', 'Chiêm Hóa', 'Yên Sơn', 'Hoàng Su Phì', 'Vị Xuyên'],
  '11': ['Mường Thanh', 'Tuần Giáo', 'Điện Biên Đông', 'Mường Ảng'],
  '12': ['Tam Đường', 'Than Uyên', 'Phong Thổ', 'Sìn Hồ'],
  '14': ['Mộc Châu', 'Mai Sơn', 'Thuận Châu', 'Yên Châu'],
  '15': ['Văn Yên', 'Bảo Thắng', 'Bắc Hà', 'Trấn Yên', 'Nghĩa Lộ'],
  '19': ['Tân Cương', 'Phổ Yên', 'Đại Từ', 'Chợ Mới', 'Bạch Thông'],
  '20': ['Văn Quan', 'Bình Gia', 'Cao Lộc', 'Hữu Lũng'],
  '22': ['Đông Triều', 'Quảng Yên', 'Tiên Yên', 'Bình Liêu'],
  '24': ['Đồng Kỵ', 'Phù Lãng', 'Xuân Lai', 'Phong Khê', 'Lục Ngạn', 'Việt Yên'],
  '25': ['Thanh Sơn', 'Lâm Thao', 'Bình Xuyên', 'Vĩnh Tường', 'Lương Sơn', 'Mai Châu'],
  '31': ['Chu Đậu', 'Thủy Nguyên', 'An Dương', 'Kinh Môn', 'Gia Lộc'],
  '33': ['Văn Lâm', 'Mỹ Hào', 'Khoái Châu', 'Nam Cao', 'Kiến Xương'],
  '37': ['Kim Sơn', 'Ninh Vân', 'Hoa Lư', 'La Xuyên', 'Ý Yên', 'Nha Xá'],
  '38': ['Nga Sơn', 'Hoằng Hóa', 'Thọ Xuân', 'Quảng Xương'],
  '40': ['Quỳnh Lưu', 'Diễn Châu', 'Nghi Lộc', 'Thanh Chương'],
  '42': ['Thạch Hà', 'Can Lộc', 'Hương Sơn', 'Kỳ Anh'],
  '44': ['Lệ Thủy', 'Bố Trạch', 'Hải Lăng', 'Gio Linh', 'Cam Lộ'],
  '46': ['Phước Tích', 'Phong Điền', 'Hương Trà', 'Phú Vang'],
  '48': ['Thanh Hà', 'Kim Bồng', 'Mã Châu', 'Hòa Vang', 'Điện Bàn'],
  '51': ['Bình Sơn', 'Mộ Đức', 'Sơn Tịnh', 'Đắk Hà', 'Ngọc Hồi'],
  '52': ['Chư Sê', 'An Nhơn', 'Tuy Phước', 'Phù Cát', 'Đak Đoa'],
  '56': ['Bàu Trúc', 'Cà Ná', 'Ninh Hòa', 'Cam Ranh', 'Diên Khánh'],
  '66': ["Cư M'gar", 'Krông Pắc', 'Buôn Hồ', 'Tuy An', 'Sông Cầu'],
  '68': ['Bảo Lộc', 'Di Linh', 'Đức Trọng', 'Phan Thiết', 'Gia Nghĩa'],
  '75': ['Biên Hòa', 'Nhơn Trạch', 'Trảng Bom', 'Đồng Xoài', 'Bình Long'],
  '79': ['Lái Thiêu', 'Củ Chi', 'Hóc Môn', 'Tân Uyên', 'Bà Rịa'],
  '80': ['Trảng Bàng', 'Gò Dầu', 'Hòa Thành', 'Đức Hòa', 'Bến Lức'],
  '82': ['Sa Đéc', 'Lai Vung', 'Cái Bè', 'Chợ Gạo', 'Cao Lãnh'],
  '86': ['Mang Thít', 'Long Hồ', 'Mỏ Cày', 'Chợ Lách', 'Cầu Kè'],
  '91': ['Tân Châu', 'Châu Đốc', 'Phú Quốc', 'Hòn Đất', 'Chợ Mới'],
  '92': ['Phong Điền', 'Thốt Nốt', 'Vị Thanh', 'Mỹ Xuyên', 'Cờ Đỏ'],
  '96': ['Năm Căn', 'Rạch Gốc', 'Đầm Dơi', 'Giá Rai', 'Cái Nước'],
};

/** Industrial parks (KCN) by province; elsewhere firms sit in a local industrial cluster (CCN). */
export const INDUSTRIAL_PARKS: Readonly<Record<string, readonly string[]>> = {
  '01': ['KCN Thăng Long', 'KCN Quang Minh', 'KCN Phú Nghĩa', 'KCN Nội Bài'],
  '19': ['KCN Yên Bình', 'KCN Điềm Thụy', 'KCN Sông Công'],
  '22': ['KCN Cái Lân', 'KCN Đông Mai'],
  '24': ['KCN Yên Phong', 'KCN Quế Võ', 'KCN Đình Trám', 'KCN Quang Châu'],
  '25': ['KCN Bình Xuyên', 'KCN Khai Quang', 'KCN Thụy Vân'],
  '31': ['KCN Đình Vũ', 'KCN VSIP Hải Phòng', 'KCN Đại An', 'KCN Nam Sách'],
  '33': ['KCN Phố Nối A', 'KCN Thăng Long II', 'KCN Tiền Hải'],
  '37': ['KCN Hòa Xá', 'KCN Gián Khẩu', 'KCN Đồng Văn'],
  '38': ['KCN Lễ Môn', 'KCN Bỉm Sơn'],
  '40': ['KCN VSIP Nghệ An', 'KCN Nam Cấm'],
  '48': ['KCN Hòa Khánh', 'KCN Điện Nam – Điện Ngọc'],
  '75': ['KCN Biên Hòa 2', 'KCN Amata', 'KCN Nhơn Trạch 3'],
  '79': ['KCX Tân Thuận', 'KCN VSIP', 'KCN Mỹ Phước', 'KCN Tân Bình'],
  '80': ['KCN Đức Hòa', 'KCN Trảng Bàng', 'KCN Tân Kim'],
  '92': ['KCN Trà Nóc', 'KCN Hưng Phú'],
};

const SURNAMES = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Huỳnh', 4],
  ['Phan', 4],
  ['Vũ', 4],
  ['Võ', 3],
  ['Đặng', 3],
  ['Bùi', 3],
  ['Đỗ', 3],
  ['Hồ', 2],
  ['Ngô', 2],
  ['Dương', 2],
  ['Lý', 1],
] as const;
const MALE = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thanh', 'Công', 'Xuân'];
const FEMALE = ['Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Hoài', 'Thùy', 'Kim'];
const MALE_GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Long', 'Nam', 'Phong', 'Quân', 'Sơn'];
const MALE_GIVEN_2 = ['Thắng', 'Tuấn', 'Việt', 'Toàn', 'Khánh', 'Hiếu', 'Trung', 'Đạt', 'Tài', 'Phúc'];
const FEMALE_GIVEN = ['Hà', 'Hạnh', 'Hoa', 'Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Phương', 'Thảo'];
const FEMALE_GIVEN_2 = ['Trang', 'Yến', 'Huyền', 'Nhung', 'Loan', 'Dung', 'Oanh', 'Tâm', 'Vân', 'Thủy'];

/** A Vietnamese full name: family name, middle name, given name. */
export function personName(rng: Rng): string {
  const surname = rng.weighted(SURNAMES);
  return rng.chance(0.55)
    ? `${surname} ${rng.pick(MALE)} ${rng.pick([...MALE_GIVEN, ...MALE_GIVEN_2])}`
    : `${surname} ${rng.pick(FEMALE)} ${rng.pick([...FEMALE_GIVEN, ...FEMALE_GIVEN_2])}`;
}

/** Two-syllable trade names as firms choose them ("Hưng Thịnh", "Minh Phát", …). */
const BRAND_FIRST = [
  'Hưng',
  'Minh',
  'Phú',
  'Tân',
  'Đại',
  'An',
  'Thành',
  'Việt',
  'Hoàng',
  'Hải',
  'Trường',
  'Nam',
  'Thịnh',
  'Phúc',
  'Quang',
  'Sao',
  'Hòa',
  'Kim',
  'Bảo',
  'Đông',
];
const BRAND_SECOND = [
  'Thịnh',
  'Phát',
  'Gia',
  'Long',
  'Việt',
  'Thành',
  'Tiến',
  'Hưng',
  'Lộc',
  'Khang',
  'Mai',
  'Sơn',
  'Á',
  'Phong',
  'Anh',
  'Tín',
  'Lợi',
  'Đạt',
  'Bình',
  'Nguyên',
];

export function brandName(rng: Rng): string {
  for (;;) {
    const first = rng.pick(BRAND_FIRST);
    const second = rng.pick(BRAND_SECOND);
    if (first !== second) return `${first} ${second}`;
  }
}

/** Lower-case ASCII, for e-mail domains: "Hưng Thịnh" → "hungthinh". */
export function slug(text: string): string {
  return foldVietnamese(text).replace(/[^a-z0-9]/g, '');
}

/** A Vietnamese mobile number (10 digits, Viettel/Vinaphone/Mobifone prefixes). */
export function mobilePhone(rng: Rng): string {
  const prefix = rng.pick([
    '091',
    '094',
    '088',
    '098',
    '097',
    '096',
    '086',
    '032',
    '033',
    '035',
    '090',
    '093',
  ]);
  return `${prefix}${rng.digits(7)}`;
}

/** A province name as written in an address or a fund's name ("tỉnh Thái Nguyên", "TP. Hồ Chí Minh"). */
export function provinceLabel(code: string): string {
  const name = findProvince(code)?.name ?? code;
  if (name.startsWith('TP.')) return name;
  return CITIES.has(code) ? `thành phố ${name}` : `tỉnh ${name}`;
}

/** Centrally-run cities among the 34 units. */
const CITIES = new Set(['01', '31', '46', '48', '79', '92']);

export function placeIn(rng: Rng, province: string): string {
  return rng.pick(PLACES[province] ?? ['Trung tâm']);
}

/**
 * An address after the 2025 reform (two levels: commune and province): hamlets are "thôn" in the
 * north and centre, "bản" in the mountains, "ấp" in the south; firms sit in industrial parks or clusters.
 */
export function address(rng: Rng, province: string, place: string, industrial: boolean): string {
  const name = findProvince(province)?.name ?? '';
  if (industrial) {
    const parks = INDUSTRIAL_PARKS[province];
    const site = parks && rng.chance(0.8) ? rng.pick(parks) : `CCN ${place}`;
    return `Lô ${rng.pick(['A', 'B', 'C', 'CN'])}${rng.int(1, 40)}, ${site}, ${name}`;
  }
  const region = regionOf(province);
  const hamlet =
    region === 'SE' || region === 'MD' ? 'Ấp' : region === 'NMM' && rng.chance(0.5) ? 'Bản' : 'Thôn';
  return `${hamlet} ${rng.int(1, 12)}, xã ${place}, ${name}`;
}
