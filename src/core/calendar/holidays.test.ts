import { describe, expect, it } from 'vitest';
import { dayNumber, weekdayOf } from './days.js';
import { vietnameseHolidays } from './holidays.js';
import { DEFAULT_HOLIDAY_RULES, type HolidayRules } from './rules.js';

const dates = (year: number, rules?: HolidayRules) => vietnameseHolidays(year, rules).map((h) => h.date);

describe('vietnameseHolidays', () => {
  it('2026: Tết is 29 tháng Chạp to mùng 4 (16–20/02), Giỗ Tổ on Sunday 26/04 moves to Monday 27/04', () => {
    const h = vietnameseHolidays(2026);
    expect(h.map((x) => `${x.date} ${x.name}`)).toEqual([
      '2026-01-01 Tết Dương lịch',
      '2026-02-16 Tết Nguyên đán',
      '2026-02-17 Tết Nguyên đán',
      '2026-02-18 Tết Nguyên đán',
      '2026-02-19 Tết Nguyên đán',
      '2026-02-20 Tết Nguyên đán',
      '2026-04-26 Giỗ Tổ Hùng Vương',
      '2026-04-27 Nghỉ bù Giỗ Tổ Hùng Vương',
      '2026-04-30 Ngày Chiến thắng',
      '2026-05-01 Ngày Quốc tế Lao động',
      '2026-09-02 Quốc khánh',
      '2026-09-03 Quốc khánh (ngày liền kề)',
    ]);
    expect(h.find((x) => x.date === '2026-04-27')).toMatchObject({ kind: 'compensation', ruleId: 'hung-kings' });
  });

  it('2023 matches what was announced: 1/1 Sunday → 2/1; 29/4–3/5; 1–4/9', () => {
    const d = dates(2023);
    expect(d).toContain('2023-01-02');
    for (const x of ['2023-04-29', '2023-04-30', '2023-05-01', '2023-05-02', '2023-05-03']) expect(d).toContain(x);
    for (const x of ['2023-09-01', '2023-09-02', '2023-09-04']) expect(d).toContain(x);
    expect(d).not.toContain('2023-09-03'); // Sunday, a weekly rest day anyway
  });

  it('moves weekend holidays to the next working day that is not a holiday, in order (Tết 2027 ends on Tuesday → 10–11/02)', () => {
    const t = vietnameseHolidays(2027).filter((h) => h.ruleId === 'tet');
    expect(t.map((h) => `${h.date}:${h.kind}`)).toEqual([
      '2027-02-05:holiday',
      '2027-02-06:holiday',
      '2027-02-07:holiday',
      '2027-02-08:holiday',
      '2027-02-09:holiday',
      '2027-02-10:compensation',
      '2027-02-11:compensation',
    ]);
    // 1/5/2027 is a Saturday.
    expect(vietnameseHolidays(2027).find((h) => h.date === '2027-05-03')?.name).toBe('Nghỉ bù Ngày Quốc tế Lao động');
  });

  it('Tết 2028 (mùng 1 = 26/01) and Giỗ Tổ 2028 (04/04)', () => {
    const d = dates(2028);
    for (const x of ['2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28', '2028-01-29']) expect(d).toContain(x);
    expect(d).toContain('2028-01-31'); // 29/01 is a Saturday
    expect(d).toContain('2028-04-04');
  });

  it('chooses the day next to 2/9 by weekday as in 2021–2025', () => {
    expect(dates(2021)).toContain('2021-09-03'); // Thursday → Friday
    expect(dates(2022)).toContain('2022-09-01'); // Friday → Thursday
    expect(dates(2024)).toContain('2024-09-03'); // Monday → Tuesday
    expect(dates(2025)).toContain('2025-09-01'); // Tuesday → Monday
    expect(dates(2020).filter((x) => x.startsWith('2020-09'))).toEqual(['2020-09-02']); // one day before 2021
  });

  it('applies effective-dated rules: 4 days of Tết and no Quốc khánh adjacent day before the reforms', () => {
    expect(vietnameseHolidays(2012).filter((h) => h.ruleId === 'tet' && h.kind === 'holiday')).toHaveLength(4);
    expect(vietnameseHolidays(2014).filter((h) => h.ruleId === 'tet' && h.kind === 'holiday')).toHaveLength(5);
    expect(dates(2006)).not.toContain('2006-04-07'); // Giỗ Tổ became a holiday in 2007
    expect(dates(2007)).toContain('2007-04-26');
  });

  it('takes the rules as data: Tết length and the adjacent side are a data change', () => {
    const rules: HolidayRules = structuredClone(DEFAULT_HOLIDAY_RULES);
    for (const r of rules.holidays) {
      if (r.kind === 'lunar-new-year') Object.assign(r, { daysBefore: 2, daysOfNewYear: 5 });
      if (r.kind === 'adjacent') r.side.wed = 'before';
    }
    rules.holidays.push({ id: 'culture-day', name: 'Ngày Văn hóa Việt Nam', nameEn: 'Vietnam Culture Day', kind: 'solar', month: 11, day: 24, validFrom: '2026-01-01' });
    const d = dates(2026, rules);
    for (const x of ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-21', '2026-02-23', '2026-02-24']) expect(d).toContain(x);
    expect(d).toContain('2026-09-01');
    expect(d).not.toContain('2026-09-03');
    expect(d).toContain('2026-11-24');
    expect(dates(2025, rules)).not.toContain('2025-11-24');
    const noMoves = { ...DEFAULT_HOLIDAY_RULES, moveWeekendHolidays: false };
    expect(dates(2026, noMoves)).not.toContain('2026-04-27');
  });

  it('every year 1901–2198: 11 holiday days from 2021 (10 before), compensations only on weekdays, never twice the same date', () => {
    for (let y = 1901; y <= 2198; y++) {
      const h = vietnameseHolidays(y);
      expect(new Set(h.map((x) => x.date)).size, String(y)).toBe(h.length);
      for (const c of h.filter((x) => x.kind === 'compensation')) expect([1, 2, 3, 4, 5]).toContain(weekdayOf(dayNumber(c.date)));
      const own = h.filter((x) => x.kind === 'holiday').length;
      if (y >= 2021) expect(own, String(y)).toBe(11);
      else if (y >= 2014 && y <= 2020) expect(own, String(y)).toBe(10);
      for (const x of h) expect(x.date.startsWith(`${y}-`)).toBe(true);
    }
  });

  it('rejects years outside the supported range', () => {
    expect(() => vietnameseHolidays(1700)).toThrow(RangeError);
    expect(() => vietnameseHolidays(2026.5)).toThrow(RangeError);
  });
});
