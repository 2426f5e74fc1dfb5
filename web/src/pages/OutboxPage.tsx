import { ReloadOutlined, RedoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type OutboxItem, type OutboxQuery, type OutboxStatus, OUTBOX_STATUSES, adminApi, adminKeys } from '../api/admin';
import { formatDateTime } from '../components/format';
import { useT } from '../i18n';

const STATUS_COLOR: Record<OutboxStatus, string> = { pending: 'processing', sent: 'success', failed: 'error' };
const ALL = 'all';

/** The list's status and page live in the address (?status=failed&page=2), like the documents lists. */
function useOutboxParams() {
  const [params, setParams] = useSearchParams();
  const status = OUTBOX_STATUSES.find((s) => s === params.get('status'));
  const query: OutboxQuery = {
    status,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: Math.min(200, Math.max(1, Number(params.get('pageSize')) || 20)),
  };
  const update = (next: Partial<OutboxQuery>) => {
    const merged = { ...query, ...next };
    const out = new URLSearchParams();
    if (merged.status) out.set('status', merged.status);
    if (merged.page > 1) out.set('page', String(merged.page));
    if (merged.pageSize !== 20) out.set('pageSize', String(merged.pageSize));
    setParams(out);
  };
  return { query, update };
}

/** Hàng đợi gửi thư: the mail the system sends (deadline digests, notices), by status, with a retry for failed items. */
export function OutboxPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { query, update } = useOutboxParams();
  const { data, isFetching, error, refetch } = useQuery({
    queryKey: adminKeys.outboxPage(query),
    queryFn: () => adminApi.outbox(query),
    placeholderData: keepPreviousData,
  });
  const retry = useMutation({
    mutationFn: (id: string) => adminApi.retryOutbox(id),
    onSuccess: async () => {
      message.success(t('outbox.retried'));
      await qc.invalidateQueries({ queryKey: adminKeys.outbox });
    },
    // 409 when the item is no longer failed: the problem's title and detail, then the fresh list.
    onError: async (e) => {
      message.error(e.message);
      await qc.invalidateQueries({ queryKey: adminKeys.outbox });
    },
  });

  const counts = data?.counts;
  const total = counts ? counts.pending + counts.sent + counts.failed : undefined;
  const tabLabel = (label: string, n: number | undefined) => (n === undefined ? label : t('outbox.tab', { label, n }));
  const statusLabel = (s: OutboxStatus) => t(`outbox.status.${s}`);

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2}>{t('outbox.title')}</Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void refetch()} loading={isFetching}>{t('outbox.refresh')}</Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('outbox.help')}</Typography.Paragraph>
      <Tabs
        activeKey={query.status ?? ALL}
        onChange={(k) => update({ status: k === ALL ? undefined : (k as OutboxStatus), page: 1 })}
        items={[
          { key: ALL, label: tabLabel(t('common.all'), total) },
          ...OUTBOX_STATUSES.map((s) => ({ key: s, label: tabLabel(statusLabel(s), counts?.[s]) })),
        ]}
      />
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      <Table<OutboxItem>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items ?? []}
        scroll={{ x: 1300 }}
        locale={{ emptyText: query.status ? t('outbox.emptyStatus', { status: statusLabel(query.status) }) : t('outbox.empty') }}
        pagination={{
          current: query.page, pageSize: query.pageSize, total: data?.total ?? 0, showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, s) => update({ page: s !== query.pageSize ? 1 : p, pageSize: s }),
        }}
        columns={[
          { title: t('outbox.createdAt'), dataIndex: 'createdAt', width: 140, render: (v: string) => formatDateTime(v) },
          { title: t('outbox.to'), dataIndex: 'to', width: 200, render: (v: string | null) => v ?? '—' },
          {
            title: t('outbox.subject'),
            dataIndex: 'subject',
            width: 280,
            render: (v: string | null, r) => (
              <>
                {r.kind !== 'mail' && <Tag>{r.kind}</Tag>}
                {v ?? '—'}
              </>
            ),
          },
          {
            title: t('common.status'), dataIndex: 'status', width: 120,
            render: (s: OutboxStatus) => <Tag color={STATUS_COLOR[s]}>{statusLabel(s)}</Tag>,
          },
          { title: t('outbox.attempts'), dataIndex: 'attempts', width: 80, align: 'right' },
          {
            title: t('outbox.nextAttempt'), key: 'next', width: 150,
            render: (_: unknown, r) => {
              if (r.status === 'pending') return formatDateTime(r.nextAttemptAt);
              if (r.status === 'sent' && r.sentAt) return <Typography.Text type="secondary">{t('outbox.sentAt', { at: formatDateTime(r.sentAt) })}</Typography.Text>;
              return '—';
            },
          },
          {
            title: t('outbox.lastError'), dataIndex: 'lastError', width: 220,
            render: (v: string | null) => v
              ? <Tooltip title={v}><Typography.Text type="danger" ellipsis style={{ maxWidth: 200 }}>{v}</Typography.Text></Tooltip>
              : '—',
          },
          {
            title: t('common.actions'), key: 'actions', width: 110, fixed: 'right',
            render: (_: unknown, r) => r.status === 'failed' && (
              <Button size="small" icon={<RedoOutlined />} loading={retry.isPending && retry.variables === r.id}
                onClick={() => retry.mutate(r.id)}>
                {t('outbox.retry')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
