import { Alert, App, Button, Card, Empty, InputNumber, Popconfirm, Space, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { uploadFile } from '../../api/documents';
import { type SignatureImage, signingApi } from '../../api/signing';
import { formatDateTime } from '../format';
import { useT } from '../../i18n';

type Props =
  | { kind: 'signature'; unitId?: undefined }
  | { kind: 'seal'; unitId: string };

/**
 * The official's handwritten-signature image (profile) or a unit's seal image (unit admin): a transparent PNG,
 * uploaded through /api/files and then set; the seal is previewed at its real diameter (CSS millimetres).
 */
export function ImageUploadCard({ kind, unitId }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const key = kind === 'seal' ? ['signing', 'seal', unitId] : ['signing', 'signature-image'];
  const current = useQuery({ queryKey: key, queryFn: () => (kind === 'seal' ? signingApi.seal(unitId) : signingApi.signatureImage()) });
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [diameter, setDiameter] = useState<number>(36);
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  useEffect(() => {
    if (current.data?.sealDiameterMm) setDiameter(current.data.sealDiameterMm);
  }, [current.data]);

  const save = useMutation({
    mutationFn: async (): Promise<SignatureImage> => {
      const stored = await uploadFile(file!);
      return kind === 'seal' ? signingApi.setSeal(unitId, stored.id, diameter) : signingApi.setSignatureImage(stored.id);
    },
    onSuccess: () => {
      setFile(null);
      void qc.invalidateQueries({ queryKey: key });
      message.success(t('common.saved'));
    },
    onError: (e) => message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: () => (kind === 'seal' ? signingApi.removeSeal(unitId) : signingApi.removeSignatureImage()),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
    onError: (e) => message.error(e.message),
  });

  const img = current.data;
  const src = preview ?? (img ? `/api/files/${img.fileId}` : null);
  const size = kind === 'seal' ? { width: `${diameter}mm`, height: `${diameter}mm` } : { maxWidth: 240, maxHeight: 120 };
  return (
    <Card title={t(kind === 'seal' ? 'img.sealTitle' : 'img.signatureTitle')} size="small">
      <Typography.Paragraph type="secondary">{t(kind === 'seal' ? 'img.sealHelp' : 'img.signatureHelp')}</Typography.Paragraph>
      {current.error ? <Alert type="error" showIcon title={current.error.message} /> : null}
      <div style={{ minHeight: 80, marginBottom: 12, background: 'repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 0 0/16px 16px', padding: 8, display: 'inline-block' }}>
        {src ? <img src={src} alt={t(kind === 'seal' ? 'img.sealTitle' : 'img.signatureTitle')} data-testid={`${kind}-preview`} style={{ ...size, objectFit: 'contain', display: 'block' }} /> : <Empty description={t('img.none')} />}
      </div>
      {img && !preview ? <Typography.Paragraph type="secondary">{t('img.current', { w: img.width, h: img.height, at: formatDateTime(img.updatedAt) })}</Typography.Paragraph> : null}
      <Space wrap>
        <Upload accept="image/png" maxCount={1} showUploadList={false} beforeUpload={(f) => { setFile(f); return false; }}>
          <Button>{t('img.choose')}</Button>
        </Upload>
        {kind === 'seal' ? (
          <Space>
            <span>{t('img.diameter')}</span>
            <InputNumber aria-label={t('img.diameter')} min={20} max={60} step={1} value={diameter} onChange={(v) => setDiameter(v ?? 36)} addonAfter="mm" />
          </Space>
        ) : null}
        <Button type="primary" disabled={!file && !(kind === 'seal' && img && img.sealDiameterMm !== diameter)} loading={save.isPending}
          onClick={() => (file ? save.mutate() : img && signingApi.setSeal(unitId!, img.fileId, diameter).then(() => qc.invalidateQueries({ queryKey: key }), (e: Error) => message.error(e.message)))}>
          {t('img.save')}
        </Button>
        {img ? (
          <Popconfirm title={t('img.removeConfirm')} onConfirm={() => remove.mutate()}>
            <Button danger>{t('img.remove')}</Button>
          </Popconfirm>
        ) : null}
      </Space>
    </Card>
  );
}
