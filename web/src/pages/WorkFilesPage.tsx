import { CopyOutlined, FilePdfOutlined, FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Dropdown, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type WorkFile, type WorkFileStatus, docKeys, exportUrls, workFilesApi } from '../api/documents';
import { todayIso } from '../components/format';
import { UnitTreeSelect } from '../components/UnitTreeSelect';
import { WorkFileDrawer } from '../components/workfiles/WorkFileDrawer';
import { WorkFileStatusTag } from '../components/workfiles/WorkFileStatusTag';
import { useT } from '../i18n';

type CreateValues = { notation: string; title: string; permanent: 'yes' | 'no'; retentionYears?: number; note?: string };
type Transition = 'open' | 'close' | 'transfer' | 'reopen' | 'delete';
const STATUSES: WorkFileStatus[] = ['planned', 'open', 'closed', 'transferred'];
const NEXT: Record<WorkFileStatus, Transition[]> = { planned: ['open', 'delete'], open: ['close'], closed: ['reopen', 'transfer'], transferred: [] };

/** Hồ sơ công việc: the unit's yearly file list; create, open, close, transfer; documents; PDF/XML export. */
export function WorkFilesPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const thisYear = Number(todayIso().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [unitId, setUnitId] = useState<string>();
  const [status, setStatus] = useState<WorkFileStatus>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [viewing, setViewing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [reopening, setReopening] = useState<WorkFile | null>(null);
  const [reason, setReason] = useState('');
  const [form] = Form.useForm<CreateValues>();
  const permanent = Form.useWatch('permanent', form);
  const query = { year, unitId, status, q: q || undefined, page, pageSize: 50 };
  const list = useQuery({ queryKey: [...docKeys.workFiles, query], queryFn: () => workFilesApi.list(query), placeholderData: keepPreviousData });
  const refresh = () => qc.invalidateQueries({ queryKey: docKeys.workFiles });
  const onError = (e: Error) => message.error(e.message);

  const create = useMutation({
    mutationFn: (v: CreateValues) => workFilesApi.create({
      unitId: unitId ?? null, year, notation: v.notation.trim(), title: v.title.trim(),
      retentionYears: v.permanent === 'yes' ? null : (v.retentionYears ?? null), note: v.note?.trim() || null,
    }),
    onSuccess: async () => {
      await refresh();
      message.success(t('workfile.created'));
      setCreating(false);
      form.resetFields();
    },
    onError,
  });
  const transition = useMutation({
    mutationFn: async ({ f, action }: { f: WorkFile; action: Transition }) => {
      if (action === 'reopen') return workFilesApi.reopen(f.id, reason.trim());
      if (action === 'delete') return workFilesApi.remove(f.id);
      return workFilesApi[action](f.id);
    },
    onSuccess: async () => {
      await refresh();
      setReopening(null);
      setReason('');
      message.success(t('common.saved'));
    },
    onError,
  });
  const copy = useMutation({
    mutationFn: () => workFilesApi.copyYear({ unitId: unitId ?? null, fromYear: year - 1, toYear: year }),
    onSuccess: async (r) => {
      await refresh();
      message.success(t('workfile.copied', { n: r.created, skipped: r.skipped.length }));
    },
    onError,
  });

  return (
    <>
      <Typography.Title level={2}>{t('nav.files')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('workfile.year')} value={year} style={{ width: 110 }} onChange={(v) => { setYear(v); setPage(1); }}
          options={Array.from({ length: 6 }, (_, i) => thisYear + 1 - i).map((y) => ({ value: y, label: String(y) }))} />
        <UnitTreeSelect value={unitId} onChange={(v) => { setUnitId(v); setPage(1); }} allowClear placeholder={t('workfile.unitDefault')}
          aria-label={t('official.unitFilter')} style={{ width: 260 }} />
        <Select aria-label={t('common.status')} placeholder={t('common.status')} allowClear value={status} style={{ width: 150 }}
          onChange={(v) => { setStatus(v); setPage(1); }} options={STATUSES.map((s) => ({ value: s, label: t(`workfile.status.${s}`) }))} />
        <Input.Search aria-label={t('common.search')} placeholder={t('workfile.searchPlaceholder')} allowClear style={{ width: 240 }}
          onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('workfile.create')}</Button>
        <Popconfirm title={t('workfile.copyConfirm', { from: year - 1, to: year })} okText={t('common.yes')} cancelText={t('common.no')}
          onConfirm={() => copy.mutate()}>
          <Button icon={<CopyOutlined />} loading={copy.isPending}>{t('workfile.copy', { from: year - 1 })}</Button>
        </Popconfirm>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <Table<WorkFile>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 860 }}
        pagination={{ current: page, pageSize: 50, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('workfile.notation'), dataIndex: 'notation', width: 110 },
          {
            title: t('workfile.titleField'), key: 'title',
            render: (_, f) => <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
              onClick={() => setViewing(f.id)}>{f.title}</Button>,
          },
          { title: t('workfile.retention'), dataIndex: 'retentionLabel', width: 120 },
          { title: t('workfile.owner'), key: 'owner', width: 160, render: (_, f) => f.ownerName ?? f.createdByName ?? '—' },
          { title: t('workfile.documents'), dataIndex: 'documentCount', width: 90, align: 'end' },
          { title: t('common.status'), dataIndex: 'status', width: 120, render: (s: WorkFileStatus) => <WorkFileStatusTag status={s} /> },
          {
            title: t('common.actions'), key: 'actions', width: 230, fixed: 'right',
            render: (_, f) => (
              <Space size={4} wrap>
                {NEXT[f.status].filter((a) => a !== 'delete' && a !== 'reopen').map((a) => (
                  <Popconfirm key={a} title={t('common.confirm')} okText={t('common.yes')} cancelText={t('common.no')}
                    onConfirm={() => transition.mutate({ f, action: a })}>
                    <Button size="small" aria-label={`${t(`workfile.action.${a}`)} ${f.notation}`}>{t(`workfile.action.${a}`)}</Button>
                  </Popconfirm>
                ))}
                {NEXT[f.status].includes('reopen') && (
                  <Button size="small" onClick={() => setReopening(f)}>{t('workfile.action.reopen')}</Button>
                )}
                <Dropdown menu={{ items: [
                  { key: 'pdf', icon: <FilePdfOutlined />, label: <a href={exportUrls.workFile(f.id, 'pdf')} target="_blank" rel="noreferrer">{t('workfile.exportPdf')}</a> },
                  { key: 'xml', icon: <FileTextOutlined />, label: <a href={exportUrls.workFile(f.id, 'xml')}>{t('workfile.exportXml')}</a> },
                  ...(NEXT[f.status].includes('delete') ? [{ key: 'delete', danger: true, label: t('common.delete'), onClick: () => transition.mutate({ f, action: 'delete' }) }] : []),
                ] }}>
                  <Button size="small" aria-label={`${t('workfile.more')} ${f.notation}`}>…</Button>
                </Dropdown>
              </Space>
            ),
          },
        ]}
      />
      {viewing && <WorkFileDrawer id={viewing} onClose={() => setViewing(null)} />}
      <Modal open={creating} title={t('workfile.create')} onCancel={() => setCreating(false)} okText={t('common.save')} cancelText={t('common.cancel')}
        okButtonProps={{ loading: create.isPending }} onOk={() => form.submit()} destroyOnHidden>
        <Form<CreateValues> form={form} name="work-file" layout="vertical" initialValues={{ permanent: 'no', retentionYears: 10 }}
          onFinish={(v) => create.mutate(v)}>
          <Typography.Paragraph type="secondary">{t('workfile.createHelp', { year })}</Typography.Paragraph>
          <Form.Item name="notation" label={t('workfile.notation')} extra={t('workfile.notationHelp')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 30 }]}>
            <Input placeholder="01.TCCB" />
          </Form.Item>
          <Form.Item name="title" label={t('workfile.titleField')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item name="permanent" label={t('workfile.retention')}>
            <Radio.Group options={[{ value: 'yes', label: t('workfile.permanent') }, { value: 'no', label: t('workfile.limited') }]} />
          </Form.Item>
          {permanent !== 'yes' && (
            <Form.Item name="retentionYears" label={t('workfile.retentionYears')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={1} max={70} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('doc.note')} rules={[{ max: 2000 }]}><Input.TextArea autoSize={{ minRows: 1 }} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!reopening} title={t('workfile.action.reopen')} onCancel={() => setReopening(null)} okText={t('common.confirmAction')}
        cancelText={t('common.cancel')} okButtonProps={{ disabled: !reason.trim(), loading: transition.isPending }}
        onOk={() => reopening && transition.mutate({ f: reopening, action: 'reopen' })} destroyOnHidden>
        <Form layout="vertical" name="work-file-reopen">
          <Form.Item label={t('doc.reason')} htmlFor="work-file-reopen-reason" required>
            <Input.TextArea id="work-file-reopen-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
