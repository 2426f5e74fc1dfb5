import { sql, type SQL } from 'drizzle-orm';

/**
 * A reporting period: local dates (Asia/Ho_Chi_Minh, UTC+7 all year) `from`–`to`, both included, as the
 * instants [start, end) the SQL compares with, and the moment the figures describe (`asOf`: the end of
 * the period, or now while it runs).
 */
export type Period = { from: string; to: string; start: Date; end: Date; asOf: Date; asOfDay: string };

const DAY_MS = 86_400_000;
const OFFSET_MS = 7 * 3_600_000;

/** yyyy-MM-dd of the local date of an instant. */
export const localDay = (at: Date): string => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);

/** The instant a local date starts (00:00 in Hà Nội). */
export const dayStart = (day: string): Date => new Date(`${day}T00:00:00+07:00`);

export function periodOf(from: string, to: string, now: Date): Period {
  const start = dayStart(from);
  const end = new Date(dayStart(to).getTime() + DAY_MS);
  const asOf = now < end ? now : end;
  return { from, to, start, end, asOf, asOfDay: localDay(asOf) };
}

/** The first and last day of the current month (the default period). */
export function currentMonth(now: Date): { from: string; to: string } {
  const today = localDay(now);
  const [y, m] = today.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${today.slice(0, 7)}-01`, to: `${today.slice(0, 7)}-${String(last).padStart(2, '0')}` };
}

/** SQL: the local date of a timestamptz expression (statistics compare dates, DOMAIN.md). */
export const localDateSql = (col: SQL): SQL => sql`((${col}) AT TIME ZONE INTERVAL '+07:00')::date`;

/** SQL: a uuid[] literal parameter. */
export const uuidArray = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

export const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;
