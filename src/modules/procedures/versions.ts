import { sql } from 'drizzle-orm';
import { canonicalJson } from '../../core/audit/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { type FieldError, validationFailed } from '../../core/errors/index.js';
import { newId } from '../../core/ids/index.js';
import { foldText } from '../../core/text/index.js';
import { type ProcessStep, processProblems } from './process.js';
import type { ProcedureVersion } from './read.js';
import { formFileIdsOf, type ProcedureRecord, recordProblems, type UnitLevel } from './record.js';
import { procedureProcessSteps, procedureVersions } from './schema.js';

/** Everything one version says — what an edit or an import supplies, and what "same version" compares. */
export type VersionContent = {
  effectiveFrom: Date;
  name: string;
  field: string;
  level: UnitLevel;
  onlineLevel: 'full' | 'partial' | 'none';
  record: ProcedureRecord;
  process: ProcessStep[];
  changeNote: string | null;
};

const HCM_OFFSET_MS = 7 * 3_600_000; // Asia/Ho_Chi_Minh, no daylight saving

export const localDateOf = (at: Date | string): string => new Date(new Date(at).getTime() + HCM_OFFSET_MS).toISOString().slice(0, 10);

/** 'yyyy-MM-dd' (a date in Vietnam: from 00:00 that day) or an ISO date-time, as an instant. */
export function parseEffective(s: string): Date | null {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const d = new Date(dateOnly ? `${s}T00:00:00+07:00` : s);
  if (Number.isNaN(d.getTime())) return null;
  if (dateOnly && localDateOf(d) !== s) return null; // 2026-02-30
  return d;
}

/** Start of the day in Vietnam that contains `at`. */
export const startOfLocalDay = (at: Date): Date => {
  const local = new Date(at.getTime() + HCM_OFFSET_MS).toISOString().slice(0, 10);
  return new Date(`${local}T00:00:00+07:00`);
};

export const searchTextOf = (code: string, name: string, field: string): string => foldText(`${code} ${name} ${field}`);

/** The content of a stored version, in the same shape an input has (for comparison and export). */
export function contentOf(v: ProcedureVersion): VersionContent {
  return {
    effectiveFrom: new Date(v.effectiveFrom),
    name: v.name,
    field: v.field,
    level: v.level,
    onlineLevel: v.onlineLevel,
    record: v.record,
    process: v.process.map(({ kind, name, role, unitRule, targetUnitId, targetLevel, shareKind, shareValue }) => ({ kind, name, role, unitRule, targetUnitId, targetLevel, shareKind, shareValue })),
    changeNote: v.changeNote,
  };
}

/** Same version? Compares what the record and process say (not the change note). */
export const sameContent = (a: VersionContent, b: VersionContent): boolean =>
  canonicalJson({ ...a, changeNote: null, effectiveFrom: a.effectiveFrom.toISOString() }) === canonicalJson({ ...b, changeNote: null, effectiveFrom: b.effectiveFrom.toISOString() });

/** Record and process rules, plus references: units and form files must exist. Field names start with `prefix`. */
export async function contentProblems(db: Db, c: VersionContent, prefix = ''): Promise<FieldError[]> {
  const out: FieldError[] = [...recordProblems(c.record), ...processProblems(c.process, c.record)];
  const unitRefs: [string, string][] = [
    ...c.record.executing.unitIds.map((id, i): [string, string] => [`record.executing.unitIds.${i}`, id]),
    ...(c.record.twoLevel?.decidingUnitId ? [['record.twoLevel.decidingUnitId', c.record.twoLevel.decidingUnitId] as [string, string]] : []),
    ...c.process.flatMap((s, i): [string, string][] => (s.targetUnitId ? [[`process.${i}.targetUnitId`, s.targetUnitId]] : [])),
  ];
  if (unitRefs.length) {
    const found = new Set(
      (await queryRows<{ id: string }>(db, sql`SELECT id FROM units WHERE id IN (${sql.join([...new Set(unitRefs.map(([, id]) => id))].map((id) => sql`${id}`), sql`, `)})`)).map((r) => r.id),
    );
    for (const [field, id] of unitRefs) if (!found.has(id)) out.push({ field, message: `Không có đơn vị mã ${id}.` });
  }
  const fileIds = formFileIdsOf(c.record);
  if (fileIds.length) {
    const found = new Set((await queryRows<{ id: string }>(db, sql`SELECT id FROM files WHERE id IN (${sql.join(fileIds.map((id) => sql`${id}`), sql`, `)})`)).map((r) => r.id));
    c.record.cases.forEach((cs, i) =>
      cs.documents.forEach((d, j) => {
        if (d.template && !found.has(d.template.fileId)) out.push({ field: `record.cases.${i}.documents.${j}.template`, message: `Tệp mẫu "${d.template.name}" chưa được tải lên.` });
      }),
    );
  }
  if (!c.name.trim()) out.push({ field: 'name', message: 'Chưa nhập tên thủ tục.' });
  if (!c.field.trim()) out.push({ field: 'field', message: 'Chưa nhập lĩnh vực.' });
  if (c.onlineLevel !== 'none' && !c.record.channels.some((ch) => ch.channel === 'online')) {
    out.push({ field: 'onlineLevel', message: 'Thủ tục có dịch vụ công trực tuyến phải có cách thức nộp trực tuyến.' });
  }
  return out.map((e) => ({ ...e, field: prefix + e.field }));
}

export async function assertContent(db: Db, c: VersionContent): Promise<void> {
  const problems = await contentProblems(db, c);
  if (problems.length) throw validationFailed(problems, 'Thông tin thủ tục chưa hợp lệ, xem danh sách lỗi.');
}

/** Writes one version and its process steps (caller's transaction); returns the version id. */
export async function insertVersion(tx: Db, proc: { id: string; code: string; unitId: string }, version: number, c: VersionContent, actorId: string | null, now: Date): Promise<string> {
  const id = newId();
  await tx.insert(procedureVersions).values({
    id,
    procedureId: proc.id,
    unitId: proc.unitId,
    version,
    effectiveFrom: c.effectiveFrom,
    name: c.name,
    field: c.field,
    level: c.level,
    onlineLevel: c.onlineLevel,
    searchText: searchTextOf(proc.code, c.name, c.field),
    record: c.record,
    formFileIds: formFileIdsOf(c.record),
    changeNote: c.changeNote,
    createdBy: actorId,
    createdAt: now,
  });
  if (c.process.length) {
    await tx.insert(procedureProcessSteps).values(
      c.process.map((s, i) => ({
        id: newId(), versionId: id, unitId: proc.unitId, position: i + 1, kind: s.kind, name: s.name, role: s.role, unitRule: s.unitRule,
        targetUnitId: s.targetUnitId, targetLevel: s.targetLevel, shareKind: s.shareKind, shareValue: s.shareValue,
      })),
    );
  }
  return id;
}

/** The next version number of a procedure (under the procedure row's lock, so concurrent edits queue). */
export async function nextVersion(tx: Db, procedureId: string): Promise<number> {
  await tx.execute(sql`SELECT id FROM procedures WHERE id = ${procedureId} FOR UPDATE`);
  const [r] = await queryRows<{ n: number }>(tx, sql`SELECT coalesce(max(version), 0)::int AS n FROM procedure_versions WHERE procedure_id = ${procedureId}`);
  return r.n + 1;
}
