import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type CredentialAction, type SigningCredential, signingApi, signingKeys, type TrustedRoot } from '../api/signing';
import { isAdmin, useMe, useUnits } from '../api/queries';
import { officialLabel, useScopeOfficials } from '../api/documentQueries';
import { formatDate } from '../components/format';
import { useT } from '../i18n';

type Mode = 'issue' | 'pkcs12';
type Values = { owner: 'official' | 'unit'; userId?: string; unitId?: string; pin: string; label?: string };

/** Chứng thư số: administrators manage officials' and units' certificates and the trusted roots used by the validator. */
export function CertificatesPage() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { data: me } = useMe();
  const creds = useQuery({ queryKey: signingKeys.credentials, queryFn: signingApi.credentials });
  const roots = useQuery({ queryKey: signingKeys.trustedRoots, queryFn: signingApi.trustedRoots });
  const config = useQuery({ queryKey: signingKeys.config, queryFn: signingApi.config });
  const units = useUnits();
  const officials = useScopeOfficials();
  const [mode, setMode] = useState<Mode | null>(null);
  const [p12, setP12] = useState<File | null>(null);
  const [rootFile, setRootFile] = useState<File | null>(null);
  const [rootName, setRootName] = useState('');
  const [form] = Form.useForm<Values>();
  const owner = Form.useWatch('owner', form) ?? 'official';
  const refresh = () => void qc.invalidateQueries({ queryKey: signingKeys.credentials });
  const fail = (e: Error) => message.error(e.message);

  const create = useMutation({
    mutationFn: (v: Values) => {
      const who = v.owner === 'unit' ? { unitId: v.unitId } : { userId: v.userId };
      if (mode === 'pkcs12') {
        if (!p12) throw new Error(t('cert.chooseFile'));
        return signingApi.uploadPkcs12(p12, { owner: v.owner, ...who, pin: v.pin, label: v.label });
      }
      return signingApi.issue({ owner: v.owner, ...who, pin: v.pin, label: v.label || null });
    },
    onSuccess: () => {
      refresh();
      message.success(t('common.saved'));
      setMode(null);
      setP12(null);
      form.resetFields();
    },
    onError: fail,
  });
  const status = useMutation({
    mutationFn: ({ id, action }: { id: string; action: CredentialAction }) => signingApi.credentialStatus(id, action),
    onSuccess: refresh,
    onError: fail,
  });
  const addRoot = useMutation({
    mutationFn: () => signingApi.addTrustedRoot(rootFile!, rootName || undefined),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: signingKeys.trustedRoots });
      message.success(t('cert.rootAdded', { added: r.added.length, skipped: r.skipped }));
      setRootFile(null);
      setRootName('');
    },
    onError: fail,
  });
  const removeRoot = useMutation({
    mutationFn: (id: string) => signingApi.removeTrustedRoot(id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: signingKeys.trustedRoots }),
    onError: fail,
  });

  const statusTag = (c: SigningCredential) =>
    c.status === 'active' ? <Tag color={c.usable ? 'green' : 'orange'}>{t(c.usable ? 'cert.status.active' : 'cert.status.notUsable')}</Tag>
      : c.status === 'disabled' ? <Tag>{t('cert.status.disabled')}</Tag> : <Tag color="red">{t('cert.status.revoked')}</Tag>;

  return (
    <>
      <Typography.Title level={2}>{t('cert.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('cert.help')}</Typography.Paragraph>
      {creds.error ? <Alert type="error" showIcon title={creds.error.message} /> : null}
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" disabled={config.data ? !config.data.demoCa || !config.data.localKeys : false} onClick={() => setMode('issue')}>{t('cert.issueDemo')}</Button>
        <Button disabled={config.data ? !config.data.localKeys : false} onClick={() => setMode('pkcs12')}>{t('cert.uploadP12')}</Button>
      </Space>
      <Table<SigningCredential>
        rowKey="id"
        size="small"
        loading={creds.isLoading}
        dataSource={creds.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('cert.owner'), render: (_, c) => (c.owner === 'unit' ? <><Tag color="red">{t('cert.owner.unit')}</Tag>{c.unitName}</> : <>{c.userName}<br /><Typography.Text type="secondary">{c.unitName}</Typography.Text></>) },
          { title: t('cert.label'), dataIndex: 'label' },
          { title: t('sig.subject'), dataIndex: 'subject', render: (s: string) => <Typography.Text ellipsis style={{ maxWidth: 280 }} title={s}>{s}</Typography.Text> },
          { title: t('sig.serial'), dataIndex: 'serialNumber', render: (s: string) => <Typography.Text code>{s.slice(0, 16)}</Typography.Text> },
          { title: t('sig.validity'), render: (_, c) => `${formatDate(c.notBefore)} – ${formatDate(c.notAfter)}` },
          { title: t('cert.kind'), dataIndex: 'kind', render: (k: SigningCredential['kind']) => t(`cert.kind.${k}`) },
          { title: t('cert.status'), render: (_, c) => statusTag(c) },
          {
            title: '',
            render: (_, c) => (
              <Space size="small" wrap>
                <Button size="small" href={`/api/signing/credentials/${c.id}/certificate`}>{t('cert.download')}</Button>
                {c.status === 'active' ? <Button size="small" onClick={() => status.mutate({ id: c.id, action: 'disable' })}>{t('cert.disable')}</Button> : null}
                {c.status === 'disabled' ? <Button size="small" onClick={() => status.mutate({ id: c.id, action: 'enable' })}>{t('cert.enable')}</Button> : null}
                {c.lockedUntil ? <Button size="small" onClick={() => status.mutate({ id: c.id, action: 'unlock' })}>{t('cert.unlock')}</Button> : null}
                {c.status !== 'revoked' ? (
                  <Popconfirm title={t('cert.revokeConfirm')} onConfirm={() => status.mutate({ id: c.id, action: 'revoke' })}>
                    <Button size="small" danger>{t('cert.revoke')}</Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ),
          },
        ]}
      />

      <Card title={t('cert.roots')} size="small" style={{ marginTop: 24 }}>
        <Typography.Paragraph type="secondary">{t('cert.rootsHelp')}</Typography.Paragraph>
        {isAdmin(me) ? (
          <Space wrap style={{ marginBottom: 12 }}>
            <Upload accept=".pem,.crt,.cer,.der" maxCount={1} beforeUpload={(f) => { setRootFile(f); return false; }} onRemove={() => setRootFile(null)} fileList={rootFile ? [{ uid: '1', name: rootFile.name }] : []}>
              <Button>{t('cert.chooseRoot')}</Button>
            </Upload>
            <Input placeholder={t('cert.rootName')} value={rootName} onChange={(e) => setRootName(e.target.value)} style={{ width: 260 }} aria-label={t('cert.rootName')} />
            <Button type="primary" disabled={!rootFile} loading={addRoot.isPending} onClick={() => addRoot.mutate()}>{t('cert.addRoot')}</Button>
          </Space>
        ) : null}
        <Table<TrustedRoot>
          rowKey="id"
          size="small"
          loading={roots.isLoading}
          dataSource={roots.data ?? []}
          pagination={false}
          columns={[
            { title: t('cert.rootName'), render: (_, r) => <>{r.name} {r.demo ? <Tag>{t('cert.demo')}</Tag> : null}</> },
            { title: t('sig.subject'), dataIndex: 'subject', render: (s: string) => <Typography.Text ellipsis style={{ maxWidth: 320 }} title={s}>{s}</Typography.Text> },
            { title: t('sig.validity'), render: (_, r) => `${formatDate(r.notBefore)} – ${formatDate(r.notAfter)}` },
            { title: 'SHA-256', dataIndex: 'fingerprint', render: (s: string) => <Typography.Text code>{s.slice(0, 16)}…</Typography.Text> },
            {
              title: '',
              render: (_, r) => (
                <Space size="small">
                  <Button size="small" href={`/api/signing/trusted-roots/${r.id}/certificate`}>{t('cert.download')}</Button>
                  {isAdmin(me) ? (
                    <Popconfirm title={t('cert.removeRootConfirm')} onConfirm={() => removeRoot.mutate(r.id)}>
                      <Button size="small" danger>{t('cert.removeRoot')}</Button>
                    </Popconfirm>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Modal
        open={!!mode}
        title={mode === 'pkcs12' ? t('cert.uploadP12') : t('cert.issueDemo')}
        onCancel={() => setMode(null)}
        onOk={() => form.submit()}
        okText={mode === 'pkcs12' ? t('cert.upload') : t('cert.issue')}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ owner: 'official' }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="owner" label={t('cert.owner')}>
            <Radio.Group options={[{ value: 'official', label: t('cert.owner.official') }, { value: 'unit', label: t('cert.owner.unit') }]} />
          </Form.Item>
          {owner === 'unit' ? (
            <Form.Item name="unitId" label={t('cert.unit')} rules={[{ required: true, message: t('cert.unit') }]}>
              <Select showSearch optionFilterProp="label" options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />
            </Form.Item>
          ) : (
            <Form.Item name="userId" label={t('cert.official')} rules={[{ required: true, message: t('cert.official') }]}>
              <Select showSearch optionFilterProp="label" options={(officials.data ?? []).map((o) => ({ value: o.id, label: officialLabel(o) }))} />
            </Form.Item>
          )}
          {mode === 'pkcs12' ? (
            <Form.Item label={t('cert.p12File')} required>
              <Upload accept=".p12,.pfx" maxCount={1} beforeUpload={(f) => { setP12(f); return false; }} onRemove={() => setP12(null)} fileList={p12 ? [{ uid: '1', name: p12.name }] : []}>
                <Button>{t('cert.chooseFile')}</Button>
              </Upload>
            </Form.Item>
          ) : null}
          <Form.Item name="pin" label={t('cert.pin')} extra={mode === 'pkcs12' ? t('cert.pinP12Help') : t('cert.pinHelp')} rules={[{ required: true, min: 4, message: t('cert.pinRule') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="label" label={t('cert.label')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
