import { describe, expect, it } from 'vitest';
import { addDays } from './days.js';
import { leapMonthOf, lunarNewYear, lunarToSolar, lunarToSolarAt, solarToLunar, solarToLunarAt } from './lunar.js';

// Tết (mùng 1 tháng Giêng) in Vietnam, as published in Vietnamese calendars.
const TET: Record<number, string> = {
  1985: '1985-01-21', 2000: '2000-02-05', 2001: '2001-01-24', 2002: '2002-02-12', 2003: '2003-02-01', 2004: '2004-01-22',
  2005: '2005-02-09', 2006: '2006-01-29', 2007: '2007-02-17', 2008: '2008-02-07', 2009: '2009-01-26', 2010: '2010-02-14',
  2011: '2011-02-03', 2012: '2012-01-23', 2013: '2013-02-10', 2014: '2014-01-31', 2015: '2015-02-19', 2016: '2016-02-08',
  2017: '2017-01-28', 2018: '2018-02-16', 2019: '2019-02-05', 2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01',
  2023: '2023-01-22', 2024: '2024-02-10', 2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26',
  2029: '2029-02-13', 2030: '2030-02-02',
};

describe('Vietnamese lunar calendar (UTC+7)', () => {
  it('puts Tết on the published dates, including 2026, 2027 and 2028', () => {
    for (const [year, day] of Object.entries(TET)) expect(lunarNewYear(Number(year)), year).toBe(day);
    expect(lunarNewYear(2026)).toBe('2026-02-17');
    expect(lunarNewYear(2027)).toBe('2027-02-06');
    expect(lunarNewYear(2028)).toBe('2028-01-26');
  });

  it('differs from the Chinese calendar (UTC+8) where Vietnam’s differs: Tết 1985, 2007 and 2030', () => {
    expect(lunarToSolarAt({ day: 1, month: 1, year: 1985, leap: false }, 7)).toBe('1985-01-21');
    expect(lunarToSolarAt({ day: 1, month: 1, year: 1985, leap: false }, 8)).toBe('1985-02-20');
    expect(lunarToSolarAt({ day: 1, month: 1, year: 2007, leap: false }, 7)).toBe('2007-02-17');
    expect(lunarToSolarAt({ day: 1, month: 1, year: 2007, leap: false }, 8)).toBe('2007-02-18');
    // The new moon of 2 February 2030 is at 23:07 in Hanoi and 00:07 on the 3rd in Beijing.
    expect(lunarToSolarAt({ day: 1, month: 1, year: 2030, leap: false }, 7)).toBe('2030-02-02');
    expect(lunarToSolarAt({ day: 1, month: 1, year: 2030, leap: false }, 8)).toBe('2030-02-03');
    // 1984 has no leap month in Vietnam (China repeated month 10), 1985 repeats month 2 instead.
    expect(leapMonthOf(1984)).toBe(0);
    expect(leapMonthOf(1985)).toBe(2);
    expect(solarToLunarAt('1985-01-21', 8)).toEqual({ day: 1, month: 12, year: 1984, leap: false });
  });

  it('knows the leap months (tháng nhuận)', () => {
    const leaps: Record<number, number> = { 2004: 2, 2006: 7, 2007: 0, 2009: 5, 2012: 4, 2014: 9, 2017: 6, 2020: 4, 2023: 2, 2025: 6, 2026: 0, 2028: 5 };
    for (const [year, month] of Object.entries(leaps)) expect(leapMonthOf(Number(year)), year).toBe(month);
    // The leap 7th month of Bính Tuất 2006 follows the ordinary 7th month.
    const seventh = lunarToSolar(1, 7, 2006);
    const leap7 = lunarToSolar(1, 7, 2006, true);
    expect(seventh).toBe('2006-07-25');
    expect(leap7).toBe('2006-08-24');
    expect(solarToLunar('2006-08-24')).toEqual({ day: 1, month: 7, year: 2006, leap: true });
    expect(solarToLunar('2006-08-23')).toEqual({ day: 30, month: 7, year: 2006, leap: false });
    expect(() => lunarToSolar(1, 8, 2006, true)).toThrow(RangeError); // no leap 8th month that year
    expect(() => lunarToSolar(1, 5, 2026, true)).toThrow(RangeError); // 2026 has no leap month
  });

  it('converts the days around Tết 2026 and Giỗ Tổ (10/3)', () => {
    expect(solarToLunar('2026-02-16')).toEqual({ day: 29, month: 12, year: 2025, leap: false }); // 29 tháng Chạp, last day of Ất Tỵ
    expect(solarToLunar('2026-02-17')).toEqual({ day: 1, month: 1, year: 2026, leap: false });
    expect(solarToLunar('2026-02-14')).toEqual({ day: 27, month: 12, year: 2025, leap: false });
    expect(lunarToSolar(10, 3, 2026)).toBe('2026-04-26');
    expect(lunarToSolar(10, 3, 2025)).toBe('2025-04-07');
    expect(lunarToSolar(10, 3, 2024)).toBe('2024-04-18');
    expect(() => lunarToSolar(30, 12, 2025)).toThrow(RangeError); // tháng Chạp Ất Tỵ has 29 days
  });

  it('round-trips every day from 1900 to 2100 and never skips or repeats a lunar day', () => {
    let prev = solarToLunar('1900-01-31');
    let day = '1900-02-01';
    while (day <= '2100-12-31') {
      const l = solarToLunar(day);
      expect(lunarToSolar(l.day, l.month, l.year, l.leap)).toBe(day);
      if (l.day === 1) {
        expect(prev.day === 29 || prev.day === 30, `${day}: month of ${prev.day} days`).toBe(true);
        const nextMonth = prev.leap || prev.month === 12 ? (prev.month % 12) + 1 : prev.month + 1;
        // Either the next month, or the leap repetition of the same month.
        expect(l.leap ? l.month === prev.month && !prev.leap : l.month === nextMonth, day).toBe(true);
      } else {
        expect(l).toEqual({ ...prev, day: prev.day + 1 });
      }
      prev = l;
      day = addDays(day, 1);
    }
  });
});
