/**
 * Calendar days as 'yyyy-MM-dd' strings and instants in Vietnam's local time. Asia/Ho_Chi_Minh has
 * been UTC+7 without daylight saving since 13 June 1975, so local time is a fixed offset: no Intl or
 * time-zone database is needed, and every function here is pure and fast.
 */
export const VN_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function dayNumber(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a yyyy-MM-dd day: ${day}`);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
}

export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A real calendar day (rejects 2026-02-30). */
export function isValidDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  return dayString(dayNumber(day)) === day;
}

export function addDays(day: string, n: number): string {
  return dayString(dayNumber(day) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The local (UTC+7) day number and milliseconds since local midnight of an instant. */
export function localParts(at: Date): { day: number; ms: number } {
  const t = at.getTime() + VN_OFFSET_MS;
  const day = Math.floor(t / DAY_MS);
  return { day, ms: t - day * DAY_MS };
}

/** The instant of a local day plus milliseconds since its midnight. */
export function instantOf(day: number, ms: number): Date {
  return new Date(day * DAY_MS + ms - VN_OFFSET_MS);
}

/** The local calendar day of an instant, 'yyyy-MM-dd'. */
export function localDay(at: Date): string {
  return dayString(localParts(at).day);
}

/** 'HH:mm' → minutes since midnight (24:00 allowed as the end of a day). */
export function parseClock(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m || (m[1] === '24' && m[2] !== '00')) throw new RangeError(`not an HH:mm time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** dd/MM/yyyy for Vietnamese text. */
export function formatDayVi(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}
