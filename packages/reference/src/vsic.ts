// VSIC 2018 (Vietnam Standard Industrial Classification, Decision 27/2018/QĐ-TTg), sections and divisions.
// It follows ISIC Rev.4 down to the division, so the English names are the ISIC titles and the Vietnamese
// names are those of the decision.

export interface VsicSection {
  /** 'A'..'U'. */
  code: string;
  name: string;
  nameVi: string;
  /** The 2-digit division codes in it. */
  divisions: readonly string[];
}

export interface VsicDivision {
  /** Two digits, e.g. '10'. */
  code: string;
  name: string;
  nameVi: string;
  section: string;
}

type Row = readonly [code: string, name: string, nameVi: string];

// Divisions are nested under their section so membership is stated once.
const DATA: readonly (readonly [...Row, divisions: readonly Row[]])[] = [
  [
    'A',
    'Agriculture, forestry and fishing',
    'Nông nghiệp, lâm nghiệp và thủy sản',
    [
      [
        '01',
        'Crop and animal production, hunting and related service activities',
        'Nông nghiệp và hoạt động dịch vụ có liên quan',
      ],
      ['02', 'Forestry and logging', 'Lâm nghiệp và hoạt động dịch vụ có liên quan'],
      ['03', 'Fishing and aquaculture', 'Khai thác, nuôi trồng thủy sản'],
    ],
  ],
  [
    'B',
    'Mining and quarrying',
    'Khai khoáng',
    [
      ['05', 'Mining of coal and lignite', 'Khai thác than cứng và than non'],
      ['06', 'Extraction of crude petroleum and natural gas', 'Khai thác dầu thô và khí đốt tự nhiên'],
      ['07', 'Mining of metal ores', 'Khai thác quặng kim loại'],
      ['08', 'Other mining and quarrying', 'Khai khoáng khác'],
      ['09', 'Mining support service activities', 'Hoạt động dịch vụ hỗ trợ khai khoáng'],
    ],
  ],
  [
    'C',
    'Manufacturing',
    'Công nghiệp chế biến, chế tạo',
    [
      ['10', 'Manufacture of food products', 'Sản xuất, chế biến thực phẩm'],
      ['11', 'Manufacture of beverages', 'Sản xuất đồ uống'],
      ['12', 'Manufacture of tobacco products', 'Sản xuất sản phẩm thuốc lá'],
      ['13', 'Manufacture of textiles', 'Dệt'],
      ['14', 'Manufacture of wearing apparel', 'Sản xuất trang phục'],
      ['15', 'Manufacture of leather and related products', 'Sản xuất da và các sản phẩm có liên quan'],
      [
        '16',
        'Manufacture of wood and of products of wood and cork, except furniture; manufacture of articles of straw and plaiting materials',
        'Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện',
      ],
      ['17', 'Manufacture of paper and paper products', 'Sản xuất giấy và sản phẩm từ giấy'],
      ['18', 'Printing and reproduction of recorded media', 'In, sao chép bản ghi các loại'],
      [
        '19',
        'Manufacture of coke and refined petroleum products',
        'Sản xuất than cốc, sản phẩm dầu mỏ tinh chế',
      ],
      ['20', 'Manufacture of chemicals and chemical products', 'Sản xuất hoá chất và sản phẩm hoá chất'],
      [
        '21',
        'Manufacture of basic pharmaceutical products and pharmaceutical preparations',
        'Sản xuất thuốc, hoá dược và dược liệu',
      ],
      ['22', 'Manufacture of rubber and plastics products', 'Sản xuất sản phẩm từ cao su và plastic'],
      [
        '23',
        'Manufacture of other non-metallic mineral products',
        'Sản xuất sản phẩm từ khoáng phi kim loại khác',
      ],
      ['24', 'Manufacture of basic metals', 'Sản xuất kim loại'],
      [
        '25',
        'Manufacture of fabricated metal products, except machinery and equipment',
        'Sản xuất sản phẩm từ kim loại đúc sẵn (trừ máy móc, thiết bị)',
      ],
      [
        '26',
        'Manufacture of computer, electronic and optical products',
        'Sản xuất sản phẩm điện tử, máy vi tính và sản phẩm quang học',
      ],
      ['27', 'Manufacture of electrical equipment', 'Sản xuất thiết bị điện'],
      [
        '28',
        'Manufacture of machinery and equipment n.e.c.',
        'Sản xuất máy móc, thiết bị chưa được phân vào đâu',
      ],
      [
        '29',
        'Manufacture of motor vehicles, trailers and semi-trailers',
        'Sản xuất ô tô và xe có động cơ khác',
      ],
      ['30', 'Manufacture of other transport equipment', 'Sản xuất phương tiện vận tải khác'],
      ['31', 'Manufacture of furniture', 'Sản xuất giường, tủ, bàn, ghế'],
      ['32', 'Other manufacturing', 'Công nghiệp chế biến, chế tạo khác'],
      [
        '33',
        'Repair and installation of machinery and equipment',
        'Sửa chữa, bảo dưỡng và lắp đặt máy móc và thiết bị',
      ],
    ],
  ],
  [
    'D',
    'Electricity, gas, steam and air conditioning supply',
    'Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hoà không khí',
    [
      [
        '35',
        'Electricity, gas, steam and air conditioning supply',
        'Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hoà không khí',
      ],
    ],
  ],
  [
    'E',
    'Water supply; sewerage, waste management and remediation activities',
    'Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải',
    [
      ['36', 'Water collection, treatment and supply', 'Khai thác, xử lý và cung cấp nước'],
      ['37', 'Sewerage', 'Thoát nước và xử lý nước thải'],
      [
        '38',
        'Waste collection, treatment and disposal activities; materials recovery',
        'Hoạt động thu gom, xử lý và tiêu huỷ rác thải; tái chế phế liệu',
      ],
      [
        '39',
        'Remediation activities and other waste management services',
        'Xử lý ô nhiễm và hoạt động quản lý chất thải khác',
      ],
    ],
  ],
  [
    'F',
    'Construction',
    'Xây dựng',
    [
      ['41', 'Construction of buildings', 'Xây dựng nhà các loại'],
      ['42', 'Civil engineering', 'Xây dựng công trình kỹ thuật dân dụng'],
      ['43', 'Specialized construction activities', 'Hoạt động xây dựng chuyên dụng'],
    ],
  ],
  [
    'G',
    'Wholesale and retail trade; repair of motor vehicles and motorcycles',
    'Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác',
    [
      [
        '45',
        'Wholesale and retail trade and repair of motor vehicles and motorcycles',
        'Bán, sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác',
      ],
      [
        '46',
        'Wholesale trade, except of motor vehicles and motorcycles',
        'Bán buôn (trừ ô tô, mô tô, xe máy và xe có động cơ khác)',
      ],
      [
        '47',
        'Retail trade, except of motor vehicles and motorcycles',
        'Bán lẻ (trừ ô tô, mô tô, xe máy và xe có động cơ khác)',
      ],
    ],
  ],
  [
    'H',
    'Transportation and storage',
    'Vận tải kho bãi',
    [
      [
        '49',
        'Land transport and transport via pipelines',
        'Vận tải đường sắt, đường bộ và vận tải đường ống',
      ],
      ['50', 'Water transport', 'Vận tải đường thủy'],
      ['51', 'Air transport', 'Vận tải hàng không'],
      [
        '52',
        'Warehousing and support activities for transportation',
        'Kho bãi và các hoạt động hỗ trợ cho vận tải',
      ],
      ['53', 'Postal and courier activities', 'Bưu chính và chuyển phát'],
    ],
  ],
  [
    'I',
    'Accommodation and food service activities',
    'Dịch vụ lưu trú và ăn uống',
    [
      ['55', 'Accommodation', 'Dịch vụ lưu trú'],
      ['56', 'Food and beverage service activities', 'Dịch vụ ăn uống'],
    ],
  ],
  [
    'J',
    'Information and communication',
    'Thông tin và truyền thông',
    [
      ['58', 'Publishing activities', 'Hoạt động xuất bản'],
      [
        '59',
        'Motion picture, video and television programme production, sound recording and music publishing activities',
        'Hoạt động điện ảnh, sản xuất chương trình truyền hình, ghi âm và xuất bản âm nhạc',
      ],
      ['60', 'Programming and broadcasting activities', 'Hoạt động phát thanh, truyền hình'],
      ['61', 'Telecommunications', 'Viễn thông'],
      [
        '62',
        'Computer programming, consultancy and related activities',
        'Lập trình máy vi tính, dịch vụ tư vấn và các hoạt động khác liên quan đến máy vi tính',
      ],
      ['63', 'Information service activities', 'Hoạt động dịch vụ thông tin'],
    ],
  ],
  [
    'K',
    'Financial and insurance activities',
    'Hoạt động tài chính, ngân hàng và bảo hiểm',
    [
      [
        '64',
        'Financial service activities, except insurance and pension funding',
        'Hoạt động dịch vụ tài chính (trừ bảo hiểm và bảo hiểm xã hội)',
      ],
      [
        '65',
        'Insurance, reinsurance and pension funding, except compulsory social security',
        'Bảo hiểm, tái bảo hiểm và bảo hiểm xã hội (trừ bảo đảm xã hội bắt buộc)',
      ],
      [
        '66',
        'Activities auxiliary to financial service and insurance activities',
        'Hoạt động tài chính khác',
      ],
    ],
  ],
  [
    'L',
    'Real estate activities',
    'Hoạt động kinh doanh bất động sản',
    [['68', 'Real estate activities', 'Hoạt động kinh doanh bất động sản']],
  ],
  [
    'M',
    'Professional, scientific and technical activities',
    'Hoạt động chuyên môn, khoa học và công nghệ',
    [
      ['69', 'Legal and accounting activities', 'Hoạt động pháp luật, kế toán và kiểm toán'],
      [
        '70',
        'Activities of head offices; management consultancy activities',
        'Hoạt động của trụ sở văn phòng; hoạt động tư vấn quản lý',
      ],
      [
        '71',
        'Architectural and engineering activities; technical testing and analysis',
        'Hoạt động kiến trúc; kiểm tra và phân tích kỹ thuật',
      ],
      ['72', 'Scientific research and development', 'Nghiên cứu khoa học và phát triển công nghệ'],
      ['73', 'Advertising and market research', 'Quảng cáo và nghiên cứu thị trường'],
      [
        '74',
        'Other professional, scientific and technical activities',
        'Hoạt động chuyên môn, khoa học và công nghệ khác',
      ],
      ['75', 'Veterinary activities', 'Hoạt động thú y'],
    ],
  ],
  [
    'N',
    'Administrative and support service activities',
    'Hoạt động hành chính và dịch vụ hỗ trợ',
    [
      [
        '77',
        'Rental and leasing activities',
        'Cho thuê máy móc, thiết bị (không kèm người điều khiển); cho thuê đồ dùng cá nhân và gia đình; cho thuê tài sản vô hình phi tài chính',
      ],
      ['78', 'Employment activities', 'Hoạt động dịch vụ lao động và việc làm'],
      [
        '79',
        'Travel agency, tour operator, reservation service and related activities',
        'Hoạt động của các đại lý du lịch, kinh doanh tua du lịch và các dịch vụ hỗ trợ, liên quan đến quảng bá và tổ chức tua du lịch',
      ],
      ['80', 'Security and investigation activities', 'Hoạt động điều tra bảo đảm an toàn'],
      [
        '81',
        'Services to buildings and landscape activities',
        'Hoạt động dịch vụ vệ sinh nhà cửa, công trình và cảnh quan',
      ],
      [
        '82',
        'Office administrative, office support and other business support activities',
        'Hoạt động hành chính, hỗ trợ văn phòng và các hoạt động hỗ trợ kinh doanh khác',
      ],
    ],
  ],
  [
    'O',
    'Public administration and defence; compulsory social security',
    'Hoạt động của Đảng Cộng sản, tổ chức chính trị - xã hội, quản lý Nhà nước, an ninh quốc phòng; bảo đảm xã hội bắt buộc',
    [
      [
        '84',
        'Public administration and defence; compulsory social security',
        'Hoạt động của Đảng Cộng sản, tổ chức chính trị - xã hội, quản lý Nhà nước, an ninh quốc phòng, đối ngoại và bảo đảm xã hội bắt buộc',
      ],
    ],
  ],
  ['P', 'Education', 'Giáo dục và đào tạo', [['85', 'Education', 'Giáo dục và đào tạo']]],
  [
    'Q',
    'Human health and social work activities',
    'Y tế và hoạt động trợ giúp xã hội',
    [
      ['86', 'Human health activities', 'Hoạt động y tế'],
      ['87', 'Residential care activities', 'Hoạt động chăm sóc, điều dưỡng tập trung'],
      ['88', 'Social work activities without accommodation', 'Hoạt động trợ giúp xã hội không tập trung'],
    ],
  ],
  [
    'R',
    'Arts, entertainment and recreation',
    'Nghệ thuật, vui chơi và giải trí',
    [
      ['90', 'Creative, arts and entertainment activities', 'Hoạt động sáng tác, nghệ thuật và giải trí'],
      [
        '91',
        'Libraries, archives, museums and other cultural activities',
        'Hoạt động của thư viện, lưu trữ, bảo tàng và các hoạt động văn hoá khác',
      ],
      ['92', 'Gambling and betting activities', 'Hoạt động xổ số, cá cược và đánh bạc'],
      [
        '93',
        'Sports activities and amusement and recreation activities',
        'Hoạt động thể thao, vui chơi và giải trí',
      ],
    ],
  ],
  [
    'S',
    'Other service activities',
    'Hoạt động dịch vụ khác',
    [
      ['94', 'Activities of membership organizations', 'Hoạt động của các hiệp hội, tổ chức khác'],
      [
        '95',
        'Repair of computers and personal and household goods',
        'Sửa chữa máy vi tính, đồ dùng cá nhân và gia đình',
      ],
      ['96', 'Other personal service activities', 'Hoạt động dịch vụ phục vụ cá nhân khác'],
    ],
  ],
  [
    'T',
    'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
    'Hoạt động làm thuê các công việc trong các hộ gia đình, sản xuất sản phẩm vật chất và dịch vụ tự tiêu dùng của hộ gia đình',
    [
      [
        '97',
        'Activities of households as employers of domestic personnel',
        'Hoạt động làm thuê công việc gia đình trong các hộ gia đình',
      ],
      [
        '98',
        'Undifferentiated goods- and services-producing activities of private households for own use',
        'Hoạt động sản xuất sản phẩm vật chất và dịch vụ tự tiêu dùng của hộ gia đình',
      ],
    ],
  ],
  [
    'U',
    'Activities of extraterritorial organizations and bodies',
    'Hoạt động của các tổ chức và cơ quan quốc tế',
    [
      [
        '99',
        'Activities of extraterritorial organizations and bodies',
        'Hoạt động của các tổ chức và cơ quan quốc tế',
      ],
    ],
  ],
];

export const vsicSections: readonly VsicSection[] = Object.freeze(
  DATA.map(([code, name, nameVi, divisions]) =>
    Object.freeze({ code, name, nameVi, divisions: Object.freeze(divisions.map(([division]) => division)) }),
  ),
);

export const vsicDivisions: readonly VsicDivision[] = Object.freeze(
  DATA.flatMap(([section, , , divisions]) =>
    divisions.map(([code, name, nameVi]) => Object.freeze({ code, name, nameVi, section })),
  ),
);

const divisionByCode = new Map(vsicDivisions.map((d) => [d.code, d]));

/** A VSIC code is 2 to 5 digits whose first two digits are a known division. */
export function isValidVsicCode(code: string): boolean {
  return /^\d{2,5}$/.test(code) && divisionByCode.has(code.slice(0, 2));
}

/** Ancestors from the division down, excluding the code itself: '1079' → ['10', '107']. Empty for an invalid code. */
export function vsicAncestors(code: string): string[] {
  if (!isValidVsicCode(code)) return [];
  const ancestors: string[] = [];
  for (let length = 2; length < code.length; length++) ancestors.push(code.slice(0, length));
  return ancestors;
}

/** The division of any valid VSIC code, by its first two digits. */
export function findVsicDivision(code: string): VsicDivision | undefined {
  return isValidVsicCode(code) ? divisionByCode.get(code.slice(0, 2)) : undefined;
}
