/** Certifications and product recognitions a business can show. */
export type RecognitionKind =
  | 'OCOP'
  | 'TYPICAL_RURAL_PRODUCT'
  | 'ISO_9001'
  | 'ISO_14001'
  | 'ISO_22000'
  | 'HACCP'
  | 'VIETGAP';

export interface RecognitionDefinition {
  kind: RecognitionKind;
  name: string;
  nameVi: string;
  /** Levels a recognition of this kind must name; empty when it has none. */
  levels: readonly string[];
}

const RECOGNITIONS: RecognitionDefinition[] = [
  // OCOP stars; 1 and 2 stars are not a recognition, the programme certifies from 3 up.
  {
    kind: 'OCOP',
    name: 'One Commune One Product (OCOP)',
    nameVi: 'Chương trình Mỗi xã một sản phẩm (OCOP)',
    levels: ['3', '4', '5'],
  },
  {
    kind: 'TYPICAL_RURAL_PRODUCT',
    name: 'Typical rural industrial product',
    nameVi: 'Sản phẩm công nghiệp nông thôn tiêu biểu',
    levels: ['provincial', 'regional', 'national'],
  },
  {
    kind: 'ISO_9001',
    name: 'ISO 9001 quality management system',
    nameVi: 'Hệ thống quản lý chất lượng ISO 9001',
    levels: [],
  },
  {
    kind: 'ISO_14001',
    name: 'ISO 14001 environmental management system',
    nameVi: 'Hệ thống quản lý môi trường ISO 14001',
    levels: [],
  },
  {
    kind: 'ISO_22000',
    name: 'ISO 22000 food safety management system',
    nameVi: 'Hệ thống quản lý an toàn thực phẩm ISO 22000',
    levels: [],
  },
  {
    kind: 'HACCP',
    name: 'Hazard Analysis and Critical Control Points (HACCP)',
    nameVi: 'Hệ thống phân tích mối nguy và điểm kiểm soát tới hạn (HACCP)',
    levels: [],
  },
  {
    kind: 'VIETGAP',
    name: 'Vietnamese Good Agricultural Practices (VietGAP)',
    nameVi: 'Thực hành sản xuất nông nghiệp tốt ở Việt Nam (VietGAP)',
    levels: [],
  },
];

export const recognitions: readonly RecognitionDefinition[] = Object.freeze(
  RECOGNITIONS.map((r) => Object.freeze({ ...r, levels: Object.freeze([...r.levels]) })),
);

const recognitionByKind = new Map<string, RecognitionDefinition>(recognitions.map((r) => [r.kind, r]));

/** A known kind, with a level exactly when the kind has levels, and then one of them. */
export function isValidRecognition(kind: string, level?: string): boolean {
  const definition = recognitionByKind.get(kind);
  if (definition === undefined) return false;
  if (definition.levels.length === 0) return level === undefined;
  return level !== undefined && definition.levels.includes(level);
}
