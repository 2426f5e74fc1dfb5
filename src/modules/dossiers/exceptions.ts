import type { Duration } from '../../core/calendar/index.js';
import type { Db } from '../../core/db/index.js';
import { AppError, validationFailed } from '../../core/errors/index.js';
import { closePause, closing, type Handler, type HandlerArgs, type Handlers } from './handler.js';
import type { PauseInterval } from './schema.js';
import { timeLimitOf } from './steps.js';

/**
 * The exceptions, each with its form and a mandatory reason (the dispatcher checks the reason):
 * refusal (form 03), supplement request (form 02, the clock pauses) and the supplement (the clock
 * resumes with a new due date), the fee request (status 6, the clock pauses the same way) and its payment,
 * apology with a new date (form 04), stop (form 05), withdrawal.
 */

/** A pause of the clock; `kind` tells a fee pause from a supplement pause (older rows have none: supplement). */
type Pause = PauseInterval & { kind?: 'supplement' | 'fee' };

/** How much of a dossier's fee is paid (đồng). The payments module registers it: dossiers cannot import payments. */
export type PaidAmount = (db: Db, dossierId: string) => Promise<number>;
let paidAmount: PaidAmount = async () => 0;
export function registerPaidAmount(fn: PaidAmount): void {
  paidAmount = fn;
}

/** How long the applicant has to supplement when the officer does not say (practice: 5 working days). */
export const DEFAULT_SUPPLEMENT_DAYS = 5;

const parseTime = (s: string | null | undefined, field: string): Date | null => {
  if (!s) return null;
  const t = new Date(s);
  if (Number.isNaN(t.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(s)) throw validationFailed([{ field, message: 'Thời điểm không hợp lệ (ISO 8601).' }]);
  return t;
};

const refuse: Handler = async (a) => ({ set: closing(a.d, a.ctx.now), log: { unitId: a.d.currentUnitId } });

const requestSupplement: Handler = async (a) => {
  const items = (a.input.items ?? []).map((s) => s.normalize('NFC').trim()).filter(Boolean);
  if (items.length === 0) throw validationFailed([{ field: 'items', message: 'Liệt kê từng giấy tờ, nội dung cần bổ sung.' }]);
  const deadline = parseTime(a.input.deadline, 'deadline') ?? a.cal.addDuration(a.ctx.now, { unit: 'working-days', amount: DEFAULT_SUPPLEMENT_DAYS });
  if (deadline <= a.ctx.now) throw validationFailed([{ field: 'deadline', message: 'Hạn bổ sung phải sau thời điểm hiện tại.' }]);
  return {
    set: { ...pauseClock(a, 'supplement'), supplementDeadline: deadline },
    log: { unitId: a.d.currentUnitId, detail: { items, deadline: deadline.toISOString() } },
  };
};

/** Stops the clock now (supplement request, fee request): the dossier remembers the status it came from. */
function pauseClock(a: HandlerArgs, kind: Pause['kind']) {
  const pauses: Pause[] = [...(a.d.pauses ?? []), { from: a.ctx.now.toISOString(), to: null, kind }];
  return { pausedAt: a.ctx.now, pausedFromStatus: a.d.status, pauses };
}

/**
 * Restarts the clock now (supplement handed in, fee paid). The due date moves by the working time the dossier
 * waited (the calendar recomputes it from the reception with every pause; after an apology the promised date
 * moves by the pause), and so does the current step's.
 */
function resumeClock(a: HandlerArgs) {
  const now = a.ctx.now;
  const since = a.d.pausedAt ?? now;
  const waited = Math.max(0, a.cal.workingMinutesBetween(since, now));
  const { pauses } = closePause(a.d, now);
  const shift = (t: Date | null) => (t && waited > 0 ? a.cal.addDuration(t, { unit: 'working-hours', amount: waited / 60 }) : t);
  const limit = (a.d.timeLimit as Duration | null) ?? timeLimitOf(a.v, a.d.caseKey, a.d.channel);
  const dueAt = a.d.apologizedAt || !a.d.receivedAt
    ? shift(a.d.dueAt)
    : a.cal.addDuration(a.d.receivedAt, limit, { pauses: pauses.map((x) => ({ from: new Date(x.from), to: x.to ? new Date(x.to) : null })), now });
  return {
    set: { pauses, pausedAt: null, pausedFromStatus: null, supplementDeadline: null, dueAt, stepDueAt: shift(a.d.stepDueAt) },
    detail: { waitedWorkingMinutes: waited, dueAt: dueAt?.toISOString() ?? null, previousDueAt: a.d.dueAt?.toISOString() ?? null },
  };
}

/** The applicant hands in what was missing: the clock resumes. */
const supplement: Handler = async (a) => {
  const fileIds = [...(a.input.fileIds ?? []), ...(a.input.documents ?? []).flatMap((d) => d.fileIds)];
  if (fileIds.length === 0 && !a.input.note?.trim()) throw validationFailed([{ field: 'fileIds', message: 'Tải lên giấy tờ bổ sung (hoặc ghi chú đã nộp bản giấy).' }]);
  const resumed = resumeClock(a);
  const docs = (a.input.documents ?? []).map((d) => ({ kind: 'supplement' as const, documentIndex: d.index, documentName: null, fileIds: d.fileIds, field: `documents.${d.index}.fileIds` }));
  return {
    set: resumed.set,
    log: { unitId: a.d.unitId, detail: resumed.detail },
    files: [...docs, ...(a.input.fileIds?.length ? [{ kind: 'supplement' as const, documentIndex: null, documentName: 'Giấy tờ bổ sung', fileIds: a.input.fileIds, field: 'fileIds' }] : [])],
  };
};

const dong = (n: number) => `${n.toLocaleString('vi-VN')} đồng`;

/**
 * The handler asks for the fee (chờ thực hiện nghĩa vụ tài chính, status 6): the amount on the dossier, or the one
 * given (set or adjusted: the reason then describes the obligation and becomes the fee's label). Refused when what
 * is asked is already paid. The clock pauses as for a supplement request.
 */
const requestFee: Handler = async (a) => {
  const given = a.input.feeAmount ?? null;
  const amount = given ?? a.d.feeAmount ?? 0;
  if (amount <= 0) throw validationFailed([{ field: 'feeAmount', message: 'Nhập số tiền phí, lệ phí phải nộp (đồng).' }]);
  const paid = await paidAmount(a.tx, a.d.id);
  if (paid >= amount) {
    throw new AppError(409, 'already-paid', 'Đã nộp đủ phí, lệ phí', `Hồ sơ đã nộp ${dong(paid)}, không còn khoản phí, lệ phí nào phải nộp; muốn thu thêm, nhập số tiền phải nộp mới (lớn hơn số đã nộp).`);
  }
  const adjusted = given !== null && given !== a.d.feeAmount;
  return {
    set: { ...pauseClock(a, 'fee'), ...(adjusted ? { feeAmount: amount, feeLabel: a.input.reason ?? null } : {}) },
    log: { unitId: a.d.currentUnitId, detail: { feeAmount: amount, paid, outstanding: amount - paid, ...(adjusted ? { previousFeeAmount: a.d.feeAmount } : {}) } },
  };
};

/** The fee is paid (a LienThong payment, or outside it: the reason names the receipt): back where it was, the clock resumes. */
const feePaid: Handler = async (a) => {
  const resumed = resumeClock(a);
  return { set: resumed.set, log: { unitId: a.d.currentUnitId, detail: resumed.detail } };
};

/** Form 04: only before the due date, only once, and the new date must be later. */
const apologize: Handler = async (a) => {
  const now = a.ctx.now;
  if (a.d.apologizedAt) throw new AppError(409, 'already-apologized', 'Đã hẹn lại ngày trả', 'Hồ sơ đã có phiếu xin lỗi và hẹn lại ngày trả; ngày hẹn mới chỉ được đặt một lần.');
  if (!a.d.dueAt || now >= a.d.dueAt) throw new AppError(409, 'past-due', 'Đã quá hạn giải quyết', 'Phiếu xin lỗi và hẹn lại ngày trả phải được gửi trước thời hạn trả kết quả.');
  const newDueAt = parseTime(a.input.newDueAt, 'newDueAt');
  if (!newDueAt) throw validationFailed([{ field: 'newDueAt', message: 'Chọn ngày hẹn trả mới.' }]);
  if (newDueAt <= a.d.dueAt) throw validationFailed([{ field: 'newDueAt', message: 'Ngày hẹn mới phải sau ngày hẹn hiện tại.' }]);
  return {
    set: { apologizedAt: now, dueAt: newDueAt },
    log: { unitId: a.d.currentUnitId, detail: { previousDueAt: a.d.dueAt.toISOString(), newDueAt: newDueAt.toISOString() } },
  };
};

const stop: Handler = async (a) => ({ set: closing(a.d, a.ctx.now), log: { unitId: a.d.currentUnitId } });

const withdraw: Handler = async (a) => ({ set: closing(a.d, a.ctx.now), log: { unitId: a.d.unitId } });

export const exceptionHandlers: Handlers = { refuse, 'request-supplement': requestSupplement, supplement, 'request-fee': requestFee, 'fee-paid': feePaid, apologize, stop, withdraw };
