import { and, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type ActorContext, writeAudit } from '../../core/audit/index.js';
import { loadCalendar, type WorkingCalendar } from '../../core/calendar/index.js';
import { type Db, inTransaction } from '../../core/db/index.js';
import { AppError, forbidden, notFound, unprocessable, validationFailed, type FieldError } from '../../core/errors/index.js';
import type { FileStore } from '../../core/files/index.js';
import { newId } from '../../core/ids/index.js';
import { computeFee, feeLabel, type ProcedureVersion, procedureVersionAt } from '../procedures/index.js';
import { type ApplicantInput, resolveApplicant } from './applicant.js';
import { nextDossierCode } from './code.js';
import { type FileGroup, linkFiles, prepareGroups } from './files.js';
import { appendAction, type DossierRow } from './log.js';
import { holdsRoleOver, unitInfo, type UnitInfo } from './policy.js';
import { dossiers, dossierUnits } from './schema.js';
import { type Channel, type ReturnMethod, STATUS } from './status.js';
import { caseOf, channelOffer, processOf, stepDueAt, timeLimitOf } from './steps.js';

/** Reception: at the counter or by post (received at once), or online by a citizen (draft → submitted → accepted by the desk). */

export type ChecklistInput = { index: number; fileIds: string[] };
export type CreateInput = {
  procedureId: string;
  caseId?: string | null;
  channel: Channel;
  unitId?: string | null;
  applicant: ApplicantInput;
  fileIds: string[];
  documents?: ChecklistInput[];
  returnMethod?: ReturnMethod | null;
  formData?: Record<string, unknown> | null;
  draft?: boolean;
  note?: string | null;
};

/** Online dossiers must be accepted or refused within this many working hours (practice). */
export const ACCEPT_WITHIN_HOURS = 8;

export async function versionInForce(db: Db, procedureId: string, at: Date): Promise<ProcedureVersion> {
  const v = await procedureVersionAt(db, procedureId, at);
  if (!v) throw unprocessable('Thủ tục không còn hiệu lực', 'Thủ tục không tồn tại, chưa có hiệu lực hoặc đã bãi bỏ.', [{ field: 'procedureId', message: 'Chọn thủ tục đang có hiệu lực.' }]);
  return v;
}

/** The unit an official receives for: the one named, else their own; they must be a one-stop officer there. */
async function officerUnit(db: Db, p: Principal, unitId: string | null | undefined): Promise<UnitInfo> {
  const desks = p.roles.filter((g) => g.role === 'onestop_officer');
  const id = unitId ?? (desks.some((g) => g.unitId === p.unitId) ? p.unitId : desks[0]?.unitId);
  if (!id) throw forbidden('Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hồ sơ.');
  const unit = await unitInfo(db, id);
  if (!unit) throw notFound('Đơn vị');
  if (!holdsRoleOver(p, ['onestop_officer'], unit.path)) throw forbidden('Chỉ cán bộ Bộ phận Một cửa của đơn vị được tiếp nhận hồ sơ.');
  return unit;
}

/** The unit a citizen submits to: named, active, and one of the procedure's executing (receiving) units. */
async function citizenUnit(db: Db, v: ProcedureVersion, unitId: string | null | undefined): Promise<UnitInfo> {
  if (!unitId) throw validationFailed([{ field: 'unitId', message: 'Chọn cơ quan tiếp nhận hồ sơ.' }]);
  const unit = await unitInfo(db, unitId);
  if (!unit || !unit.active) throw validationFailed([{ field: 'unitId', message: 'Không tìm thấy cơ quan tiếp nhận.' }]);
  const ex = v.record.executing;
  const ok = v.record.twoLevel
    ? unit.level === v.record.twoLevel.receivingLevel
    : ex.unitIds.length > 0
      ? ex.unitIds.includes(unit.id)
      : ex.levels.length === 0 || (ex.levels as string[]).includes(unit.level);
  if (!ok) throw validationFailed([{ field: 'unitId', message: `${unit.name} không tiếp nhận thủ tục này.` }]);
  return unit;
}

/** Checklist groups of files; required documents must be ticked (counter) or uploaded (online). */
export function checklistGroups(v: ProcedureVersion, caseKey: string, input: Pick<CreateInput, 'documents' | 'fileIds'>, mode: 'counter' | 'online' | 'draft'): FileGroup[] {
  const docs = caseOf(v, caseKey).documents;
  const errors: FieldError[] = [];
  const ticked = new Map<number, string[]>();
  (input.documents ?? []).forEach((d, i) => {
    if (!Number.isInteger(d.index) || d.index < 0 || d.index >= docs.length) errors.push({ field: `documents.${i}.index`, message: 'Không có giấy tờ này trong thành phần hồ sơ.' });
    else ticked.set(d.index, [...(ticked.get(d.index) ?? []), ...d.fileIds]);
  });
  if (errors.length) throw validationFailed(errors);
  if (mode !== 'draft') {
    docs.forEach((d, i) => {
      if (!d.required) return;
      if (mode === 'counter' && !ticked.has(i)) errors.push({ field: `documents.${i}`, message: `Thiếu giấy tờ bắt buộc: ${d.name}.` });
      if (mode === 'online' && !(ticked.get(i)?.length)) errors.push({ field: `documents.${i}`, message: `Chưa tải lên giấy tờ bắt buộc: ${d.name}.` });
    });
    if (errors.length) throw unprocessable('Hồ sơ chưa đủ thành phần', `Thiếu ${errors.length} giấy tờ bắt buộc.`, errors);
  }
  const groups: FileGroup[] = [...ticked.entries()].map(([index, fileIds]) => ({ kind: 'document', documentIndex: index, documentName: docs[index].name, fileIds, field: `documents.${index}.fileIds` }));
  if (input.fileIds.length) groups.push({ kind: 'document', documentIndex: null, documentName: 'Giấy tờ khác', fileIds: input.fileIds, field: 'fileIds' });
  return groups;
}

/** The fields a dossier gets when it is received (counter, post, or an online one accepted): code, due date, first step. */
export async function receivedState(tx: Db, cal: WorkingCalendar, v: ProcedureVersion, d: Pick<DossierRow, 'unitId' | 'caseKey' | 'channel'>, officerId: string, now: Date) {
  const limit = timeLimitOf(v, d.caseKey, d.channel);
  const first = processOf(v)[0];
  const dueAt = cal.addDuration(now, limit);
  return {
    code: await nextDossierCode(tx, d.unitId, now),
    status: STATUS.received as number,
    receivedAt: now,
    timeLimit: limit as Record<string, unknown>,
    dueAt,
    firstDueAt: dueAt,
    stepPosition: first.position,
    stepName: first.name,
    stepStartedAt: now,
    stepDueAt: stepDueAt(cal, now, first, limit),
    holderUserId: officerId,
    holderUnitId: null,
    holderRole: first.role,
  };
}

export const creationKeyOf = (key: string | undefined): string | null => (key && /^[\w.:-]{8,100}$/.test(key) ? key : null);

/** Creates a dossier: received at once at the counter or by post; a citizen's online one is a draft or submitted to the desk. */
export async function createDossier(db: Db, store: FileStore, p: Principal, input: CreateInput, ctx: ActorContext, idempotencyKey?: string): Promise<string> {
  const citizen = p.kind === 'citizen';
  if (citizen && input.channel !== 'online') throw forbidden('Công dân nộp hồ sơ theo cách thức trực tuyến.');
  if (!citizen && input.channel === 'online') throw unprocessable('Cách thức nộp không hợp lệ', 'Hồ sơ trực tuyến do công dân tự nộp; tại Bộ phận Một cửa chọn "trực tiếp" hoặc "bưu chính".', [{ field: 'channel', message: 'Chọn trực tiếp hoặc bưu chính.' }]);
  if (!citizen && input.draft) throw unprocessable('Không lưu nháp tại quầy', 'Hồ sơ tiếp nhận tại quầy được tiếp nhận ngay.', [{ field: 'draft', message: 'Bỏ lưu nháp.' }]);
  const key = creationKeyOf(idempotencyKey);
  if (key) {
    const [existing] = await db.select({ id: dossiers.id }).from(dossiers).where(and(eq(dossiers.createdBy, p.userId), eq(dossiers.creationKey, key))).limit(1);
    if (existing) return existing.id;
  }
  const v = await versionInForce(db, input.procedureId, ctx.now);
  const unit = citizen ? await citizenUnit(db, v, input.unitId) : await officerUnit(db, p, input.unitId);
  const mode = citizen ? (input.draft ? 'draft' : 'online') : 'counter';
  const offer = channelOffer(v, input.channel);
  const caseKey = mode === 'draft' && !input.caseId && v.record.cases.length > 1 ? null : caseOf(v, input.caseId).key;
  const groups = caseKey ? checklistGroups(v, caseKey, input, mode) : [];
  if (!caseKey && (input.documents?.length ?? 0) > 0) throw validationFailed([{ field: 'caseId', message: 'Chọn trường hợp trước khi tải giấy tờ theo danh mục.' }]);
  const { applicant, userId: applicantUserId } = await resolveApplicant(db, p, input.applicant);
  const cal = await loadCalendar(db, unit.id);
  const id = newId();
  try {
    await inTransaction(db, async (tx) => {
      const base = {
        id, unitId: unit.id, currentUnitId: unit.id, procedureId: v.procedureId, procedureVersionId: v.id, caseKey, channel: input.channel,
        applicantUserId, applicant, applicantName: applicant.name, applicantIdNumber: applicant.idNumber, formData: input.formData ?? null,
        returnMethod: input.returnMethod ?? null, feeAmount: computeFee(offer.fee), feeLabel: feeLabel(offer.fee), createdBy: p.userId, creationKey: key,
        createdAt: ctx.now, updatedAt: ctx.now,
      };
      let fields: Partial<DossierRow>;
      if (mode === 'counter') fields = await receivedState(tx, cal, v, base, p.userId, ctx.now);
      else if (mode === 'online') fields = { status: STATUS.submitted, submittedAt: ctx.now, acceptBy: cal.addDuration(ctx.now, { unit: 'working-hours', amount: ACCEPT_WITHIN_HOURS }) };
      else fields = { status: STATUS.draft };
      const [row] = await tx.insert(dossiers).values({ ...base, status: STATUS.draft, ...fields }).returning();
      await tx.insert(dossierUnits).values({ dossierId: id, unitId: unit.id, part: 'receiving', since: ctx.now });
      const attached = await prepareGroups(tx, store, p, null, unit.id, groups, ctx.now);
      const action = await appendAction(tx, ctx, row, {
        action: mode === 'counter' ? 'receive' : mode === 'online' ? 'submit' : 'draft',
        fromStatus: null,
        toStatus: row.status as never,
        unitId: unit.id,
        actorKind: citizen ? 'citizen' : 'official',
        stepPosition: row.stepPosition,
        stepName: row.stepName,
        stepDueAt: row.stepDueAt,
        toUserId: row.holderUserId,
        toUserName: row.holderUserId ? ctx.actorName : null,
        formNumber: mode === 'counter' ? '01' : null,
        note: input.note ?? null,
        detail: { channel: input.channel, files: attached.length, checklist: (input.documents ?? []).map((d) => d.index), ...(row.dueAt ? { dueAt: row.dueAt.toISOString() } : {}) },
        idempotencyKey: key,
      });
      await linkFiles(tx, row, attached, p.userId, ctx.now, action.id);
    });
  } catch (err) {
    // Two requests with the same key at once: the second one's insert hits the unique index.
    if (key && (err as { code?: string }).code === '23505' && String((err as Error).message).includes('creation_key')) {
      const [existing] = await db.select({ id: dossiers.id }).from(dossiers).where(and(eq(dossiers.createdBy, p.userId), eq(dossiers.creationKey, key))).limit(1);
      if (existing) return existing.id;
    }
    throw err;
  }
  return id;
}

export type DraftPatch = Partial<Pick<CreateInput, 'caseId' | 'unitId' | 'applicant' | 'fileIds' | 'documents' | 'returnMethod' | 'formData'>>;

/** Autosave of an online draft (PUT): replaces what is given; files uploaded earlier stay linked unless the list is replaced. */
export async function updateDraft(db: Db, store: FileStore, p: Principal, d: DossierRow, patch: DraftPatch, ctx: ActorContext): Promise<void> {
  if (d.status !== STATUS.draft) throw new AppError(409, 'not-a-draft', 'Hồ sơ không còn là bản nháp', 'Hồ sơ đã nộp không sửa được; nếu cần, hãy rút hồ sơ và nộp lại.');
  if (d.createdBy !== p.userId) throw forbidden('Chỉ người lập bản nháp được sửa.');
  const v = await versionInForce(db, d.procedureId, ctx.now);
  const unit = patch.unitId !== undefined ? await citizenUnit(db, v, patch.unitId) : null;
  const caseKey = patch.caseId !== undefined ? (patch.caseId ? caseOf(v, patch.caseId).key : null) : d.caseKey;
  const replaceFiles = patch.fileIds !== undefined || patch.documents !== undefined;
  const groups = replaceFiles && caseKey ? checklistGroups(v, caseKey, { documents: patch.documents ?? [], fileIds: patch.fileIds ?? [] }, 'draft') : [];
  const resolved = patch.applicant ? await resolveApplicant(db, p, patch.applicant) : null;
  await inTransaction(db, async (tx) => {
    const [row] = await tx
      .update(dossiers)
      .set({
        procedureVersionId: v.id,
        caseKey,
        ...(unit ? { unitId: unit.id, currentUnitId: unit.id } : {}),
        ...(resolved ? { applicant: resolved.applicant, applicantName: resolved.applicant.name, applicantIdNumber: resolved.applicant.idNumber } : {}),
        ...(patch.returnMethod !== undefined ? { returnMethod: patch.returnMethod } : {}),
        ...(patch.formData !== undefined ? { formData: patch.formData } : {}),
        updatedAt: ctx.now,
      })
      .where(and(eq(dossiers.id, d.id), eq(dossiers.status, STATUS.draft)))
      .returning();
    if (!row) throw new AppError(409, 'not-a-draft', 'Hồ sơ không còn là bản nháp', 'Hồ sơ vừa được nộp.');
    if (unit && unit.id !== d.unitId) {
      await tx.execute(sql`DELETE FROM dossier_units WHERE dossier_id = ${d.id}`);
      await tx.insert(dossierUnits).values({ dossierId: d.id, unitId: unit.id, part: 'receiving', since: ctx.now });
    }
    let files: number | undefined;
    if (replaceFiles) {
      const attached = await prepareGroups(tx, store, p, d.id, row.unitId, groups, ctx.now);
      await tx.execute(sql`DELETE FROM dossier_files WHERE dossier_id = ${d.id}`);
      await linkFiles(tx, row, attached, p.userId, ctx.now, null);
      files = attached.length;
    }
    // Autosaves are not history entries (nothing happened to the dossier yet), but every change is audited.
    await writeAudit(tx, ctx, { action: 'dossier.draft_saved', objectType: 'dossier', objectId: d.id, unitId: row.unitId, summary: { fields: Object.keys(patch), ...(files !== undefined ? { files } : {}) } });
  });
}
