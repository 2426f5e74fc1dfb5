/**
 * Number, symbol and date line of an official document (Decree 30/2020, Appendix I).
 * `Số: 15/QĐ-UBND` · công văn `05/UBND-VP` · legal normative `12/2026/QĐ-UBND` ·
 * `Tân An, ngày 05 tháng 01 năm 2026`.
 */
export type SymbolInput = {
  number: number;
  year: number;
  typeAbbreviation: string | null; // null for Công văn / Thư công
  issuerAbbreviation: string; // e.g. UBND
  draftingUnitAbbreviation?: string | null; // công văn: the drafting unit, e.g. VP
  legalNormative?: boolean;
};

/** Numbers below 10 are written with a leading zero (01..09). */
export const padNumber = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The notation (ký hiệu) part: `QĐ-UBND`, `UBND-VP`, `2026/QĐ-UBND` is built by renderNumberSymbol. */
export function renderNotation(s: Omit<SymbolInput, 'number' | 'year'>): string {
  if (s.typeAbbreviation) return `${s.typeAbbreviation}-${s.issuerAbbreviation}`;
  const drafting = s.draftingUnitAbbreviation?.trim();
  return drafting && drafting !== s.issuerAbbreviation ? `${s.issuerAbbreviation}-${drafting}` : s.issuerAbbreviation;
}

export function renderNumberSymbol(s: SymbolInput): string {
  const notation = renderNotation(s);
  return s.legalNormative ? `${padNumber(s.number)}/${s.year}/${notation}` : `${padNumber(s.number)}/${notation}`;
}

/** `ngày 05 tháng 01 năm 2026`: day padded below 10, month padded only for January and February. */
export function dateLine(place: string, isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const day = padNumber(d);
  const month = m <= 2 ? padNumber(m) : String(m);
  return `${place}, ngày ${day} tháng ${month} năm ${y}`;
}

const PLACE_PREFIX = /^(ủy ban nhân dân|uỷ ban nhân dân|hội đồng nhân dân|ubnd|hđnd)\s+(tỉnh|thành phố|xã|phường|đặc khu|thị trấn|huyện|quận|thị xã)\s+/iu;

/** The place (địa danh) of a people's committee from its name: `Ủy ban nhân dân xã Tân An` → `Tân An`. */
export function placeName(agencyName: string): string {
  const n = agencyName.normalize('NFC').trim();
  const m = PLACE_PREFIX.exec(n);
  return m ? n.slice(m[0].length) : n;
}

/** dd/MM/yyyy for an ISO date, as shown everywhere in the interface. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}
