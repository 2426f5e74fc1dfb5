import { foldText } from '../../core/text/index.js';

// The folding moved to core/text (procedures use it too); re-exported for the module's callers.
export { foldText };

/** Search tokens for a number/symbol like `15/QĐ-UBND`: the whole (folded) and its parts. */
function symbolTokens(numberSymbol: string): string {
  const folded = foldText(numberSymbol);
  const parts = folded.split(/[/\-.\s]+/).filter(Boolean);
  return [folded.replace(/[/\-.]/g, '_'), ...parts].join(' ');
}

export type SearchFields = {
  unitId: string;
  subject: string;
  numberSymbol?: string | null;
  issuerName?: string | null;
  signerName?: string | null;
};

/** A token carrying the owning unit, so a unit-scoped full-text query is one GIN index scan. */
export const unitToken = (unitId: string): string => `u${unitId.replace(/-/g, '')}`;

/** The `search_text` column: folded words of subject, number/symbol, issuer, signer, plus the unit token. */
export function buildSearchText(f: SearchFields): string {
  return [
    foldText(f.subject),
    f.numberSymbol ? symbolTokens(f.numberSymbol) : '',
    f.issuerName ? foldText(f.issuerName) : '',
    f.signerName ? foldText(f.signerName) : '',
    unitToken(f.unitId),
  ]
    .filter(Boolean)
    .join(' ')
    .replace(/[/\-.]/g, ' ')
    .replace(/_/g, '');
}

/**
 * A user's query as a tsquery string for `to_tsquery('simple', …)`: every folded word must match,
 * the last one as a prefix (search-as-you-type). Returns null when nothing searchable is left.
 */
export function toTsQuery(q: string): string | null {
  const words = foldText(q)
    .replace(/[/\-.]/g, ' ')
    .split(' ')
    .filter((w) => /^[a-z0-9]+$/.test(w))
    .slice(0, 12);
  if (words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
}
