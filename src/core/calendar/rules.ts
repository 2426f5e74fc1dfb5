/**
 * Public holidays as data (Labour Code 2019, art. 112; earlier codes for earlier years). The next reform
 * is a change here — or, without a release, the same shape stored by an administrator in the setting
 * `calendar.holiday-rules` (see store.ts). Every entry is effective-dated: it makes days off only for
 * holidays falling between `validFrom` and `validTo` (inclusive, 'yyyy-MM-dd').
 */
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
export const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

type Validity = { validFrom?: string; validTo?: string };

export type HolidayRule = Validity & { id: string; name: string; nameEn: string } & (
    | { kind: 'solar'; month: number; day: number }
    | { kind: 'lunar'; month: number; day: number }
    /** Tết Nguyên đán: `daysBefore` last days of the old lunar year and the first `daysOfNewYear` days of the new one. */
    | { kind: 'lunar-new-year'; daysBefore: number; daysOfNewYear: number }
    /**
     * One day next to another holiday (Quốc khánh: 2/9 and the day before or after). The Prime Minister
     * picks the side each year; `side` records the choice by the weekday of the anchor day.
     */
    | { kind: 'adjacent'; anchor: string; side: Record<Weekday, 'before' | 'after'> }
  );

export type HolidayRules = {
  /** Where the rules come from, shown to administrators. */
  source: string;
  /** Weekly rest days (Decree on the 40-hour week: Saturday and Sunday). */
  weekend: Weekday[];
  /** A holiday on a weekly rest day gives a day off on the next working day (Labour Code art. 111–112). */
  moveWeekendHolidays: boolean;
  holidays: HolidayRule[];
};

export const DEFAULT_HOLIDAY_RULES: HolidayRules = {
  source: 'Bộ luật Lao động 2019, Điều 112 (từ 01/01/2021); Bộ luật Lao động 2012 và 1994 sửa đổi 2007 cho các năm trước',
  weekend: ['sat', 'sun'],
  moveWeekendHolidays: true,
  holidays: [
    { id: 'new-year', name: 'Tết Dương lịch', nameEn: "New Year's Day", kind: 'solar', month: 1, day: 1 },
    // Tết: 4 days until 30/04/2013 (Labour Code 1994 as amended in 2007), 5 days since (Labour Code 2012, 2019).
    { id: 'tet', name: 'Tết Nguyên đán', nameEn: 'Lunar New Year (Tết)', kind: 'lunar-new-year', daysBefore: 1, daysOfNewYear: 3, validTo: '2013-04-30' },
    { id: 'tet', name: 'Tết Nguyên đán', nameEn: 'Lunar New Year (Tết)', kind: 'lunar-new-year', daysBefore: 1, daysOfNewYear: 4, validFrom: '2013-05-01' },
    { id: 'hung-kings', name: 'Giỗ Tổ Hùng Vương', nameEn: 'Hùng Kings Commemoration', kind: 'lunar', month: 3, day: 10, validFrom: '2007-01-01' },
    { id: 'victory', name: 'Ngày Chiến thắng', nameEn: 'Reunification Day', kind: 'solar', month: 4, day: 30 },
    { id: 'labour', name: 'Ngày Quốc tế Lao động', nameEn: 'International Labour Day', kind: 'solar', month: 5, day: 1 },
    { id: 'national-day', name: 'Quốc khánh', nameEn: 'National Day', kind: 'solar', month: 9, day: 2 },
    // The adjacent day as chosen 2021–2025 (3/9 on Thu 2021 and Mon 2024, 1/9 on Fri 2022, Sat 2023,
    // Tue 2025): the side that joins a weekend. For a Wednesday no side does; 'after' until decided.
    {
      id: 'national-day-adjacent',
      name: 'Quốc khánh (ngày liền kề)',
      nameEn: 'National Day (adjacent day)',
      kind: 'adjacent',
      anchor: 'national-day',
      side: { sun: 'after', mon: 'after', tue: 'before', wed: 'after', thu: 'after', fri: 'before', sat: 'before' },
      validFrom: '2021-01-01',
    },
  ],
};
