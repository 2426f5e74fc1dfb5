import { Alert, Card, Col, Row, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { type InboxCounts as Counts, docKeys, documentsApi } from '../../api/documents';
import { useT, type MessageKey } from '../../i18n';

type Tile = { key: keyof Counts; label: MessageKey; to: string; color?: string };

const TILES: Tile[] = [
  { key: 'pending', label: 'doc.count.pending', to: '/van-ban-den?tab=mine&state=pending' },
  { key: 'inProgress', label: 'doc.count.inProgress', to: '/van-ban-den?tab=mine&state=in_progress' },
  { key: 'nearDue', label: 'doc.count.nearDue', to: '/van-ban-den?tab=mine&state=near_due', color: '#d46b08' },
  { key: 'overdue', label: 'doc.count.overdue', to: '/van-ban-den?tab=mine&state=overdue', color: '#cf1322' },
  { key: 'doneOnTime', label: 'doc.count.doneOnTime', to: '/van-ban-den?tab=mine&state=done', color: '#389e0d' },
  { key: 'doneLate', label: 'doc.count.doneLate', to: '/van-ban-den?tab=mine&state=done', color: '#d4380d' },
  { key: 'unread', label: 'doc.count.unread', to: '/van-ban-den?tab=mine' },
  { key: 'toAssign', label: 'doc.count.toAssign', to: '/van-ban-den?status=presented' },
  { key: 'toReview', label: 'doc.count.toReview', to: '/van-ban-di?status=in_review' },
  { key: 'toAccept', label: 'doc.count.toAccept', to: '/van-ban-den?tab=accept' },
];

/** The caller's inbox in numbers, each a link to the matching list (GET /api/documents/counts). */
export function InboxCounts() {
  const t = useT();
  const { data, error, isLoading } = useQuery({ queryKey: docKeys.counts, queryFn: documentsApi.counts, refetchInterval: 120_000 });
  return (
    <Card title={t('doc.count.title')} style={{ marginBottom: 16 }}>
      {error && <Alert type="error" showIcon title={error.message} />}
      {isLoading && <Skeleton active paragraph={{ rows: 2 }} />}
      {data && (
        <Row gutter={[12, 12]} role="list" aria-label={t('doc.count.title')}>
          {TILES.map((tile) => (
            <Col key={tile.key} xs={12} sm={8} md={6} xl={4} role="listitem">
              <Link to={tile.to} aria-label={`${t(tile.label)}: ${data[tile.key]}`} data-testid={`count-${tile.key}`}>
                <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
                  <div style={{ fontSize: 26, fontWeight: 600, lineHeight: 1.2, color: data[tile.key] ? tile.color : undefined }}>
                    {data[tile.key]}
                  </div>
                  <Typography.Text type="secondary">{t(tile.label)}</Typography.Text>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
