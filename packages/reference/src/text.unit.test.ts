import { foldVietnamese, tokenize } from './text';

describe('foldVietnamese', () => {
  it.each([
    ['Thái Nguyên', 'thai nguyen'],
    ['Đồ gỗ', 'do go'],
    ['ĐỒ GỖ  Mỹ nghệ', 'do go my nghe'],
    ['  Hà   Nội\t', 'ha noi'],
    ['Bắc Kạn', 'bac kan'],
    ['Thừa Thiên Huế', 'thua thien hue'],
    ['Quảng Ngãi', 'quang ngai'],
    ['Ưu đãi ơn huệ', 'uu dai on hue'],
  ])('folds %j to %j', (input, folded) => {
    expect(foldVietnamese(input)).toBe(folded);
  });

  it('folds decomposed (NFD) input the same as composed', () => {
    expect(foldVietnamese('Thái Nguyên'.normalize('NFD'))).toBe('thai nguyen');
  });

  it('maps Ð (U+00D0) from legacy encodings to d', () => {
    expect(foldVietnamese('Ðà Nẵng')).toBe('da nang');
  });

  it('is idempotent on ASCII', () => {
    for (const text of ['thai nguyen', 'bao bi carton 5 lop', 'iso 9001', 'a-b_c.d']) {
      expect(foldVietnamese(text)).toBe(text);
      expect(foldVietnamese(foldVietnamese(text))).toBe(text);
    }
  });
});

describe('tokenize', () => {
  it('drops single characters, including single digits', () => {
    expect(tokenize('Bao bì carton 5 lớp')).toEqual(['bao', 'bi', 'carton', 'lop']);
  });

  it('splits on punctuation and keeps multi-digit numbers', () => {
    expect(tokenize('Gỗ, tre-nứa; ISO 9001/2015 (TP. HCM)')).toEqual([
      'go',
      'tre',
      'nua',
      'iso',
      '9001',
      '2015',
      'tp',
      'hcm',
    ]);
  });

  it('gives no tokens for empty or symbol-only input', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' - / . ')).toEqual([]);
  });
});
