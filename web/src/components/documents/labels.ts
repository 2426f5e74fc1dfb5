import type {
  AssignmentRole, AssignmentStatus, DeadlineState, DocumentStatus, RecipientStatus, Review, Secrecy, Urgency,
} from '../../api/documents';
import { SECRECIES, URGENCIES } from '../../api/documents';
import type { MessageKey, Translate } from '../../i18n';

export const urgencyLabel = (t: Translate, u: Urgency) => t(`doc.urgency.${u}`);
export const secrecyLabel = (t: Translate, s: Secrecy) => t(`doc.secrecy.${s}`);
export const statusLabel = (t: Translate, s: DocumentStatus) => t(`doc.status.${s}`);
export const deadlineLabel = (t: Translate, d: DeadlineState) => t(`doc.deadline.${d}`);
export const assignmentRoleLabel = (t: Translate, r: AssignmentRole) => t(`doc.role.${r}`);
export const assignmentStatusLabel = (t: Translate, s: AssignmentStatus) => t(`doc.assignmentStatus.${s}`);
export const recipientStatusLabel = (t: Translate, s: RecipientStatus) => t(`doc.recipientStatus.${s}`);
export const reviewKindLabel = (t: Translate, k: Review['kind']) => t(`doc.reviewKind.${k}`);
export const reviewStatusLabel = (t: Translate, s: Review['status']) => t(`doc.reviewStatus.${s}`);

/** The label `<prefix>.<value>` of an open-ended server value; a value the web app does not know yet is shown as is. */
export function keyedLabel(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const s = t(key);
  return s === key ? value : s;
}
export const eventLabel = (t: Translate, action: string) => keyedLabel(t, 'doc.event', action);
export const fileRoleLabel = (t: Translate, role: string) => keyedLabel(t, 'doc.fileRole', role);
export const actionLabel = (t: Translate, action: string) => keyedLabel(t, 'doc.action', action);

export const urgencyOptions = (t: Translate) => URGENCIES.map((u) => ({ value: u, label: urgencyLabel(t, u) }));
export const secrecyOptions = (t: Translate) => SECRECIES.map((s) => ({ value: s, label: secrecyLabel(t, s) }));
export const statusOptions = (t: Translate, list: DocumentStatus[]) => list.map((s) => ({ value: s, label: statusLabel(t, s) }));

export const STATUS_COLORS: Partial<Record<DocumentStatus, string>> = {
  registered: 'default', presented: 'gold', assigned: 'blue', in_progress: 'processing', completed: 'success',
  draft: 'default', in_review: 'gold', approved: 'cyan', issued: 'success', recalled: 'error',
};
export const DEADLINE_COLORS: Record<DeadlineState, string | undefined> = {
  none: undefined, on_track: 'green', near_due: 'orange', overdue: 'red', done_on_time: 'success', done_late: 'volcano',
};
export const RECIPIENT_COLORS: Partial<Record<RecipientStatus, string>> = {
  arrived: 'blue', accepted: 'cyan', assigned: 'geekblue', processing: 'processing', done: 'success',
  refused: 'error', recalled: 'default', failed: 'error', sent: 'green', pending: 'default',
};
