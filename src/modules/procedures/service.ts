import { eq, sql } from 'drizzle-orm';
import { can, type Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { type Db, inTransaction, queryRows } from '../../core/db/index.js';
import { AppError, conflict, forbidden, notFound, unprocessable, validationFailed } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { CODE_PATTERN, type CreateInput, type EditInput, normalizeCode, type ProcessEditInput, type RetireInput, type VersionInput } from './inputs.js';
import { normalizeProcess } from './process.js';
import { findProcedure, listProcedureVersionsBrief, type ProcedureRow, type ProcedureVersion, procedureVersionAt, procedureVersionById, requireProcedure } from './read.js';
import { normalizeRecord } from './record.js';
import { procedures } from './schema.js';
import { assertContent, contentOf, insertVersion, localDateOf, nextVersion, parseEffective, sameContent, startOfLocalDay, type VersionContent } from './versions.js';

export type VersionBrief = { id: string; version: number; effectiveFrom: string; changeNote: string | null; createdAt: string; createdByName: string | null };

/** A procedure as the API shows it: the version in force at the asked time, and the list of all versions. */
export type ProcedureDetail = {
  id: string;
  code: string;
  ownerUnitId: string;
  ownerUnitName: string;
  retiredFrom: string | null;
  retireReason: string | null;
  current: ProcedureVersion;
  versions: VersionBrief[];
  canManage: boolean;
};

export function canManageProcedure(p: Principal | null, proc: Pick<ProcedureRow, 'unitPath'>): boolean {
  return !!p && can(p, 'procedure.manage', proc.unitPath);
}

/**
 * The public detail: the version in force at `at` (default now). Managers also see a procedure that
 * has no version in force at `at` (retired, or only future versions): its latest version.
 */
export async function getProcedureDetail(db: Db, p: Principal | null, id: string, at: Date, explicitAt = false): Promise<ProcedureDetail> {
  const proc = await requireProcedure(db, id);
  const manager = canManageProcedure(p, proc);
  let current = await procedureVersionAt(db, proc.id, at);
  if (!current && manager && !explicitAt) {
    const [latest] = await listProcedureVersionsBrief(db, proc.id);
    current = latest ? await procedureVersionById(db, latest.id) : null;
  }
  if (!current) throw notFound('Thủ tục hành chính');
  return {
    id: proc.id,
    code: proc.code,
    ownerUnitId: proc.unitId,
    ownerUnitName: proc.unitName,
    retiredFrom: proc.retiredFrom,
    retireReason: proc.retireReason,
    current,
    versions: await listProcedureVersionsBrief(db, proc.id),
    canManage: manager,
  };
}

const badEffective = () => validationFailed([{ field: 'effectiveFrom', message: 'Ngày hiệu lực không hợp lệ.' }]);

function effectiveOf(s: string | undefined, now: Date): Date {
  if (s === undefined) return now;
  const d = parseEffective(s);
  if (!d) throw badEffective();
  return d;
}

export function contentFromInput(input: VersionInput, effectiveFrom: Date, process: VersionContent['process']): VersionContent {
  return {
    effectiveFrom,
    name: input.name.normalize('NFC').trim(),
    field: input.field.normalize('NFC').trim(),
    level: input.level,
    onlineLevel: input.onlineLevel,
    record: normalizeRecord(input.record),
    process,
    changeNote: input.changeNote?.normalize('NFC').trim() || null,
  };
}

async function ownerUnit(db: Db, p: Principal, unitId: string | null | undefined): Promise<{ id: string; path: string }> {
  const id = unitId ?? p.unitId;
  const [u] = id ? await queryRows<{ id: string; path: string }>(db, sql`SELECT id, path FROM units WHERE id = ${id}`) : [];
  if (!u) throw validationFailed([{ field: 'ownerUnitId', message: 'Không có đơn vị này.' }]);
  if (!can(p, 'procedure.manage', u.path)) throw forbidden('Chỉ quản trị hệ thống hoặc quản trị đơn vị được quản lý danh mục thủ tục của đơn vị.');
  return u;
}

function assertManage(p: Principal, proc: ProcedureRow): void {
  if (!canManageProcedure(p, proc)) throw forbidden('Chỉ quản trị hệ thống hoặc quản trị đơn vị được sửa thủ tục này.');
}

const auditSummary = (code: string, version: number, c: VersionContent) => ({
  code, version, effectiveFrom: c.effectiveFrom.toISOString(), name: c.name, field: c.field, level: c.level, onlineLevel: c.onlineLevel,
  channels: c.record.channels.map((ch) => ch.channel), cases: c.record.cases.length, processSteps: c.process.length, changeNote: c.changeNote,
});

/** A new procedure with its first version. */
export async function createProcedure(db: Db, p: Principal, input: CreateInput, ctx: ActorContext): Promise<ProcedureDetail> {
  const code = normalizeCode(input.code);
  if (!CODE_PATTERN.test(code)) throw validationFailed([{ field: 'code', message: 'Mã thủ tục gồm chữ in hoa, số, dấu chấm hoặc gạch ngang, ví dụ 1.001193.' }]);
  const owner = await ownerUnit(db, p, input.ownerUnitId);
  const content = contentFromInput(input, effectiveOf(input.effectiveFrom, ctx.now), normalizeProcess(input.process ?? []));
  await assertContent(db, content);
  const id = newId();
  await inTransaction(db, async (tx) => {
    if (await findProcedure(tx, { code })) throw duplicateCode(code);
    await tx.insert(procedures).values({ id, code, unitId: owner.id, createdBy: ctx.actorId, createdAt: ctx.now });
    const versionId = await insertVersion(tx, { id, code, unitId: owner.id }, 1, content, ctx.actorId, ctx.now);
    await writeAudit(tx, ctx, { action: 'procedure.create', objectType: 'procedure', objectId: id, unitId: owner.id, summary: { ...auditSummary(code, 1, content), versionId } });
  });
  return getProcedureDetail(db, p, id, ctx.now);
}

export const duplicateCode = (code: string) => new AppError(409, 'duplicate-code', 'Mã thủ tục bị trùng', `Danh mục đã có thủ tục mã ${code}.`, [{ field: 'code', message: 'Mã thủ tục đã có.' }]);

/** The version an edit starts from: the given one, which must still be the newest (else someone edited meanwhile). */
async function baseVersion(db: Db, proc: ProcedureRow, baseVersionId: string | undefined): Promise<ProcedureVersion> {
  const [latest] = await listProcedureVersionsBrief(db, proc.id);
  if (baseVersionId && baseVersionId !== latest.id) {
    throw conflict('Thủ tục đã có phiên bản mới hơn phiên bản bạn đang sửa. Hãy tải lại rồi sửa tiếp.', 'stale-version');
  }
  return (await procedureVersionById(db, latest.id))!;
}

/** Edits never rewrite the past: a new version takes effect today or later. */
function futureEffective(s: string | undefined, now: Date): Date {
  const d = effectiveOf(s, now);
  if (d < startOfLocalDay(now)) throw validationFailed([{ field: 'effectiveFrom', message: 'Phiên bản mới chỉ có hiệu lực từ hôm nay trở đi.' }]);
  return d;
}

/**
 * A new version's date: not before the version it replaces (else that one would come back into force on
 * its later date, undoing the edit). Without a date: now, or the base's date when that is still ahead.
 */
function versionEffective(s: string | undefined, now: Date, base: ProcedureVersion): Date {
  const baseFrom = new Date(base.effectiveFrom);
  if (s === undefined) return baseFrom > now ? baseFrom : now;
  const d = futureEffective(s, now);
  if (d < baseFrom) {
    throw validationFailed([{ field: 'effectiveFrom', message: `Phiên bản ${base.version} có hiệu lực từ ${localDateOf(baseFrom).split('-').reverse().join('/')}; phiên bản mới không được có hiệu lực sớm hơn.` }]);
  }
  return d;
}

async function addVersion(db: Db, p: Principal, proc: ProcedureRow, content: VersionContent, base: ProcedureVersion, action: string, ctx: ActorContext): Promise<ProcedureDetail> {
  if (sameContent({ ...content, effectiveFrom: new Date(0) }, { ...contentOf(base), effectiveFrom: new Date(0) })) {
    throw unprocessable('Không có thay đổi', 'Nội dung giống hệt phiên bản hiện có, không tạo phiên bản mới.');
  }
  await assertContent(db, content);
  await inTransaction(db, async (tx) => {
    const version = await nextVersion(tx, proc.id);
    if (version !== base.version + 1) throw conflict('Thủ tục vừa có phiên bản mới. Hãy tải lại rồi sửa tiếp.', 'stale-version');
    const versionId = await insertVersion(tx, { id: proc.id, code: proc.code, unitId: proc.unitId }, version, content, ctx.actorId, ctx.now);
    await writeAudit(tx, ctx, {
      action, objectType: 'procedure', objectId: proc.id, unitId: proc.unitId,
      summary: { ...auditSummary(proc.code, version, content), versionId, previousVersion: base.version },
    });
  });
  return getProcedureDetail(db, p, proc.id, ctx.now);
}

/** An edit of the record: a new version from its effective date (the process is kept unless given). */
export async function editProcedure(db: Db, p: Principal, id: string, input: EditInput, ctx: ActorContext): Promise<ProcedureDetail> {
  const proc = await requireProcedure(db, id);
  assertManage(p, proc);
  const base = await baseVersion(db, proc, input.baseVersionId);
  const process = input.process ? normalizeProcess(input.process) : contentOf(base).process;
  return addVersion(db, p, proc, contentFromInput(input, versionEffective(input.effectiveFrom, ctx.now, base), process), base, 'procedure.edit', ctx);
}

/** An edit of the internal process: a new version with the same record and the new ordered steps. */
export async function editProcess(db: Db, p: Principal, id: string, input: ProcessEditInput, ctx: ActorContext): Promise<ProcedureDetail> {
  const proc = await requireProcedure(db, id);
  assertManage(p, proc);
  const base = await baseVersion(db, proc, input.baseVersionId);
  const steps = normalizeProcess(input.steps);
  if (steps.length === 0) throw validationFailed([{ field: 'steps', message: 'Quy trình cần ít nhất bước tiếp nhận và bước trả kết quả.' }]);
  const content: VersionContent = {
    ...contentOf(base),
    effectiveFrom: versionEffective(input.effectiveFrom, ctx.now, base),
    process: steps,
    changeNote: input.changeNote?.normalize('NFC').trim() || 'Sửa quy trình nội bộ',
  };
  return addVersion(db, p, proc, content, base, 'procedure.process.edit', ctx);
}

/** Bãi bỏ: no version is in force from the date on; dossiers already received keep their version. */
export async function retireProcedure(db: Db, p: Principal, id: string, input: RetireInput, ctx: ActorContext): Promise<ProcedureDetail> {
  const proc = await requireProcedure(db, id);
  assertManage(p, proc);
  if (proc.retiredFrom) throw conflict(`Thủ tục đã bị bãi bỏ từ ${proc.retiredFrom}.`, 'already-retired');
  const from = futureEffective(input.effectiveFrom, ctx.now);
  await inTransaction(db, async (tx) => {
    await tx.update(procedures).set({ retiredFrom: from, retiredBy: ctx.actorId, retireReason: input.reason.normalize('NFC') }).where(eq(procedures.id, proc.id));
    await writeAudit(tx, ctx, { action: 'procedure.retire', objectType: 'procedure', objectId: proc.id, unitId: proc.unitId, summary: { code: proc.code, retiredFrom: from.toISOString(), reason: input.reason } });
  });
  return getProcedureDetail(db, p, proc.id, ctx.now);
}
