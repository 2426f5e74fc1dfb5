import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Input, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { AuditEntry } from '../api/types';
import { dayEnd, dayStart, formatDateTime } from '../components/format';
import { OfficialSelect } from '../components/OfficialSelect';
import { useT } from '../i18n';

type Filters = { action?: string; objectType?: string; actorId?: string; range?: [Dayjs | null, Dayjs | null] | null };
type Query = { action?: string; objectType?: string; actorId?: string; from?: string; to?: string };

function toQuery(f: Filters): Query {
  const [from, to] = f.range ?? [];
  return {
    action: f.action?.trim() || undefined,
    objectType: f.objectType?.trim() || undefined,
    actorId: f.actorId || undefined,
    from: from ? dayStart(from.format('YYYY-MM-DD')) : undefined,
    to: to ? dayEnd(to.format('YYYY-MM-DD')) : undefined,
  };
}

/** Nhật ký hệ thống: filterable, paginated, with the hash-chain integrity check. */
export function AuditPage() {
  const t = useT();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Query>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const query = { ...filters, page, pageSize };
  const { data, isFetching, error } = useQuery({
    queryKey: ['audit', query],
    queryFn: () => unwrap(api.GET('/api/audit', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({ mutationFn: () => unwrap(api.GET('/api/audit/verify')) });

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2}>{t('audit.title')}</Typography.Title>
        <Button icon={<SafetyCertificateOutlined />} onClick={() => verify.mutate()} loading={verify.isPending}>
          {t('audit.verify')}
        </Button>
      </Space>
      {verify.data && (
        <Alert style={{ marginBottom: 16 }} showIcon closable type={verify.data.ok ? 'success' : 'error'}
          title={verify.data.ok
            ? t('audit.verifyOk', { n: verify.data.checked })
            : t('audit.verifyBroken', { seq: verify.data.firstBrokenSeq ?? '?' })}
          description={verify.data.ok ? undefined : verify.data.reason} />
      )}
      {verify.error && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={verify.error.message} />}
      <Form<Filters> form={form} name="audit-filter" layout="inline" style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v) => { setFilters(toQuery(v)); setPage(1); }}>
        <Form.Item name="action" label={t('audit.action')}><Input allowClear placeholder="unit.create" /></Form.Item>
        <Form.Item name="objectType" label={t('audit.objectType')}><Input allowClear placeholder="unit" /></Form.Item>
        <Form.Item name="actorId" label={t('audit.actor')}><OfficialSelect ariaLabel={t('audit.actor')} /></Form.Item>
        <Form.Item name="range" label={t('audit.dateRange')}><DatePicker.RangePicker format="DD/MM/YYYY" /></Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">{t('audit.filter')}</Button>
          <Button onClick={() => { form.resetFields(); setFilters({}); setPage(1); }}>{t('audit.reset')}</Button>
        </Space>
      </Form>
      {error && <Alert type="error" title={error.message} />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items ?? []}
        scroll={{ x: 800 }}
        pagination={{
          current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, s) => { setPage(s !== pageSize ? 1 : p); setPageSize(s); },
        }}
        expandable={{
          expandedRowRender: (e) => (
            <div>
              <Typography.Text type="secondary">
                {t('audit.requestId')}: {e.requestId ?? '—'} · {t('audit.objectId')}: {e.objectId ?? '—'}
              </Typography.Text>
              <pre style={{ margin: '8px 0 0', whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>
                {JSON.stringify(e.summary, null, 2)}
              </pre>
            </div>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'seq', width: 70 },
          { title: t('audit.at'), dataIndex: 'at', width: 150, render: (v: string) => formatDateTime(v) },
          { title: t('audit.actor'), dataIndex: 'actorName', render: (v: string | null) => v ?? t('audit.system') },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.objectType'), dataIndex: 'objectType' },
          { title: t('audit.ip'), dataIndex: 'ip', width: 130 },
        ]}
      />
    </>
  );
}
