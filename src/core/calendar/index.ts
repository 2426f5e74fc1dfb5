/**
 * core/calendar — the working-day calendar every deadline in the product uses.
 *
 *   const cal = await loadCalendar(db, unitId);                 // cached per process
 *   const dueAt = cal.addDuration(receivedAt, { unit: 'working-days', amount: 5 }, { pauses });
 *   compareToDue(doneAt, dueAt);                                 // 'early' | 'on-time' | 'late' (by date)
 *
 * Conventions (first day not counted, close of office hours, cut-off, pauses): see working.ts and
 * docs/architecture.md "Calendar". Local time is Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
 */
export {
  buildCalendar,
  compareToDue,
  DEFAULT_OFFICE_HOURS,
  type AddDurationOptions,
  type AdjustmentKind,
  type CalendarAdjustment,
  type CalendarData,
  type Duration,
  type OfficeHours,
  type Pause,
  type SpecialDay,
  type WorkingCalendar,
} from './working.js';
export { loadCalendar, loadCalendarData, invalidateCalendars, getHolidayRules, putHolidayRules, HOLIDAY_RULES_KEY } from './store.js';
export { vietnameseHolidays, type Holiday } from './holidays.js';
export { DEFAULT_HOLIDAY_RULES, WEEKDAYS, type HolidayRule, type HolidayRules, type Weekday } from './rules.js';
export { solarToLunar, lunarToSolar, lunarNewYear, leapMonthOf, type LunarDate } from './lunar.js';
export { localDay, formatDayVi, isValidDay, addDays, parseClock } from './days.js';
export { calendarAdjustments, calendarOfficeHours } from './schema.js';
