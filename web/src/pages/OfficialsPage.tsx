import { CheckCircleOutlined, EditOutlined, FileExcelOutlined, KeyOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Official } from '../api/types';
import { ImportModal } from '../components/ImportModal';
import { roleLabel } from '../components/labels';
import { OfficialForm } from '../components/OfficialForm';
import { ResetPasswordModal } from '../components/ResetPasswordModal';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { useT } from '../i18n';

/** Cán bộ: search, unit filter, paginated table, create / edit / deactivate / reset password, Excel import. */
export function OfficialsPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [unitId, setUnitId] = useState<string | undefined>();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<Official | 'new' | null>(null);
  const [resetting, setResetting] = useState<Official | null>(null);
  const [importing, setImporting] = useState(false);

  const query = { q: q || undefined, unitId, includeInactive: includeInactive ? ('true' as const) : undefined, page, pageSize };
  const { data, isFetching, error } = useQuery({
    queryKey: ['officials', query],
    queryFn: () => unwrap(api.GET('/api/officials', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const setActive = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(api.PATCH('/api/officials/{id}', { params: { path: { id } }, body: { active } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['officials'] });
      message.success(t('common.saved'));
    },
    onError: (e) => message.error(e.message),
  });

  return (
    <>
      <Typography.Title level={2}>{t('official.title')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search placeholder={t('official.searchPlaceholder')} aria-label={t('common.search')} allowClear
          style={{ width: 280 }} onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
        <UnitTreeSelect value={unitId} onChange={(v) => { setUnitId(v); setPage(1); }} allowClear
          placeholder={t('official.unitFilter')} aria-label={t('official.unitFilter')} style={{ width: 260 }} />
        <Checkbox checked={includeInactive} onChange={(e) => { setIncludeInactive(e.target.checked); setPage(1); }}>
          {t('common.includeInactive')}
        </Checkbox>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>{t('official.add')}</Button>
        <Button icon={<FileExcelOutlined />} onClick={() => setImporting(true)}>{t('import.button')}</Button>
      </Space>
      {error && <Typography.Paragraph type="danger">{error.message}</Typography.Paragraph>}
      <Table<Official>
        rowKey="id"
        loading={isFetching}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{
          current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, s) => { setPage(s !== pageSize ? 1 : p); setPageSize(s); },
        }}
        columns={[
          {
            title: t('official.fullName'), dataIndex: 'fullName',
            render: (_, o) => (<><div>{o.fullName}</div><Typography.Text type="secondary">{o.username}</Typography.Text></>),
          },
          { title: t('official.positionTitle'), dataIndex: 'positionTitle' },
          { title: t('official.unit'), dataIndex: 'unitName' },
          {
            title: t('official.roles'), dataIndex: 'roles',
            render: (_, o) => o.roles.map((r) => (
              <Tag key={`${r.unitId}:${r.role}`} title={r.unitName}>{roleLabel(t, r.role)}</Tag>
            )),
          },
          { title: t('official.twoFactor'), dataIndex: 'twoFactorEnabled', width: 110, render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
          {
            title: t('common.status'), dataIndex: 'active',
            render: (v: boolean) => (v ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
          },
          {
            title: t('common.actions'), key: 'actions', fixed: 'right', width: 130,
            render: (_, o) => (
              <Space size={0}>
                <Tooltip title={t('common.edit')}>
                  <Button type="text" icon={<EditOutlined />} aria-label={`${t('common.edit')} ${o.username}`} onClick={() => setEditing(o)} />
                </Tooltip>
                <Tooltip title={t('official.resetPassword')}>
                  <Button type="text" icon={<KeyOutlined />} aria-label={`${t('official.resetPassword')} ${o.username}`}
                    onClick={() => setResetting(o)} />
                </Tooltip>
                {o.active ? (
                  <Popconfirm title={t('common.confirm')} okText={t('common.yes')} cancelText={t('common.no')}
                    onConfirm={() => setActive.mutate({ id: o.id, active: false })}>
                    <Tooltip title={t('common.deactivate')}>
                      <Button type="text" danger icon={<StopOutlined />} aria-label={`${t('common.deactivate')} ${o.username}`} />
                    </Tooltip>
                  </Popconfirm>
                ) : (
                  <Tooltip title={t('common.reactivate')}>
                    <Button type="text" icon={<CheckCircleOutlined />} aria-label={`${t('common.reactivate')} ${o.username}`}
                      onClick={() => setActive.mutate({ id: o.id, active: true })} />
                  </Tooltip>
                )}
              </Space>
            ),
          },
        ]}
      />
      <OfficialForm open={editing !== null} official={editing && editing !== 'new' ? editing : undefined}
        onClose={() => setEditing(null)} />
      {resetting && <ResetPasswordModal official={resetting} onClose={() => setResetting(null)} />}
      <ImportModal open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
