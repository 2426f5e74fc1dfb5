import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { containsPattern, type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, type FieldError, forbidden, unprocessable, validationFailed } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { readableDocument } from '../documents/index.js';
import {
  frozen,
  isOfficialOf,
  isUnitLeader,
  lockWorkFile,
  reachableUnit,
  reachableWorkFile,
  type UnitRef,
  type WorkFileRow,
  type WorkFileStatus,
  wrongState,
} from './access.js';
import { normalizeNotation, notationProblem, retentionLabel } from './rules.js';
import { workFileDocuments, workFiles } from './schema.js';

/** A work file as the API shows it. */
export type WorkFile = {
  id: string;
  unitId: string;
  unitName: string;
  year: number;
  notation: string;
  title: string;
  retentionYears: number | null;
  retentionLabel: string;
  status: WorkFileStatus;
  ownerUserId: string | null;
  ownerName: string | null;
  createdBy: string;
  createdByName: string | null;
  openedAt: string | null;
  closedAt: string | null;
  transferredAt: string | null;
  note: string | null;
  createdAt: string;
  documentCount: number;
};

type Raw = {
  id: string; unit_id: string; unit_name: string; year: number; notation: string; title: string; retention_years: number | null;
  status: WorkFileStatus; owner_user_id: string | null; owner_name: string | null; created_by: string; created_by_name: string | null;
  opened_at: Date | string | null; closed_at: Date | string | null; transferred_at: Date | string | null; note: string | null;
  created_at: Date | string; document_count: number;
};

export const isoTime = (v: Date | string | null): string | null => (v == null ? null : new Date(v).toISOString());

export function presentRaw(r: Raw): WorkFile {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    year: r.year,
    notation: r.notation,
    title: r.title,
    retentionYears: r.retention_years,
    retentionLabel: retentionLabel(r.retention_years),
    status: r.status,
    ownerUserId: r.owner_user_id,
    ownerName: r.owner_name,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    openedAt: isoTime(r.opened_at),
    closedAt: isoTime(r.closed_at),
    transferredAt: isoTime(r.transferred_at),
    note: r.note,
    createdAt: isoTime(r.created_at)!,
    documentCount: r.document_count,
  };
}

export const SELECT_FILES = sql`SELECT w.id, w.unit_id, u.name AS unit_name, w.year, w.notation, w.title, w.retention_years, w.status,
    w.owner_user_id, ou.full_name AS owner_name, w.created_by, cu.full_name AS created_by_name, w.opened_at, w.closed_at,
    w.transferred_at, w.note, w.created_at,
    (SELECT count(*)::int FROM work_file_documents x WHERE x.work_file_id = w.id) AS document_count
  FROM work_files w JOIN units u ON u.id = w.unit_id LEFT JOIN users ou ON ou.id = w.owner_user_id LEFT JOIN users cu ON cu.id = w.created_by`;

// The list order of the danh mục: year, then the running number of the notation.
export const FILE_ORDER = sql`w.year DESC, (split_part(w.notation, '.', 1))::int, w.notation`;

export async function presentWorkFile(db: Db, id: string): Promise<WorkFile> {
  const [r] = await queryRows<Raw>(db, sql`${SELECT_FILES} WHERE w.id = ${id}`);
  return presentRaw(r);
}

export async function queryWorkFiles(db: Db, where: SQL, order: SQL, page: number, pageSize: number): Promise<{ items: WorkFile[]; total: number }> {
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM work_files w WHERE ${where}`);
  const rows = await queryRows<Raw>(db, sql`${SELECT_FILES} WHERE ${where} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return { items: rows.map(presentRaw), total: n };
}

export type ListQuery = { unitId?: string; year?: number; status?: WorkFileStatus; q?: string; documentId?: string; page: number; pageSize: number };

/** The file list (danh mục hồ sơ) of one unit, optionally for one year. */
export async function listWorkFiles(db: Db, p: Principal, q: ListQuery): Promise<{ items: WorkFile[]; total: number; page: number; pageSize: number }> {
  const unit = await reachableUnit(db, p, q.unitId);
  const conds: SQL[] = [sql`w.unit_id = ${unit.id}`];
  if (q.year !== undefined) conds.push(sql`w.year = ${q.year}`);
  if (q.status) conds.push(sql`w.status = ${q.status}`);
  if (q.q?.trim()) {
    const pattern = containsPattern(q.q.trim());
    conds.push(sql`(w.title ILIKE ${pattern} OR w.notation ILIKE ${pattern})`);
  }
  if (q.documentId) {
    // "Which of our files hold this document?" — only for a document the caller may read.
    const doc = await readableDocument(db, p, q.documentId);
    conds.push(sql`EXISTS (SELECT 1 FROM work_file_documents x WHERE x.work_file_id = w.id AND x.document_id = ${doc.id})`);
  }
  const { items, total } = await queryWorkFiles(db, sql.join(conds, sql` AND `), FILE_ORDER, q.page, q.pageSize);
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export type WorkFileInput = {
  unitId?: string | null;
  year: number;
  notation: string;
  title: string;
  retentionYears: number | null;
  ownerUserId?: string | null;
  note?: string | null;
};
export type WorkFilePatch = Partial<Omit<WorkFileInput, 'unitId' | 'year'>>;

const clean = (s: string | null | undefined): string | null => {
  const t = s?.normalize('NFC').trim();
  return t ? t : null;
};

async function checkFields(db: Db, unit: UnitRef, input: WorkFilePatch): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.notation !== undefined) {
    const problem = notationProblem(normalizeNotation(input.notation));
    if (problem) errors.push(problem);
  }
  if (input.title !== undefined && !clean(input.title)) errors.push({ field: 'title', message: 'Chưa nhập tiêu đề hồ sơ.' });
  if (input.ownerUserId && !(await isOfficialOf(db, input.ownerUserId, unit.path))) {
    errors.push({ field: 'ownerUserId', message: 'Người lập hồ sơ phải là cán bộ của đơn vị.' });
  }
  return errors;
}

const duplicateNotation = (notation: string, year: number) =>
  new AppError(409, 'duplicate-notation', 'Ký hiệu hồ sơ bị trùng', `Danh mục hồ sơ năm ${year} của đơn vị đã có hồ sơ ký hiệu ${notation}.`, [
    { field: 'notation', message: `Ký hiệu ${notation} đã có trong danh mục năm ${year}.` },
  ]);

async function notationTaken(db: Db, unitId: string, year: number, notation: string, exceptId?: string): Promise<boolean> {
  const rows = await db
    .select({ id: workFiles.id })
    .from(workFiles)
    .where(and(eq(workFiles.unitId, unitId), eq(workFiles.year, year), eq(workFiles.notation, notation)))
    .limit(1);
  return rows.length > 0 && rows[0].id !== exceptId;
}

/** Adds an entry to the unit's yearly file list (status planned). */
export async function createWorkFile(db: Db, p: Principal, input: WorkFileInput, ctx: ActorContext): Promise<WorkFile> {
  const unit = await reachableUnit(db, p, input.unitId);
  const errors = await checkFields(db, unit, input);
  if (errors.length) throw validationFailed(errors);
  const notation = normalizeNotation(input.notation);
  if (await notationTaken(db, unit.id, input.year, notation)) throw duplicateNotation(notation, input.year);
  const id = newId();
  await inTransaction(db, async (tx) => {
    const row = {
      id,
      unitId: unit.id,
      year: input.year,
      notation,
      title: clean(input.title)!,
      retentionYears: input.retentionYears,
      status: 'planned' as const,
      ownerUserId: input.ownerUserId ?? p.userId,
      createdBy: p.userId,
      note: clean(input.note),
      createdAt: ctx.now,
    };
    await tx.insert(workFiles).values(row);
    await writeAudit(tx, ctx, { action: 'workfile.create', objectType: 'work_file', objectId: id, unitId: unit.id, summary: { year: row.year, notation, title: row.title, retentionYears: row.retentionYears } });
  });
  return presentWorkFile(db, id);
}

/** Edits an entry (planned or open files; closed ones are frozen). */
export async function updateWorkFile(db: Db, p: Principal, id: string, patch: WorkFilePatch, ctx: ActorContext): Promise<WorkFile> {
  const file = await reachableWorkFile(db, p, id);
  const unit = await reachableUnit(db, p, file.unitId);
  const errors = await checkFields(db, unit, patch);
  if (errors.length) throw validationFailed(errors);
  await inTransaction(db, async (tx) => {
    const cur = await lockWorkFile(tx, id);
    if (cur.status === 'closed' || cur.status === 'transferred') throw frozen(cur.status);
    const next: Partial<WorkFileRow> = {};
    if (patch.notation !== undefined) next.notation = normalizeNotation(patch.notation);
    if (patch.title !== undefined) next.title = clean(patch.title)!;
    if (patch.retentionYears !== undefined) next.retentionYears = patch.retentionYears;
    if (patch.ownerUserId !== undefined) next.ownerUserId = patch.ownerUserId;
    if (patch.note !== undefined) next.note = clean(patch.note);
    const changed = (Object.keys(next) as (keyof WorkFileRow)[]).filter((k) => next[k] !== cur[k]);
    if (changed.length === 0) return;
    if (next.notation && next.notation !== cur.notation && (await notationTaken(tx, cur.unitId, cur.year, next.notation, cur.id))) {
      throw duplicateNotation(next.notation, cur.year);
    }
    await tx.update(workFiles).set(next).where(eq(workFiles.id, id));
    await writeAudit(tx, ctx, {
      action: 'workfile.update',
      objectType: 'work_file',
      objectId: id,
      unitId: cur.unitId,
      summary: { before: Object.fromEntries(changed.map((k) => [k, cur[k]])), after: Object.fromEntries(changed.map((k) => [k, next[k]])) },
    });
  });
  return presentWorkFile(db, id);
}

/** Removes an entry that was never opened (a mistake in the list). */
export async function deleteWorkFile(db: Db, p: Principal, id: string, ctx: ActorContext): Promise<void> {
  await reachableWorkFile(db, p, id);
  await inTransaction(db, async (tx) => {
    const cur = await lockWorkFile(tx, id);
    if (cur.status !== 'planned') throw wrongState(cur.status, 'chưa mở (chỉ xoá được hồ sơ chưa mở trong danh mục)');
    await tx.delete(workFileDocuments).where(eq(workFileDocuments.workFileId, id));
    await tx.delete(workFiles).where(eq(workFiles.id, id));
    await writeAudit(tx, ctx, { action: 'workfile.delete', objectType: 'work_file', objectId: id, unitId: cur.unitId, summary: { year: cur.year, notation: cur.notation, title: cur.title } });
  });
}

/** Copies a year's file list into another year as planned entries; notations already there are skipped. */
export async function copyYear(db: Db, p: Principal, input: { unitId?: string | null; fromYear: number; toYear: number }, ctx: ActorContext): Promise<{ created: number; skipped: string[] }> {
  const unit = await reachableUnit(db, p, input.unitId);
  if (input.fromYear === input.toYear) throw validationFailed([{ field: 'toYear', message: 'Năm đích phải khác năm nguồn.' }]);
  return inTransaction(db, async (tx) => {
    const source = await tx.select().from(workFiles).where(and(eq(workFiles.unitId, unit.id), eq(workFiles.year, input.fromYear)));
    if (source.length === 0) throw unprocessable('Danh mục năm nguồn trống', `Đơn vị chưa có danh mục hồ sơ năm ${input.fromYear}.`);
    const existing = new Set(
      (await tx.select({ notation: workFiles.notation }).from(workFiles).where(and(eq(workFiles.unitId, unit.id), eq(workFiles.year, input.toYear)))).map((r) => r.notation),
    );
    const skipped: string[] = [];
    let created = 0;
    for (const s of source) {
      if (existing.has(s.notation)) {
        skipped.push(s.notation);
        continue;
      }
      const id = newId();
      await tx.insert(workFiles).values({
        id, unitId: unit.id, year: input.toYear, notation: s.notation, title: s.title, retentionYears: s.retentionYears,
        status: 'planned', ownerUserId: s.ownerUserId, createdBy: p.userId, note: s.note, createdAt: ctx.now,
      });
      await writeAudit(tx, ctx, { action: 'workfile.create', objectType: 'work_file', objectId: id, unitId: unit.id, summary: { year: input.toYear, notation: s.notation, title: s.title, copiedFrom: s.id } });
      created++;
    }
    return { created, skipped };
  });
}

type Transition = { from: WorkFileStatus[]; wanted: string; to: WorkFileStatus; action: string; set: (now: Date) => Partial<WorkFileRow> };

const TRANSITIONS = {
  open: { from: ['planned'], wanted: 'chưa mở', to: 'open', action: 'workfile.open', set: (now) => ({ openedAt: now }) },
  close: { from: ['open'], wanted: 'đang mở', to: 'closed', action: 'workfile.close', set: (now) => ({ closedAt: now }) },
  reopen: { from: ['closed'], wanted: 'đã đóng', to: 'open', action: 'workfile.reopen', set: () => ({ closedAt: null }) },
  transfer: { from: ['closed'], wanted: 'đã đóng', to: 'transferred', action: 'workfile.transfer', set: (now) => ({ transferredAt: now }) },
} satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/**
 * open (planned → open), close (open → closed: frozen, needs at least one document), reopen
 * (closed → open: the unit's leader only, with a reason), transfer (closed → transferred: handed to the
 * agency archive).
 */
export async function changeStatus(db: Db, p: Principal, id: string, name: TransitionName, ctx: ActorContext, reason?: string | null): Promise<WorkFile> {
  const file = await reachableWorkFile(db, p, id);
  const t: Transition = TRANSITIONS[name];
  if (name === 'reopen') {
    if (!(await isUnitLeader(db, p, file.unitId))) throw forbidden('Chỉ lãnh đạo đơn vị được mở lại hồ sơ đã đóng.');
    if (!clean(reason)) throw validationFailed([{ field: 'reason', message: 'Nhập lý do mở lại hồ sơ.' }]);
  }
  await inTransaction(db, async (tx) => {
    const cur = await lockWorkFile(tx, id);
    if (!t.from.includes(cur.status)) throw cur.status === 'transferred' ? frozen(cur.status) : wrongState(cur.status, t.wanted);
    if (name === 'close') {
      const [{ n }] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM work_file_documents WHERE work_file_id = ${id}`);
      if (n === 0) throw unprocessable('Hồ sơ chưa có văn bản', 'Chưa thể đóng hồ sơ: hồ sơ chưa có văn bản nào.');
    }
    await tx.update(workFiles).set({ status: t.to, ...t.set(ctx.now) }).where(eq(workFiles.id, id));
    await writeAudit(tx, ctx, {
      action: t.action,
      objectType: 'work_file',
      objectId: id,
      unitId: cur.unitId,
      summary: { notation: cur.notation, year: cur.year, from: cur.status, to: t.to, ...(name === 'reopen' ? { reason: clean(reason) } : {}) },
    });
  });
  return presentWorkFile(db, id);
}
