/**
 * Deadline arithmetic over one loaded calendar: pure functions, no database, local time UTC+7.
 *
 * Conventions (docs/architecture.md, "Calendar"):
 * - Working time = the office sessions of working days (default 07:00–11:30 and 13:30–17:00, 8 hours).
 *   A working day is a weekday that is neither a holiday nor an extra day off, or a make-up Saturday.
 *   An optional Saturday-morning reception is opening time, not working time: dossiers handed in then
 *   count from Monday's opening.
 * - A dossier received outside working time counts from the next opening of working time.
 * - N working days: the first day is not counted (Civil Code 2015, art. 147); the time limit ends at
 *   the close of office hours of the N-th working day after the day of receipt.
 * - N calendar days: ends at the close of the N-th day after receipt; when that is not a working day,
 *   at the close of the next working day (Civil Code art. 148).
 * - N working hours: the instant N × 60 working minutes after receipt.
 * - Same day: the close of the day of receipt, or of the next working day when received after the
 *   cut-off (15:00 by default).
 * - Pauses (waiting for a supplement) add the working time they cover to the due time; day-based limits
 *   then end at the close of that day.
 */
import { dayNumber, dayString, DAY_MS, instantOf, localParts, parseClock, weekdayOf } from './days.js';
import { type Holiday, vietnameseHolidays } from './holidays.js';
import { type HolidayRules, WEEKDAYS } from './rules.js';

export type Duration = { unit: 'working-days' | 'working-hours' | 'calendar-days'; amount: number } | { unit: 'same-day' };
export type Pause = { from: Date; to: Date | null };
export type AddDurationOptions = {
  pauses?: Pause[];
  /** Where an open pause (`to: null`) ends for this computation; defaults to the current time. */
  now?: Date;
};

export type OfficeHours = {
  /** Working sessions of a working day, 'HH:mm', ascending and not overlapping. */
  sessions: { start: string; end: string }[];
  /** The desk also receives on Saturday morning (first session's hours); not counted as working time. */
  saturdayMorning: boolean;
  /** Same-day procedures received after this time are due the next working day. */
  sameDayCutoff: string;
};

export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  sessions: [
    { start: '07:00', end: '11:30' },
    { start: '13:30', end: '17:00' },
  ],
  saturdayMorning: false,
  sameDayCutoff: '15:00',
};

export type AdjustmentKind = 'day-off' | 'working-day';
export type CalendarAdjustment = { date: string; kind: AdjustmentKind; name: string };

export type CalendarData = { rules: HolidayRules; adjustments: CalendarAdjustment[]; hours: OfficeHours };

/** A day of a year view: computed holidays, their moves, and administrators' adjustments. */
export type SpecialDay = { date: string; name: string; kind: Holiday['kind'] | AdjustmentKind; working: boolean };

export type WorkingCalendar = {
  isWorkingDay(day: string): boolean;
  addDuration(start: Date, d: Duration, opts?: AddDurationOptions): Date;
  workingMinutesBetween(a: Date, b: Date): number;
  nextOpening(at: Date): Date;
  /** Days off in `year` (holidays, moved holidays and extra days off, minus days made working). */
  holidays(year: number): { date: string; name: string }[];
  /** Everything special in `year`, for the year view. */
  specialDays(year: number): SpecialDay[];
  /** The first working day after `day`. */
  nextWorkingDay(day: string): string;
  /** The close of office hours of a working day (or of the next one). */
  endOfWorkingDay(day: string): Date;
  readonly officeHours: OfficeHours;
};

type Session = [number, number]; // ms since local midnight

const MINUTE = 60_000;
const MAX_SCAN_DAYS = 366 * 20; // a limit far past any real duration; guards against an all-holiday configuration

export function buildCalendar(data: CalendarData): WorkingCalendar {
  const sessions: Session[] = data.hours.sessions.map((s) => [parseClock(s.start) * MINUTE, parseClock(s.end) * MINUTE]);
  if (sessions.length === 0 || sessions.some(([a, b], i) => b <= a || (i > 0 && a < sessions[i - 1][1]))) throw new RangeError('office sessions must be ascending and non-empty');
  const cutoff = parseClock(data.hours.sameDayCutoff) * MINUTE;
  const rest = new Set(data.rules.weekend.map((w) => WEEKDAYS.indexOf(w)));
  const adjustments = new Map(data.adjustments.map((a) => [a.date, a]));

  const holidayYears = new Map<number, Map<string, Holiday>>();
  const holidayOf = (day: string): Holiday | undefined => {
    const year = Number(day.slice(0, 4));
    let m = holidayYears.get(year);
    if (!m) {
      m = new Map(vietnameseHolidays(year, data.rules).map((h) => [h.date, h]));
      holidayYears.set(year, m);
    }
    return m.get(day);
  };

  const workingCache = new Map<number, boolean>();
  const isWorking = (n: number): boolean => {
    let w = workingCache.get(n);
    if (w === undefined) {
      const day = dayString(n);
      const adj = adjustments.get(day);
      w = adj ? adj.kind === 'working-day' : !rest.has(weekdayOf(n)) && !holidayOf(day);
      workingCache.set(n, w);
    }
    return w;
  };
  // Saturday-morning reception: a Saturday that is not a working day, a holiday or an extra day off.
  const receptionOnly = (n: number): boolean =>
    data.hours.saturdayMorning && weekdayOf(n) === 6 && !isWorking(n) && !holidayOf(dayString(n)) && adjustments.get(dayString(n))?.kind !== 'day-off';

  const lastEnd = sessions[sessions.length - 1][1];
  const firstWorkingAfter = (n: number): number => {
    for (let d = n + 1, i = 0; i < MAX_SCAN_DAYS; d++, i++) if (isWorking(d)) return d;
    throw new RangeError('no working day within 20 years');
  };
  const close = (n: number) => instantOf(n, lastEnd);

  /** The instant itself when it is working time, else the next opening of working time. */
  const nextWorking = (at: Date): Date => {
    const { day, ms } = localParts(at);
    if (isWorking(day)) for (const [a, b] of sessions) if (ms < b) return ms >= a ? at : instantOf(day, a);
    const next = firstWorkingAfter(day);
    return instantOf(next, sessions[0][0]);
  };

  const workingMs = (a: Date, b: Date): number => {
    if (b.getTime() <= a.getTime()) return 0;
    const pa = localParts(a);
    const pb = localParts(b);
    let total = 0;
    for (let d = pa.day; d <= pb.day; d++) {
      if (!isWorking(d)) continue;
      const lo = d === pa.day ? pa.ms : 0;
      const hi = d === pb.day ? pb.ms : DAY_MS;
      for (const [s, e] of sessions) total += Math.max(0, Math.min(e, hi) - Math.max(s, lo));
    }
    return total;
  };

  /** The instant after `amount` ms of working time from `from` (from itself when amount is 0). */
  const addWorkingMs = (from: Date, amount: number): Date => {
    if (amount <= 0) return from;
    let { day, ms } = localParts(from);
    let left = amount;
    for (let i = 0; i < MAX_SCAN_DAYS; i++, day++, ms = 0) {
      if (!isWorking(day)) continue;
      for (const [s, e] of sessions) {
        const begin = Math.max(s, ms);
        if (begin >= e) continue;
        if (left <= e - begin) return instantOf(day, begin + left);
        left -= e - begin;
      }
    }
    throw new RangeError('duration too long');
  };

  const nthWorkingDayAfter = (n: number, count: number): number => {
    let d = n;
    for (let i = 0; i < count; i++) d = firstWorkingAfter(d);
    return d;
  };
  const workingOnOrAfter = (n: number) => (isWorking(n) ? n : firstWorkingAfter(n));

  const baseDue = (received: Date, d: Duration): Date => {
    const { day, ms } = localParts(received);
    switch (d.unit) {
      case 'working-hours':
        return addWorkingMs(received, Math.round(d.amount * 60) * MINUTE);
      case 'working-days':
        return close(d.amount === 0 ? day : nthWorkingDayAfter(day, d.amount));
      case 'calendar-days':
        return close(workingOnOrAfter(day + d.amount));
      case 'same-day':
        return close(ms > cutoff ? firstWorkingAfter(day) : day);
    }
  };

  const addDuration = (start: Date, d: Duration, opts: AddDurationOptions = {}): Date => {
    if (d.unit !== 'same-day' && (!Number.isFinite(d.amount) || d.amount < 0)) throw new RangeError('duration must be a non-negative number');
    if ((d.unit === 'working-days' || d.unit === 'calendar-days') && !Number.isInteger(d.amount)) throw new RangeError('days must be whole');
    const received = nextWorking(start);
    let due = baseDue(received, d);
    const now = opts.now ?? new Date();
    const pauses = (opts.pauses ?? [])
      .map((p) => ({ from: Math.max(p.from.getTime(), received.getTime()), to: (p.to ?? now).getTime() }))
      .filter((p) => p.to > p.from)
      .sort((a, b) => a.from - b.from);
    let coveredUntil = received.getTime();
    for (const p of pauses) {
      if (p.from >= due.getTime()) break; // paused after the time limit had run out: already late
      const from = Math.max(p.from, coveredUntil); // overlapping pauses count once
      if (p.to <= from) continue;
      coveredUntil = p.to;
      if (d.unit === 'calendar-days') {
        const days = localParts(new Date(p.to)).day - localParts(new Date(from)).day;
        due = close(workingOnOrAfter(localParts(due).day + days));
      } else {
        due = addWorkingMs(due, workingMs(new Date(from), new Date(p.to)));
        if (d.unit !== 'working-hours') due = close(workingOnOrAfter(localParts(due).day));
      }
    }
    return due;
  };

  const nextOpening = (at: Date): Date => {
    const working = nextWorking(at);
    if (!data.hours.saturdayMorning) return working;
    // A reception-only Saturday morning before that?
    const { day, ms } = localParts(at);
    const [s, e] = sessions[0];
    for (let d = day; d < localParts(working).day; d++) {
      if (!receptionOnly(d)) continue;
      if (d === day && ms >= e) continue;
      return d === day && ms >= s ? at : instantOf(d, s);
    }
    return working;
  };

  const specialDays = (year: number): SpecialDay[] => {
    const map = new Map<string, SpecialDay>();
    for (const h of vietnameseHolidays(year, data.rules)) map.set(h.date, { date: h.date, name: h.name, kind: h.kind, working: false });
    for (const a of data.adjustments) {
      if (!a.date.startsWith(`${year}-`)) continue;
      map.set(a.date, { date: a.date, name: a.name, kind: a.kind, working: a.kind === 'working-day' });
    }
    return [...map.values()].sort((a, b) => a.date.localeCompare(b.date));
  };

  return {
    officeHours: data.hours,
    isWorkingDay: (day) => isWorking(dayNumber(day)),
    addDuration,
    workingMinutesBetween: (a, b) => (b.getTime() >= a.getTime() ? workingMs(a, b) : -workingMs(b, a)) / MINUTE,
    nextOpening,
    holidays: (year) => specialDays(year).filter((s) => !s.working).map(({ date, name }) => ({ date, name })),
    specialDays,
    nextWorkingDay: (day) => dayString(firstWorkingAfter(dayNumber(day))),
    endOfWorkingDay: (day) => close(workingOnOrAfter(dayNumber(day))),
  };
}

/** On-time statistics compare local dates (DOMAIN.md): early (<), on time (=, or no due date), late (>). */
export function compareToDue(doneAt: Date, dueAt: Date | null): 'early' | 'on-time' | 'late' {
  if (!dueAt) return 'on-time';
  const done = localParts(doneAt).day;
  const due = localParts(dueAt).day;
  return done < due ? 'early' : done === due ? 'on-time' : 'late';
}
