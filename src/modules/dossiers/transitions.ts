import type { Role } from '../../core/access/index.js';
import { STATUS, type StatusCode } from './status.js';

/**
 * The dossier workflow as data (eGov DIGIT's idea): each row says which action moves a dossier from
 * which status to which, who may take it, whether a reason is mandatory and which legal form it issues.
 * Changing a rule is changing a row; the service (`actions.ts`) only interprets this table.
 */
export const ACTIONS = [
  'submit', // a citizen's online draft is sent to the desk (0 → 1)
  'accept', // the desk accepts an online dossier (1 → 2): code, due date, form 01
  'refuse', // refusal with reason (form 03)
  'request-supplement', // supplement request listing each missing item and a deadline (form 02); the clock pauses
  'supplement', // the citizen (or the desk for them) hands in what was missing; the clock resumes
  'request-fee', // the handler asks for the fee (phí, lệ phí; amount set or adjusted with the obligation as reason): 6, the clock pauses
  'fee-paid', // the fee is paid (LienThong payment, or outside it with the receipt as reason): back to 2 or 4, the clock resumes
  'forward', // hand-over to the next step of the internal process (a person or a unit)
  'transfer', // liên thông: a commune sends a two-level dossier to the deciding province unit
  'approve', // the leader approves (the approval step of the internal process)
  'complete', // the result is attached: done, awaiting return (→ 9)
  'return', // the result is handed back: at the counter, by post, electronically (→ 10)
  'apologize', // apology and a new date, before the due date, once (form 04)
  'stop', // stop notice (form 05)
  'withdraw', // the citizen withdraws the dossier
] as const;
export type DossierAction = (typeof ACTIONS)[number];

/** Log entries that are not actions on an existing dossier. */
export type LogAction = DossierAction | 'receive' | 'draft';

export type Actor = Role | 'applicant';
export type FormNumber = '01' | '02' | '03' | '04' | '05' | '06';
export const FORM_NUMBERS: readonly FormNumber[] = ['01', '02', '03', '04', '05', '06'];

export type Transition = {
  action: DossierAction;
  from: StatusCode;
  /** The new status; 'same' keeps it; 'resume' goes back to the status the dossier was paused from. */
  to: StatusCode | 'same' | 'resume';
  /** Who may act: the applicant (the citizen who submitted) or officials holding one of these roles. */
  actors: readonly Actor[];
  /**
   * Where officials must hold the role: over the unit now handling the dossier ('current'), or over
   * the unit that received it ('receiving': the one-stop desk that returns the result).
   */
  unit: 'current' | 'receiving';
  /** The official must also hold the dossier (be its current handler, or a member of the handling unit with the step's role). */
  holder: boolean;
  /**
   * The receiving unit's one-stop officers may also take it without holding the dossier: the citizen pays the fee at
   * the counter (bộ phận một cửa thu phí, lệ phí) while a specialist of another unit holds the dossier.
   */
  desk?: boolean;
  /** A written reason is mandatory (the law wants one on every refusal, return or exception). */
  reason: boolean;
  /** The legal form this action issues (Circular 03/2025, Appendix I). */
  form?: FormNumber;
};

const { draft, submitted, received, refused, processing, supplementRequested, awaitingFee, withdrawn, stopped, done, returned } = STATUS;
const DESK: readonly Actor[] = ['onestop_officer'];
const HANDLERS: readonly Actor[] = ['onestop_officer', 'specialist', 'leader', 'deputy_leader'];
const LEADERS: readonly Actor[] = ['leader', 'deputy_leader'];

const row = (action: DossierAction, from: StatusCode, to: Transition['to'], actors: readonly Actor[], extra: Partial<Omit<Transition, 'action' | 'from' | 'to' | 'actors'>> = {}): Transition => ({
  action,
  from,
  to,
  actors,
  unit: 'current',
  holder: false,
  reason: false,
  ...extra,
});

export const TRANSITIONS: readonly Transition[] = [
  row('submit', draft, submitted, ['applicant']),
  row('accept', submitted, received, DESK, { form: '01' }),
  row('refuse', submitted, refused, DESK, { reason: true, form: '03' }),
  row('refuse', received, refused, DESK, { reason: true, form: '03' }),
  row('refuse', processing, refused, HANDLERS, { holder: true, reason: true, form: '03' }),
  row('request-supplement', received, supplementRequested, DESK, { reason: true, form: '02' }),
  row('request-supplement', processing, supplementRequested, HANDLERS, { holder: true, reason: true, form: '02' }),
  row('supplement', supplementRequested, 'resume', ['applicant', 'onestop_officer'], { unit: 'receiving' }),
  row('request-fee', received, awaitingFee, DESK, { holder: true, reason: true }),
  row('request-fee', processing, awaitingFee, HANDLERS, { holder: true, reason: true }),
  row('fee-paid', awaitingFee, 'resume', HANDLERS, { holder: true, reason: true, desk: true }),
  row('forward', received, processing, DESK, { holder: true }),
  row('forward', processing, processing, HANDLERS, { holder: true }),
  row('transfer', received, processing, DESK, { holder: true }),
  row('transfer', processing, processing, HANDLERS, { holder: true }),
  row('approve', processing, processing, LEADERS, { holder: true }),
  row('complete', processing, done, HANDLERS, { holder: true }),
  row('return', done, returned, DESK, { unit: 'receiving' }),
  row('apologize', received, 'same', HANDLERS, { reason: true, form: '04' }),
  row('apologize', processing, 'same', HANDLERS, { reason: true, form: '04' }),
  row('apologize', supplementRequested, 'same', HANDLERS, { reason: true, form: '04' }),
  row('stop', received, stopped, ['onestop_officer', 'leader', 'deputy_leader'], { reason: true, form: '05' }),
  row('stop', processing, stopped, ['onestop_officer', 'leader', 'deputy_leader'], { reason: true, form: '05' }),
  row('stop', supplementRequested, stopped, ['onestop_officer', 'leader', 'deputy_leader'], { reason: true, form: '05' }),
  row('stop', awaitingFee, stopped, ['onestop_officer', 'leader', 'deputy_leader'], { reason: true, form: '05' }),
  row('withdraw', submitted, withdrawn, ['applicant', 'onestop_officer'], { unit: 'receiving', reason: true }),
  row('withdraw', received, withdrawn, ['applicant', 'onestop_officer'], { unit: 'receiving', reason: true }),
  row('withdraw', processing, withdrawn, ['applicant', 'onestop_officer'], { unit: 'receiving', reason: true }),
  row('withdraw', supplementRequested, withdrawn, ['applicant', 'onestop_officer'], { unit: 'receiving', reason: true }),
  row('withdraw', awaitingFee, withdrawn, ['applicant', 'onestop_officer'], { unit: 'receiving', reason: true }),
];

// Statuses no action leaves (kept here so a test can check the table against them).
export const TERMINAL: readonly StatusCode[] = [refused, withdrawn, stopped, returned];

export function transitionFor(action: DossierAction, from: StatusCode): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action && t.from === from);
}

/** The statuses an action may start from (for error messages and the UI). */
export function statusesFor(action: DossierAction): StatusCode[] {
  return TRANSITIONS.filter((t) => t.action === action).map((t) => t.from);
}

export const ACTION_LABELS: Record<LogAction, string> = {
  draft: 'Lưu bản nháp',
  receive: 'Tiếp nhận hồ sơ',
  submit: 'Nộp hồ sơ trực tuyến',
  accept: 'Tiếp nhận hồ sơ trực tuyến',
  refuse: 'Từ chối giải quyết',
  'request-supplement': 'Yêu cầu bổ sung hồ sơ',
  supplement: 'Bổ sung hồ sơ',
  'request-fee': 'Yêu cầu thực hiện nghĩa vụ tài chính',
  'fee-paid': 'Đã thực hiện nghĩa vụ tài chính',
  forward: 'Chuyển xử lý',
  transfer: 'Chuyển liên thông',
  approve: 'Phê duyệt',
  complete: 'Có kết quả, chờ trả',
  return: 'Trả kết quả',
  apologize: 'Xin lỗi và hẹn lại ngày trả',
  stop: 'Dừng xử lý',
  withdraw: 'Rút hồ sơ',
};
