import { Collapse, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { type SignatureRecord, signingApi, signingKeys } from '../../api/signing';
import { type MessageKey, useT } from '../../i18n';
import { fileRoleLabel } from '../documents/labels';
import { formatDateTime } from '../format';
import { SignatureReportView } from './SignatureReportView';

/** What was recorded on a file: signed, sealed, uploaded signed, verified at registration. */
function Records({ items }: { items: SignatureRecord[] }) {
  const t = useT();
  if (!items.length) return null;
  return (
    <>
      <Typography.Text strong>{t('sig.records')}</Typography.Text>
      <Table<SignatureRecord> size="small" rowKey="id" pagination={false} dataSource={items} scroll={{ x: true }} columns={[
        { title: t('sig.signingTime'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
        { title: '', dataIndex: 'action', render: (v: string) => t(`sig.record.${v}` as MessageKey) },
        { title: t('sig.signer'), dataIndex: 'actorName', render: (v: string | null) => v ?? '—' },
        { title: t('sig.level'), dataIndex: 'level', render: (v: string | null) => v ?? '—' },
        { title: '', dataIndex: 'valid', render: (v: boolean, r) => <Tag color={v ? 'success' : 'error'} title={r.verdict}>{v ? t('sig.valid') : t('sig.invalid')}</Tag> },
      ]} />
    </>
  );
}

/** The signature panel of a document: each PDF version's signatures and their verdicts (newest version open). */
export function SignaturePanel({ documentId }: { documentId: string }) {
  const t = useT();
  const { data, isLoading, error } = useQuery({ queryKey: signingKeys.signatures(documentId), queryFn: () => signingApi.signatures(documentId) });
  if (isLoading) return <Spin />;
  if (error) return <Typography.Text type="danger">{error.message}</Typography.Text>;
  // Newest first: the issued file (role main) comes after the signed version it was sealed from.
  const files = [...(data?.files ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version - a.version);
  if (!files.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sig.noFiles')} />;
  return (
    <section aria-label={t('sig.panel')}>
      <Collapse key={files[0]!.documentFileId} size="small" defaultActiveKey={[files[0]!.documentFileId]} items={files.map((f) => ({
        key: f.documentFileId,
        label: <Space wrap><span>{t('sig.file', { name: f.name, version: f.version })}</span><Tag>{fileRoleLabel(t, f.role)}</Tag>
          <Tag>{f.report.signatures.length}</Tag></Space>,
        children: (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            {f.report.signatures.length ? <SignatureReportView report={f.report} /> : <Typography.Text type="secondary">{t('sig.none')}</Typography.Text>}
            <Records items={f.records} />
          </Space>
        ),
      }))} />
    </section>
  );
}
