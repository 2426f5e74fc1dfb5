import { eq, sql } from 'drizzle-orm';
import { can, isSystemAdmin, type Principal, scopeFor } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import {
  buildCalendar,
  calendarAdjustments,
  calendarOfficeHours,
  DEFAULT_HOLIDAY_RULES,
  getHolidayRules,
  invalidateCalendars,
  isValidDay,
  loadCalendarData,
  type AdjustmentKind,
  type OfficeHours,
  parseClock,
  putHolidayRules,
  vietnameseHolidays,
  type HolidayRules,
} from '../../core/calendar/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden, notFound, validationFailed, type FieldError } from '../../core/errors/index.js';
import { isUuid, newId } from '../../core/ids/index.js';
import { findUnit, readableUnit } from '../directory/index.js';

/**
 * Administration of the working calendar: the yearly adjustments (the government's swaps for the whole
 * deployment — system administrators; a unit's own — its unit administrators) and office hours per unit
 * (`unit.manage` over the unit, i.e. admin or unit_admin of it or an ancestor). Every change is audited
 * and clears the loaded calendars (core/calendar caches them per process).
 */
export type Adjustment = {
  id: string;
  unitId: string | null;
  unitName: string | null;
  date: string;
  kind: AdjustmentKind;
  name: string;
  legalBasis: string | null;
};

export type AdjustmentInput = { unitId?: string | null; date: string; kind: AdjustmentKind; name: string; legalBasis?: string | null };

type AdjustmentRow = { id: string; unit_id: string | null; unit_name: string | null; day: string; kind: AdjustmentKind; name: string; legal_basis: string | null };
const present = (r: AdjustmentRow): Adjustment => ({ id: r.id, unitId: r.unit_id, unitName: r.unit_name, date: r.day, kind: r.kind, name: r.name, legalBasis: r.legal_basis });

/** Adjustments of a year that apply to `unitId` (national + its ancestors' + its own), or all the caller can see. */
export async function listAdjustments(db: Db, p: Principal | null, q: { year: number; unitId?: string }): Promise<Adjustment[]> {
  let unitFilter = sql`a.unit_id IS NULL`;
  if (q.unitId) {
    const unit = await findUnit(db, q.unitId);
    if (!unit) throw notFound('Đơn vị');
    unitFilter = sql`(a.unit_id IS NULL OR a.unit_id IN (SELECT id FROM units WHERE path = ANY(${`{${ancestorPaths(unit.path).join(',')}}`}::text[])))`;
  } else if (p) {
    const scope = scopeFor(p, 'unit.read');
    if (scope.all) unitFilter = sql`true`;
    else if (scope.paths.length) unitFilter = sql`(a.unit_id IS NULL OR u.path LIKE ANY (${`{${scope.paths.map((x) => `"${x}%"`).join(',')}}`}::text[]))`;
  }
  const rows = await queryRows<AdjustmentRow>(
    db,
    sql`SELECT a.id, a.unit_id, u.name AS unit_name, a.day::text AS day, a.kind, a.name, a.legal_basis
          FROM calendar_adjustments a LEFT JOIN units u ON u.id = a.unit_id
         WHERE a.day BETWEEN ${`${q.year}-01-01`}::date AND ${`${q.year}-12-31`}::date AND ${unitFilter}
         ORDER BY a.day, u.depth NULLS FIRST LIMIT 1000`,
  );
  return rows.map(present);
}

/** '/a/b/c/' → ['/a/', '/a/b/', '/a/b/c/']. */
function ancestorPaths(path: string): string[] {
  const ids = path.split('/').filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i + 1).join('/')}/`);
}

/** National adjustments are the system administrator's; a unit's, its unit administrators'. */
async function requireAdjustmentRights(db: Db, p: Principal, unitId: string | null): Promise<{ id: string; path: string; parentId: string | null } | null> {
  if (unitId === null) {
    if (!isSystemAdmin(p)) throw forbidden('Chỉ quản trị hệ thống được điều chỉnh lịch nghỉ chung của cả tỉnh.');
    return null;
  }
  const unit = await readableUnit(db, p, unitId);
  if (!can(p, 'unit.manage', unit.path)) throw forbidden('Bạn không có quyền quản trị lịch làm việc của đơn vị này.');
  return unit;
}

/**
 * A day off on a day already off, or a working day on a day already working, is a mistake worth stopping.
 * "Already" = in the calendar the adjustment changes: the rules alone for a national adjustment, the
 * parent unit's calendar (national and inherited adjustments included) for a unit's.
 */
async function checkAdjustment(db: Db, input: { date: string; kind: AdjustmentKind; name: string }, unit: { parentId: string | null } | null): Promise<void> {
  const errors: FieldError[] = [];
  if (!isValidDay(input.date)) errors.push({ field: 'date', message: 'Ngày không hợp lệ (yyyy-MM-dd).' });
  if (!input.name.trim()) errors.push({ field: 'name', message: 'Nhập lý do hoặc tên ngày điều chỉnh.' });
  if (errors.length) throw validationFailed(errors);
  const year = Number(input.date.slice(0, 4));
  if (year < 1901 || year > 2198) throw validationFailed([{ field: 'date', message: 'Năm phải từ 1901 đến 2198.' }]);
  const base = unit ? await loadCalendarData(db, unit.parentId) : { ...(await loadCalendarData(db, null)), adjustments: [] };
  const off = !buildCalendar(base).isWorkingDay(input.date);
  if (input.kind === 'working-day' && !off) throw validationFailed([{ field: 'date', message: 'Ngày này vốn là ngày làm việc; chỉ đặt làm việc bù vào ngày nghỉ cuối tuần, ngày lễ hoặc ngày nghỉ thêm.' }]);
  if (input.kind === 'day-off' && off) throw validationFailed([{ field: 'date', message: 'Ngày này vốn đã là ngày nghỉ.' }]);
}

const UNIQUE = /calendar_adjustments_unit_day_uq/;
const duplicate = () => conflict('Đơn vị đã có điều chỉnh cho ngày này; hãy sửa điều chỉnh đó.', 'duplicate-adjustment');

export async function createAdjustment(db: Db, p: Principal, input: AdjustmentInput, ctx: ActorContext): Promise<Adjustment> {
  const unitId = input.unitId ?? null;
  const unit = await requireAdjustmentRights(db, p, unitId);
  await checkAdjustment(db, input, unit);
  const id = newId();
  const name = input.name.trim().normalize('NFC');
  const legalBasis = input.legalBasis?.trim().normalize('NFC') || null;
  try {
    await inTransaction(db, async (tx) => {
      await tx.insert(calendarAdjustments).values({ id, unitId, day: input.date, kind: input.kind, name, legalBasis, createdAt: ctx.now, updatedAt: ctx.now });
      await writeAudit(tx, ctx, { action: 'calendar.adjustment.create', objectType: 'calendar_adjustment', objectId: id, unitId: unit?.id ?? null, summary: { date: input.date, kind: input.kind, name, legalBasis } });
    });
  } catch (err) {
    if (UNIQUE.test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message ?? ''))) throw duplicate();
    throw err;
  }
  invalidateCalendars();
  return { id, unitId, unitName: unit ? ((await findUnit(db, unit.id))?.name ?? null) : null, date: input.date, kind: input.kind, name, legalBasis };
}

async function adjustmentFor(db: Db, p: Principal, id: string) {
  if (!isUuid(id)) throw notFound('Điều chỉnh lịch');
  const [row] = await db.select().from(calendarAdjustments).where(eq(calendarAdjustments.id, id)).limit(1);
  if (!row) throw notFound('Điều chỉnh lịch');
  if (row.unitId) {
    const unit = await findUnit(db, row.unitId);
    if (!unit || !can(p, 'unit.read', unit.path)) throw notFound('Điều chỉnh lịch');
  }
  const unit = await requireAdjustmentRights(db, p, row.unitId);
  return { row, unit };
}

export async function updateAdjustment(db: Db, p: Principal, id: string, patch: Partial<Omit<AdjustmentInput, 'unitId'>>, ctx: ActorContext): Promise<Adjustment> {
  const { row: before, unit } = await adjustmentFor(db, p, id);
  const after = {
    date: patch.date ?? before.day,
    kind: patch.kind ?? before.kind,
    name: (patch.name ?? before.name).trim().normalize('NFC'),
    legalBasis: patch.legalBasis === undefined ? before.legalBasis : patch.legalBasis?.trim().normalize('NFC') || null,
  };
  await checkAdjustment(db, after, unit);
  try {
    await inTransaction(db, async (tx) => {
      await tx.update(calendarAdjustments).set({ day: after.date, kind: after.kind, name: after.name, legalBasis: after.legalBasis, updatedAt: ctx.now }).where(eq(calendarAdjustments.id, id));
      await writeAudit(tx, ctx, {
        action: 'calendar.adjustment.update',
        objectType: 'calendar_adjustment',
        objectId: id,
        unitId: before.unitId,
        summary: { before: { date: before.day, kind: before.kind, name: before.name, legalBasis: before.legalBasis }, after },
      });
    });
  } catch (err) {
    if (UNIQUE.test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message ?? ''))) throw duplicate();
    throw err;
  }
  invalidateCalendars();
  const unitName = before.unitId ? ((await findUnit(db, before.unitId))?.name ?? null) : null;
  return { id, unitId: before.unitId, unitName, ...after };
}

export async function deleteAdjustment(db: Db, p: Principal, id: string, ctx: ActorContext): Promise<void> {
  const { row: before } = await adjustmentFor(db, p, id);
  await inTransaction(db, async (tx) => {
    await tx.delete(calendarAdjustments).where(eq(calendarAdjustments.id, id));
    await writeAudit(tx, ctx, { action: 'calendar.adjustment.delete', objectType: 'calendar_adjustment', objectId: id, unitId: before.unitId, summary: { date: before.day, kind: before.kind, name: before.name } });
  });
  invalidateCalendars();
}

// ── Office hours ─────────────────────────────────────────────────────────────────────────────

export type UnitOfficeHours = OfficeHours & {
  unitId: string;
  /** The unit whose hours apply (itself, an ancestor), or null for the built-in default. */
  inheritedFrom: string | null;
  inheritedFromName: string | null;
  own: boolean;
};

export async function getOfficeHours(db: Db, p: Principal, unitId: string): Promise<UnitOfficeHours> {
  await readableUnit(db, p, unitId);
  const data = await loadCalendarData(db, unitId);
  const from = data.hoursFrom ? await findUnit(db, data.hoursFrom) : undefined;
  return { unitId, ...data.hours, inheritedFrom: data.hoursFrom, inheritedFromName: from?.name ?? null, own: data.hoursFrom === unitId };
}

function checkHours(h: OfficeHours): void {
  const errors: FieldError[] = [];
  const mins: [number, number][] = [];
  h.sessions.forEach((s, i) => {
    try {
      const a = parseClock(s.start);
      const b = parseClock(s.end);
      if (b <= a) errors.push({ field: `sessions.${i}.end`, message: 'Giờ kết thúc phải sau giờ bắt đầu.' });
      else if (mins.length && a < mins[mins.length - 1][1]) errors.push({ field: `sessions.${i}.start`, message: 'Các buổi làm việc phải theo thứ tự và không chồng lên nhau.' });
      mins.push([a, b]);
    } catch {
      errors.push({ field: `sessions.${i}`, message: 'Giờ phải có dạng HH:mm.' });
    }
  });
  if (h.sessions.length === 0) errors.push({ field: 'sessions', message: 'Cần ít nhất một buổi làm việc.' });
  try {
    parseClock(h.sameDayCutoff);
  } catch {
    errors.push({ field: 'sameDayCutoff', message: 'Giờ phải có dạng HH:mm.' });
  }
  if (errors.length) throw validationFailed(errors);
}

export async function putOfficeHours(db: Db, p: Principal, unitId: string, hours: OfficeHours, ctx: ActorContext): Promise<UnitOfficeHours> {
  const unit = await readableUnit(db, p, unitId);
  if (!can(p, 'unit.manage', unit.path)) throw forbidden('Bạn không có quyền quản trị giờ làm việc của đơn vị này.');
  checkHours(hours);
  const before = await loadCalendarData(db, unitId);
  await inTransaction(db, async (tx) => {
    const values = { sessions: hours.sessions, saturdayMorning: hours.saturdayMorning, sameDayCutoff: hours.sameDayCutoff, updatedAt: ctx.now };
    await tx.insert(calendarOfficeHours).values({ unitId, ...values }).onConflictDoUpdate({ target: calendarOfficeHours.unitId, set: values });
    await writeAudit(tx, ctx, { action: 'calendar.office_hours.set', objectType: 'unit', objectId: unitId, unitId, summary: { before: { ...before.hours, inheritedFrom: before.hoursFrom }, after: hours } });
  });
  invalidateCalendars();
  return getOfficeHours(db, p, unitId);
}

/** Back to the hours inherited from above. */
export async function clearOfficeHours(db: Db, p: Principal, unitId: string, ctx: ActorContext): Promise<UnitOfficeHours> {
  const unit = await readableUnit(db, p, unitId);
  if (!can(p, 'unit.manage', unit.path)) throw forbidden('Bạn không có quyền quản trị giờ làm việc của đơn vị này.');
  await inTransaction(db, async (tx) => {
    const removed = await tx.delete(calendarOfficeHours).where(eq(calendarOfficeHours.unitId, unitId)).returning();
    if (removed.length) await writeAudit(tx, ctx, { action: 'calendar.office_hours.clear', objectType: 'unit', objectId: unitId, unitId, summary: { before: removed[0] } });
  });
  invalidateCalendars();
  return getOfficeHours(db, p, unitId);
}

// ── Holiday rules ────────────────────────────────────────────────────────────────────────────

export async function setHolidayRules(db: Db, p: Principal, rules: HolidayRules | null, ctx: ActorContext): Promise<HolidayRules> {
  if (!isSystemAdmin(p)) throw forbidden('Chỉ quản trị hệ thống được sửa quy tắc ngày lễ.');
  if (rules) {
    try {
      for (const y of [2000, 2026, 2100]) vietnameseHolidays(y, rules);
    } catch (err) {
      throw new AppError(422, 'invalid-rules', 'Quy tắc ngày lễ không dùng được', (err as Error).message);
    }
  }
  const before = await getHolidayRules(db);
  await inTransaction(db, async (tx) => {
    await putHolidayRules(tx, rules, ctx.now);
    await writeAudit(tx, ctx, { action: 'calendar.rules.set', objectType: 'settings', objectId: 'calendar.holiday-rules', unitId: null, summary: { before: before.source, after: (rules ?? DEFAULT_HOLIDAY_RULES).source, reset: rules === null } });
  });
  invalidateCalendars();
  return rules ?? DEFAULT_HOLIDAY_RULES;
}
