import { compareToDue, type Duration, type WorkingCalendar } from '../../core/calendar/index.js';
import { AppError, unprocessable } from '../../core/errors/index.js';
import { type ProcedureVersion, type StoredProcessStep, stepHours, workingHoursOf } from '../procedures/index.js';
import type { Channel } from './status.js';

/**
 * The internal process (quy trình nội bộ) a dossier follows, its time limit and the deadlines of its
 * steps. The process and the limit come from the procedure version the dossier was received under.
 */

export type Step = Pick<StoredProcessStep, 'position' | 'kind' | 'name' | 'role' | 'unitRule' | 'targetUnitId' | 'targetLevel' | 'shareKind' | 'shareValue'>;

const step = (position: number, kind: Step['kind'], name: string, role: Step['role'], shareValue: number): Step => ({
  position, kind, name, role, unitRule: 'receiving_unit', targetUnitId: null, targetLevel: null, shareKind: 'fraction', shareValue,
});

/**
 * Used while an administrator has not configured the procedure's own process: the usual one-level
 * flow of a commune (desk → specialist → leader → desk).
 */
export const DEFAULT_PROCESS: readonly Step[] = [
  step(1, 'receive', 'Tiếp nhận hồ sơ', 'onestop_officer', 0.1),
  step(2, 'review', 'Thẩm định, đề xuất', 'specialist', 0.6),
  step(3, 'approve', 'Phê duyệt kết quả', 'leader', 0.2),
  step(4, 'return', 'Trả kết quả', 'onestop_officer', 0.1),
];

export function processOf(version: ProcedureVersion): readonly Step[] {
  return version.process.length > 0 ? version.process : DEFAULT_PROCESS;
}

export function stepAt(version: ProcedureVersion, position: number | null): Step | undefined {
  return position == null ? undefined : processOf(version).find((s) => s.position === position);
}

export function nextStep(version: ProcedureVersion, position: number | null): Step | undefined {
  const steps = processOf(version);
  if (position == null) return steps[0];
  return steps.find((s) => s.position > position);
}

export function lastStep(version: ProcedureVersion): Step {
  const steps = processOf(version);
  return steps[steps.length - 1];
}

/** Does the process have a leader's decision (approve, or a deciding step held by a leader) that must come before the result? */
export function needsApproval(version: ProcedureVersion): boolean {
  return processOf(version).some((s) => s.kind === 'approve' || (s.kind === 'decide' && (s.role === 'leader' || s.role === 'deputy_leader')));
}

/** The procedure's channel name for a dossier's channel (the catalogue says in_person for the counter). */
export const catalogueChannel = (c: Channel) => (c === 'counter' ? 'in_person' : c);

/** The channel offer the dossier is received through; 422 when the procedure does not offer it. */
export function channelOffer(version: ProcedureVersion, channel: Channel) {
  const offer = version.record.channels.find((c) => c.channel === catalogueChannel(channel));
  if (!offer) {
    const labels = { counter: 'trực tiếp', online: 'trực tuyến', post: 'qua bưu chính' };
    throw new AppError(422, 'channel-not-offered', 'Thủ tục không tiếp nhận qua cách thức này', `Thủ tục "${version.name}" không tiếp nhận hồ sơ ${labels[channel]}.`, [{ field: 'channel', message: 'Cách thức nộp không được thủ tục cho phép.' }]);
  }
  return offer;
}

/** The case (trường hợp) of the version; the first one when the procedure has a single case and none is named. */
export function caseOf(version: ProcedureVersion, caseKey: string | null | undefined) {
  if (caseKey) {
    const c = version.record.cases.find((x) => x.key === caseKey);
    if (!c) throw unprocessable('Trường hợp không thuộc thủ tục', `Thủ tục "${version.name}" không có trường hợp "${caseKey}".`, [{ field: 'caseId', message: 'Chọn một trường hợp của thủ tục.' }]);
    return c;
  }
  if (version.record.cases.length === 1) return version.record.cases[0];
  throw unprocessable('Chưa chọn trường hợp', `Thủ tục "${version.name}" có nhiều trường hợp; hãy chọn một.`, [{ field: 'caseId', message: 'Chọn trường hợp của thủ tục.' }]);
}

/** The time limit: the case's own when it has one, else the channel's. */
export function timeLimitOf(version: ProcedureVersion, caseKey: string | null, channel: Channel): Duration {
  const c = caseKey ? version.record.cases.find((x) => x.key === caseKey) : undefined;
  return (c?.timeLimit ?? channelOffer(version, channel).timeLimit) as Duration;
}

/** When a step started at `start` is due: its share of the limit in working hours (none for calendar-day limits shared by fraction). */
export function stepDueAt(cal: WorkingCalendar, start: Date, s: Step, limit: Duration): Date | null {
  const hours = stepHours(s, workingHoursOf(limit));
  if (hours === null || hours <= 0) return null;
  return cal.addDuration(start, { unit: 'working-hours', amount: hours });
}

export type Outcome = 'early' | 'on_time' | 'late';

/** How a step (or the dossier) was done against its due time, by local date (DOMAIN.md). */
export function outcomeOf(doneAt: Date, dueAt: Date | null): Outcome {
  const r = compareToDue(doneAt, dueAt);
  return r === 'on-time' ? 'on_time' : r;
}

/** Roles that count as the step's role when handing over (a deputy stands in for the leader). */
export function rolesFor(role: string): string[] {
  return role === 'leader' ? ['leader', 'deputy_leader'] : [role];
}
