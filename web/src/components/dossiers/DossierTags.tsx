import { Tag } from 'antd';
import type { DueState } from '../../api/dossiers';
import { type MessageKey, type Translate, useT } from '../../i18n';
import { formatDateTime } from '../format';

/** Labels and tags of the one-stop pages. */

export const statusLabel = (t: Translate, code: number) => t(`ds.status.${code}` as MessageKey);
export const actionLabel = (t: Translate, action: string) => t(`ds.action.${action}` as MessageKey);
export const channelLabel = (t: Translate, c: string) => t(`ds.channel.${c}` as MessageKey);
export const returnLabel = (t: Translate, m: string) => t(`ds.return.${m}` as MessageKey);

const STATUS_COLORS: Record<number, string> = { 0: 'default', 1: 'gold', 2: 'blue', 3: 'red', 4: 'processing', 5: 'orange', 6: 'purple', 7: 'default', 8: 'volcano', 9: 'cyan', 10: 'green' };
const DUE_COLORS: Record<DueState, string> = { none: 'default', on_track: 'green', due_soon: 'orange', overdue: 'red', paused: 'purple', early: 'green', on_time: 'blue', late: 'red' };

export function DossierStatusTag({ code }: { code: number }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[code] ?? 'default'}>{statusLabel(t, code)}</Tag>;
}

/** The due state, with the due time when there is one. */
export function DueTag({ state, dueAt }: { state: DueState; dueAt?: string | null }) {
  const t = useT();
  if (state === 'none' && !dueAt) return null;
  return (
    <Tag color={DUE_COLORS[state]}>
      {dueAt ? `${formatDateTime(dueAt)} · ` : ''}
      {t(`ds.due.${state}`)}
    </Tag>
  );
}
