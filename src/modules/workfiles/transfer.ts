import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { forbidden } from '../../core/errors/index.js';
import { getSetting, putSetting } from '../../core/settings/index.js';
import { localDate } from '../documents/index.js';
import { isUnitLeader, reachableUnit } from './access.js';
import { DEFAULT_TRANSFER_MONTHS, TRANSFER_REMINDER_DAYS, type TransferState, transferState } from './rules.js';
import { queryWorkFiles, type WorkFile } from './service.js';

/**
 * Transfer of closed files to the agency archive (nộp lưu). Each unit sets within how many months of
 * closing its files are handed over (12 by default). The reminder lists the unit's closed files whose
 * transfer date is at most TRANSFER_REMINDER_DAYS (30) days away or already past; a file leaves the
 * list when it is marked transferred (POST /api/work-files/:id/transfer).
 */
export type TransferSettings = { unitId: string; transferMonths: number };

const settingKey = (unitId: string) => `workfiles.transfer:${unitId}`;

export async function transferMonthsOf(db: Db, unitId: string): Promise<number> {
  const v = await getSetting<{ months?: number }>(db, settingKey(unitId), {});
  return typeof v.months === 'number' ? v.months : DEFAULT_TRANSFER_MONTHS;
}

export async function getTransferSettings(db: Db, p: Principal, unitId?: string): Promise<TransferSettings> {
  const unit = await reachableUnit(db, p, unitId);
  return { unitId: unit.id, transferMonths: await transferMonthsOf(db, unit.id) };
}

/** Set by the unit's leaders. */
export async function putTransferSettings(db: Db, p: Principal, input: { unitId?: string | null; transferMonths: number }, ctx: ActorContext): Promise<TransferSettings> {
  const unit = await reachableUnit(db, p, input.unitId);
  if (!(await isUnitLeader(db, p, unit.id))) throw forbidden('Chỉ lãnh đạo đơn vị được đặt thời hạn nộp lưu hồ sơ.');
  const before = await transferMonthsOf(db, unit.id);
  await inTransaction(db, async (tx) => {
    await putSetting(tx, settingKey(unit.id), { months: input.transferMonths }, ctx.now);
    await writeAudit(tx, ctx, { action: 'workfile.settings', objectType: 'unit', objectId: unit.id, unitId: unit.id, summary: { before: { transferMonths: before }, after: { transferMonths: input.transferMonths } } });
  });
  return { unitId: unit.id, transferMonths: input.transferMonths };
}

export type TransferDueItem = WorkFile & { transferDueDate: string; daysLeft: number; transferState: TransferState };

/** Closed files due for transfer within the reminder window or overdue, soonest first. */
export async function transferDue(
  db: Db,
  p: Principal,
  q: { unitId?: string; page: number; pageSize: number },
  now: Date,
): Promise<{ transferMonths: number; reminderDays: number; items: TransferDueItem[]; total: number; page: number; pageSize: number }> {
  const unit = await reachableUnit(db, p, q.unitId);
  const months = await transferMonthsOf(db, unit.id);
  const today = localDate(now);
  // The local (UTC+7) closing day plus the configured months, compared with the reminder horizon.
  const due = sql`(((w.closed_at AT TIME ZONE 'UTC') + interval '7 hours')::date + make_interval(months => ${months}::int))::date`;
  const horizon = sql`(${today}::date + ${TRANSFER_REMINDER_DAYS}::int)`;
  const where = sql`w.unit_id = ${unit.id} AND w.status = 'closed' AND ${due} <= ${horizon}`;
  const { items, total } = await queryWorkFiles(db, where, sql`w.closed_at, w.id`, q.page, q.pageSize);
  return {
    transferMonths: months,
    reminderDays: TRANSFER_REMINDER_DAYS,
    items: items.map((f) => {
      const s = transferState(localDate(new Date(f.closedAt!)), months, today);
      return { ...f, transferDueDate: s.dueDate, daysLeft: s.daysLeft, transferState: s.state };
    }),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
