import { addDays, dayNumber, weekdayOf, ymd } from './days.js';
import { lunarToSolarAt, MAX_YEAR, MIN_YEAR, VIETNAM_TZ_HOURS } from './lunar.js';
import { DEFAULT_HOLIDAY_RULES, type HolidayRule, type HolidayRules, WEEKDAYS } from './rules.js';

export type Holiday = {
  date: string; // yyyy-MM-dd
  name: string;
  nameEn: string;
  ruleId: string;
  /** 'holiday' = the day itself; 'compensation' = the working day given for a holiday on a weekly rest day (nghỉ bù). */
  kind: 'holiday' | 'compensation';
};

const inForce = (r: HolidayRule, date: string) => (!r.validFrom || date >= r.validFrom) && (!r.validTo || date <= r.validTo);

/** The holidays that the rules of (lunar or solar) year `year` produce, before weekend moves. */
function ruleDays(year: number, rules: HolidayRules): Holiday[] {
  const out: Holiday[] = [];
  const add = (r: HolidayRule, date: string | null, name = r.name, nameEn = r.nameEn) => {
    if (date && inForce(r, date)) out.push({ date, name, nameEn, ruleId: r.id, kind: 'holiday' });
  };
  for (const r of rules.holidays) {
    if (r.kind === 'solar') add(r, ymd(year, r.month, r.day));
    else if (r.kind === 'lunar') add(r, lunarToSolarAt({ day: r.day, month: r.month, year, leap: false }, VIETNAM_TZ_HOURS));
    else if (r.kind === 'lunar-new-year') {
      const first = lunarToSolarAt({ day: 1, month: 1, year, leap: false }, VIETNAM_TZ_HOURS)!;
      if (!inForce(r, first)) continue;
      for (let i = -r.daysBefore; i < r.daysOfNewYear; i++) {
        out.push({ date: addDays(first, i), name: r.name, nameEn: r.nameEn, ruleId: r.id, kind: 'holiday' });
      }
    }
  }
  // Adjacent days after their anchors exist.
  for (const r of rules.holidays) {
    if (r.kind !== 'adjacent') continue;
    const anchor = out.find((h) => h.ruleId === r.anchor);
    if (!anchor) continue;
    const side = r.side[WEEKDAYS[weekdayOf(dayNumber(anchor.date))]];
    add(r, addDays(anchor.date, side === 'before' ? -1 : 1));
  }
  return out;
}

/**
 * Vietnam's public holidays falling in solar year `year`, with the days off given for holidays on a
 * weekly rest day (each moved to the next working day that is not itself a holiday), sorted by date.
 * Government swaps (extra days off, make-up Saturdays) are not here: they are adjustments kept by
 * administrators (store.ts).
 */
export function vietnameseHolidays(year: number, rules: HolidayRules = DEFAULT_HOLIDAY_RULES): Holiday[] {
  if (!Number.isInteger(year) || year <= MIN_YEAR || year >= MAX_YEAR) throw new RangeError(`year outside ${MIN_YEAR + 1}–${MAX_YEAR - 1}: ${year}`);
  // Neighbouring years too: Tết may start in the old solar year and a move may cross 31 December.
  const all = [year - 1, year, year + 1].flatMap((y) => ruleDays(y, rules));
  const byDate = new Map<string, Holiday>();
  for (const h of all.sort((a, b) => a.date.localeCompare(b.date))) if (!byDate.has(h.date)) byDate.set(h.date, h);
  const rest = new Set(rules.weekend.map((w) => WEEKDAYS.indexOf(w)));
  const result = [...byDate.values()];
  if (rules.moveWeekendHolidays) {
    for (const h of [...byDate.values()]) {
      if (!rest.has(weekdayOf(dayNumber(h.date)))) continue;
      let d = addDays(h.date, 1);
      while (rest.has(weekdayOf(dayNumber(d))) || byDate.has(d)) d = addDays(d, 1);
      const comp: Holiday = { date: d, name: `Nghỉ bù ${h.name}`, nameEn: `${h.nameEn} (in lieu)`, ruleId: h.ruleId, kind: 'compensation' };
      byDate.set(d, comp);
      result.push(comp);
    }
  }
  const prefix = `${String(year).padStart(4, '0')}-`;
  return result.filter((h) => h.date.startsWith(prefix)).sort((a, b) => a.date.localeCompare(b.date));
}
