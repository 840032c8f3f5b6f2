// A compact list of HS 2022 headings (4 digits) that the programme's producers trade most: agri-food
// processing, textiles and garments, handicraft, wood and paper, building materials, metal goods, machinery,
// electrical and electronic parts, chemicals and plastics. Not the whole nomenclature (about 1,200 headings):
// the names are short everyday names written for this project in English and Vietnamese, not the official
// heading titles, so a producer recognises its goods; any other valid code can still be typed.

import { isValidHsCode } from './hs';

export interface HsHeading {
  /** Four digits, e.g. '4804'. */
  code: string;
  name: string;
  nameVi: string;
}

const HEADINGS: readonly (readonly [code: string, name: string, nameVi: string])[] = [
  // Meat, fish, dairy, eggs, honey
  ['0201', 'Beef, fresh or chilled', 'Thịt bò tươi hoặc ướp lạnh'],
  ['0203', 'Pork, fresh, chilled or frozen', 'Thịt lợn tươi, ướp lạnh hoặc đông lạnh'],
  ['0207', 'Poultry meat and offal', 'Thịt và phụ phẩm gia cầm'],
  ['0302', 'Fish, fresh or chilled', 'Cá tươi hoặc ướp lạnh'],
  ['0303', 'Fish, frozen', 'Cá đông lạnh'],
  ['0304', 'Fish fillets', 'Phi-lê cá'],
  ['0306', 'Shrimps, prawns, crabs and other crustaceans', 'Tôm, cua và động vật giáp xác khác'],
  ['0401', 'Milk and cream, not concentrated', 'Sữa và kem tươi'],
  ['0407', "Birds' eggs in shell", 'Trứng gia cầm nguyên vỏ'],
  ['0409', 'Natural honey', 'Mật ong tự nhiên'],
  // Vegetables, fruit, nuts
  ['0701', 'Potatoes', 'Khoai tây'],
  ['0709', 'Other vegetables, fresh', 'Rau tươi các loại'],
  ['0712', 'Dried vegetables and mushrooms', 'Rau, nấm sấy khô'],
  ['0714', 'Cassava, sweet potatoes and similar roots', 'Sắn, khoai lang và củ tương tự'],
  ['0801', 'Coconuts and cashew nuts', 'Dừa, hạt điều'],
  ['0803', 'Bananas', 'Chuối'],
  ['0804', 'Mangoes, pineapples, guavas, avocados', 'Xoài, dứa, ổi, bơ'],
  ['0805', 'Citrus fruit: oranges, pomelos, lemons', 'Quả có múi: cam, bưởi, chanh'],
  ['0810', 'Other fresh fruit: lychees, longans, dragon fruit', 'Quả tươi khác: vải, nhãn, thanh long'],
  ['0813', 'Dried fruit', 'Quả sấy khô'],
  // Coffee, tea, spices, cereals
  ['0901', 'Coffee', 'Cà phê'],
  ['0902', 'Tea', 'Chè (trà)'],
  ['0904', 'Pepper', 'Hạt tiêu'],
  ['0906', 'Cinnamon', 'Quế'],
  ['0909', 'Star anise and other seed spices', 'Hoa hồi và hạt gia vị khác'],
  ['0910', 'Ginger, turmeric and other spices', 'Gừng, nghệ và gia vị khác'],
  ['1005', 'Maize (corn)', 'Ngô'],
  ['1006', 'Rice', 'Lúa gạo'],
  ['1102', 'Cereal flours other than wheat (rice flour)', 'Bột ngũ cốc (bột gạo)'],
  ['1108', 'Starches (cassava starch)', 'Tinh bột (tinh bột sắn)'],
  ['1211', 'Medicinal and aromatic plants', 'Cây dược liệu, cây hương liệu'],
  ['1515', 'Other vegetable oils', 'Dầu thực vật khác'],
  // Processed food and drink, animal feed
  ['1602', 'Prepared or preserved meat', 'Thịt chế biến, đóng hộp'],
  ['1604', 'Prepared or preserved fish', 'Cá chế biến, đóng hộp'],
  ['1605', 'Prepared or preserved shrimps and molluscs', 'Tôm, mực chế biến'],
  ['1701', 'Cane sugar', 'Đường mía'],
  ['1704', 'Sweets and confectionery', 'Bánh kẹo đường'],
  ['1806', 'Chocolate and cocoa food', 'Sô-cô-la, thực phẩm có ca cao'],
  ['1902', 'Noodles: pho, bun, vermicelli, pasta', 'Mì, phở, bún, miến'],
  ['1905', 'Bread, biscuits, cakes, rice paper', 'Bánh mì, bánh quy, bánh ngọt, bánh tráng'],
  ['2005', 'Prepared vegetables, pickles', 'Rau chế biến, dưa muối'],
  ['2007', 'Jams and fruit jellies', 'Mứt quả'],
  ['2008', 'Prepared fruit and nuts (roasted cashews)', 'Quả và hạt chế biến (hạt điều rang)'],
  ['2009', 'Fruit and vegetable juices', 'Nước ép trái cây, rau'],
  ['2101', 'Instant coffee, tea and coffee extracts', 'Cà phê hoà tan, chiết xuất cà phê và chè'],
  ['2103', 'Sauces: fish sauce, soy sauce, chilli sauce', 'Nước chấm: nước mắm, xì dầu, tương ớt'],
  ['2106', 'Other food preparations', 'Thực phẩm chế biến khác'],
  ['2201', 'Drinking and mineral water', 'Nước uống, nước khoáng'],
  ['2202', 'Soft drinks', 'Nước giải khát'],
  ['2208', 'Spirits and rice wine', 'Rượu mạnh, rượu gạo'],
  ['2309', 'Animal feed', 'Thức ăn chăn nuôi, thức ăn thuỷ sản'],
  // Cement
  ['2523', 'Cement', 'Xi măng'],
  // Chemicals, fertilisers, plastics, rubber
  ['3004', 'Medicines', 'Thuốc chữa bệnh'],
  ['3105', 'Mixed fertilisers (NPK)', 'Phân bón hỗn hợp (NPK)'],
  ['3208', 'Paints and varnishes', 'Sơn và vecni'],
  ['3304', 'Cosmetics and skin care', 'Mỹ phẩm, sản phẩm chăm sóc da'],
  ['3401', 'Soap', 'Xà phòng'],
  ['3402', 'Detergents and cleaning products', 'Chất tẩy rửa, nước giặt'],
  ['3808', 'Pesticides and disinfectants', 'Thuốc bảo vệ thực vật, thuốc khử trùng'],
  ['3901', 'Polyethylene in primary forms', 'Hạt nhựa PE nguyên sinh'],
  ['3917', 'Plastic pipes and hoses', 'Ống nhựa'],
  ['3920', 'Plastic sheets and film', 'Tấm, màng nhựa'],
  ['3923', 'Plastic packaging: bottles, boxes, bags', 'Bao bì nhựa: chai, hộp, túi'],
  ['3926', 'Other plastic articles', 'Sản phẩm nhựa khác'],
  ['4001', 'Natural rubber', 'Cao su tự nhiên'],
  ['4011', 'New rubber tyres', 'Lốp cao su mới'],
  ['4016', 'Other rubber articles', 'Sản phẩm cao su khác'],
  // Leather goods
  ['4202', 'Bags, suitcases and wallets', 'Túi xách, vali, ví'],
  // Wood, bamboo, rattan, paper
  ['4401', 'Wood chips, pellets and firewood', 'Dăm gỗ, viên nén gỗ, củi'],
  ['4403', 'Logs', 'Gỗ tròn'],
  ['4407', 'Sawn wood', 'Gỗ xẻ'],
  ['4412', 'Plywood', 'Gỗ dán'],
  ['4418', 'Wooden doors, windows and building joinery', 'Cửa gỗ, đồ mộc xây dựng'],
  ['4420', 'Wooden ornaments and fine woodwork', 'Đồ gỗ mỹ nghệ, tượng gỗ'],
  ['4421', 'Other wood and bamboo articles: chopsticks, toothpicks', 'Sản phẩm gỗ, tre khác: đũa, tăm'],
  ['4601', 'Mats and plaits of rush, bamboo or rattan', 'Chiếu, mành, tấm đan từ cói, tre, mây'],
  ['4602', 'Baskets and wickerwork of bamboo, rattan, rush', 'Hàng mây tre đan, cói: giỏ, rổ, làn'],
  ['4703', 'Chemical wood pulp', 'Bột giấy hoá học'],
  ['4802', 'Printing and writing paper', 'Giấy in, giấy viết'],
  ['4804', 'Kraft paper and paperboard', 'Giấy và bìa kraft'],
  ['4808', 'Corrugated paper and paperboard', 'Giấy và bìa sóng'],
  ['4818', 'Toilet paper, tissues and napkins', 'Giấy vệ sinh, khăn giấy'],
  ['4819', 'Cartons, boxes and bags of paper', 'Thùng carton, hộp giấy, túi giấy'],
  ['4821', 'Paper labels', 'Nhãn giấy'],
  ['4911', 'Printed matter: leaflets, posters', 'Ấn phẩm in: tờ rơi, áp phích'],
  // Textiles and garments
  ['5007', 'Woven silk fabrics', 'Vải lụa tơ tằm'],
  ['5205', 'Cotton yarn', 'Sợi bông'],
  ['5208', 'Woven cotton fabrics', 'Vải bông dệt thoi'],
  ['5402', 'Synthetic filament yarn', 'Sợi filament tổng hợp'],
  ['5407', 'Woven synthetic fabrics', 'Vải dệt thoi sợi tổng hợp'],
  ['5608', 'Fishing nets and knotted netting', 'Lưới đánh cá, lưới thắt nút'],
  ['5805', 'Hand-woven tapestries and brocade', 'Thảm dệt tay, vải thổ cẩm'],
  ['5810', 'Embroidery', 'Hàng thêu'],
  ['6006', 'Knitted fabrics', 'Vải dệt kim'],
  ['6109', 'T-shirts and vests, knitted', 'Áo phông, áo ba lỗ dệt kim'],
  ['6110', 'Jumpers and sweatshirts, knitted', 'Áo len, áo nỉ dệt kim'],
  ['6203', "Men's suits, jackets and trousers", 'Com-lê, áo khoác, quần âu nam'],
  ['6204', "Women's suits, dresses and skirts", 'Vest, váy, quần nữ'],
  ['6205', "Men's shirts", 'Áo sơ mi nam'],
  ['6211', 'Sportswear, swimwear and work clothes', 'Quần áo thể thao, đồ bơi, quần áo bảo hộ'],
  ['6302', 'Bed linen, table linen and towels', 'Ga trải giường, khăn bàn, khăn tắm'],
  ['6305', 'Sacks and bags for packing goods', 'Bao, túi đựng hàng'],
  ['6307', 'Other made-up textile articles (masks)', 'Sản phẩm dệt may khác (khẩu trang)'],
  // Footwear and hats
  ['6402', 'Footwear of rubber or plastics', 'Giày dép cao su, nhựa'],
  ['6403', 'Leather footwear', 'Giày dép da'],
  ['6504', 'Plaited hats (conical hats)', 'Mũ, nón tết bện (nón lá)'],
  // Stone, bricks, ceramics and glass
  ['6802', 'Worked stone for building and art', 'Đá ốp lát, đá mỹ nghệ'],
  ['6810', 'Concrete and cement goods, unfired bricks', 'Sản phẩm bê tông, xi măng, gạch không nung'],
  ['6904', 'Fired building bricks', 'Gạch nung xây dựng'],
  ['6907', 'Ceramic floor and wall tiles', 'Gạch ốp lát gốm, ceramic'],
  ['6911', 'Porcelain tableware', 'Bát đĩa, đồ dùng bằng sứ'],
  ['6912', 'Pottery and earthenware tableware', 'Đồ gốm gia dụng (bát, đĩa, chum, vại)'],
  ['6913', 'Ceramic ornaments', 'Đồ gốm sứ mỹ nghệ, trang trí'],
  ['7010', 'Glass bottles and jars', 'Chai, lọ thuỷ tinh'],
  // Iron, steel, aluminium, tools
  ['7208', 'Hot-rolled steel sheet and coil', 'Thép cán nóng dạng tấm, cuộn'],
  ['7210', 'Coated steel sheet (galvanised, roofing)', 'Thép tấm mạ, tôn lợp'],
  ['7214', 'Steel bars and rebar', 'Thép thanh, thép cốt bê tông'],
  ['7306', 'Steel pipes and tubes', 'Ống thép'],
  ['7308', 'Steel structures', 'Kết cấu thép'],
  ['7318', 'Screws, bolts and nuts', 'Bu lông, ốc vít, đai ốc'],
  ['7323', 'Household articles of steel: pots, basins', 'Đồ gia dụng bằng thép: nồi, chậu'],
  ['7326', 'Other articles of iron or steel', 'Sản phẩm sắt thép khác'],
  ['7604', 'Aluminium bars and profiles', 'Nhôm thanh, nhôm định hình'],
  ['7615', 'Aluminium household articles', 'Đồ gia dụng bằng nhôm'],
  ['8201', 'Farm hand tools: hoes, spades, sickles', 'Nông cụ cầm tay: cuốc, xẻng, liềm'],
  ['8211', 'Knives', 'Dao'],
  // Machinery
  ['8413', 'Pumps for liquids', 'Máy bơm chất lỏng'],
  ['8414', 'Fans and air compressors', 'Quạt, máy nén khí'],
  ['8419', 'Dryers and heating equipment (crop dryers)', 'Máy sấy, thiết bị gia nhiệt (sấy nông sản)'],
  ['8424', 'Sprayers', 'Máy phun, bình phun'],
  ['8432', 'Soil-working machines: ploughs, tillers', 'Máy làm đất: cày, xới'],
  ['8433', 'Harvesting machines', 'Máy thu hoạch nông sản'],
  ['8437', 'Grain cleaning and milling machines', 'Máy làm sạch, xay xát ngũ cốc'],
  ['8438', 'Food-processing machines', 'Máy chế biến thực phẩm'],
  ['8452', 'Sewing machines', 'Máy khâu, máy may'],
  ['8465', 'Woodworking machines', 'Máy gia công gỗ'],
  ['8471', 'Computers', 'Máy tính'],
  ['8479', 'Other special-purpose machines', 'Máy chuyên dụng khác'],
  ['8481', 'Taps and valves', 'Vòi, van'],
  ['8482', 'Ball and roller bearings', 'Ổ bi, ổ lăn'],
  ['8483', 'Shafts, gears and gearboxes', 'Trục truyền động, bánh răng, hộp số'],
  // Electrical and electronic
  ['8501', 'Electric motors and generators', 'Động cơ điện, máy phát điện'],
  ['8504', 'Transformers and power supplies', 'Máy biến áp, bộ nguồn'],
  ['8507', 'Batteries (accumulators)', 'Ắc quy, pin sạc'],
  [
    '8516',
    'Electric cooking and heating appliances (rice cookers)',
    'Thiết bị điện nhiệt gia dụng (nồi cơm điện)',
  ],
  ['8517', 'Telephones and network equipment', 'Điện thoại, thiết bị mạng'],
  ['8528', 'Monitors and televisions', 'Màn hình, ti vi'],
  ['8532', 'Capacitors', 'Tụ điện'],
  ['8534', 'Printed circuit boards', 'Bảng mạch in'],
  ['8536', 'Switches, sockets and connectors', 'Công tắc, ổ cắm, đầu nối điện'],
  ['8539', 'Lamps and LED bulbs', 'Bóng đèn, đèn LED'],
  ['8541', 'Semiconductors, LEDs and solar cells', 'Linh kiện bán dẫn, điốt phát quang, pin mặt trời'],
  ['8542', 'Integrated circuits (chips)', 'Mạch tích hợp (chip)'],
  ['8544', 'Insulated wire and cable', 'Dây điện, cáp điện'],
  // Vehicles, furniture, other
  ['8708', 'Motor vehicle parts', 'Phụ tùng ô tô'],
  ['8711', 'Motorcycles', 'Xe máy'],
  ['8714', 'Motorcycle and bicycle parts', 'Phụ tùng xe máy, xe đạp'],
  ['9401', 'Seats and chairs', 'Ghế ngồi'],
  ['9403', 'Other furniture: tables, cabinets, beds', 'Đồ nội thất khác: bàn, tủ, giường'],
  ['9405', 'Lights and lighting fittings', 'Đèn chiếu sáng'],
  ['9503', 'Toys', 'Đồ chơi'],
  ['9603', 'Brooms and brushes', 'Chổi, bàn chải'],
];

export const hsHeadings: readonly HsHeading[] = Object.freeze(
  HEADINGS.map(([code, name, nameVi]) => Object.freeze({ code, name, nameVi })),
);

const headingByCode = new Map(hsHeadings.map((h) => [h.code, h]));

/** The heading of the list for a valid HS code of 4 digits or more (its first four digits), if listed. */
export function findHsHeading(code: string): HsHeading | undefined {
  return code.length >= 4 && isValidHsCode(code) ? headingByCode.get(code.slice(0, 4)) : undefined;
}
