// Units people post quantities in. A posting keeps its unit as typed (matching compares units as text), so the
// portal stores the Vietnamese name of a known unit and shows it in the page's language: "120 tấn" reads
// "120 tonnes" in English.

export interface QuantityUnit {
  /** The Vietnamese name, which a posting stores. */
  vi: string;
  en: string;
  enPlural: string;
  /** Other ways of writing it, Vietnamese first, then English (compared in lower case). */
  viAliases: readonly string[];
  enAliases: readonly string[];
}

type Row = readonly [vi: string, en: string, enPlural: string, viAliases: string[], enAliases: string[]];

const ROWS: readonly Row[] = [
  ['tấn', 'tonne', 'tonnes', ['tan'], ['t', 'ton', 'tons', 'tonne', 'tonnes']],
  ['tạ', 'quintal (100 kg)', 'quintals (100 kg)', [], ['quintal', 'quintals']],
  ['kg', 'kg', 'kg', ['kí', 'ký', 'kilôgam', 'ki-lô-gam', 'cân'], ['kilogram', 'kilograms', 'kilo', 'kilos']],
  ['gam', 'gram', 'grams', ['g'], ['gram', 'grams', 'gramme', 'grammes']],
  ['lít', 'litre', 'litres', ['lit'], ['l', 'litre', 'litres', 'liter', 'liters']],
  ['mét', 'metre', 'metres', ['m', 'met'], ['metre', 'metres', 'meter', 'meters']],
  ['m²', 'm²', 'm²', ['m2', 'mét vuông'], ['sq m', 'square metre', 'square metres']],
  ['m³', 'm³', 'm³', ['m3', 'khối', 'mét khối'], ['cubic metre', 'cubic metres']],
  ['cái', 'piece', 'pieces', ['cai'], ['piece', 'pieces', 'pc', 'pcs']],
  ['chiếc', 'piece', 'pieces', ['chiec'], []],
  ['bộ', 'set', 'sets', ['bo'], ['set', 'sets']],
  ['sản phẩm', 'item', 'items', ['san pham', 'sp'], ['item', 'items', 'product', 'products']],
  ['thùng', 'carton', 'cartons', ['thung'], ['carton', 'cartons']],
  ['hộp', 'box', 'boxes', ['hop'], ['box', 'boxes']],
  ['bao', 'sack', 'sacks', [], ['sack', 'sacks']],
  ['túi', 'bag', 'bags', ['tui'], ['bag', 'bags']],
  ['cuộn', 'roll', 'rolls', ['cuon'], ['roll', 'rolls']],
  ['tấm', 'sheet', 'sheets', ['tam'], ['sheet', 'sheets']],
  ['đôi', 'pair', 'pairs', ['doi'], ['pair', 'pairs']],
  ['chai', 'bottle', 'bottles', [], ['bottle', 'bottles']],
  ['con', 'head (animals)', 'head (animals)', [], ['head']],
];

export const quantityUnits: readonly QuantityUnit[] = Object.freeze(
  ROWS.map(([vi, en, enPlural, viAliases, enAliases]) =>
    Object.freeze({
      vi,
      en,
      enPlural,
      viAliases: Object.freeze(viAliases),
      enAliases: Object.freeze(enAliases),
    }),
  ),
);

const key = (text: string) => text.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
const byVi = new Map<string, QuantityUnit>();
const byEn = new Map<string, QuantityUnit>();
for (const unit of quantityUnits) {
  for (const name of [unit.vi, ...unit.viAliases]) if (!byVi.has(key(name))) byVi.set(key(name), unit);
  for (const name of [unit.en, unit.enPlural, ...unit.enAliases])
    if (!byEn.has(key(name))) byEn.set(key(name), unit);
}

/** The known unit a text names, in either language; undefined for anything else. */
export function findQuantityUnit(text: string): QuantityUnit | undefined {
  return byVi.get(key(text)) ?? byEn.get(key(text));
}

/** What a posting stores: the Vietnamese name of a known unit ('tonnes' → 'tấn'), else the text trimmed. */
export function canonicalUnit(text: string): string {
  return findQuantityUnit(text)?.vi ?? text.trim();
}

/**
 * A unit in a language, for `value` of it: in English a Vietnamese unit is translated ('tấn' → 'tonnes',
 * 1 → 'tonne'), an English one is kept as written; in Vietnamese a known unit gets its Vietnamese name.
 * Anything unknown is shown as written.
 */
export function unitName(text: string, lang: 'vi' | 'en', value?: number): string {
  const trimmed = text.trim();
  if (lang === 'vi') return findQuantityUnit(trimmed)?.vi ?? trimmed;
  if (byEn.has(key(trimmed))) return trimmed;
  const unit = byVi.get(key(trimmed));
  if (!unit) return trimmed;
  return value === 1 ? unit.en : unit.enPlural;
}
