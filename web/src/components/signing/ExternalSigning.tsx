import { Alert, App, Button, Input, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { uploadFile } from '../../api/documents';
import { type ExternalPrepared, type Placement, signingApi } from '../../api/signing';
import { useT } from '../../i18n';
import { formatDate } from '../format';

/** base64 of a file's bytes (the CMS a signing tool saved as .p7s/.der) or its text when it is already base64/PEM. */
async function cmsBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (/^[\sA-Za-z0-9+/=-]+$/.test(text) || text.includes('-----BEGIN')) return text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

type Prepared = ExternalPrepared & { numberSymbol?: string; issuedDate?: string };

/**
 * External signing with a USB token: the server prepares the PDF and its digest, the signing tool on the PC signs
 * the digest and returns a CMS, uploaded here to finalise. The leader's "Ký số" (default): `placement` is null until
 * the signer has chosen a place. With `seal`, the clerk's "Đóng dấu và phát hành" with the agency's token: the
 * prepared file carries the number and date the issuance will take, shown here; `onDone` gets the issued document.
 */
export function TokenSigning<R = unknown>({ documentId, placement = null, credentialId, seal, onDone }: {
  documentId: string;
  placement?: Placement | null;
  credentialId?: string;
  seal?: { bookId?: string | null; finalise: (pendingId: string, cms: string) => Promise<R> };
  onDone: (result?: R) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [cms, setCms] = useState('');
  const ready = seal ? true : !!placement;
  const prepare = useMutation({
    mutationFn: (): Promise<Prepared> =>
      seal
        ? signingApi.prepareSealExternal(documentId, { credentialId: credentialId ?? null, bookId: seal.bookId ?? null })
        : signingApi.prepareExternal(documentId, { placement: placement!, credentialId: credentialId ?? null }),
    onSuccess: (p) => {
      setCms('');
      setPrepared(p);
    },
    onError: (e) => message.error(e.message),
  });
  const finalise = useMutation({
    mutationFn: async (): Promise<R | undefined> => {
      if (seal) return seal.finalise(prepared!.pendingId, cms);
      await signingApi.finaliseExternal(documentId, prepared!.pendingId, cms);
      return undefined;
    },
    onSuccess: (r) => {
      if (!seal) message.success(t('sig.sign.done'));
      onDone(r);
    },
    onError: (e) => {
      // The number was taken by another issuance (or the day changed): this preparation is spent.
      if (e instanceof ApiError && e.problem.type?.endsWith('/seal-number-changed')) setPrepared(null);
      message.error(e.message);
    },
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t(seal ? 'sig.sealExt.help' : 'sig.ext.help')}</Typography.Paragraph>
      <Button type="primary" disabled={!ready} loading={prepare.isPending} onClick={() => prepare.mutate()}>{t(prepared && seal ? 'sig.sealExt.prepareAgain' : 'sig.ext.prepare')}</Button>
      {!ready && <Typography.Text type="secondary">{t('sig.sign.pickRequired')}</Typography.Text>}
      {prepared && (
        <>
          {prepared.numberSymbol && prepared.issuedDate && (
            <Alert type="info" showIcon title={t('sig.sealExt.prepared', { number: prepared.numberSymbol, date: formatDate(prepared.issuedDate) })} description={t('sig.sealExt.notReserved')} />
          )}
          <Button href={`/api/signing/pending/${prepared.pendingId}/pdf`}>{t('sig.ext.downloadPdf')}</Button>
          <Typography.Text>{t('sig.ext.digest')}</Typography.Text>
          <Typography.Text code copyable>{prepared.digest.hex}</Typography.Text>
          <Typography.Text type="secondary">{t('sig.ext.expires', { at: new Date(prepared.expiresAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) })}</Typography.Text>
          <Upload accept=".p7s,.der,.cms,.txt,.b64" maxCount={1} showUploadList={false} beforeUpload={(f) => { void cmsBase64(f).then(setCms); return false; }}>
            <Button>{t('sig.ext.chooseCms')}</Button>
          </Upload>
          <Input.TextArea aria-label={t('sig.ext.cms')} placeholder={t('sig.ext.cms')} rows={3} value={cms} onChange={(e) => setCms(e.target.value)} />
          <Button type="primary" disabled={cms.trim().length < 100} loading={finalise.isPending} onClick={() => finalise.mutate()}>{t(seal ? 'sig.sealExt.finalise' : 'sig.ext.finalise')}</Button>
        </>
      )}
    </Space>
  );
}

/** The path officials use today: a PDF already signed elsewhere, validated by the server, then the flow continues. */
export function SignedPdfUpload({ documentId, onDone }: { documentId: string; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const send = useMutation({
    mutationFn: async () => signingApi.attachSignedPdf(documentId, (await uploadFile(file!)).id),
    onSuccess: () => {
      message.success(t('sig.upload.done'));
      onDone();
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('sig.upload.help')} />
      <Upload accept="application/pdf,.pdf" maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)} fileList={file ? [{ uid: '1', name: file.name }] : []}>
        <Button>{t('sig.upload.choose')}</Button>
      </Upload>
      <Button type="primary" disabled={!file} loading={send.isPending} onClick={() => send.mutate()}>{t('sig.upload.submit')}</Button>
    </Space>
  );
}
