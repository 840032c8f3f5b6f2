import { isValidRecognition, recognitions } from './recognitions';

describe('recognitions', () => {
  it('defines the seven kinds with their levels', () => {
    expect(Object.fromEntries(recognitions.map((r) => [r.kind, r.levels]))).toEqual({
      OCOP: ['3', '4', '5'],
      TYPICAL_RURAL_PRODUCT: ['provincial', 'regional', 'national'],
      ISO_9001: [],
      ISO_14001: [],
      ISO_22000: [],
      HACCP: [],
      VIETGAP: [],
    });
    for (const r of recognitions) {
      expect(r.name).not.toBe('');
      expect(r.nameVi).not.toBe('');
    }
  });

  it('accepts OCOP stars 3 to 5 only', () => {
    expect(isValidRecognition('OCOP', '3')).toBe(true);
    expect(isValidRecognition('OCOP', '5')).toBe(true);
    expect(isValidRecognition('OCOP', '2')).toBe(false);
    expect(isValidRecognition('OCOP', '6')).toBe(false);
    expect(isValidRecognition('OCOP')).toBe(false);
  });

  it('accepts the three levels of a typical rural industrial product', () => {
    for (const level of ['provincial', 'regional', 'national']) {
      expect(isValidRecognition('TYPICAL_RURAL_PRODUCT', level)).toBe(true);
    }
    expect(isValidRecognition('TYPICAL_RURAL_PRODUCT', 'district')).toBe(false);
    expect(isValidRecognition('TYPICAL_RURAL_PRODUCT')).toBe(false);
  });

  it.each(['ISO_9001', 'ISO_14001', 'ISO_22000', 'HACCP', 'VIETGAP'])(
    'accepts %s only without a level',
    (kind) => {
      expect(isValidRecognition(kind)).toBe(true);
      expect(isValidRecognition(kind, '3')).toBe(false);
      expect(isValidRecognition(kind, '')).toBe(false);
    },
  );

  it('rejects unknown kinds', () => {
    expect(isValidRecognition('ISO_45001')).toBe(false);
    expect(isValidRecognition('ocop', '4')).toBe(false);
    expect(isValidRecognition('')).toBe(false);
  });
});
