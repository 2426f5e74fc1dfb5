import { loadCalendar, type WorkingCalendar } from '../../core/calendar/index.js';
import type { Db } from '../../core/db/index.js';
import { getSetting } from '../../core/settings/index.js';
import { localDate } from './numbering.js';

/**
 * Deadline state of a handling item, by local calendar date (Asia/Ho_Chi_Minh):
 * done on time / done late (completion date vs due date: equal is on time), overdue (past due, open),
 * near due (due today or by `nearUntil`, open), on track, or none (no due date).
 */
export type DeadlineState = 'none' | 'on_track' | 'near_due' | 'overdue' | 'done_on_time' | 'done_late';

/** "Sắp đến hạn" = due within this many working days of the handler's unit calendar, unless the setting says otherwise. */
export const DEFAULT_NEAR_DUE_DAYS = 2;

/** The deadline digest's settings (`nearDueDays` is also the inbox's near-due window). */
export const DIGEST_KEY = 'documents.digest';

/** N of near due: the setting `documents.digest.nearDueDays` (PUT /api/settings/digest), else DEFAULT_NEAR_DUE_DAYS. */
export async function nearDueDays(db: Db): Promise<number> {
  const n = (await getSetting<{ nearDueDays?: number }>(db, DIGEST_KEY, {})).nearDueDays;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : DEFAULT_NEAR_DUE_DAYS;
}

const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

/**
 * The last local date that is near due on `today`: the `workingDays`-th working day after today in the calendar
 * (Friday with 2 → Tuesday; the Friday before Tết 2026 with 2 → 24/02, the second working day after the holiday).
 * Computed once per request and passed to SQL as a date, so that queries compare a column with a parameter.
 */
export function nearDueUntil(cal: Pick<WorkingCalendar, 'isWorkingDay'>, today: string, workingDays = DEFAULT_NEAR_DUE_DAYS): string {
  let day = today;
  // A calendar without a working day in a year is broken data: stop there rather than loop.
  for (let n = 0, guard = 0; n < workingDays && guard < 366; guard++) {
    day = addDays(day, 1);
    if (cal.isWorkingDay(day)) n++;
  }
  return day;
}

/** `nearDueUntil` in the calendar of the unit (the handler's primary unit; null: the deployment's calendar); N from the setting unless given. */
export async function nearDueUntilFor(db: Db, unitId: string | null, now: Date, workingDays?: number): Promise<string> {
  return nearDueUntil(await loadCalendar(db, unitId), localDate(now), workingDays ?? (await nearDueDays(db)));
}

/** A completed item against its due date, by local date (equal is on time; no due date is on time). */
export function completionState(dueDate: string | null, completedAt: Date): 'done_on_time' | 'done_late' {
  if (!dueDate) return 'done_on_time';
  return localDate(completedAt) <= dueDate ? 'done_on_time' : 'done_late';
}

export function deadlineState(dueDate: string | null, completedAt: Date | null, now: Date, nearUntil: string): DeadlineState {
  if (completedAt) return completionState(dueDate, completedAt);
  if (!dueDate) return 'none';
  const today = localDate(now);
  if (dueDate < today) return 'overdue';
  if (dueDate <= nearUntil) return 'near_due';
  return 'on_track';
}

/** Add calendar days to an ISO date. */
export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * 86_400_000).toISOString().slice(0, 10);
}
