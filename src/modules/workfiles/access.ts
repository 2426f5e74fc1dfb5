import { eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { AppError, notFound, validationFailed } from '../../core/errors/index.js';
import { isUuid } from '../../core/ids/index.js';
import { unitIdsFor } from '../documents/index.js';
import { workFiles } from './schema.js';

export type WorkFileRow = typeof workFiles.$inferSelect;
export type WorkFileStatus = WorkFileRow['status'];
export type UnitRef = { id: string; name: string; path: string; agencyCode: string | null };

/**
 * Who reaches work files: officials holding `workfile.manage` over the owning unit (or an ancestor):
 * they see the unit's file list and change it. Everyone else gets 404, so a file's existence is not
 * revealed. Reopening a closed file is for the unit's leaders (the grant that lets them assign
 * documents, `document.assign`). Documents inside a file are shown only to those who may read them.
 */
export async function manageableUnitIds(db: Db, p: Principal): Promise<string[]> {
  return unitIdsFor(db, p, 'workfile.manage');
}

export async function isUnitLeader(db: Db, p: Principal, unitId: string): Promise<boolean> {
  return (await unitIdsFor(db, p, 'document.assign')).includes(unitId);
}

/** The work file if the principal reaches its unit; 404 otherwise. */
export async function reachableWorkFile(db: Db, p: Principal, id: string): Promise<WorkFileRow> {
  if (!isUuid(id)) throw notFound('Hồ sơ');
  const [row] = await db.select().from(workFiles).where(eq(workFiles.id, id)).limit(1);
  if (!row || !(await manageableUnitIds(db, p)).includes(row.unitId)) throw notFound('Hồ sơ');
  return row;
}

/** Row-locked read inside a transaction (after reachableWorkFile checked access). */
export async function lockWorkFile(tx: Db, id: string): Promise<WorkFileRow> {
  const [row] = await tx.select().from(workFiles).where(eq(workFiles.id, id)).for('update').limit(1);
  if (!row) throw notFound('Hồ sơ');
  return row;
}

/** The unit whose file list is meant (the caller's own unit by default); 404 when out of reach. */
export async function reachableUnit(db: Db, p: Principal, unitId: string | null | undefined): Promise<UnitRef> {
  const id = unitId ?? p.unitId;
  if (!id) throw validationFailed([{ field: 'unitId', message: 'Chọn đơn vị.' }]);
  if (!isUuid(id) || !(await manageableUnitIds(db, p)).includes(id)) throw notFound('Đơn vị');
  const [u] = await queryRows<{ id: string; name: string; path: string; agency_code: string | null }>(db, sql`SELECT id, name, path, agency_code FROM units WHERE id = ${id}`);
  if (!u) throw notFound('Đơn vị');
  return { id: u.id, name: u.name, path: u.path, agencyCode: u.agency_code };
}

/** Is the user an active official of the unit or below it (by primary unit or by a role there)? */
export async function isOfficialOf(db: Db, userId: string, unitPath: string): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const prefix = `${unitPath}%`;
  const rows = await queryRows<{ ok: number }>(
    db,
    sql`SELECT 1 AS ok FROM users us WHERE us.id = ${userId} AND us.kind = 'official' AND us.active
          AND (EXISTS (SELECT 1 FROM officials o JOIN units u ON u.id = o.unit_id WHERE o.user_id = us.id AND u.path LIKE ${prefix})
            OR EXISTS (SELECT 1 FROM role_assignments r JOIN units u ON u.id = r.unit_id WHERE r.user_id = us.id AND u.path LIKE ${prefix}))`,
  );
  return rows.length > 0;
}

export const frozen = (status: WorkFileStatus): AppError =>
  new AppError(
    409,
    'work-file-frozen',
    status === 'transferred' ? 'Hồ sơ đã nộp lưu' : 'Hồ sơ đã đóng',
    status === 'transferred' ? 'Hồ sơ đã nộp vào lưu trữ cơ quan, không thể thay đổi.' : 'Hồ sơ đã đóng, không thể thay đổi. Lãnh đạo đơn vị có thể mở lại hồ sơ kèm lý do.',
  );

export const STATUS_LABELS: Record<WorkFileStatus, string> = {
  planned: 'Trong danh mục (chưa mở)',
  open: 'Đang mở',
  closed: 'Đã đóng',
  transferred: 'Đã nộp lưu',
};

export const wrongState = (status: WorkFileStatus, wanted: string): AppError =>
  new AppError(409, 'invalid-state', 'Trạng thái hồ sơ không cho phép thao tác này', `Hồ sơ đang ở trạng thái "${STATUS_LABELS[status]}"; thao tác này cần hồ sơ ${wanted}.`);
