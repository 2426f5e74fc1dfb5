import { z } from 'zod';
import type { Duration } from '../../core/calendar/index.js';

/** A time limit (thời hạn giải quyết): the calendar's `Duration`, validated at the API by the schema below. */
export type { Duration };

export const durationSchema = z
  .union([
    z.object({ unit: z.enum(['working-days', 'working-hours', 'calendar-days']), amount: z.number().positive().max(3650) }),
    z.object({ unit: z.literal('same-day') }),
  ])
  .describe('Thời hạn: {unit: working-days|working-hours|calendar-days, amount} hoặc {unit: same-day}');

export const HOURS_PER_WORKING_DAY = 8;

/**
 * The limit in working hours, for checking the internal process's shares. A same-day procedure has
 * at most one working day; calendar days have no fixed number of working hours (null).
 */
export function workingHoursOf(d: Duration): number | null {
  switch (d.unit) {
    case 'same-day':
      return HOURS_PER_WORKING_DAY;
    case 'working-days':
      return d.amount * HOURS_PER_WORKING_DAY;
    case 'working-hours':
      return d.amount;
    case 'calendar-days':
      return null;
  }
}

const num = (n: number) => n.toLocaleString('vi-VN');

/** Vietnamese label: "Trong ngày", "05 ngày làm việc", "8 giờ làm việc", "15 ngày". */
export function durationLabel(d: Duration): string {
  switch (d.unit) {
    case 'same-day':
      return 'Trong ngày';
    case 'working-days':
      return `${d.amount < 10 && Number.isInteger(d.amount) ? `0${d.amount}` : num(d.amount)} ngày làm việc`;
    case 'working-hours':
      return `${num(d.amount)} giờ làm việc`;
    case 'calendar-days':
      return `${num(d.amount)} ngày`;
  }
}
