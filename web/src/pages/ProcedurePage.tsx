import { ArrowLeftOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type ProcedureDetail, type ProcedureVersion, procedureApi, procedureKeys } from '../api/procedures';
import { api, ApiError, type Problem, unwrap } from '../api/client';
import { formatDate, formatDateTime } from '../components/format';
import { ProcessEditor } from '../components/procedures/ProcessEditor';
import { formValuesOf, inputOf, RecordForm, type RecordFormValues, showProblem } from '../components/procedures/RecordForm';
import { VersionView } from '../components/procedures/VersionView';
import { useT } from '../i18n';

/** A new procedure (path …/moi): the record form, saved as version 1. */
function CreateProcedure() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RecordFormValues>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const create = useMutation({
    mutationFn: async () => {
      await form.validateFields();
      // The whole store: fields without an input of their own (a document's note) are kept too.
      const values = form.getFieldsValue(true) as RecordFormValues;
      return procedureApi.create({ ...inputOf(values), code: values.code });
    },
    onSuccess: (d) => {
      message.success(t('proc.created', { code: d.code }));
      void qc.invalidateQueries({ queryKey: procedureKeys.all });
      navigate(`/quan-tri/thu-tuc/${d.id}`, { replace: true });
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return; // field errors are on the form already
      setProblem(e.problem);
      showProblem(form, e.problem);
    },
  });
  return (
    <>
      <Link to="/quan-tri/thu-tuc"><ArrowLeftOutlined /> {t('proc.back')}</Link>
      <Typography.Title level={2}>{t('proc.create')}</Typography.Title>
      <Card>
        <RecordForm form={form} initial={formValuesOf(null)} creating problem={problem} />
        <Button type="primary" loading={create.isPending} onClick={() => create.mutate()}>{t('proc.save')}</Button>
      </Card>
    </>
  );
}

/** Editing the record: a new version from the base (the newest version). */
function EditRecord({ d, base, onClose }: { d: ProcedureDetail; base: ProcedureVersion; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RecordFormValues>();
  const [problem, setProblem] = useState<Problem | null>(null);
  const save = useMutation({
    mutationFn: async () => {
      await form.validateFields();
      return procedureApi.edit(d.id, { ...inputOf(form.getFieldsValue(true) as RecordFormValues), baseVersionId: base.id });
    },
    onSuccess: (next) => {
      message.success(t('proc.saved', { n: next.versions[0].version }));
      qc.setQueryData(procedureKeys.detail(d.id), next);
      void qc.invalidateQueries({ queryKey: procedureKeys.all });
      onClose();
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return;
      setProblem(e.problem);
      showProblem(form, e.problem);
    },
  });
  return (
    <>
      <RecordForm form={form} initial={formValuesOf(base)} creating={false} problem={problem} />
      <Space>
        <Button type="primary" loading={save.isPending} onClick={() => save.mutate()}>{t('proc.save')}</Button>
        <Button onClick={onClose}>{t('proc.cancel')}</Button>
      </Space>
    </>
  );
}

function RetireButton({ d }: { d: ProcedureDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const retire = useMutation({
    mutationFn: () => procedureApi.retire(d.id, { reason }),
    onSuccess: (next) => {
      message.success(t('proc.retireDone'));
      qc.setQueryData(procedureKeys.detail(d.id), next);
      void qc.invalidateQueries({ queryKey: procedureKeys.all });
      setOpen(false);
    },
    onError: (e) => message.error((e as Error).message),
  });
  return (
    <>
      <Button danger icon={<StopOutlined />} onClick={() => setOpen(true)}>{t('proc.retire')}</Button>
      <Modal open={open} title={t('proc.retireTitle')} onCancel={() => setOpen(false)} onOk={() => retire.mutate()} okButtonProps={{ danger: true, disabled: !reason.trim(), loading: retire.isPending }} okText={t('proc.retire')}>
        <Input.TextArea aria-label={t('proc.retireReason')} placeholder={t('proc.retireReason')} value={reason} onChange={(e) => setReason(e.target.value)} autoSize={{ minRows: 2 }} />
      </Modal>
    </>
  );
}

/** Thủ tục: the version in force, the record editor, the internal process editor and the versions. */
export function ProcedurePage() {
  const t = useT();
  const { id = '' } = useParams();
  const [editing, setEditing] = useState(false);
  const detail = useQuery({ queryKey: procedureKeys.detail(id), queryFn: () => procedureApi.get(id), enabled: id !== 'moi' });
  const d = detail.data;
  const latestId = d?.versions[0]?.id;
  // Edits start from the newest version, which may not be in force yet.
  const latest = useQuery({
    queryKey: ['procedures', 'version', latestId],
    queryFn: () => unwrap(api.GET('/api/procedures/versions/{id}', { params: { path: { id: latestId! } } })),
    enabled: !!d && !!latestId && latestId !== d.current.id,
  });
  if (id === 'moi') return <CreateProcedure />;
  if (detail.isLoading) return <Spin />;
  if (detail.error || !d) return <Alert type="error" showIcon title={detail.error?.message ?? ''} />;
  const base = latestId === d.current.id ? d.current : latest.data;
  const tabs = [
    {
      key: 'info',
      label: t('proc.tab.info'),
      children: editing && base ? <EditRecord key={base.id} d={d} base={base} onClose={() => setEditing(false)} /> : <VersionView v={d.current} />,
    },
    {
      key: 'process',
      label: t('proc.tab.process'),
      children: base ? <ProcessEditor key={base.id} procedureId={d.id} base={base} canManage={d.canManage && !d.retiredFrom} timeLimits={[...base.labels.channels.map((c) => c.timeLimit), ...Object.values(base.labels.cases).filter((x): x is string => !!x)]} /> : <Spin />,
    },
    {
      key: 'versions',
      label: t('proc.tab.versions'),
      children: (
        <>
          <Typography.Paragraph type="secondary">{t('proc.versionsHelp')}</Typography.Paragraph>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.versions}
            columns={[
              { title: t('proc.version'), dataIndex: 'version', width: 120, render: (n: number, v) => <>{t('proc.versionN', { n })} {v.id === d.current.id && <Tag color="green">✓</Tag>}</> },
              { title: t('proc.effectiveFrom'), dataIndex: 'effectiveFrom', width: 140, render: (x: string) => formatDate(x) },
              { title: t('proc.changeNote'), dataIndex: 'changeNote' },
              { title: t('proc.createdBy'), dataIndex: 'createdByName', width: 180 },
              { title: t('proc.createdAt'), dataIndex: 'createdAt', width: 160, render: (x: string) => formatDateTime(x) },
            ]}
          />
        </>
      ),
    },
  ];
  return (
    <>
      <Link to="/quan-tri/thu-tuc"><ArrowLeftOutlined /> {t('proc.back')}</Link>
      <Typography.Title level={2} style={{ marginTop: 8 }}>{d.code} — {d.current.name}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Tag color="blue">{t('proc.inForce', { n: d.current.version, date: formatDate(d.current.effectiveFrom) })}</Tag>
        {d.current.record.twoLevel && <Tag color="purple">{t('proc.twoLevel')}</Tag>}
        <span>{t('proc.owner')}: {d.ownerUnitName}</span>
      </Space>
      {d.retiredFrom && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('proc.retiredFrom', { date: formatDate(d.retiredFrom), reason: d.retireReason ?? '' })} />}
      {!d.canManage && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('proc.readOnly')} />}
      {d.canManage && !d.retiredFrom && !editing && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} disabled={!base}>{t('proc.edit')}</Button>
          <RetireButton d={d} />
        </Space>
      )}
      <Card>
        <Tabs items={tabs} />
      </Card>
    </>
  );
}
