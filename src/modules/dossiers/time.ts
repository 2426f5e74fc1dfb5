/** Times as Vietnamese people read them: Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving). */

const OFFSET_MS = 7 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number };

export function localParts(at: Date): LocalParts {
  const d = new Date(at.getTime() + OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** yyyy-MM-dd (local). */
export function localIsoDate(at: Date): string {
  const p = localParts(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** dd/MM/yyyy (local). */
export function formatDay(at: Date): string {
  const p = localParts(at);
  return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** HH:mm dd/MM/yyyy (local). */
export function formatDateTime(at: Date): string {
  const p = localParts(at);
  return `${pad(p.hour)}:${pad(p.minute)} ${formatDay(at)}`;
}

/** "14 giờ 30 phút, ngày 05/03/2026" — the wording of the receipt (form 01). */
export function spokenDateTime(at: Date): string {
  const p = localParts(at);
  return `${pad(p.hour)} giờ ${pad(p.minute)} phút, ngày ${formatDay(at)}`;
}

/** Days since 1970-01-01 counted in local dates: two instants on the same local day give the same number. */
export const dayNumber = (at: Date): number => Math.floor((at.getTime() + OFFSET_MS) / 86_400_000);
