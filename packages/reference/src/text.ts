// Combining marks left by NFD: Vietnamese tones and the breve, circumflex and horn on vowels.
const COMBINING_MARKS = /\p{M}/gu;
// đ does not decompose under NFD. Ð (U+00D0, and its lower case ð) stands in for Đ in text converted from
// legacy Vietnamese encodings.
const D_WITH_STROKE = /[đĐÐð]/g;

/**
 * Lower-case, strip Vietnamese diacritics (NFD + remove combining marks) and map đ/Đ → d; collapse whitespace.
 * 'Thái Nguyên' → 'thai nguyen', 'Đồ gỗ' → 'do go'.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(D_WITH_STROKE, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** foldVietnamese then split on non-alphanumerics, dropping empty tokens and tokens of length 1. */
export function tokenize(text: string): string[] {
  return foldVietnamese(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 1);
}
