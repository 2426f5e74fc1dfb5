/**
 * The Vietnamese lunar calendar (âm lịch), computed astronomically at UTC+7 with the method Hồ Ngọc Đức
 * published ("Âm lịch Việt Nam"; new moons and solar terms from Jean Meeus, Astronomical Algorithms):
 * - a month starts on the local day of a new moon;
 * - month 11 is the month that contains the winter solstice;
 * - a lunar year with 13 months (13 new moons between two months 11) repeats the first month that
 *   contains no major solar term (trung khí) — the leap month.
 * The time zone is a parameter because it is what makes the calendars differ: at UTC+8 (China) the
 * same rules gave Tết 1985 a month later and Tết 2007 a day later than in Vietnam.
 * Accurate for the years 1800–2199 (the range of the polynomial approximations used).
 */
import { dayNumber, dayString } from './days.js';

export type LunarDate = { day: number; month: number; year: number; leap: boolean };

export const VIETNAM_TZ_HOURS = 7;
export const MIN_YEAR = 1800;
export const MAX_YEAR = 2199;

const JD_UNIX_EPOCH = 2440588; // Julian day number of 1970-01-01
const SYNODIC_MONTH = 29.530588853;
const NEW_MOON_1900 = 2415021.076998695; // Julian date of the new moon of 1900-01-01 (k = 0)
const RAD = Math.PI / 180;

/** Julian date (UT) of the k-th new moon after 1900-01-01 (Meeus, ch. 49, abridged). */
function newMoon(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  let jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * RAD);
  const m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3; // sun's mean anomaly
  const mp = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3; // moon's mean anomaly
  const f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3; // moon's argument of latitude
  let c = (0.1734 - 0.000393 * t) * Math.sin(m * RAD) + 0.0021 * Math.sin(2 * m * RAD);
  c += -0.4068 * Math.sin(mp * RAD) + 0.0161 * Math.sin(2 * mp * RAD) - 0.0004 * Math.sin(3 * mp * RAD);
  c += 0.0104 * Math.sin(2 * f * RAD) - 0.0051 * Math.sin((m + mp) * RAD) - 0.0074 * Math.sin((m - mp) * RAD);
  c += 0.0004 * Math.sin((2 * f + m) * RAD) - 0.0004 * Math.sin((2 * f - m) * RAD) - 0.0006 * Math.sin((2 * f + mp) * RAD);
  c += 0.001 * Math.sin((2 * f - mp) * RAD) + 0.0005 * Math.sin((2 * mp + m) * RAD);
  const deltaT = t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3 : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + c - deltaT;
}

/** The sun's apparent longitude in radians, [0, 2π), at a Julian date (UT). */
function sunLongitude(jd: number): number {
  const t = (jd - 2451545.0) / 36525;
  const t2 = t * t;
  const m = 357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  let dl = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(m * RAD);
  dl += (0.019993 - 0.000101 * t) * Math.sin(2 * m * RAD) + 0.00029 * Math.sin(3 * m * RAD);
  const l = (l0 + dl) * RAD;
  return l - 2 * Math.PI * Math.floor(l / (2 * Math.PI));
}

/** Local Julian day number on which the k-th new moon falls. */
const newMoonDay = (k: number, tz: number) => Math.floor(newMoon(k) + 0.5 + tz / 24);

/** Which 30° sector (0–11) the sun is in at the start of a local day; 9 = after the winter solstice. */
const sunSector = (jdn: number, tz: number) => Math.floor((sunLongitude(jdn - 0.5 - tz / 24) / Math.PI) * 6);

/** Julian day number of the first day of month 11 of the lunar year around the solar year `year`. */
function month11(year: number, tz: number): number {
  const off = dayNumber(`${String(year).padStart(4, '0')}-12-31`) + JD_UNIX_EPOCH - 2415021;
  const k = Math.floor(off / SYNODIC_MONTH);
  const nm = newMoonDay(k, tz);
  return sunSector(nm, tz) >= 9 ? newMoonDay(k - 1, tz) : nm;
}

/** In a 13-month year starting at month 11 `a11`, the offset of the leap month (the first without a major term). */
function leapMonthOffset(a11: number, tz: number): number {
  const k = Math.floor((a11 - NEW_MOON_1900) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i, tz), tz);
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i, tz), tz);
  } while (arc !== last && i < 14);
  return i - 1;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`year outside ${MIN_YEAR}–${MAX_YEAR}: ${year}`);
}

/** Solar 'yyyy-MM-dd' → lunar date at the given time zone (hours east of UTC; Vietnam = 7). */
export function solarToLunarAt(day: string, tz: number): LunarDate {
  const jdn = dayNumber(day) + JD_UNIX_EPOCH;
  const year = Number(day.slice(0, 4));
  checkYear(year);
  // The mean lunation gives a first guess; the true new moon can be up to ~14 hours either side of it
  // (e.g. 2054-05-07), so step to the month that really contains the day.
  let k = Math.floor((jdn - NEW_MOON_1900) / SYNODIC_MONTH) + 1;
  while (newMoonDay(k, tz) > jdn) k--;
  while (newMoonDay(k + 1, tz) <= jdn) k++;
  const monthStart = newMoonDay(k, tz);
  let a11 = month11(year, tz);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = year;
    a11 = month11(year - 1, tz);
  } else {
    lunarYear = year + 1;
    b11 = month11(year + 1, tz);
  }
  const diff = Math.floor((monthStart - a11) / 29);
  let month = diff + 11;
  let leap = false;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, tz);
    if (diff >= leapDiff) {
      month = diff + 10;
      leap = diff === leapDiff;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) lunarYear -= 1;
  return { day: jdn - monthStart + 1, month, year: lunarYear, leap };
}

/** Julian day number of the first day of a lunar month, or null when that (leap) month does not exist. */
function monthStartAt(month: number, year: number, leap: boolean, tz: number): number | null {
  const [a11, b11] = month < 11 ? [month11(year - 1, tz), month11(year, tz)] : [month11(year, tz), month11(year + 1, tz)];
  const k = Math.floor(0.5 + (a11 - NEW_MOON_1900) / SYNODIC_MONTH);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return null;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return null;
  }
  return newMoonDay(k + off, tz);
}

/** Lunar date → solar 'yyyy-MM-dd', or null when it does not exist (a 30th in a 29-day month, a leap month that is not). */
export function lunarToSolarAt(l: LunarDate, tz: number): string | null {
  checkYear(l.year);
  if (!Number.isInteger(l.month) || l.month < 1 || l.month > 12 || !Number.isInteger(l.day) || l.day < 1 || l.day > 30) return null;
  const start = monthStartAt(l.month, l.year, l.leap, tz);
  if (start === null) return null;
  const jdn = start + l.day - 1;
  // Past the month's end when the month has 29 days.
  const back = solarToLunarAt(dayString(jdn - JD_UNIX_EPOCH), tz);
  if (back.day !== l.day || back.month !== l.month || back.leap !== l.leap) return null;
  return dayString(jdn - JD_UNIX_EPOCH);
}

/** Vietnamese lunar date of a solar day ('yyyy-MM-dd'). */
export function solarToLunar(day: string): LunarDate {
  return solarToLunarAt(day, VIETNAM_TZ_HOURS);
}

/** Solar day of a Vietnamese lunar date; throws RangeError when the date does not exist. */
export function lunarToSolar(day: number, month: number, year: number, leap = false): string {
  const s = lunarToSolarAt({ day, month, year, leap }, VIETNAM_TZ_HOURS);
  if (s === null) throw new RangeError(`no such lunar date: ${day}/${month}${leap ? ' nhuận' : ''}/${year}`);
  return s;
}

/** Solar day of the first day of the lunar year `year` (mùng 1 Tết). */
export function lunarNewYear(year: number): string {
  return lunarToSolar(1, 1, year);
}

/** Which month of the lunar year `year` is repeated (0 = none). */
export function leapMonthOf(year: number): number {
  checkYear(year);
  const tz = VIETNAM_TZ_HOURS;
  // Offsets count months from month 11 of the previous lunar year: 1 = a leap 11, 2 = a leap 12
  // (those two belong to the lunar year that starts at that month 11's year), 3 = leap 1, …
  const a11 = month11(year - 1, tz);
  const b11 = month11(year, tz);
  if (b11 - a11 > 365) {
    const off = leapMonthOffset(a11, tz);
    if (off >= 3) return off - 2;
  }
  const c11 = month11(year + 1, tz);
  if (c11 - b11 > 365) {
    const off = leapMonthOffset(b11, tz);
    if (off <= 2) return off === 1 ? 11 : 12;
  }
  return 0;
}
