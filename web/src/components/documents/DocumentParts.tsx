import { DownloadOutlined, EyeOutlined, FilePdfOutlined, FileOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Space, Table, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import { type Assignment, type DocumentFile, type Recipient, type Review, type TimelineEntry, exportUrls } from '../../api/documents';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../format';
import { DeadlineTag } from './DocTags';
import {
  RECIPIENT_COLORS, assignmentRoleLabel, fileRoleLabel, assignmentStatusLabel, eventLabel, recipientStatusLabel, reviewKindLabel, reviewStatusLabel,
} from './labels';

const sizeOf = (n: number) => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** Files of a document: open in a new tab or download (GET /api/files/:id). */
type FileLike = Pick<DocumentFile, 'fileId' | 'name' | 'size' | 'contentType'> & {
  id?: string; role: string; version?: number; note?: string | null; createdAt?: string;
};

export function FilesList({ files }: { files: FileLike[] }) {
  const t = useT();
  if (!files.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('doc.file.none')} />;
  return (
    <Flex vertical gap={12} role="list" aria-label={t('doc.files')}>
      {files.map((f) => (
        <Flex key={f.id ?? f.fileId} role="listitem" gap={12} align="start" wrap style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8 }}>
          {f.contentType === 'application/pdf' ? <FilePdfOutlined style={{ fontSize: 20, color: '#b71c1c' }} /> : <FileOutlined style={{ fontSize: 20 }} />}
          <div style={{ flex: '1 1 220px', minWidth: 0 }}>
            <div style={{ wordBreak: 'break-word' }}>{f.name}</div>
            <Space size={4} wrap>
              <Tag>{fileRoleLabel(t, f.role)}</Tag>
              {(f.role === 'draft' || f.role === 'draft_source') && f.version != null && <Tag>{t('doc.file.version', { n: f.version })}</Tag>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {sizeOf(f.size)}{f.createdAt ? ` · ${formatDateTime(f.createdAt)}` : ''}{f.note ? ` · ${f.note}` : ''}
              </Typography.Text>
            </Space>
          </div>
          <Space size={0}>
            <Button size="small" type="link" icon={<EyeOutlined />} href={exportUrls.file(f.fileId)} target="_blank"
              rel="noreferrer" aria-label={`${t('doc.file.open')} ${f.name}`}>{t('doc.file.open')}</Button>
            <Button size="small" type="link" icon={<DownloadOutlined />} href={exportUrls.file(f.fileId, true)}
              aria-label={`${t('doc.file.download')} ${f.name}`}>{t('doc.file.download')}</Button>
          </Space>
        </Flex>
      ))}
    </Flex>
  );
}

/** Who handles the document, with each deadline's state. */
export function AssignmentsTable({ items }: { items: Assignment[] }) {
  const t = useT();
  return (
    <Table<Assignment>
      rowKey="id" size="small" pagination={false} dataSource={items} scroll={{ x: 720 }}
      locale={{ emptyText: t('doc.assignment.none') }}
      columns={[
        { title: t('doc.assignment.role'), dataIndex: 'role', width: 110, render: (r: Assignment['role']) => assignmentRoleLabel(t, r) },
        { title: t('doc.assignment.assignee'), key: 'who', render: (_, a) => a.assigneeUserName ?? a.assigneeUnitName ?? '—' },
        { title: t('doc.deadline'), key: 'due', width: 190, render: (_, a) => <DeadlineTag state={a.deadlineState} dueDate={a.dueDate} /> },
        {
          title: t('common.status'), key: 'status', width: 150,
          render: (_, a) => (
            <>
              <div>{assignmentStatusLabel(t, a.status)}{a.progressPercent != null ? ` · ${a.progressPercent}%` : ''}</div>
              {a.completedAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(a.completedAt)}</Typography.Text>}
            </>
          ),
        },
        {
          title: t('doc.assignment.notes'), key: 'notes',
          render: (_, a) => (
            <Space orientation="vertical" size={0}>
              {a.instruction && <span><Typography.Text type="secondary">{t('doc.assign.instruction')}: </Typography.Text>{a.instruction}</span>}
              {a.progressNote && <span><Typography.Text type="secondary">{t('doc.progress.note')}: </Typography.Text>{a.progressNote}</span>}
              {a.resultNote && <span><Typography.Text type="secondary">{t('doc.complete.note')}: </Typography.Text>{a.resultNote}</span>}
              {a.returnReason && <span><Typography.Text type="danger">{t('doc.reason')}: </Typography.Text>{a.returnReason}</span>}
              {a.replyDocumentId && <Link to={`/van-ban/${a.replyDocumentId}`}>{t('doc.complete.replyLink')}</Link>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('doc.assignment.by', { name: a.assignedByName ?? '—', at: formatDateTime(a.assignedAt) })}
              </Typography.Text>
            </Space>
          ),
        },
      ]}
    />
  );
}

/** Review chain of an outgoing document (rounds of ký nháy / phê duyệt). */
export function ReviewsTable({ items }: { items: Review[] }) {
  const t = useT();
  return (
    <Table<Review>
      rowKey="id" size="small" pagination={false} dataSource={items} scroll={{ x: 560 }}
      columns={[
        { title: t('doc.review.round'), dataIndex: 'round', width: 70 },
        { title: t('doc.review.step'), dataIndex: 'kind', width: 120, render: (k: Review['kind']) => reviewKindLabel(t, k) },
        { title: t('doc.review.reviewer'), dataIndex: 'reviewerName' },
        { title: t('common.status'), dataIndex: 'status', width: 130, render: (s: Review['status']) => reviewStatusLabel(t, s) },
        { title: t('doc.reason'), dataIndex: 'reason' },
        { title: t('doc.review.at'), dataIndex: 'decidedAt', width: 140, render: (v: string | null) => formatDateTime(v) },
      ]}
    />
  );
}

/** Where an issued document went, and where each recipient stands. */
export function RecipientsTable({ items }: { items: Recipient[] }) {
  const t = useT();
  return (
    <Table<Recipient>
      rowKey="id" size="small" pagination={false} dataSource={items} scroll={{ x: 560 }}
      columns={[
        {
          title: t('doc.recipient.name'), key: 'name',
          render: (_, r) => (
            <>
              <div>{r.name}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(`doc.recipientKind.${r.kind}`)}{r.agencyCode ? ` · ${r.agencyCode}` : ''}{r.email ? ` · ${r.email}` : ''}
              </Typography.Text>
            </>
          ),
        },
        {
          title: t('common.status'), key: 'status', width: 170,
          render: (_, r) => <Tag color={RECIPIENT_COLORS[r.status]}>{recipientStatusLabel(t, r.status)}</Tag>,
        },
        { title: t('doc.reason'), dataIndex: 'reason' },
        { title: t('doc.recipient.updatedAt'), dataIndex: 'updatedAt', width: 140, render: (v: string) => formatDateTime(v) },
      ]}
    />
  );
}

function detailText(t: ReturnType<typeof useT>, e: TimelineEntry): string | null {
  const d = e.detail ?? {};
  const bits: string[] = [];
  for (const k of ['assignee', 'leader', 'to', 'unit', 'recipient', 'numberSymbol', 'arrivalNumber', 'dueDate'] as const) {
    const v = d[k];
    if (typeof v === 'string' || typeof v === 'number') bits.push(`${t(`doc.eventDetail.${k}`)}: ${k === 'dueDate' ? formatDate(String(v)) : v}`);
  }
  return bits.length ? bits.join(' · ') : null;
}

/** The document's life: who, when, what, with the instruction, note or reason. */
export function DocumentTimeline({ items }: { items: TimelineEntry[] }) {
  const t = useT();
  return (
    <Timeline
      items={items.map((e) => {
        const extra = detailText(t, e);
        return {
          key: e.id,
          color: e.action === 'returned' || e.action === 'review_returned' || e.action === 'recalled' || e.action === 'refused' ? 'red'
            : e.action === 'completed' || e.action === 'issued' || e.action === 'accepted' ? 'green' : 'blue',
          content: (
            <div data-testid="timeline-entry">
              <Typography.Text strong>{eventLabel(t, e.action)}</Typography.Text>
              <Typography.Text type="secondary"> — {e.actorName ?? t('audit.system')}, {formatDateTime(e.at)}</Typography.Text>
              {e.text && <div style={{ whiteSpace: 'pre-wrap' }}>{e.text}</div>}
              {extra && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{extra}</Typography.Text></div>}
            </div>
          ),
        };
      })}
    />
  );
}
