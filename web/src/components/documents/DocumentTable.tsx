import { Grid, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import type { DocumentSummary, Urgency } from '../../api/documents';
import { useT } from '../../i18n';
import { formatDate } from '../format';
import { DeadlineTag, SecrecyTag, StatusTag, UrgencyTag } from './DocTags';
import { assignmentRoleLabel } from './labels';

type Props = {
  items: DocumentSummary[];
  total: number;
  page: number;
  pageSize: number;
  loading?: boolean;
  /** Incoming lists show the arrival number; outgoing lists the number/symbol first. */
  direction: 'incoming' | 'outgoing';
  /** Keep the server's order (relevance); otherwise urgent documents go first within the page. */
  keepOrder?: boolean;
  onPage: (page: number, pageSize: number) => void;
};

const rank = (d: { urgency: Urgency }) => (d.urgency === 'normal' ? 0 : 1);

/** Urgent documents first (stable: the server's order is kept within each group). */
export function urgentFirst<T extends { urgency: Urgency }>(items: T[]): T[] {
  return items
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(b.d) - rank(a.d) || a.i - b.i)
    .map((x) => x.d);
}

/** A list of documents: unread in bold, urgency and secrecy tags by the subject, deadline state. */
export function DocumentTable({ items, total, page, pageSize, loading, direction, keepOrder, onPage }: Props) {
  const t = useT();
  // On a phone the deadline moves under the subject so the subject keeps the width.
  const narrow = !Grid.useBreakpoint().sm;
  const rows = keepOrder ? items : urgentFirst(items);
  const deadline = (d: DocumentSummary) => {
    const a = d.myAssignment;
    return (
      <Space orientation={narrow ? 'horizontal' : 'vertical'} size={2} wrap>
        <DeadlineTag state={a?.deadlineState ?? d.deadlineState} dueDate={a?.dueDate ?? d.dueDate} />
        {a && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{assignmentRoleLabel(t, a.role)}</Typography.Text>}
      </Space>
    );
  };
  const columns: ColumnsType<DocumentSummary> = [
    {
      title: direction === 'incoming' ? t('doc.arrivalNumber') : t('doc.numberSymbol'),
      key: 'number',
      width: 130,
      responsive: ['md'],
      render: (_, d) => (direction === 'incoming'
        ? <><div>{d.arrivalNumber ?? '—'}</div><Typography.Text type="secondary">{formatDate(d.arrivalAt)}</Typography.Text></>
        : <><div>{d.numberSymbol ?? '—'}</div><Typography.Text type="secondary">{formatDate(d.issuedDate)}</Typography.Text></>),
    },
    {
      title: t('doc.subject'),
      key: 'subject',
      render: (_, d) => (
        <div style={{ minWidth: 0 }}>
          <Space size={[4, 4]} wrap style={{ marginBottom: 2 }}>
            <UrgencyTag urgency={d.urgency} />
            <SecrecyTag secrecy={d.secrecy} />
            <Typography.Text type="secondary">{d.typeName}</Typography.Text>
            {direction === 'incoming' && d.numberSymbol && <Typography.Text type="secondary">· {d.numberSymbol}</Typography.Text>}
          </Space>
          <div>
            <Link to={`/van-ban/${d.id}`} style={{ fontWeight: d.read ? 400 : 700 }} aria-label={d.subject}>
              {d.subject}
            </Link>
            {!d.read && <span className="lt-visually-hidden"> ({t('doc.unread')})</span>}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.issuerName}</Typography.Text>
          {narrow && <div style={{ marginTop: 4 }}>{deadline(d)}</div>}
        </div>
      ),
    },
    { title: t('doc.deadline'), key: 'deadline', width: 170, responsive: ['sm'], render: (_, d) => deadline(d) },
    { title: t('common.status'), key: 'status', width: 140, responsive: ['sm'], render: (_, d) => <StatusTag status={d.status} /> },
  ];
  return (
    <Table<DocumentSummary>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={rows}
      columns={columns}
      pagination={{
        current: page, pageSize, total, showSizeChanger: true, size: 'small',
        showTotal: (n) => t('common.total', { n }),
        onChange: (p, s) => onPage(s !== pageSize ? 1 : p, s),
      }}
    />
  );
}
