import { Alert, App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StoredFile } from '../../api/documents';
import { type ActionInput, type DossierAction, type DossierDetail, dossierApi, dossierKeys, newIdempotencyKey, REASON_ACTIONS } from '../../api/dossiers';
import { useT } from '../../i18n';
import { FileUpload } from '../documents/FileUpload';
import { credentialLabel } from '../signing/SignModal';
import { actionLabel, returnLabel } from './DossierTags';

type Values = {
  reason?: string; note?: string; toUserId?: string; items?: string; deadline?: Dayjs; newDueAt?: Dayjs; files?: StoredFile[]; method?: 'counter' | 'post' | 'online'; feeAmount?: number;
  seal?: boolean; credentialId?: string; pin?: string; otp?: string;
};

const DANGER: DossierAction[] = ['refuse', 'stop', 'withdraw'];
const ORDER: DossierAction[] = ['accept', 'forward', 'transfer', 'approve', 'complete', 'return', 'supplement', 'fee-paid', 'request-supplement', 'request-fee', 'apologize', 'refuse', 'stop', 'withdraw', 'submit'];

/** The hand-over target picker: the next step, its unit and the people with its role. */
function TargetField({ d, action }: { d: DossierDetail; action: 'forward' | 'transfer' | 'approve' }) {
  const t = useT();
  const { data } = useQuery({ queryKey: dossierKeys.targets(d.id, action), queryFn: () => dossierApi.targets(d.id, action) });
  if (!data?.step) return null;
  return (
    <>
      <Typography.Paragraph type="secondary">{t('ds.nextStep', { step: data.step.name })}</Typography.Paragraph>
      <Form.Item name="toUserId" label={t('ds.toUser')} extra={data.unit ? t('ds.toUnitHint', { unit: data.unit.name }) : undefined}>
        <Select allowClear showSearch optionFilterProp="label"
          options={data.people.map((p) => ({ value: p.id, label: `${p.fullName}${p.positionTitle ? ` — ${p.positionTitle}` : ''} (${p.unitName})` }))} />
      </Form.Item>
    </>
  );
}

function Fields({ d, action }: { d: DossierDetail; action: DossierAction }) {
  const t = useT();
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <>
      {(action === 'forward' || action === 'transfer' || action === 'approve') && <TargetField d={d} action={action} />}
      {action === 'approve' && <Typography.Paragraph>{t('ds.approveHint')}</Typography.Paragraph>}
      {action === 'request-supplement' && (
        <>
          <Form.Item name="items" label={t('ds.items')} rules={required}><Input.TextArea rows={4} /></Form.Item>
          <Form.Item name="deadline" label={t('ds.deadline')}><DatePicker showTime={{ format: 'HH:mm' }} format="DD/MM/YYYY HH:mm" /></Form.Item>
        </>
      )}
      {action === 'request-fee' && (
        <Form.Item name="feeAmount" label={t('ds.feeAmount')} extra={t('ds.feeAmountHint', { amount: d.fee.amount ? d.fee.amount.toLocaleString('vi-VN') : '0' })}
          rules={d.fee.amount ? undefined : [{ required: true, message: t('common.required') }]}>
          <InputNumber min={1} max={2_000_000_000} step={1000} style={{ width: 200 }} />
        </Form.Item>
      )}
      {action === 'apologize' && (
        <Form.Item name="newDueAt" label={t('ds.newDueAt')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="DD/MM/YYYY HH:mm" disabledDate={(day) => !!d.dueAt && day.isBefore(dayjs(d.dueAt), 'day')} />
        </Form.Item>
      )}
      {action === 'complete' && <SealFields d={d} />}
      {action === 'supplement' && (
        <Form.Item name="files" label={t('ds.supplementFiles')}>
          <FileUpload accept=".pdf,image/jpeg,image/png" multiple label={t('ds.reception.scan')} />
        </Form.Item>
      )}
      {action === 'return' && (
        <Form.Item name="method" label={t('ds.returnMethod')} initialValue={d.returnMethod ?? 'counter'}>
          <Select options={(['counter', 'post', 'online'] as const).map((m) => ({ value: m, label: returnLabel(t, m) }))} />
        </Form.Item>
      )}
      {REASON_ACTIONS.includes(action) && (
        <Form.Item name="reason" label={t('ds.reason')} rules={required} extra={t('ds.reasonPublic')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
      )}
      {action !== 'submit' && action !== 'withdraw' && <Form.Item name="note" label={t('ds.note')}><Input.TextArea rows={2} maxLength={4000} /></Form.Item>}
    </>
  );
}

/**
 * The result of "complete" and, optionally, the agency's electronic seal on it ("Đóng dấu điện tử kết quả"): the
 * deciding agency's usable seal credentials and the PIN (OTP for a remote one). Required when the result is returned
 * online and the deployment asks for the seal.
 */
function SealFields({ d }: { d: DossierDetail }) {
  const t = useT();
  const form = Form.useFormInstance<Values>();
  const { data, isLoading } = useQuery({ queryKey: dossierKeys.sealOptions(d.id), queryFn: () => dossierApi.sealOptions(d.id) });
  const on = Form.useWatch('seal', form) ?? false;
  const credentialId = Form.useWatch('credentialId', form);
  const chosen = data?.credentials.find((c) => c.id === credentialId);
  useEffect(() => {
    if (data?.required) form.setFieldValue('seal', true);
    if (data?.credentials[0] && !form.getFieldValue('credentialId')) form.setFieldValue('credentialId', data.credentials[0].id);
  }, [data, form]);
  return (
    <>
      <Form.Item name="files" label={t('ds.result')} rules={[{ required: true, message: t('common.required') }]} extra={on ? t('ds.seal.pdfOnly') : undefined}>
        <FileUpload accept={on ? '.pdf' : '.pdf,image/jpeg,image/png'} multiple label={t('ds.reception.scan')} />
      </Form.Item>
      {isLoading && <Spin size="small" />}
      {data && (
        <>
          {data.required && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('ds.seal.required')} />}
          <Form.Item name="seal" valuePropName="checked" extra={t('ds.seal.applyHint', { agency: data.agency.name })}>
            <Checkbox disabled={data.required}>{t('ds.seal.apply')}</Checkbox>
          </Form.Item>
          {on && !data.credentials.length && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('ds.seal.noCredential', { agency: data.agency.name })} />}
          {on && data.credentials.length > 0 && (
            <>
              <Form.Item name="credentialId" label={t('ds.seal.credential')} rules={[{ required: true, message: t('common.required') }]}>
                <Select options={data.credentials.map((c) => ({ value: c.id, label: credentialLabel(c) }))} />
              </Form.Item>
              <Form.Item name="pin" label={t('sig.sign.pin')} rules={[{ required: chosen?.kind !== 'remote', message: t('common.required') }]}>
                <Input.Password autoComplete="off" />
              </Form.Item>
              {chosen?.kind === 'remote' && <Form.Item name="otp" label={t('sig.sign.otp')}><Input autoComplete="one-time-code" /></Form.Item>}
            </>
          )}
        </>
      )}
    </>
  );
}

function bodyOf(v: Values): ActionInput {
  return {
    reason: v.reason?.trim() || undefined,
    note: v.note?.trim() || undefined,
    toUserId: v.toUserId || undefined,
    items: v.items ? v.items.split('\n').map((s) => s.trim()).filter(Boolean) : undefined,
    deadline: v.deadline?.toISOString(),
    newDueAt: v.newDueAt?.toISOString(),
    fileIds: v.files?.map((f) => f.id),
    method: v.method,
    seal: v.seal && v.credentialId ? { credentialId: v.credentialId, pin: v.pin || null, otp: v.otp || null } : undefined,
    feeAmount: v.feeAmount ?? undefined,
  };
}

/** The buttons of the actions the caller may take, each with its dialog (reason where the law wants one). */
export function DossierActions({ d }: { d: DossierDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState<DossierAction | null>(null);
  const key = useMemo(() => (open ? newIdempotencyKey() : ''), [open]);
  const mutation = useMutation({
    mutationFn: ({ action, body }: { action: DossierAction; body: ActionInput }) => dossierApi.act(d.id, action, body, key),
    onSuccess: (fresh, { action }) => {
      qc.setQueryData(dossierKeys.detail(d.id), fresh);
      void qc.invalidateQueries({ queryKey: dossierKeys.all });
      message.success(t('ds.action.done', { action: actionLabel(t, action) }));
      setOpen(null);
      form.resetFields();
    },
    onError: (e: Error) => message.error(e.message),
  });
  const actions = ORDER.filter((a) => d.allowedActions.includes(a));
  if (actions.length === 0) return <Typography.Text type="secondary">{t('ds.noActions')}</Typography.Text>;
  return (
    <>
      <Space wrap>
        {actions.map((a, i) => (
          <Button key={a} type={i === 0 && !DANGER.includes(a) ? 'primary' : 'default'} danger={DANGER.includes(a)} onClick={() => setOpen(a)}>
            {actionLabel(t, a)}
          </Button>
        ))}
      </Space>
      <Modal
        open={!!open}
        title={open ? actionLabel(t, open) : ''}
        okText={open ? actionLabel(t, open) : ''}
        okButtonProps={{ danger: !!open && DANGER.includes(open), loading: mutation.isPending }}
        onCancel={() => { setOpen(null); form.resetFields(); }}
        onOk={() => form.validateFields().then((v) => open && mutation.mutate({ action: open, body: bodyOf(v) }))}
        destroyOnHidden
      >
        {open && (
          <Form form={form} layout="vertical" preserve={false}>
            <Fields d={d} action={open} />
          </Form>
        )}
      </Modal>
    </>
  );
}
