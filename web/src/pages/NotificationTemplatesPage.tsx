import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type NotificationTemplate, notificationApi, notificationKeys, type TemplateBody } from '../api/notifications';
import { useT } from '../i18n';

type Values = { subject?: string; body: string };

/** Mẫu thông báo: administrators edit, preview and reset the texts citizens receive per dossier event and channel. */
export function NotificationTemplatesPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { data, isLoading, error } = useQuery({ queryKey: notificationKeys.templates, queryFn: notificationApi.list });
  const [editing, setEditing] = useState<NotificationTemplate | null>(null);
  const [preview, setPreview] = useState<{ subject: string | null; body: string; problems: { field: string; message: string }[] } | null>(null);
  const [form] = Form.useForm<Values>();
  const body = Form.useWatch('body', form) ?? '';

  const save = useMutation({
    mutationFn: (v: TemplateBody) => notificationApi.save({ event: editing!.event, channel: editing!.channel }, v),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: notificationKeys.templates });
      message.success(t('common.saved'));
      setEditing(null);
    },
    onError: (e) => message.error(e.message),
  });
  const reset = useMutation({
    mutationFn: (tpl: NotificationTemplate) => notificationApi.reset({ event: tpl.event, channel: tpl.channel }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: notificationKeys.templates }),
    onError: (e) => message.error(e.message),
  });
  const open = (tpl: NotificationTemplate) => {
    setEditing(tpl);
    setPreview(null);
    form.setFieldsValue({ subject: tpl.subject ?? undefined, body: tpl.body });
  };
  const showPreview = async () => {
    const v = form.getFieldsValue();
    setPreview(await notificationApi.preview({ event: editing!.event, channel: editing!.channel }, { subject: v.subject ?? null, body: v.body ?? '' }));
  };

  return (
    <>
      <Typography.Title level={2}>{t('notif.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('notif.help')}</Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error.message} /> : null}
      {data ? (
        <Card size="small" title={t('notif.variables')} style={{ marginBottom: 16 }}>
          <Space wrap>{data.variables.map((v) => <Tag key={v.name} title={v.label}>{`{${v.name}}`} — {v.label}</Tag>)}</Space>
        </Card>
      ) : null}
      <Table<NotificationTemplate>
        rowKey={(r) => `${r.event}:${r.channel}`}
        loading={isLoading}
        dataSource={data?.items ?? []}
        pagination={false}
        size="small"
        columns={[
          { title: t('notif.event'), dataIndex: 'label' },
          { title: t('notif.channel'), dataIndex: 'channel', render: (c: string) => (c === 'email' ? t('notif.email') : t('notif.sms')) },
          { title: t('notif.body'), render: (_, r) => <Typography.Text ellipsis style={{ maxWidth: 420 }}>{r.subject ? `${r.subject} — ` : ''}{r.body}</Typography.Text> },
          { title: '', render: (_, r) => (r.custom ? <Tag color="blue">{t('notif.custom')}</Tag> : <Tag>{t('notif.default')}</Tag>) },
          {
            title: '',
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => open(r)}>{t('notif.edit')}</Button>
                {r.custom ? <Button size="small" onClick={() => reset.mutate(r)}>{t('notif.reset')}</Button> : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing ? `${editing.label} — ${editing.channel === 'email' ? t('notif.email') : t('notif.sms')}` : ''}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        confirmLoading={save.isPending}
        width={720}
        destroyOnHidden
      >
        <Form<Values> form={form} layout="vertical" name="notification-template" onFinish={(v) => save.mutate({ subject: v.subject ?? null, body: v.body })}>
          {editing?.channel === 'email' ? (
            <Form.Item name="subject" label={t('notif.subject')} rules={[{ required: true, message: t('common.required') }]}>
              <Input maxLength={500} />
            </Form.Item>
          ) : null}
          <Form.Item name="body" label={t('notif.body')} rules={[{ required: true, message: t('common.required') }]}
            extra={editing?.channel === 'sms' && data ? t('notif.smsLength', { n: body.length, max: data.smsMaxLength }) : undefined}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 14 }} />
          </Form.Item>
          <Button onClick={() => void showPreview()}>{t('notif.preview')}</Button>
        </Form>
        {preview ? (
          <Card size="small" title={t('notif.previewTitle')} style={{ marginTop: 12 }}>
            {preview.problems.map((p) => <Alert key={p.field + p.message} type="warning" showIcon title={p.message} style={{ marginBottom: 8 }} />)}
            {preview.subject ? <Typography.Paragraph strong>{preview.subject}</Typography.Paragraph> : null}
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{preview.body}</Typography.Paragraph>
          </Card>
        ) : null}
      </Modal>
    </>
  );
}
