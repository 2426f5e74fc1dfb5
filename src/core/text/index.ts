/**
 * Accent- and case-insensitive text for search: Vietnamese letters folded to ASCII (đ → d, ắ → a),
 * lower case, punctuation other than number/symbol separators turned into spaces. The same function
 * folds stored text and the user's query, so `quyet dinh khai sinh` finds `Quyết định … khai sinh`.
 * Used by documents (search vector) and procedures (catalogue search).
 */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9/\-.\s]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
