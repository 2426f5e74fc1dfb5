import { Alert, App, Descriptions, Form, Image, Input, Modal, Radio, Select, Spin } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DocumentDetail, docKeys, exportUrls } from '../../api/documents';
import { signingApi, signingKeys } from '../../api/signing';
import { useT } from '../../i18n';
import { formatDate } from '../format';
import { TokenSigning } from './ExternalSigning';
import { credentialLabel } from './SignModal';

type Values = { credentialId: string; pin?: string; otp?: string };
type Issued = Awaited<ReturnType<typeof signingApi.sealIssue>>;

/**
 * The clerk's "Đóng dấu và phát hành": the register book's next number and today's date that will be given,
 * the unit's seal, the agency credential and its PIN; then the server numbers, writes and seals in one step.
 * With the agency's USB token ("công cụ ký số trên máy tính"): the number and date are written into a prepared
 * file, the tool signs it, and the issuance takes exactly that number (else the clerk prepares again).
 */
export function SealIssueModal({ doc, open, onClose }: { doc: DocumentDetail; open: boolean; onClose: () => void }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const options = useQuery({ queryKey: signingKeys.options(doc.id), queryFn: () => signingApi.options(doc.id), enabled: open });
  const seals = (options.data?.sealCredentials ?? []).filter((c) => c.usable && c.kind !== 'token');
  const tokens = (options.data?.sealCredentials ?? []).filter((c) => c.usable && c.kind === 'token');
  const [picked, setMethod] = useState<'server' | 'token' | null>(null);
  const method = picked ?? (seals.length ? 'server' : 'token');
  const [tokenId, setTokenId] = useState<string | undefined>(undefined);
  const credentialId = Form.useWatch('credentialId', form);
  const chosen = seals.find((c) => c.id === credentialId);
  const seal = useQuery({
    queryKey: ['signing', 'seal', doc.unitId],
    queryFn: async () => {
      const res = await fetch(`/api/units/${encodeURIComponent(doc.unitId)}/seal`, { credentials: 'same-origin' });
      if (!res.ok) return null;
      return ((await res.json()) as { image: { fileId: string; sealDiameterMm: number | null } | null }).image;
    },
    enabled: open && !!options.data?.hasSealImage,
  });

  const done = async (d: Issued) => {
    await Promise.all([qc.invalidateQueries({ queryKey: docKeys.all }), qc.invalidateQueries({ queryKey: ['signing'] })]);
    onClose();
    modal.success({
      title: t('doc.issue.done'),
      content: t('doc.issue.number', { number: d.numberSymbol ?? `${d.issued.codeNumber}/${d.issued.codeNotation}`, date: formatDate(d.issuedDate) }),
    });
  };
  const issue = useMutation({
    mutationFn: (v: Values) => signingApi.sealIssue(doc.id, { credentialId: v.credentialId, pin: v.pin || null, otp: v.otp || null }),
    onSuccess: done,
    onError: (e) => message.error(e.message),
  });

  const o = options.data;
  const mm = seal.data?.sealDiameterMm ?? 40;
  return (
    <Modal open={open} title={t('sig.seal.title')} onCancel={onClose} destroyOnHidden width={640}
      okText={t('sig.seal.title')} cancelText={t('common.cancel')} okButtonProps={{ loading: issue.isPending, disabled: !seals.length, style: method === 'token' ? { display: 'none' } : undefined }}
      onOk={() => form.submit()}>
      {options.isLoading && <Spin />}
      {options.error && <Alert type="error" showIcon title={options.error.message} />}
      {o && (
        <Form<Values> form={form} name="doc-seal-issue" layout="vertical" onFinish={(v) => issue.mutate(v)}
          initialValues={{ credentialId: seals[0]?.id }}>
          <Alert type="info" showIcon title={t('sig.seal.info')} style={{ marginBottom: 12 }} />
          <Descriptions size="small" column={1} style={{ marginBottom: 12 }} items={[
            { key: 'notation', label: t('doc.numberSymbol'), children: doc.numberSymbol ?? `…/${doc.codeNotation ?? ''}` },
            { key: 'date', label: t('doc.issuedDate'), children: formatDate(new Date()) },
            { key: 'issuer', label: t('doc.issuingUnit'), children: doc.issuerName },
          ]} />
          <Form.Item label={t('sig.seal.method')}>
            <Radio.Group value={method} onChange={(e) => setMethod(e.target.value as 'server' | 'token')} options={[
              { value: 'server', label: t('sig.seal.methodServer'), disabled: !seals.length },
              { value: 'token', label: t('sig.seal.methodToken') },
            ]} />
          </Form.Item>
          {!seals.length && <Alert type="info" showIcon title={t('sig.seal.noServerCredential')} style={{ marginBottom: 12 }} />}
          {!o.hasSealImage && <Alert type="info" showIcon title={t('sig.seal.noImage')} style={{ marginBottom: 12 }} />}
          {seal.data && (
            <Form.Item label={t('sig.seal.preview')}>
              <Image src={exportUrls.file(seal.data.fileId)} alt={t('sig.seal.preview')} preview={false}
                style={{ width: `${mm}mm`, height: `${mm}mm`, objectFit: 'contain' }} />
            </Form.Item>
          )}
          {method === 'server' ? (
            <>
              <Form.Item name="credentialId" label={t('sig.seal.credential')} rules={[{ required: true }]}>
                <Select options={seals.map((c) => ({ value: c.id, label: credentialLabel(c) }))} />
              </Form.Item>
              <Form.Item name="pin" label={t('sig.sign.pin')} rules={[{ required: chosen?.kind !== 'remote' }]}>
                <Input.Password autoComplete="off" />
              </Form.Item>
              {chosen?.kind === 'remote' && <Form.Item name="otp" label={t('sig.sign.otp')}><Input autoComplete="one-time-code" /></Form.Item>}
            </>
          ) : (
            <>
              {tokens.length > 0 && (
                <Form.Item label={t('sig.seal.tokenCredential')}>
                  <Select allowClear placeholder={t('sig.seal.tokenAny')} value={tokenId} onChange={setTokenId}
                    options={tokens.map((c) => ({ value: c.id, label: credentialLabel(c) }))} />
                </Form.Item>
              )}
              <TokenSigning<Issued> documentId={doc.id} credentialId={tokenId}
                seal={{ finalise: (pendingId, cms) => signingApi.finaliseSealExternal(doc.id, pendingId, cms) }}
                onDone={(d) => { if (d) void done(d); }} />
            </>
          )}
        </Form>
      )}
    </Modal>
  );
}
