import { sql } from 'drizzle-orm';
import type { Duration } from '../../core/calendar/index.js';
import { queryRows } from '../../core/db/index.js';
import { AppError, unprocessable, validationFailed } from '../../core/errors/index.js';
import type { ProcedureVersion } from '../procedures/index.js';
import { type FileGroup, prepareGroups } from './files.js';
import { closing, type Handler, type HandlerArgs, type HandlerResult, type Handlers } from './handler.js';
import type { DossierRow } from './log.js';
import { onlineSealRequired, resultSealOf, sealResult } from './result-seal.js';
import { ACCEPT_WITHIN_HOURS, receivedState, versionInForce } from './reception.js';
import { caseOf, lastStep, needsApproval, nextStep, outcomeOf, type Step, stepAt, stepDueAt, timeLimitOf } from './steps.js';
import { isDecidingStep, resolveTarget, type Target } from './targets.js';
import type { DossierAction } from './transitions.js';

/** The normal flow: submit, accept, forward along the internal process, transfer, approve, complete, return. */

const limitOf = (a: HandlerArgs): Duration => (a.d.timeLimit as Duration | null) ?? timeLimitOf(a.v, a.d.caseKey, a.d.channel);

/** Ends the current step and starts `next`, held by `target`. */
function handOver(a: HandlerArgs, next: Step, target: Target, part: 'processing' | 'deciding' = 'processing'): HandlerResult {
  const now = a.ctx.now;
  const due = stepDueAt(a.cal, now, next, limitOf(a));
  return {
    set: {
      stepPosition: next.position, stepName: next.name, stepStartedAt: now, stepDueAt: due,
      holderUserId: target.userId, holderUnitId: target.userId ? null : target.unitId, holderRole: target.role, currentUnitId: target.unitId,
    },
    log: {
      unitId: a.d.currentUnitId,
      stepPosition: next.position, stepName: next.name, stepDueAt: due,
      toUserId: target.userId, toUserName: target.userName, toUnitId: target.unitId, toUnitName: target.unitName,
      stepOutcome: outcomeOf(now, a.d.stepDueAt),
    },
    units: [{ unitId: target.unitId, part }],
  };
}

const conflict = (code: string, title: string, detail: string) => new AppError(409, code, title, detail);

const isApproval = (s: Step | undefined) => !!s && (s.kind === 'approve' || (s.kind === 'decide' && (s.role === 'leader' || s.role === 'deputy_leader')));

const submit: Handler = async (a) => {
  // A draft is submitted under the version in force now (the citizen filled it in against that one).
  const v = await versionInForce(a.tx, a.d.procedureId, a.ctx.now);
  if (!a.d.caseKey) throw validationFailed([{ field: 'caseId', message: 'Chọn trường hợp của thủ tục.' }]);
  const docs = caseOf(v, a.d.caseKey).documents;
  const have = new Set((await queryRows<{ i: number }>(a.tx, sql`SELECT DISTINCT document_index AS i FROM dossier_files WHERE dossier_id = ${a.d.id} AND document_index IS NOT NULL`)).map((r) => r.i));
  const missing = docs.flatMap((d, i) => (d.required && !have.has(i) ? [{ field: `documents.${i}`, message: `Chưa tải lên giấy tờ bắt buộc: ${d.name}.` }] : []));
  if (missing.length) throw unprocessable('Hồ sơ chưa đủ thành phần', `Thiếu ${missing.length} giấy tờ bắt buộc.`, missing);
  return {
    set: { procedureVersionId: v.id, submittedAt: a.ctx.now, acceptBy: a.cal.addDuration(a.ctx.now, { unit: 'working-hours', amount: ACCEPT_WITHIN_HOURS }) },
    log: { unitId: a.d.unitId },
  };
};

const accept: Handler = async (a) => {
  const set = await receivedState(a.tx, a.cal, a.v, a.d, a.p.userId, a.ctx.now);
  return {
    set,
    log: {
      unitId: a.d.unitId, stepPosition: set.stepPosition, stepName: set.stepName, stepDueAt: set.stepDueAt, toUserId: a.p.userId, toUserName: a.ctx.actorName,
      detail: { code: set.code, dueAt: set.dueAt.toISOString(), onTimeForDesk: a.d.acceptBy ? a.ctx.now <= a.d.acceptBy : true },
    },
  };
};

/** Why the next hand-over is not a plain forward (null when it is). */
export function forwardProblem(v: ProcedureVersion, d: DossierRow): AppError | null {
  const cur = stepAt(v, d.stepPosition);
  if (isApproval(cur)) return conflict('approval-step', 'Đang ở bước phê duyệt', `Bước "${cur!.name}" kết thúc bằng thao tác Phê duyệt.`);
  const next = nextStep(v, d.stepPosition);
  if (!next) return conflict('last-step', 'Đã ở bước cuối', 'Hồ sơ đã ở bước cuối của quy trình: đính kèm kết quả và chuyển trả.');
  if (next.kind === 'transfer' || (isDecidingStep(v, next) && !(cur && isDecidingStep(v, cur)))) {
    return conflict('transfer-needed', 'Cần chuyển liên thông', `Bước "${next.name}" thuộc cấp quyết định: dùng thao tác Chuyển liên thông.`);
  }
  if (next.kind === 'return' && needsApproval(v) && !d.approvedAt) {
    return conflict('approval-needed', 'Hồ sơ chưa được phê duyệt', 'Hồ sơ phải được lãnh đạo phê duyệt trước khi chuyển trả kết quả.');
  }
  return null;
}

/** The step a transfer goes to: the deciding unit's first step (the transfer step itself ends with the action). */
export function transferStep(v: ProcedureVersion, d: DossierRow): Step | undefined {
  if (!v.record.twoLevel) return undefined;
  let next = nextStep(v, d.stepPosition);
  if (next?.kind === 'transfer') next = nextStep(v, next.position);
  return next && isDecidingStep(v, next) ? next : undefined;
}

/** Cheap checks of the handlers, for the buttons the UI shows (the handlers check again, with messages). */
export function applicable(v: ProcedureVersion, d: DossierRow, action: DossierAction, now: Date): boolean {
  switch (action) {
    case 'forward':
      return !forwardProblem(v, d);
    case 'transfer':
      return !!transferStep(v, d);
    case 'approve':
      return isApproval(stepAt(v, d.stepPosition));
    case 'complete':
      return !needsApproval(v) || !!d.approvedAt;
    case 'apologize':
      return !d.apologizedAt && !!d.dueAt && now < d.dueAt;
    default:
      return true;
  }
}

const forward: Handler = async (a) => {
  const problem = forwardProblem(a.v, a.d);
  if (problem) throw problem;
  const next = nextStep(a.v, a.d.stepPosition)!;
  return handOver(a, next, await resolveTarget(a.tx, a.d, a.v, next, a.input));
};

const transfer: Handler = async (a) => {
  if (!a.v.record.twoLevel) throw unprocessable('Thủ tục không liên thông', `Thủ tục "${a.v.name}" không phải thủ tục liên thông hai cấp.`);
  const next = transferStep(a.v, a.d);
  if (!next) throw conflict('not-transfer-point', 'Chưa đến bước chuyển liên thông', 'Bước tiếp theo của quy trình không do cấp quyết định thực hiện.');
  return handOver(a, next, await resolveTarget(a.tx, a.d, a.v, next, a.input), 'deciding');
};

const approve: Handler = async (a) => {
  const cur = stepAt(a.v, a.d.stepPosition);
  if (!isApproval(cur)) throw conflict('not-approval-step', 'Chưa đến bước phê duyệt', `Hồ sơ đang ở bước "${a.d.stepName ?? ''}", chưa đến bước phê duyệt của lãnh đạo.`);
  const next = nextStep(a.v, a.d.stepPosition);
  const base: HandlerResult = next ? handOver(a, next, await resolveTarget(a.tx, a.d, a.v, next, a.input)) : { log: { stepOutcome: outcomeOf(a.ctx.now, a.d.stepDueAt) } };
  return { ...base, set: { ...base.set, approvedAt: a.ctx.now }, log: { ...base.log, detail: { approved: true } } };
};

const complete: Handler = async (a) => {
  if (needsApproval(a.v) && !a.d.approvedAt) throw conflict('approval-needed', 'Hồ sơ chưa được phê duyệt', 'Kết quả chỉ được đính kèm sau khi lãnh đạo phê duyệt.');
  if (!a.input.fileIds?.length) throw validationFailed([{ field: 'fileIds', message: 'Đính kèm văn bản kết quả giải quyết.' }]);
  const last = lastStep(a.v);
  const atLast = a.d.stepPosition === last.position;
  const seal = a.input.sealing;
  if (!seal && a.d.returnMethod === 'online' && (await onlineSealRequired(a.tx))) throw sealRequired();
  const move = atLast ? { log: { unitId: a.d.currentUnitId } } : handOver(a, last, await resolveTarget(a.tx, a.d, a.v, last, {}));
  const group: FileGroup = { kind: 'result', documentIndex: null, documentName: 'Kết quả giải quyết', fileIds: a.input.fileIds, field: 'fileIds' };
  // Sealing needs the result as one PDF first; the dispatcher then links the groups returned (single PDFs, as they are).
  const files = seal ? await sealResult(a.tx, a.store, a.p, a.d, seal, group, (await prepareGroups(a.tx, a.store, a.p, a.d.id, a.d.unitId, [group], a.ctx.now))[0], a.ctx) : [group];
  return {
    ...move,
    set: { ...move.set, completedAt: a.ctx.now },
    log: { ...move.log, detail: { result: true, ...(seal ? { sealed: true, sealedBy: seal.agency.name, credentialId: seal.credential.id } : {}) } },
    files,
  };
};

const sealRequired = () =>
  new AppError(422, 'seal-required', 'Kết quả trả trực tuyến phải được đóng dấu điện tử', 'Hồ sơ nhận kết quả trực tuyến: đóng dấu điện tử kết quả bằng chứng thư số của cơ quan giải quyết (bản điện tử có giá trị pháp lý).', [
    { field: 'seal', message: 'Chọn chứng thư số (con dấu điện tử) của cơ quan để đóng dấu kết quả.' },
  ]);

const return_: Handler = async (a) => {
  const method = a.input.method ?? a.d.returnMethod ?? 'counter';
  if (method === 'online' && !a.d.resultFileId) throw unprocessable('Chưa có tệp kết quả', 'Trả kết quả trực tuyến cần tệp kết quả để công dân tải về.');
  if (method === 'online' && !(await resultSealOf(a.tx, a.d.resultFileId)) && (await onlineSealRequired(a.tx))) throw sealRequired();
  return {
    set: { ...closing(a.d, a.ctx.now), returnedAt: a.ctx.now, returnMethod: method },
    log: { unitId: a.d.unitId, stepOutcome: outcomeOf(a.ctx.now, a.d.stepDueAt), detail: { method, overall: outcomeOf(a.d.completedAt ?? a.ctx.now, a.d.dueAt) } },
  };
};


export const flowHandlers: Handlers = { submit, accept, forward, transfer, approve, complete, return: return_ };
