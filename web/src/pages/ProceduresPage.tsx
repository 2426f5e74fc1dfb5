import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type ListParams, type ProcedureListItem, procedureApi, procedureKeys } from '../api/procedures';
import { LEVELS } from '../api/types';
import { formatDate } from '../components/format';
import { levelLabel } from '../components/labels';
import { ImportExport } from '../components/procedures/ImportExport';
import { useT } from '../i18n';

/** Thủ tục hành chính: the catalogue for its managers — search, filters, import/export, add. */
export function ProceduresPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params, setParams] = useState<ListParams>({ page: 1, pageSize: 20 });
  const list = useQuery({ queryKey: procedureKeys.list(params), queryFn: () => procedureApi.list(params), placeholderData: keepPreviousData });
  const fields = useQuery({ queryKey: procedureKeys.fields, queryFn: procedureApi.fields });
  const set = (patch: Partial<ListParams>) => setParams((p) => ({ ...p, page: 1, ...patch }));

  return (
    <>
      <Typography.Title level={2}>{t('proc.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('proc.help')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Form layout="inline" name="procedure-filter" style={{ rowGap: 8 }}>
          <Form.Item>
            <Input.Search allowClear placeholder={t('proc.search')} aria-label={t('proc.search')} style={{ width: 340 }} onSearch={(q) => set({ q: q || undefined })} />
          </Form.Item>
          <Form.Item>
            <Select
              allowClear
              placeholder={t('proc.fieldAll')}
              aria-label={t('proc.field')}
              style={{ width: 200 }}
              value={params.field}
              onChange={(field?: string) => set({ field })}
              options={(fields.data?.items ?? []).map((f) => ({ value: f.field, label: `${f.field} (${f.count})` }))}
            />
          </Form.Item>
          <Form.Item>
            <Select allowClear placeholder={t('proc.levelAll')} aria-label={t('proc.level')} style={{ width: 160 }} value={params.level} onChange={(level?: ListParams['level']) => set({ level })} options={LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))} />
          </Form.Item>
          <Form.Item>
            <Checkbox checked={!!params.includeRetired} onChange={(e) => set({ includeRetired: e.target.checked })}>{t('proc.includeRetired')}</Checkbox>
          </Form.Item>
        </Form>
        <Space>
          <ImportExport />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/quan-tri/thu-tuc/moi')}>{t('proc.create')}</Button>
        </Space>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 16 }} />}
      <Table<ProcedureListItem>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 1000 }}
        pagination={{ current: params.page, pageSize: params.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, onChange: (page, pageSize) => setParams((p) => ({ ...p, page, pageSize })) }}
        onRow={(r) => ({ onDoubleClick: () => navigate(`/quan-tri/thu-tuc/${r.id}`) })}
        columns={[
          { title: t('proc.code'), dataIndex: 'code', width: 110, render: (code: string, r) => <Link to={`/quan-tri/thu-tuc/${r.id}`}>{code}</Link> },
          {
            title: t('proc.name'), dataIndex: 'name',
            render: (name: string, r) => (
              <>
                <Link to={`/quan-tri/thu-tuc/${r.id}`}>{name}</Link>
                <div>
                  {r.twoLevel && <Tag color="purple">{t('proc.twoLevel')}</Tag>}
                  {r.retiredFrom && <Tag color="red">{t('proc.retired')}</Tag>}
                </div>
              </>
            ),
          },
          { title: t('proc.field'), dataIndex: 'field', width: 150 },
          { title: t('proc.level'), dataIndex: 'level', width: 110, render: (l: ProcedureListItem['level']) => levelLabel(t, l) },
          { title: t('proc.onlineLevel'), dataIndex: 'onlineLevel', width: 120, render: (o: ProcedureListItem['onlineLevel']) => <Tag color={o === 'full' ? 'green' : o === 'partial' ? 'blue' : undefined}>{t(`proc.online.${o}`)}</Tag> },
          {
            title: t('proc.timeAndFee'), dataIndex: 'channels', width: 300,
            render: (cs: ProcedureListItem['channels']) => cs.map((c) => <div key={c.channel}>{t(`proc.channel.${c.channel as 'in_person'}`)}: {c.timeLimit}; {c.fee}</div>),
          },
          { title: t('proc.version'), dataIndex: 'version', width: 130, render: (v: number, r) => <span title={formatDate(r.effectiveFrom)}>{t('proc.versionN', { n: v })}</span> },
        ]}
      />
    </>
  );
}
