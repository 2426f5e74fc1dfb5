import { FireOutlined, LockOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import type { DeadlineState, DocumentStatus, Secrecy, Urgency } from '../../api/documents';
import { useT } from '../../i18n';
import { formatDate } from '../format';
import { DEADLINE_COLORS, STATUS_COLORS, deadlineLabel, secrecyLabel, statusLabel, urgencyLabel } from './labels';

/** Red tag for Khẩn / Thượng khẩn / Hỏa tốc; nothing for Thường. */
export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const t = useT();
  if (urgency === 'normal') return null;
  return <Tag color="red" icon={<FireOutlined />}>{urgencyLabel(t, urgency)}</Tag>;
}

export function SecrecyTag({ secrecy }: { secrecy: Secrecy }) {
  const t = useT();
  if (secrecy === 'none') return null;
  return <Tag color="purple" icon={<LockOutlined />}>{secrecyLabel(t, secrecy)}</Tag>;
}

export function StatusTag({ status }: { status: DocumentStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{statusLabel(t, status)}</Tag>;
}

/** The deadline state, with the due date when there is one. */
export function DeadlineTag({ state, dueDate }: { state: DeadlineState; dueDate?: string | null }) {
  const t = useT();
  if (state === 'none' && !dueDate) return null;
  return (
    <Tag color={DEADLINE_COLORS[state]}>
      {dueDate ? `${formatDate(dueDate)} · ` : ''}
      {deadlineLabel(t, state)}
    </Tag>
  );
}
