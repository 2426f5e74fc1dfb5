import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLIDAY_RULES } from './rules.js';
import { buildCalendar, compareToDue, type CalendarAdjustment, DEFAULT_OFFICE_HOURS, type Duration, type OfficeHours } from './working.js';

// The announced 2026 New Year swap, as seeded by migration 0013.
const SWAPS: CalendarAdjustment[] = [
  { date: '2026-01-02', kind: 'day-off', name: 'Hoán đổi ngày làm việc dịp Tết Dương lịch 2026' },
  { date: '2026-01-10', kind: 'working-day', name: 'Làm bù cho ngày nghỉ 02/01/2026' },
];
const calendar = (hours: Partial<OfficeHours> = {}, adjustments = SWAPS) => buildCalendar({ rules: DEFAULT_HOLIDAY_RULES, adjustments, hours: { ...DEFAULT_OFFICE_HOURS, ...hours } });
const cal = calendar();
/** A local (UTC+7) time. */
const vn = (s: string) => new Date(`${s}+07:00`);
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const due = (start: string, d: Duration, opts?: Parameters<typeof cal.addDuration>[2], c = cal) => local(c.addDuration(vn(start), d, opts));
const wd = (amount: number): Duration => ({ unit: 'working-days', amount });
const wh = (amount: number): Duration => ({ unit: 'working-hours', amount });
const cd = (amount: number): Duration => ({ unit: 'calendar-days', amount });

describe('working days', () => {
  it('Tết 2026: off from Saturday 14/02 to Sunday 22/02, back on Monday 23/02', () => {
    expect(cal.isWorkingDay('2026-02-13')).toBe(true);
    for (let d = 14; d <= 22; d++) expect(cal.isWorkingDay(`2026-02-${d}`), `${d}/02`).toBe(false);
    expect(cal.isWorkingDay('2026-02-23')).toBe(true);
    expect(cal.nextWorkingDay('2026-02-13')).toBe('2026-02-23');
  });

  it('an extra day off and a make-up Saturday (New Year 2026 swap)', () => {
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-01-10')).toBe(true);
    expect(cal.isWorkingDay('2026-01-17')).toBe(false);
    expect(due('2026-01-09 10:00', wd(1))).toBe('2026-01-10 17:00');
    expect(cal.holidays(2026).slice(0, 2)).toEqual([
      { date: '2026-01-01', name: 'Tết Dương lịch' },
      { date: '2026-01-02', name: 'Hoán đổi ngày làm việc dịp Tết Dương lịch 2026' },
    ]);
    expect(cal.specialDays(2026).find((d) => d.date === '2026-01-10')).toMatchObject({ kind: 'working-day', working: true });
  });

  it('a working-day adjustment cancels a computed holiday; a day-off adjustment adds one', () => {
    const c = calendar({}, [
      { date: '2026-04-27', kind: 'working-day', name: 'Không nghỉ bù (ví dụ)' },
      { date: '2026-03-05', kind: 'day-off', name: 'Nghỉ địa phương' },
    ]);
    expect(c.isWorkingDay('2026-04-27')).toBe(true);
    expect(c.isWorkingDay('2026-03-05')).toBe(false);
    expect(c.holidays(2026).map((h) => h.date)).not.toContain('2026-04-27');
  });
});

describe('addDuration', () => {
  it('a dossier received at 16:59 on Friday 13/02/2026 counts from Monday 23/02 after Tết', () => {
    expect(due('2026-02-13 16:59', wd(1))).toBe('2026-02-23 17:00');
    expect(due('2026-02-13 16:59', wd(3))).toBe('2026-02-25 17:00');
    expect(due('2026-02-13 16:59', wh(8))).toBe('2026-02-23 16:59');
    // One minute later the office is closed: received on Monday's opening, the first day not counted.
    expect(due('2026-02-13 17:00', wd(1))).toBe('2026-02-24 17:00');
    expect(due('2026-02-13 17:01', wh(1))).toBe('2026-02-23 08:00');
  });

  it('a deadline spanning 30/04 – 01/05 (and the weekend after)', () => {
    expect(due('2026-04-29 10:00', wd(1))).toBe('2026-05-04 17:00');
    expect(due('2026-04-29 10:00', wd(2))).toBe('2026-05-05 17:00');
    expect(due('2026-04-29 10:00', wh(8))).toBe('2026-05-04 10:00');
    // 2025 with the announced swap: off 30/04 – 04/05, make-up Saturday 26/04.
    const y2025 = calendar({}, [
      { date: '2025-05-02', kind: 'day-off', name: 'Hoán đổi' },
      { date: '2025-04-26', kind: 'working-day', name: 'Làm bù' },
    ]);
    expect(due('2025-04-25 09:00', wd(1), {}, y2025)).toBe('2025-04-26 17:00');
    expect(due('2025-04-29 09:00', wd(1), {}, y2025)).toBe('2025-05-05 17:00');
  });

  it('same day: the 15:00 cut-off, configurable', () => {
    const sameDay: Duration = { unit: 'same-day' };
    expect(due('2026-03-10 14:59', sameDay)).toBe('2026-03-10 17:00');
    expect(due('2026-03-10 15:00', sameDay)).toBe('2026-03-10 17:00'); // not after 15:00
    expect(due('2026-03-10 15:01', sameDay)).toBe('2026-03-11 17:00');
    expect(due('2026-03-10 18:00', sameDay)).toBe('2026-03-11 17:00'); // counts from the next opening
    // Friday 24/04/2026 after the cut-off: Monday 27/04 is the day off for Giỗ Tổ.
    expect(due('2026-04-24 16:59', sameDay)).toBe('2026-04-28 17:00');
    expect(due('2026-03-10 15:30', sameDay, {}, calendar({ sameDayCutoff: '16:00' }))).toBe('2026-03-10 17:00');
  });

  it('working hours skip lunch, nights and weekends, and may end exactly at a session end', () => {
    expect(due('2026-03-10 10:00', wh(2))).toBe('2026-03-10 14:00');
    expect(due('2026-03-10 10:00', wh(1.5))).toBe('2026-03-10 11:30');
    expect(due('2026-03-10 12:15', wh(1))).toBe('2026-03-10 14:30'); // received at lunch
    expect(due('2026-03-10 06:00', wh(1))).toBe('2026-03-10 08:00');
    expect(due('2026-03-13 16:00', wh(8))).toBe('2026-03-16 16:00'); // Friday → Monday
    expect(due('2026-03-10 10:00', wh(0))).toBe('2026-03-10 10:00');
    // The 8 working hours an online dossier waits for acceptance, submitted on Saturday night.
    expect(due('2026-03-14 22:00', wh(8))).toBe('2026-03-16 17:00');
  });

  it('calendar days end at the close of the last day, moved to the next working day', () => {
    expect(due('2026-03-10 09:00', cd(3))).toBe('2026-03-13 17:00');
    expect(due('2026-03-10 09:00', cd(4))).toBe('2026-03-16 17:00'); // Saturday → Monday
    expect(due('2026-12-25 09:00', cd(7))).toBe('2027-01-04 17:00'); // 1/1/2027 is a holiday, then a weekend
    expect(due('2026-12-25 09:00', cd(10))).toBe('2027-01-04 17:00');
  });

  it('crosses the year boundary with the New Year swap', () => {
    expect(due('2025-12-31 16:00', wd(1))).toBe('2026-01-05 17:00');
    expect(due('2025-12-31 16:00', wd(5))).toBe('2026-01-09 17:00');
    expect(due('2025-12-31 16:00', wd(6))).toBe('2026-01-10 17:00'); // the make-up Saturday
    expect(cal.workingMinutesBetween(vn('2025-12-31 16:00'), vn('2026-01-05 08:00'))).toBe(120);
  });

  it('rejects nonsense durations', () => {
    expect(() => cal.addDuration(vn('2026-03-10 10:00'), wd(-1))).toThrow(RangeError);
    expect(() => cal.addDuration(vn('2026-03-10 10:00'), wd(1.5))).toThrow(RangeError);
    expect(() => cal.addDuration(vn('2026-03-10 10:00'), wh(Number.NaN))).toThrow(RangeError);
  });
});

describe('pauses (waiting for a supplement)', () => {
  const start = '2026-03-02 09:00'; // Monday; 5 working days → Monday 09/03 17:00
  it('adds the paused working time; day-based limits then end at the close of that day', () => {
    expect(due(start, wd(5))).toBe('2026-03-09 17:00');
    // Paused Tuesday 10:00 → Thursday 14:00: 5 h + 8 h + 5 h = 18 working hours.
    const pauses = [{ from: vn('2026-03-03 10:00'), to: vn('2026-03-05 14:00') }];
    expect(cal.workingMinutesBetween(pauses[0].from, pauses[0].to)).toBe(18 * 60);
    expect(due(start, wd(5), { pauses })).toBe('2026-03-12 17:00');
    // 16 h would end Wednesday 09:00; 9 h were worked before the pause, the other 7 after Thursday 14:00 — no rounding.
    expect(due(start, wh(16), { pauses })).toBe('2026-03-06 11:00');
  });

  it('an open pause runs until `now`; pauses after the due time, before receipt or overlapping count correctly', () => {
    const open = [{ from: vn('2026-03-03 10:00'), to: null }];
    expect(due(start, wd(5), { pauses: open, now: vn('2026-03-05 14:00') })).toBe('2026-03-12 17:00');
    expect(due(start, wd(5), { pauses: [{ from: vn('2026-03-10 08:00'), to: vn('2026-03-12 08:00') }] })).toBe('2026-03-09 17:00');
    expect(due(start, wd(5), { pauses: [{ from: vn('2026-02-27 08:00'), to: vn('2026-03-02 10:00') }] })).toBe('2026-03-10 17:00'); // 1 h after receipt
    const overlapping = [
      { from: vn('2026-03-03 10:00'), to: vn('2026-03-04 10:00') },
      { from: vn('2026-03-03 14:00'), to: vn('2026-03-05 14:00') },
    ];
    expect(due(start, wd(5), { pauses: overlapping })).toBe('2026-03-12 17:00');
    // Two separate pauses (1 h and 30 min) before the due time of Tuesday 09:00; a third after it.
    const three = [
      { from: vn('2026-03-02 10:00'), to: vn('2026-03-02 11:00') },
      { from: vn('2026-03-03 08:00'), to: vn('2026-03-03 08:30') },
      { from: vn('2026-03-04 08:00'), to: vn('2026-03-04 09:00') },
    ];
    expect(due(start, wh(8))).toBe('2026-03-03 09:00');
    expect(due(start, wh(8), { pauses: three })).toBe('2026-03-03 10:30');
  });

  it('a pause that reaches past the original due time pushes it by what it covered', () => {
    // 1 working day → Tuesday 17:00; paused Tuesday 16:00 → Thursday 08:00 (1 + 8 + 1 = 10 h).
    expect(due(start, wd(1), { pauses: [{ from: vn('2026-03-03 16:00'), to: vn('2026-03-05 08:00') }] })).toBe('2026-03-05 17:00');
  });

  it('calendar-day limits move by the number of days paused', () => {
    expect(due(start, cd(10), { pauses: [{ from: vn('2026-03-03 10:00'), to: vn('2026-03-05 14:00') }] })).toBe('2026-03-16 17:00');
  });
});

describe('office hours', () => {
  it('an override changes sessions, closing time and working minutes', () => {
    const c = calendar({ sessions: [{ start: '07:30', end: '11:30' }, { start: '13:00', end: '17:00' }] });
    expect(due('2026-03-10 11:45', wh(1), {}, c)).toBe('2026-03-10 14:00');
    expect(due('2026-03-10 07:00', wh(1), {}, c)).toBe('2026-03-10 08:30');
    expect(c.workingMinutesBetween(vn('2026-03-10 00:00'), vn('2026-03-11 00:00'))).toBe(480);
    const short = calendar({ sessions: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '16:30' }] });
    expect(due('2026-03-10 10:00', wd(1), {}, short)).toBe('2026-03-11 16:30');
    expect(local(short.endOfWorkingDay('2026-03-14'))).toBe('2026-03-16 16:30');
  });

  it('Saturday-morning reception opens the desk but does not count as working time', () => {
    const c = calendar({ saturdayMorning: true });
    expect(local(c.nextOpening(vn('2026-03-13 17:30')))).toBe('2026-03-14 07:00');
    expect(local(c.nextOpening(vn('2026-03-14 09:00')))).toBe('2026-03-14 09:00');
    expect(local(c.nextOpening(vn('2026-03-14 12:00')))).toBe('2026-03-16 07:00');
    expect(local(cal.nextOpening(vn('2026-03-13 17:30')))).toBe('2026-03-16 07:00');
    expect(due('2026-03-14 09:00', wd(1), {}, c)).toBe('2026-03-17 17:00'); // counted from Monday
    expect(c.isWorkingDay('2026-03-14')).toBe(false);
    // No reception on a Saturday that is a holiday (Tết 2027).
    expect(local(c.nextOpening(vn('2027-02-05 18:00')))).toBe('2027-02-12 07:00');
  });

  it('rejects overlapping or empty sessions', () => {
    expect(() => calendar({ sessions: [] })).toThrow(RangeError);
    expect(() => calendar({ sessions: [{ start: '07:00', end: '12:00' }, { start: '11:00', end: '17:00' }] })).toThrow(RangeError);
    expect(() => calendar({ sessions: [{ start: '7:00', end: '12:00' }] })).toThrow(RangeError);
  });
});

describe('workingMinutesBetween and compareToDue', () => {
  it('counts office minutes only, signed', () => {
    expect(cal.workingMinutesBetween(vn('2026-03-09 00:00'), vn('2026-03-16 00:00'))).toBe(5 * 480);
    expect(cal.workingMinutesBetween(vn('2026-03-10 11:00'), vn('2026-03-10 14:00'))).toBe(60);
    expect(cal.workingMinutesBetween(vn('2026-03-10 14:00'), vn('2026-03-10 11:00'))).toBe(-60);
    expect(cal.workingMinutesBetween(vn('2026-02-13 00:00'), vn('2026-02-23 00:00'))).toBe(480);
  });

  it('compares local dates: early, on time (same date or no due date), late', () => {
    const dueAt = vn('2026-03-12 17:00');
    expect(compareToDue(vn('2026-03-11 16:00'), dueAt)).toBe('early');
    expect(compareToDue(vn('2026-03-12 08:00'), dueAt)).toBe('on-time');
    expect(compareToDue(vn('2026-03-12 23:30'), dueAt)).toBe('on-time'); // still 12/03 in Vietnam, 13/03 nowhere it matters
    expect(compareToDue(vn('2026-03-13 00:30'), dueAt)).toBe('late'); // 12/03 17:30 UTC
    expect(compareToDue(vn('2026-03-20 08:00'), null)).toBe('on-time');
  });
});

describe('properties over random starts and durations', () => {
  let seed = 20260217;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const starts = Array.from({ length: 400 }, () => new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 3 * 365 * 24 * 60) * 60_000));

  it('due ≥ start; working hours consume exactly that much working time; more time is never earlier', () => {
    for (const s of starts) {
      const n = 1 + Math.floor(rand() * 40);
      const dueH = cal.addDuration(s, wh(n));
      expect(dueH.getTime()).toBeGreaterThan(s.getTime());
      expect(cal.workingMinutesBetween(s, dueH)).toBe(n * 60);
      expect(cal.addDuration(s, wh(n + 1)).getTime()).toBeGreaterThan(dueH.getTime());
      const dueD = cal.addDuration(s, wd(n));
      expect(cal.isWorkingDay(local(dueD).slice(0, 10))).toBe(true);
      expect(local(dueD).slice(11)).toBe('17:00');
      expect(cal.addDuration(s, wd(n + 1)).getTime()).toBeGreaterThan(dueD.getTime());
      expect(cal.addDuration(new Date(s.getTime() + 3_600_000), wd(n)).getTime()).toBeGreaterThanOrEqual(dueD.getTime());
      // A working-day limit is never shorter than (n − 1) days of working time nor longer than n + 1.
      const worked = cal.workingMinutesBetween(s, dueD);
      expect(worked).toBeGreaterThanOrEqual(n * 480);
      expect(worked).toBeLessThanOrEqual((n + 1) * 480);
    }
  });

  it('a pause never makes the due time earlier and adds exactly the paused working time to working hours', () => {
    for (const s of starts.slice(0, 150)) {
      const from = new Date(s.getTime() + Math.floor(rand() * 5 * 86_400_000));
      const to = new Date(from.getTime() + Math.floor(rand() * 5 * 86_400_000));
      const plain = cal.addDuration(s, wh(40));
      const paused = cal.addDuration(s, wh(40), { pauses: [{ from, to }] });
      expect(paused.getTime()).toBeGreaterThanOrEqual(plain.getTime());
      const received = cal.nextOpening(s);
      const effective = from.getTime() < plain.getTime() ? cal.workingMinutesBetween(new Date(Math.max(from.getTime(), received.getTime())), to) : 0;
      expect(cal.workingMinutesBetween(received, paused)).toBeCloseTo(40 * 60 + Math.max(0, effective), 6);
      expect(cal.addDuration(s, wd(5), { pauses: [{ from, to }] }).getTime()).toBeGreaterThanOrEqual(cal.addDuration(s, wd(5)).getTime());
    }
  });
});
