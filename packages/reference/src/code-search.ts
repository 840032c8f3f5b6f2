// Finding an HS or VSIC code by what a producer calls its goods: Vietnamese with or without diacritics,
// English, or the first digits of the code. The portal's code picker ranks with it.

import { hsChapters, isValidHsCode } from './hs';
import { hsHeadings } from './hs-headings';
import { foldVietnamese } from './text';
import { isValidVsicCode, vsicDivisions } from './vsic';

export type CodeSystem = 'hs' | 'vsic';
export type CodeLang = 'vi' | 'en';

export interface CodeOption {
  system: CodeSystem;
  code: string;
  name: string;
  nameVi: string;
  /** For a valid code the lists don't name (say HS 480411): the nearest listed code above it. */
  under?: { code: string; name: string; nameVi: string };
}

// Words people search by that the names don't contain ("dệt may" is how the sector is known).
const KEYWORDS: Record<string, string> = {
  'hs:44': 'lâm sản đồ gỗ forestry products',
  'hs:46': 'thủ công mỹ nghệ mây tre đan handicraft',
  'hs:48': 'bao bì giấy packaging',
  'hs:69': 'gốm sứ pottery',
  'hs:71': 'trang sức jewellery',
  'hs:73': 'cơ khí kim loại metal goods',
  'hs:84': 'cơ khí máy móc thiết bị mechanical engineering',
  'hs:85': 'điện tử linh kiện điện tử electronics components',
  'hs:94': 'đồ gỗ nội thất furniture',
  'vsic:10': 'chế biến nông sản thực phẩm agri-food processing',
  'vsic:13': 'dệt may textiles',
  'vsic:14': 'dệt may may mặc garments',
  'vsic:16': 'đồ gỗ mây tre đan thủ công handicraft',
  'vsic:20': 'hoá chất phân bón chemicals',
  'vsic:23': 'gốm sứ vật liệu xây dựng building materials ceramics',
  'vsic:25': 'cơ khí gia công kim loại metalworking mechanical',
  'vsic:26': 'điện tử linh kiện electronics',
  'vsic:28': 'cơ khí chế tạo máy machinery',
  'vsic:31': 'đồ gỗ nội thất',
  'vsic:32': 'thủ công mỹ nghệ handicraft',
};
for (let chapter = 50; chapter <= 60; chapter++) KEYWORDS[`hs:${chapter}`] = 'dệt may vải sợi textiles';
for (const chapter of [61, 62, 63]) KEYWORDS[`hs:${chapter}`] = 'dệt may quần áo may mặc garments clothing';

interface Indexed {
  option: CodeOption;
  vi: string;
  en: string;
  viWords: string[];
  enWords: string[];
  keywords: string;
  keywordWords: string[];
}

const words = (folded: string) => folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function indexed(option: CodeOption, keywords: string): Indexed {
  const vi = foldVietnamese(option.nameVi);
  const en = foldVietnamese(option.name);
  const folded = foldVietnamese(keywords);
  return {
    option,
    vi,
    en,
    viWords: words(vi),
    enWords: words(en),
    keywords: folded,
    keywordWords: words(folded),
  };
}

let lists: Record<CodeSystem, Indexed[]> | undefined;

// Built on first use, so importing the package costs nothing to those who never search.
function listOf(system: CodeSystem): Indexed[] {
  lists ??= {
    hs: [
      ...hsChapters.map((c) =>
        indexed(
          { system: 'hs', code: c.code, name: c.name, nameVi: c.nameVi },
          KEYWORDS[`hs:${c.code}`] ?? '',
        ),
      ),
      ...hsHeadings.map((h) =>
        // A heading is found by its chapter's words too, ranked after the chapter's own name.
        indexed(
          { system: 'hs', code: h.code, name: h.name, nameVi: h.nameVi },
          KEYWORDS[`hs:${h.code.slice(0, 2)}`] ?? '',
        ),
      ),
    ].sort((a, b) => a.option.code.localeCompare(b.option.code)),
    vsic: vsicDivisions.map((d) =>
      indexed(
        { system: 'vsic', code: d.code, name: d.name, nameVi: d.nameVi },
        KEYWORDS[`vsic:${d.code}`] ?? '',
      ),
    ),
  };
  return lists[system];
}

/** Every listed code of a system, in code order. */
export function codeOptions(system: CodeSystem): CodeOption[] {
  return listOf(system).map((i) => i.option);
}

const isValid = (system: CodeSystem, code: string) =>
  system === 'hs' ? isValidHsCode(code) : isValidVsicCode(code);

/**
 * A code with its names: the listed entry, or for a valid code the lists don't name, the code with the names
 * of the nearest listed code above it (`under`). Undefined for an invalid code.
 */
export function describeCode(system: CodeSystem, code: string): CodeOption | undefined {
  if (!isValid(system, code)) return undefined;
  const list = listOf(system);
  const exact = list.find((i) => i.option.code === code);
  if (exact) return exact.option;
  let parent: Indexed | undefined;
  for (const i of list) {
    if (code.startsWith(i.option.code) && (!parent || i.option.code.length > parent.option.code.length))
      parent = i;
  }
  if (!parent) return undefined;
  const { name, nameVi } = parent.option;
  return { system, code, name, nameVi, under: { code: parent.option.code, name, nameVi } };
}

function wordScore(token: string, list: readonly string[], exact: number, prefix: number): number {
  let best = 0;
  for (const word of list) {
    if (word === token) return exact;
    if (word.startsWith(token)) best = prefix;
  }
  return best;
}

/** How well one folded query word fits an entry; 0 when it doesn't. */
function tokenScore(token: string, entry: Indexed, lang: CodeLang): number {
  if (/^\d+$/.test(token)) return entry.option.code.startsWith(token) ? 6 : 0;
  const [first, second] = lang === 'vi' ? [entry.viWords, entry.enWords] : [entry.enWords, entry.viWords];
  const score = Math.max(
    wordScore(token, first, 4, 3),
    wordScore(token, second, 3, 2),
    wordScore(token, entry.keywordWords, 2, 1.5),
  );
  if (score > 0) return score;
  // Inside a word ("kraft" in "giaykraft" is rare, but "phe" in "caphe" typed without a space is common).
  if (token.length >= 3 && (entry.vi.replace(/ /g, '').includes(token) || entry.en.includes(token))) return 1;
  return 0;
}

function phraseBonus(query: string, entry: Indexed): number {
  let bonus = 0;
  for (const name of [entry.vi, entry.en]) {
    if (name === query) bonus = Math.max(bonus, 10);
    else if (name.startsWith(query)) bonus = Math.max(bonus, 5);
    else if (query.includes(' ') && name.includes(query)) bonus = Math.max(bonus, 3);
  }
  if (query.includes(' ') && entry.keywords.includes(query)) bonus = Math.max(bonus, 2);
  return bonus;
}

/**
 * The codes of a system that fit a query, best first: every word of the query must fit (a word of the name
 * in either language or of the sector's keywords, whole or as its start; digits as the start of the code),
 * whole words above starts, the page's language above the other, names that begin with or are the query
 * above those that merely contain it, then shorter names and broader codes. A valid code typed in full that
 * the lists don't name comes first, named after the code above it.
 */
export function searchCodes(
  system: CodeSystem,
  query: string,
  options: { lang?: CodeLang; limit?: number } = {},
): CodeOption[] {
  const lang = options.lang ?? 'vi';
  const limit = options.limit ?? 8;
  // "HS 4804", "48.04" and "VSIC 1079" are codes too.
  const folded = foldVietnamese(query)
    .replace(/^(hs|vsic)\b\s*/, '')
    .replace(/(\d)[.\s](?=\d)/g, '$1')
    .trim();
  if (!folded) return [];
  const tokens = words(folded);
  if (tokens.length === 0) return [];
  const scored: { entry: Indexed; score: number }[] = [];
  for (const entry of listOf(system)) {
    let score = 0;
    for (const token of tokens) {
      const s = tokenScore(token, entry, lang);
      if (s === 0) {
        score = 0;
        break;
      }
      score += s;
    }
    if (score === 0) continue;
    score += phraseBonus(folded, entry);
    scored.push({ entry, score });
  }
  const codeOnly = tokens.every((t) => /^\d+$/.test(t));
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      // Digits alone: the code itself, then the codes under it in order.
      (codeOnly
        ? a.entry.option.code.length - b.entry.option.code.length ||
          a.entry.option.code.localeCompare(b.entry.option.code)
        : 0) ||
      (lang === 'vi' ? a.entry.viWords.length - b.entry.viWords.length : 0) ||
      (lang === 'en' ? a.entry.enWords.length - b.entry.enWords.length : 0) ||
      a.entry.option.code.length - b.entry.option.code.length ||
      a.entry.option.code.localeCompare(b.entry.option.code),
  );
  const found = scored.map((s) => s.entry.option);
  if (/^\d+$/.test(folded) && !found.some((o) => o.code === folded)) {
    const typed = describeCode(system, folded);
    if (typed) found.unshift(typed);
  }
  return found.slice(0, limit);
}
