import { Tag } from 'antd';
import type { WorkFileStatus } from '../../api/documents';
import { useT } from '../../i18n';

const COLORS: Record<WorkFileStatus, string> = { planned: 'default', open: 'processing', closed: 'gold', transferred: 'success' };

export function WorkFileStatusTag({ status }: { status: WorkFileStatus }) {
  const t = useT();
  return <Tag color={COLORS[status]}>{t(`workfile.status.${status}`)}</Tag>;
}
