import { Alert, App, Form, Input, Modal, Radio, Select, Spin } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { docKeys, exportUrls } from '../../api/documents';
import { type Credential, type Placement, signingApi, signingKeys } from '../../api/signing';
import { useT } from '../../i18n';
import { type Box, BOX_HEIGHT, BOX_WIDTH } from './box';
import { SignedPdfUpload, TokenSigning } from './ExternalSigning';

// pdf.js (~400 kB) loads only when a signer opens the dialog.
const PdfPlacementPicker = lazy(() => import('./PdfPlacementPicker').then((m) => ({ default: m.PdfPlacementPicker })));

type Values = { credentialId: string; pin?: string; otp?: string };

export const credentialLabel = (c: Credential) => `${c.label} — ${c.serialNumber}${c.kind === 'remote' ? ' (CSC)' : ''}`;

/**
 * The leader's "Ký số": the certificate (a local key unlocked with its PIN, or a remote CSC credential with
 * PIN/OTP for its authorisation), the place (the marked placeholder, or a click on the rendered page), then sign.
 */
export function SignModal({ documentId, open, onClose }: { documentId: string; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [mode, setMode] = useState<'pick' | 'placeholder'>('pick');
  const [box, setBox] = useState<Box | null>(null);
  const [missing, setMissing] = useState(false);
  const [method, setMethod] = useState<'server' | 'token' | 'upload'>('server');
  const options = useQuery({ queryKey: signingKeys.options(documentId), queryFn: () => signingApi.options(documentId), enabled: open });
  const credentials = (options.data?.credentials ?? []).filter((c) => c.usable && c.kind !== 'token');
  const credentialId = Form.useWatch('credentialId', form);
  const chosen = credentials.find((c) => c.id === credentialId);

  const tokenCredential = (options.data?.credentials ?? []).find((c) => c.usable && c.kind === 'token');
  const placement: Placement | null = mode === 'placeholder' && options.data
    ? { placeholder: options.data.defaultPlaceholder, width: BOX_WIDTH, height: BOX_HEIGHT }
    : box;
  const done = async () => {
    await Promise.all([qc.invalidateQueries({ queryKey: docKeys.all }), qc.invalidateQueries({ queryKey: ['signing'] })]);
    onClose();
  };

  const sign = useMutation({
    mutationFn: (v: Values) => signingApi.sign(documentId, { credentialId: v.credentialId, pin: v.pin || null, otp: v.otp || null, placement: placement! }),
    onSuccess: async () => {
      message.success(t('sig.sign.done'));
      await done();
    },
    onError: (e) => message.error(e.message),
  });

  const submit = (v: Values) => {
    if (mode === 'pick' && !box) {
      setMissing(true);
      return;
    }
    sign.mutate(v);
  };

  const o = options.data;
  return (
    <Modal open={open} title={t('doc.action.sign')} onCancel={onClose} destroyOnHidden width={900}
      okText={t('sig.sign.submit')} cancelText={t('common.cancel')} okButtonProps={{ loading: sign.isPending, disabled: !credentials.length, style: method === 'server' ? undefined : { display: 'none' } }}
      onOk={() => form.submit()}>
      {options.isLoading && <Spin />}
      {options.error && <Alert type="error" showIcon title={options.error.message} />}
      {o && (
        <Radio.Group value={method} onChange={(e) => setMethod(e.target.value as typeof method)} style={{ marginBottom: 12 }} aria-label={t('sig.method')} options={[
          { value: 'server', label: t('sig.method.server') },
          { value: 'token', label: t('sig.method.token') },
          { value: 'upload', label: t('sig.method.upload') },
        ]} />
      )}
      {o && method === 'upload' && <SignedPdfUpload documentId={documentId} onDone={() => void done()} />}
      {o && method !== 'upload' && (
        <Form<Values> form={form} name="doc-sign" layout="vertical" onFinish={submit}
          initialValues={{ credentialId: credentials[0]?.id }}>
          {method === 'server' && !credentials.length && <Alert type="warning" showIcon title={t('sig.sign.noCredential')} style={{ marginBottom: 12 }} />}
          {!o.hasSignatureImage && <Alert type="info" showIcon title={t('sig.sign.noImage')} style={{ marginBottom: 12 }} />}
          {method === 'server' && (<>
          <Form.Item name="credentialId" label={t('sig.sign.credential')} rules={[{ required: true }]}>
            <Select options={credentials.map((c) => ({ value: c.id, label: credentialLabel(c) }))} />
          </Form.Item>
          <Form.Item name="pin" label={t('sig.sign.pin')} rules={[{ required: chosen?.kind !== 'remote' }]}>
            <Input.Password autoComplete="off" />
          </Form.Item>
          </>)}
          {method === 'server' && chosen?.kind === 'remote' && (
            <Form.Item name="otp" label={t('sig.sign.otp')}><Input autoComplete="one-time-code" /></Form.Item>
          )}
          <Form.Item label={t('sig.sign.placement')} required
            validateStatus={missing && mode === 'pick' && !box ? 'error' : undefined}
            help={missing && mode === 'pick' && !box ? t('sig.sign.pickRequired') : undefined}>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'pick' | 'placeholder')} options={[
              { value: 'pick', label: t('sig.sign.pick') },
              { value: 'placeholder', label: t('sig.sign.usePlaceholder', { text: o.defaultPlaceholder }) },
            ]} />
          </Form.Item>
          {mode === 'pick' && o.sourceFileId && (
            <Suspense fallback={<Spin />}>
              <PdfPlacementPicker url={exportUrls.file(o.sourceFileId)} value={box} onChange={(b) => { setBox(b); setMissing(false); }} />
            </Suspense>
          )}
          {method === 'token' && <TokenSigning documentId={documentId} placement={placement} credentialId={tokenCredential?.id} onDone={() => void done()} />}
        </Form>
      )}
    </Modal>
  );
}
