import { localDate } from './numbering.js';

/**
 * Deadline state of a handling item, by local calendar date (Asia/Ho_Chi_Minh):
 * done on time / done late (completion date vs due date: equal is on time), overdue (past due, open),
 * near due (due within `nearDays` days, open), on track, or none (no due date).
 */
export type DeadlineState = 'none' | 'on_track' | 'near_due' | 'overdue' | 'done_on_time' | 'done_late';

export const DEFAULT_NEAR_DUE_DAYS = 2;

const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);

export function deadlineState(dueDate: string | null, completedAt: Date | null, now: Date, nearDays = DEFAULT_NEAR_DUE_DAYS): DeadlineState {
  if (completedAt) {
    if (!dueDate) return 'done_on_time';
    return localDate(completedAt) <= dueDate ? 'done_on_time' : 'done_late';
  }
  if (!dueDate) return 'none';
  const left = dayNumber(dueDate) - dayNumber(localDate(now));
  if (left < 0) return 'overdue';
  if (left <= nearDays) return 'near_due';
  return 'on_track';
}

/** Add calendar days to an ISO date. */
export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * 86_400_000).toISOString().slice(0, 10);
}
