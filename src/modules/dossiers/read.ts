import { sql } from 'drizzle-orm';
import type { Principal } from '../../core/access/index.js';
import { type Db, queryRows } from '../../core/db/index.js';
import { durationLabel, type Duration, type ProcedureVersion, procedureVersionById } from '../procedures/index.js';
import { allowedActions } from './actions.js';
import type { DossierRow } from './log.js';
import type { Applicant } from './schema.js';
import { citizenMayDownload, onlineSealRequired, type ResultSeal, resultSealOf } from './result-seal.js';
import { FINAL_STATUSES, STATUS, STATUS_LABELS, type StatusCode } from './status.js';
import { outcomeOf, processOf } from './steps.js';
import { ACTION_LABELS, type DossierAction, type FormNumber, type LogAction } from './transitions.js';

/** The dossier as the API shows it: state, procedure, applicant, checklist and files, history, forms, allowed actions. */

const iso = (v: Date | string | null | undefined): string | null => (v == null ? null : new Date(v).toISOString());

export type DueState = 'none' | 'on_track' | 'due_soon' | 'overdue' | 'paused' | 'early' | 'on_time' | 'late';

/** Where the dossier stands against its due date: open ones by time left, finished ones by local date. */
export function dueState(d: Pick<DossierRow, 'status' | 'dueAt' | 'pausedAt' | 'completedAt' | 'closedAt'>, now: Date): DueState {
  if (!d.dueAt) return 'none';
  const done = d.completedAt ?? (d.status === STATUS.returned ? d.closedAt : null);
  if (done) return outcomeOf(new Date(done), new Date(d.dueAt));
  if ((FINAL_STATUSES as number[]).includes(d.status)) return 'none';
  if (d.pausedAt) return 'paused';
  const left = new Date(d.dueAt).getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left <= 24 * 3_600_000 ? 'due_soon' : 'on_track';
}

export type HistoryEntry = {
  seq: number; at: string; action: LogAction; label: string; fromStatus: number | null; toStatus: number; actorName: string | null; actorKind: string;
  unitName: string; stepName: string | null; toUserName: string | null; toUnitName: string | null; stepDueAt: string | null;
  stepOutcome: string | null; reason: string | null; note: string | null; formNumber: string | null; detail: Record<string, unknown> | null; id: string;
};

type Names = { unit_name: string; unit_parent_name: string | null; current_unit_name: string; holder_user_name: string | null; holder_unit_name: string | null };

async function namesOf(db: Db, d: DossierRow): Promise<Names> {
  const [n] = await queryRows<Names>(
    db,
    sql`SELECT u.name AS unit_name, pu.name AS unit_parent_name, cu.name AS current_unit_name, hu.full_name AS holder_user_name, hn.name AS holder_unit_name
          FROM units u LEFT JOIN units pu ON pu.id = u.parent_id JOIN units cu ON cu.id = ${d.currentUnitId}
          LEFT JOIN users hu ON hu.id = ${d.holderUserId} LEFT JOIN units hn ON hn.id = ${d.holderUnitId}
         WHERE u.id = ${d.unitId}`,
  );
  return n;
}

export async function historyOf(db: Db, dossierId: string): Promise<HistoryEntry[]> {
  const rows = await queryRows<{
    id: string; seq: number; at: Date | string; action: LogAction; from_status: number | null; to_status: number; actor_name: string | null; actor_kind: string; unit_name: string;
    step_name: string | null; to_user_name: string | null; to_unit_name: string | null; step_due_at: Date | string | null; step_outcome: string | null; reason: string | null;
    note: string | null; form_number: string | null; detail: Record<string, unknown> | string | null;
  }>(db, sql`SELECT a.*, u.name AS unit_name FROM dossier_actions a JOIN units u ON u.id = a.unit_id WHERE a.dossier_id = ${dossierId} ORDER BY a.seq`);
  return rows.map((r) => ({
    id: r.id, seq: r.seq, at: iso(r.at)!, action: r.action, label: ACTION_LABELS[r.action] ?? r.action, fromStatus: r.from_status, toStatus: r.to_status,
    actorName: r.actor_name, actorKind: r.actor_kind, unitName: r.unit_name, stepName: r.step_name, toUserName: r.to_user_name, toUnitName: r.to_unit_name,
    stepDueAt: iso(r.step_due_at), stepOutcome: r.step_outcome, reason: r.reason, note: r.note, formNumber: r.form_number,
    detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
  }));
}

export type DossierFile = { id: string; fileId: string; kind: string; documentIndex: number | null; documentName: string | null; name: string; contentType: string; size: number; addedAt: string; addedByName: string | null };

export async function filesOf(db: Db, dossierId: string): Promise<DossierFile[]> {
  const rows = await queryRows<{ id: string; file_id: string; kind: string; document_index: number | null; document_name: string | null; name: string; content_type: string; size: number; added_at: Date | string; added_by_name: string | null }>(
    db,
    sql`SELECT x.id, x.file_id, x.kind, x.document_index, x.document_name, f.name, f.content_type, f.size, x.added_at, us.full_name AS added_by_name
          FROM dossier_files x JOIN files f ON f.id = x.file_id LEFT JOIN users us ON us.id = x.added_by WHERE x.dossier_id = ${dossierId} ORDER BY x.added_at, x.document_index NULLS LAST`,
  );
  return rows.map((r) => ({ id: r.id, fileId: r.file_id, kind: r.kind, documentIndex: r.document_index, documentName: r.document_name, name: r.name, contentType: r.content_type, size: Number(r.size), addedAt: iso(r.added_at)!, addedByName: r.added_by_name }));
}

/** The forms the dossier has: 01 and 06 once received, 02–05 for each action that issued one. */
export function formsOf(d: DossierRow, history: HistoryEntry[]): { number: FormNumber; actionId: string | null; at: string }[] {
  const out: { number: FormNumber; actionId: string | null; at: string }[] = [];
  const received = history.find((h) => h.formNumber === '01');
  if (d.code && d.receivedAt) out.push({ number: '01', actionId: received?.id ?? null, at: iso(d.receivedAt)! });
  for (const h of history) if (h.formNumber && h.formNumber !== '01') out.push({ number: h.formNumber as FormNumber, actionId: h.id, at: h.at });
  if (d.code && d.receivedAt) out.push({ number: '06', actionId: null, at: iso(d.updatedAt)! });
  return out;
}

/** Checked documents of the case: ticked at reception or with files. */
export function checklistOf(v: ProcedureVersion, d: DossierRow, files: DossierFile[], history: HistoryEntry[]) {
  const c = d.caseKey ? v.record.cases.find((x) => x.key === d.caseKey) : undefined;
  if (!c) return [];
  const ticked = new Set<number>();
  for (const h of history) for (const i of (h.detail?.checklist as number[] | undefined) ?? []) ticked.add(i);
  return c.documents.map((doc, index) => {
    const own = files.filter((f) => f.documentIndex === index && f.kind !== 'result');
    return { index, name: doc.name, required: doc.required, originals: doc.originals, copies: doc.copies, provided: ticked.has(index) || own.length > 0, files: own.map((f) => ({ fileId: f.fileId, name: f.name, kind: f.kind })) };
  });
}

/** The result file, its seal and what the applicant may do with it. */
function resultOf(d: DossierRow, files: DossierFile[], seal: ResultSeal | null, sealRequired: boolean) {
  const f = d.resultFileId ? files.find((x) => x.fileId === d.resultFileId) : undefined;
  if (!f) return null;
  const source = files.filter((x) => x.kind === 'result_source').pop();
  return {
    fileId: f.fileId,
    name: f.name,
    sealed: !!seal,
    seal,
    sourceFileId: seal ? (source?.fileId ?? null) : null,
    onlineUnsealed: d.returnMethod === 'online' && !seal,
    downloadable: citizenMayDownload(d, !!seal, sealRequired),
  };
}

export async function presentDossier(db: Db, p: Principal, d: DossierRow, now: Date) {
  const [names, v, allFiles, history, seal, sealRequired] = await Promise.all([
    namesOf(db, d), procedureVersionById(db, d.procedureVersionId), filesOf(db, d.id), historyOf(db, d.id), resultSealOf(db, d.resultFileId), onlineSealRequired(db),
  ]);
  const version = v!;
  const actions = await allowedActions(db, p, d, version, now);
  const caseRec = d.caseKey ? version.record.cases.find((c) => c.key === d.caseKey) : undefined;
  const citizen = p.kind === 'citizen';
  const result = resultOf(d, allFiles, seal, sealRequired);
  // The applicant sees the result only when it is theirs to download, never the unsigned upload behind a seal.
  const files = citizen ? allFiles.filter((f) => f.kind === 'document' || f.kind === 'supplement' || (f.kind === 'result' && f.fileId === result?.fileId && result.downloadable)) : allFiles;
  const steps = processOf(version);
  const current = steps.find((s) => s.position === d.stepPosition);
  return {
    id: d.id,
    code: d.code,
    statusCode: d.status,
    status: STATUS_LABELS[d.status as StatusCode],
    channel: d.channel,
    unitId: d.unitId,
    unitName: names.unit_name,
    currentUnitId: d.currentUnitId,
    currentUnitName: names.current_unit_name,
    procedure: { id: d.procedureId, versionId: d.procedureVersionId, code: version.code, name: version.name, version: version.version, caseKey: d.caseKey, caseName: caseRec?.name ?? null, twoLevel: !!version.record.twoLevel },
    applicant: d.applicant as Applicant,
    applicantUserId: d.applicantUserId,
    submittedAt: iso(d.submittedAt), acceptBy: iso(d.acceptBy), receivedAt: iso(d.receivedAt), firstDueAt: iso(d.firstDueAt), dueAt: iso(d.dueAt),
    timeLimitLabel: d.timeLimit ? durationLabel(d.timeLimit as Duration) : null,
    dueState: dueState(d, now),
    pausedAt: iso(d.pausedAt), supplementDeadline: iso(d.supplementDeadline), apologizedAt: iso(d.apologizedAt),
    step: current ? { position: current.position, kind: current.kind, name: current.name, role: current.role, startedAt: iso(d.stepStartedAt), dueAt: iso(d.stepDueAt) } : null,
    holder: d.holderUserId || d.holderUnitId ? { userId: d.holderUserId, userName: names.holder_user_name, unitId: d.holderUnitId, unitName: names.holder_unit_name, role: d.holderRole } : null,
    process: steps.map((s) => ({ position: s.position, kind: s.kind, name: s.name, role: s.role, current: s.position === d.stepPosition && d.closedAt === null })),
    approvedAt: iso(d.approvedAt), completedAt: iso(d.completedAt), returnedAt: iso(d.returnedAt), closedAt: iso(d.closedAt),
    returnMethod: d.returnMethod, resultFileId: citizen && !result?.downloadable ? null : d.resultFileId,
    result: citizen ? (result?.downloadable ? { ...result, sourceFileId: null } : null) : result,
    fee: { amount: d.feeAmount, label: d.feeLabel },
    formData: d.formData ?? null,
    checklist: checklistOf(version, d, files, history),
    files,
    history: citizen ? history.map((h) => ({ ...h, note: null })) : history,
    forms: formsOf(d, history),
    allowedActions: actions as DossierAction[],
    createdAt: iso(d.createdAt)!,
    updatedAt: iso(d.updatedAt)!,
  };
}

export type DossierDetail = Awaited<ReturnType<typeof presentDossier>>;
