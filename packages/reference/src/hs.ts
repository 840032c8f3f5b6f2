// Harmonized System 2022 chapters. English: the WCO chapter titles. Vietnamese: the chapter titles of the
// Vietnamese export and import nomenclature (Danh mục hàng hóa xuất khẩu, nhập khẩu Việt Nam).

export interface HsChapter {
  /** '01'..'97'; '77' is reserved and absent. */
  code: string;
  name: string;
  nameVi: string;
}

const CHAPTERS: readonly (readonly [code: string, name: string, nameVi: string])[] = [
  ['01', 'Live animals', 'Động vật sống'],
  ['02', 'Meat and edible meat offal', 'Thịt và phụ phẩm dạng thịt ăn được sau giết mổ'],
  [
    '03',
    'Fish and crustaceans, molluscs and other aquatic invertebrates',
    'Cá và động vật giáp xác, động vật thân mềm và động vật thuỷ sinh không xương sống khác',
  ],
  [
    '04',
    "Dairy produce; birds' eggs; natural honey; edible products of animal origin, not elsewhere specified or included",
    'Sản phẩm bơ sữa; trứng chim và trứng gia cầm; mật ong tự nhiên; sản phẩm ăn được gốc động vật, chưa được chi tiết hoặc ghi ở nơi khác',
  ],
  [
    '05',
    'Products of animal origin, not elsewhere specified or included',
    'Sản phẩm gốc động vật, chưa được chi tiết hoặc ghi ở các nơi khác',
  ],
  [
    '06',
    'Live trees and other plants; bulbs, roots and the like; cut flowers and ornamental foliage',
    'Cây sống và các loại cây trồng khác; củ, rễ và loại tương tự; cành hoa và cành lá trang trí',
  ],
  ['07', 'Edible vegetables and certain roots and tubers', 'Rau và một số loại củ, thân củ và rễ ăn được'],
  [
    '08',
    'Edible fruit and nuts; peel of citrus fruit or melons',
    'Quả và quả hạch (nut) ăn được; vỏ quả thuộc họ cam quýt hoặc các loại dưa',
  ],
  ['09', 'Coffee, tea, maté and spices', 'Cà phê, chè, chè Paragoay và các loại gia vị'],
  ['10', 'Cereals', 'Ngũ cốc'],
  [
    '11',
    'Products of the milling industry; malt; starches; inulin; wheat gluten',
    'Các sản phẩm xay xát; malt; tinh bột; inulin; gluten lúa mì',
  ],
  [
    '12',
    'Oil seeds and oleaginous fruits; miscellaneous grains, seeds and fruit; industrial or medicinal plants; straw and fodder',
    'Hạt dầu và quả có dầu; các loại ngũ cốc, hạt và quả khác; cây công nghiệp hoặc cây dược liệu; rơm, rạ và cỏ khô',
  ],
  [
    '13',
    'Lac; gums, resins and other vegetable saps and extracts',
    'Nhựa cánh kiến đỏ; gôm, nhựa cây, các chất nhựa và các chất chiết xuất từ thực vật khác',
  ],
  [
    '14',
    'Vegetable plaiting materials; vegetable products not elsewhere specified or included',
    'Vật liệu thực vật dùng để tết bện; các sản phẩm thực vật chưa được chi tiết hoặc ghi ở nơi khác',
  ],
  [
    '15',
    'Animal, vegetable or microbial fats and oils and their cleavage products; prepared edible fats; animal or vegetable waxes',
    'Chất béo và dầu có nguồn gốc từ động vật, thực vật hoặc vi sinh vật và các sản phẩm tách từ chúng; chất béo ăn được đã chế biến; các loại sáp động vật hoặc thực vật',
  ],
  [
    '16',
    'Preparations of meat, of fish, of crustaceans, molluscs or other aquatic invertebrates, or of insects',
    'Các chế phẩm từ thịt, cá, động vật giáp xác, động vật thân mềm hoặc động vật thuỷ sinh không xương sống khác, hoặc từ côn trùng',
  ],
  ['17', 'Sugars and sugar confectionery', 'Đường và các loại kẹo đường'],
  ['18', 'Cocoa and cocoa preparations', 'Ca cao và các chế phẩm từ ca cao'],
  [
    '19',
    "Preparations of cereals, flour, starch or milk; pastrycooks' products",
    'Chế phẩm từ ngũ cốc, bột, tinh bột hoặc sữa; các loại bánh',
  ],
  [
    '20',
    'Preparations of vegetables, fruit, nuts or other parts of plants',
    'Các chế phẩm từ rau, quả, quả hạch (nut) hoặc các phần khác của cây',
  ],
  ['21', 'Miscellaneous edible preparations', 'Các chế phẩm ăn được khác'],
  ['22', 'Beverages, spirits and vinegar', 'Đồ uống, rượu và giấm'],
  [
    '23',
    'Residues and waste from the food industries; prepared animal fodder',
    'Phế liệu và phế thải từ ngành công nghiệp thực phẩm; thức ăn gia súc đã chế biến',
  ],
  [
    '24',
    'Tobacco and manufactured tobacco substitutes; products, whether or not containing nicotine, intended for inhalation without combustion; other nicotine containing products intended for the intake of nicotine into the human body',
    'Thuốc lá và nguyên liệu thay thế lá thuốc lá đã chế biến; các sản phẩm, chứa hoặc không chứa nicotin, dùng để hút mà không cần đốt cháy; các sản phẩm chứa nicotin khác dùng để nạp nicotin vào cơ thể con người',
  ],
  [
    '25',
    'Salt; sulphur; earths and stone; plastering materials, lime and cement',
    'Muối; lưu huỳnh; đất và đá; thạch cao, vôi và xi măng',
  ],
  ['26', 'Ores, slag and ash', 'Quặng, xỉ và tro'],
  [
    '27',
    'Mineral fuels, mineral oils and products of their distillation; bituminous substances; mineral waxes',
    'Nhiên liệu khoáng, dầu khoáng và các sản phẩm chưng cất từ chúng; các chất chứa bi-tum; các loại sáp khoáng chất',
  ],
  [
    '28',
    'Inorganic chemicals; organic or inorganic compounds of precious metals, of rare-earth metals, of radioactive elements or of isotopes',
    'Hoá chất vô cơ; các hợp chất vô cơ hay hữu cơ của kim loại quý, kim loại đất hiếm, các nguyên tố phóng xạ hoặc các chất đồng vị',
  ],
  ['29', 'Organic chemicals', 'Hoá chất hữu cơ'],
  ['30', 'Pharmaceutical products', 'Dược phẩm'],
  ['31', 'Fertilisers', 'Phân bón'],
  [
    '32',
    'Tanning or dyeing extracts; tannins and their derivatives; dyes, pigments and other colouring matter; paints and varnishes; putty and other mastics; inks',
    'Các chất chiết xuất làm thuốc nhuộm hoặc thuộc da; ta nanh và các chất dẫn xuất của chúng; thuốc nhuộm, thuốc màu và các chất màu khác; sơn và véc ni; chất gắn và các loại ma tít khác; các loại mực',
  ],
  [
    '33',
    'Essential oils and resinoids; perfumery, cosmetic or toilet preparations',
    'Tinh dầu và các chất tựa nhựa; nước hoa, mỹ phẩm hoặc các chế phẩm dùng cho vệ sinh',
  ],
  [
    '34',
    'Soap, organic surface-active agents, washing preparations, lubricating preparations, artificial waxes, prepared waxes, polishing or scouring preparations, candles and similar articles, modelling pastes, "dental waxes" and dental preparations with a basis of plaster',
    'Xà phòng, các chất hữu cơ hoạt động bề mặt, các chế phẩm dùng để giặt, rửa, các chế phẩm bôi trơn, các loại sáp nhân tạo, sáp đã được chế biến, các chế phẩm dùng để đánh bóng hoặc tẩy sạch, nến và các sản phẩm tương tự, bột nhão dùng làm hình mẫu, "sáp dùng trong nha khoa" và các chế phẩm dùng trong nha khoa có thành phần cơ bản là thạch cao',
  ],
  [
    '35',
    'Albuminoidal substances; modified starches; glues; enzymes',
    'Các chất chứa albumin; các dạng tinh bột biến tính; keo hồ; enzym',
  ],
  [
    '36',
    'Explosives; pyrotechnic products; matches; pyrophoric alloys; certain combustible preparations',
    'Chất nổ; các sản phẩm pháo; diêm; các hợp kim tự cháy; các chế phẩm dễ cháy khác',
  ],
  ['37', 'Photographic or cinematographic goods', 'Vật liệu ảnh hoặc điện ảnh'],
  ['38', 'Miscellaneous chemical products', 'Các sản phẩm hoá chất khác'],
  ['39', 'Plastics and articles thereof', 'Plastic và các sản phẩm bằng plastic'],
  ['40', 'Rubber and articles thereof', 'Cao su và các sản phẩm bằng cao su'],
  ['41', 'Raw hides and skins (other than furskins) and leather', 'Da sống (trừ da lông) và da thuộc'],
  [
    '42',
    'Articles of leather; saddlery and harness; travel goods, handbags and similar containers; articles of animal gut (other than silk-worm gut)',
    'Các sản phẩm bằng da thuộc; yên cương và bộ yên cương; các mặt hàng du lịch, túi xách và các loại đồ chứa tương tự; các sản phẩm làm từ ruột động vật (trừ ruột con tằm)',
  ],
  [
    '43',
    'Furskins and artificial fur; manufactures thereof',
    'Da lông và da lông nhân tạo; các sản phẩm làm từ da lông và da lông nhân tạo',
  ],
  ['44', 'Wood and articles of wood; wood charcoal', 'Gỗ và các mặt hàng bằng gỗ; than từ gỗ'],
  ['45', 'Cork and articles of cork', 'Lie và các sản phẩm bằng lie'],
  [
    '46',
    'Manufactures of straw, of esparto or of other plaiting materials; basketware and wickerwork',
    'Sản phẩm làm từ rơm, cỏ giấy hoặc từ các loại vật liệu tết bện khác; các sản phẩm bằng liễu gai và song mây',
  ],
  [
    '47',
    'Pulp of wood or of other fibrous cellulosic material; recovered (waste and scrap) paper or paperboard',
    'Bột giấy từ gỗ hoặc từ nguyên liệu xơ sợi xenlulo khác; giấy loại hoặc bìa loại thu hồi (phế liệu và vụn thừa)',
  ],
  [
    '48',
    'Paper and paperboard; articles of paper pulp, of paper or of paperboard',
    'Giấy và bìa; các sản phẩm làm bằng bột giấy, bằng giấy hoặc bằng bìa',
  ],
  [
    '49',
    'Printed books, newspapers, pictures and other products of the printing industry; manuscripts, typescripts and plans',
    'Sách, báo, tranh ảnh và các sản phẩm khác của công nghiệp in; các loại bản thảo viết bằng tay, đánh máy và sơ đồ',
  ],
  ['50', 'Silk', 'Tơ tằm'],
  [
    '51',
    'Wool, fine or coarse animal hair; horsehair yarn and woven fabric',
    'Lông cừu, lông động vật loại mịn hoặc loại thô; sợi từ lông đuôi hoặc bờm ngựa và vải dệt thoi từ các nguyên liệu trên',
  ],
  ['52', 'Cotton', 'Bông'],
  [
    '53',
    'Other vegetable textile fibres; paper yarn and woven fabrics of paper yarn',
    'Xơ dệt gốc thực vật khác; sợi giấy và vải dệt thoi từ sợi giấy',
  ],
  [
    '54',
    'Man-made filaments; strip and the like of man-made textile materials',
    'Sợi filament nhân tạo; dạng dải và các dạng tương tự từ nguyên liệu dệt nhân tạo',
  ],
  ['55', 'Man-made staple fibres', 'Xơ sợi staple nhân tạo'],
  [
    '56',
    'Wadding, felt and nonwovens; special yarns; twine, cordage, ropes and cables and articles thereof',
    'Mền xơ, phớt và các sản phẩm không dệt; các loại sợi đặc biệt; sợi xe, chão bện (cordage), thừng và cáp và các sản phẩm của chúng',
  ],
  ['57', 'Carpets and other textile floor coverings', 'Thảm và các loại hàng dệt trải sàn khác'],
  [
    '58',
    'Special woven fabrics; tufted textile fabrics; lace; tapestries; trimmings; embroidery',
    'Các loại vải dệt thoi đặc biệt; các loại vải dệt chần sợi vòng; hàng ren; thảm trang trí; hàng trang trí; hàng thêu',
  ],
  [
    '59',
    'Impregnated, coated, covered or laminated textile fabrics; textile articles of a kind suitable for industrial use',
    'Các loại vải dệt đã được ngâm tẩm, tráng, phủ hoặc ép lớp; các mặt hàng dệt thích hợp dùng trong công nghiệp',
  ],
  ['60', 'Knitted or crocheted fabrics', 'Các loại hàng dệt kim hoặc móc'],
  [
    '61',
    'Articles of apparel and clothing accessories, knitted or crocheted',
    'Quần áo và hàng may mặc phụ trợ, dệt kim hoặc móc',
  ],
  [
    '62',
    'Articles of apparel and clothing accessories, not knitted or crocheted',
    'Quần áo và các hàng may mặc phụ trợ, không dệt kim hoặc móc',
  ],
  [
    '63',
    'Other made up textile articles; sets; worn clothing and worn textile articles; rags',
    'Các mặt hàng dệt đã hoàn thiện khác; bộ vải; quần áo cũ và các loại hàng dệt cũ khác; vải vụn',
  ],
  [
    '64',
    'Footwear, gaiters and the like; parts of such articles',
    'Giày, dép, ghệt và các sản phẩm tương tự; các bộ phận của các sản phẩm trên',
  ],
  ['65', 'Headgear and parts thereof', 'Mũ và các vật đội đầu khác và các bộ phận của chúng'],
  [
    '66',
    'Umbrellas, sun umbrellas, walking-sticks, seat-sticks, whips, riding-crops and parts thereof',
    'Ô, dù che, ba toong, gậy tay cầm có thể chuyển thành ghế, roi, gậy điều khiển, roi điều khiển súc vật thồ kéo và các bộ phận của các sản phẩm trên',
  ],
  [
    '67',
    'Prepared feathers and down and articles made of feathers or of down; artificial flowers; articles of human hair',
    'Lông vũ và lông tơ chế biến, các sản phẩm bằng lông vũ hoặc lông tơ; hoa nhân tạo; các sản phẩm làm từ tóc người',
  ],
  [
    '68',
    'Articles of stone, plaster, cement, asbestos, mica or similar materials',
    'Sản phẩm làm bằng đá, thạch cao, xi măng, amiăng, mica hoặc các vật liệu tương tự',
  ],
  ['69', 'Ceramic products', 'Đồ gốm, sứ'],
  ['70', 'Glass and glassware', 'Thuỷ tinh và các sản phẩm bằng thuỷ tinh'],
  [
    '71',
    'Natural or cultured pearls, precious or semi-precious stones, precious metals, metals clad with precious metal, and articles thereof; imitation jewellery; coin',
    'Ngọc trai tự nhiên hoặc nuôi cấy, đá quý hoặc đá bán quý, kim loại quý, kim loại được dát phủ kim loại quý, và các sản phẩm của chúng; đồ trang sức làm bằng chất liệu khác; tiền kim loại',
  ],
  ['72', 'Iron and steel', 'Sắt và thép'],
  ['73', 'Articles of iron or steel', 'Các sản phẩm bằng sắt hoặc thép'],
  ['74', 'Copper and articles thereof', 'Đồng và các sản phẩm bằng đồng'],
  ['75', 'Nickel and articles thereof', 'Niken và các sản phẩm bằng niken'],
  ['76', 'Aluminium and articles thereof', 'Nhôm và các sản phẩm bằng nhôm'],
  // 77 is reserved for possible future use in the Harmonized System.
  ['78', 'Lead and articles thereof', 'Chì và các sản phẩm bằng chì'],
  ['79', 'Zinc and articles thereof', 'Kẽm và các sản phẩm bằng kẽm'],
  ['80', 'Tin and articles thereof', 'Thiếc và các sản phẩm bằng thiếc'],
  [
    '81',
    'Other base metals; cermets; articles thereof',
    'Kim loại cơ bản khác; gốm kim loại; các sản phẩm của chúng',
  ],
  [
    '82',
    'Tools, implements, cutlery, spoons and forks, of base metal; parts thereof of base metal',
    'Dụng cụ, đồ nghề, dao, kéo và bộ đồ ăn làm từ kim loại cơ bản; các bộ phận của chúng làm từ kim loại cơ bản',
  ],
  ['83', 'Miscellaneous articles of base metal', 'Hàng tạp hoá làm từ kim loại cơ bản'],
  [
    '84',
    'Nuclear reactors, boilers, machinery and mechanical appliances; parts thereof',
    'Lò phản ứng hạt nhân, nồi hơi, máy và thiết bị cơ khí; các bộ phận của chúng',
  ],
  [
    '85',
    'Electrical machinery and equipment and parts thereof; sound recorders and reproducers, television image and sound recorders and reproducers, and parts and accessories of such articles',
    'Máy điện và thiết bị điện và các bộ phận của chúng; máy ghi và tái tạo âm thanh, máy ghi và tái tạo hình ảnh và âm thanh truyền hình, và các bộ phận và phụ kiện của các loại máy trên',
  ],
  [
    '86',
    'Railway or tramway locomotives, rolling-stock and parts thereof; railway or tramway track fixtures and fittings and parts thereof; mechanical (including electro-mechanical) traffic signalling equipment of all kinds',
    'Đầu máy xe lửa hoặc xe điện, toa xe lửa và các bộ phận của chúng; vật cố định và ghép nối đường ray xe lửa hoặc xe điện và bộ phận của chúng; thiết bị tín hiệu giao thông bằng cơ khí (kể cả cơ điện) các loại',
  ],
  [
    '87',
    'Vehicles other than railway or tramway rolling-stock, and parts and accessories thereof',
    'Xe trừ phương tiện chạy trên đường sắt hoặc đường tàu điện, và các bộ phận và phụ kiện của chúng',
  ],
  ['88', 'Aircraft, spacecraft, and parts thereof', 'Phương tiện bay, tàu vũ trụ, và các bộ phận của chúng'],
  ['89', 'Ships, boats and floating structures', 'Tàu thuỷ, thuyền và các kết cấu nổi'],
  [
    '90',
    'Optical, photographic, cinematographic, measuring, checking, precision, medical or surgical instruments and apparatus; parts and accessories thereof',
    'Dụng cụ và thiết bị quang học, nhiếp ảnh, điện ảnh, đo lường, kiểm tra, chính xác, y tế hoặc phẫu thuật; các bộ phận và phụ kiện của chúng',
  ],
  [
    '91',
    'Clocks and watches and parts thereof',
    'Đồng hồ thời gian, đồng hồ cá nhân và các bộ phận của chúng',
  ],
  [
    '92',
    'Musical instruments; parts and accessories of such articles',
    'Nhạc cụ; các bộ phận và phụ kiện của chúng',
  ],
  [
    '93',
    'Arms and ammunition; parts and accessories thereof',
    'Vũ khí và đạn; các bộ phận và phụ kiện của chúng',
  ],
  [
    '94',
    'Furniture; bedding, mattresses, mattress supports, cushions and similar stuffed furnishings; luminaires and lighting fittings, not elsewhere specified or included; illuminated signs, illuminated name-plates and the like; prefabricated buildings',
    'Đồ nội thất; bộ đồ giường, đệm, khung đệm, nệm và các đồ dùng nhồi tương tự; đèn và bộ đèn, chưa được chi tiết hoặc ghi ở nơi khác; biển hiệu được chiếu sáng, biển đề tên được chiếu sáng và các loại tương tự; các cấu kiện nhà lắp ghép',
  ],
  [
    '95',
    'Toys, games and sports requisites; parts and accessories thereof',
    'Đồ chơi, thiết bị trò chơi và dụng cụ, thiết bị thể thao; các bộ phận và phụ kiện của chúng',
  ],
  ['96', 'Miscellaneous manufactured articles', 'Các mặt hàng khác'],
  ['97', "Works of art, collectors' pieces and antiques", 'Các tác phẩm nghệ thuật, đồ sưu tầm và đồ cổ'],
];

export const hsChapters: readonly HsChapter[] = Object.freeze(
  CHAPTERS.map(([code, name, nameVi]) => Object.freeze({ code, name, nameVi })),
);

const chapterByCode = new Map(hsChapters.map((c) => [c.code, c]));

/** An HS code is 2, 4, 6 or 8 digits whose first two digits are a known chapter. */
export function isValidHsCode(code: string): boolean {
  return /^(?:\d{2}){1,4}$/.test(code) && chapterByCode.has(code.slice(0, 2));
}

/** '480511' → ['48', '4805']; 8-digit codes also list the 6-digit parent. Empty for an invalid code. */
export function hsAncestors(code: string): string[] {
  if (!isValidHsCode(code)) return [];
  const ancestors: string[] = [];
  for (let length = 2; length < code.length; length += 2) ancestors.push(code.slice(0, length));
  return ancestors;
}

/** The chapter of any valid HS code, by its first two digits. */
export function findHsChapter(code: string): HsChapter | undefined {
  return isValidHsCode(code) ? chapterByCode.get(code.slice(0, 2)) : undefined;
}
