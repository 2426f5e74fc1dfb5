import { inArray, isNull, or, sql } from 'drizzle-orm';
import { type Db, perDatabase, queryRows } from '../db/index.js';
import { notFound } from '../errors/index.js';
import { isUuid } from '../ids/index.js';
import { getSetting, putSetting } from '../settings/index.js';
import { DEFAULT_HOLIDAY_RULES, type HolidayRules } from './rules.js';
import { calendarAdjustments, calendarOfficeHours } from './schema.js';
import { buildCalendar, type CalendarAdjustment, type CalendarData, DEFAULT_OFFICE_HOURS, type OfficeHours, type WorkingCalendar } from './working.js';

/** Setting holding the holiday rules when an administrator replaced the built-in ones (rules.ts). */
export const HOLIDAY_RULES_KEY = 'calendar.holiday-rules';

/**
 * Loaded calendars are kept per database (transactions share their database's entries) and unit for CACHE_MS. A change through this process
 * (adjustments, office hours, rules) clears the cache at once; other processes see it within CACHE_MS.
 */
const CACHE_MS = 10_000;
const caches = perDatabase((): { generation: number; entries: Map<string, { at: number; calendar: Promise<WorkingCalendar> }> } => ({ generation, entries: new Map() }));
let generation = 0;

/** Forget every loaded calendar (after a change to adjustments, office hours or rules). */
export function invalidateCalendars(): void {
  generation++;
}

export async function getHolidayRules(db: Db): Promise<HolidayRules> {
  return getSetting<HolidayRules>(db, HOLIDAY_RULES_KEY, DEFAULT_HOLIDAY_RULES);
}

/** Stores replacement rules (validated by the caller), or null to return to the built-in ones. */
export async function putHolidayRules(tx: Db, rules: HolidayRules | null, now: Date): Promise<void> {
  await putSetting(tx, HOLIDAY_RULES_KEY, rules ?? DEFAULT_HOLIDAY_RULES, now);
  invalidateCalendars();
}

/** The unit's ancestors, root first, ending with the unit itself; [] for the deployment-wide calendar. */
async function unitLine(db: Db, unitId: string | null): Promise<string[]> {
  if (unitId === null) return [];
  const rows = isUuid(unitId) ? await queryRows<{ path: string }>(db, sql`SELECT path FROM units WHERE id = ${unitId}`) : [];
  if (!rows[0]) throw notFound('Đơn vị');
  return rows[0].path.split('/').filter(Boolean);
}

/** What a unit's calendar is made of: the rules, national and inherited adjustments (deepest wins), inherited office hours. */
export async function loadCalendarData(db: Db, unitId: string | null): Promise<CalendarData & { hoursFrom: string | null }> {
  const line = await unitLine(db, unitId);
  const [rules, adjustments, hours] = await Promise.all([
    getHolidayRules(db),
    db
      .select({ unitId: calendarAdjustments.unitId, date: calendarAdjustments.day, kind: calendarAdjustments.kind, name: calendarAdjustments.name })
      .from(calendarAdjustments)
      .where(line.length ? or(isNull(calendarAdjustments.unitId), inArray(calendarAdjustments.unitId, line)) : isNull(calendarAdjustments.unitId)),
    line.length ? db.select().from(calendarOfficeHours).where(inArray(calendarOfficeHours.unitId, line)) : Promise.resolve([]),
  ]);
  const depth = (id: string | null) => (id === null ? -1 : line.indexOf(id));
  const byDay = new Map<string, CalendarAdjustment>();
  for (const a of adjustments.sort((x, y) => depth(x.unitId) - depth(y.unitId))) byDay.set(a.date, { date: a.date, kind: a.kind, name: a.name });
  const own = hours.sort((x, y) => depth(y.unitId) - depth(x.unitId))[0];
  const officeHours: OfficeHours = own ? { sessions: own.sessions, saturdayMorning: own.saturdayMorning, sameDayCutoff: own.sameDayCutoff } : DEFAULT_OFFICE_HOURS;
  return { rules, adjustments: [...byDay.values()], hours: officeHours, hoursFrom: own?.unitId ?? null };
}

/**
 * The working calendar of a unit (null = deployment-wide: national holidays, default office hours).
 * Cached per process; throws 404 (AppError) for an unknown unit.
 */
export function loadCalendar(db: Db, unitId: string | null): Promise<WorkingCalendar> {
  // Keyed by the database, not the handle: a transaction's handle is new for every request (the inbox counters
  // run in one), and a cache per handle rebuilt the calendar — three queries and the lunar holidays — every time.
  const cache = caches(db);
  if (cache.generation !== generation) {
    cache.generation = generation;
    cache.entries.clear();
  }
  const entries = cache.entries;
  const key = unitId ?? '';
  const hit = entries.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.calendar;
  if (entries.size > 2000) entries.clear();
  const calendar = loadCalendarData(db, unitId).then(buildCalendar);
  calendar.catch(() => entries.delete(key));
  entries.set(key, { at: Date.now(), calendar });
  return calendar;
}
