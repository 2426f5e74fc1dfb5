import { ArrowLeftOutlined, LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { type DocumentDetail, docKeys, documentsApi } from '../api/documents';
import { formatDate, formatDateTime } from '../components/format';
import { AddToWorkFile } from '../components/documents/AddToWorkFile';
import { DocumentActions } from '../components/documents/DocumentActions';
import { AssignmentsTable, DocumentTimeline, FilesList, RecipientsTable, ReviewsTable } from '../components/documents/DocumentParts';
import { DeadlineTag, SecrecyTag, StatusTag, UrgencyTag } from '../components/documents/DocTags';
import { secrecyLabel, urgencyLabel } from '../components/documents/labels';
import { SignaturePanel } from '../components/signing/SignaturePanel';
import { useT } from '../i18n';

function Metadata({ d }: { d: DocumentDetail }) {
  const t = useT();
  const incoming = d.direction === 'incoming';
  const items = [
    incoming && { key: 'arrival', label: t('doc.arrivalNumber'), children: d.arrivalNumber != null ? `${d.arrivalNumber} · ${formatDateTime(d.arrivalAt)}` : '—' },
    { key: 'number', label: t('doc.numberSymbol'), children: d.numberSymbol ?? '—' },
    { key: 'date', label: t('doc.issuedDate'), children: formatDate(d.issuedDate) || '—' },
    { key: 'type', label: t('doc.type'), children: d.typeName },
    { key: 'issuer', label: incoming ? t('doc.issuer') : t('doc.issuingUnit'), children: d.issuerName },
    { key: 'signer', label: t('doc.signer'), children: [d.signerPosition, d.signerName].filter(Boolean).join(' ') || '—' },
    { key: 'urgency', label: t('doc.urgency'), children: urgencyLabel(t, d.urgency) },
    { key: 'secrecy', label: t('doc.secrecy'), children: secrecyLabel(t, d.secrecy) },
    { key: 'due', label: incoming ? t('doc.replyBy') : t('doc.deadline'), children: d.dueDate ? <DeadlineTag state={d.deadlineState} dueDate={d.dueDate} /> : '—' },
    d.pageCount != null && { key: 'pages', label: t('doc.pageCount'), children: d.pageCount },
    d.dateLine && { key: 'dateLine', label: t('doc.dateLine'), children: d.dateLine },
    d.presentedToName && { key: 'presented', label: t('doc.presentedTo'), children: d.presentedToName },
    d.legalNormative && { key: 'legal', label: t('doc.legalNormative'), children: t('common.yes') },
    d.replacesDocumentId && { key: 'replaces', label: t('doc.outgoing.replaces'), children: <Link to={`/van-ban/${d.replacesDocumentId}`}>{t('doc.open')}</Link> },
    d.replacedByDocumentId && { key: 'replacedBy', label: t('doc.replacedBy'), children: <Link to={`/van-ban/${d.replacedByDocumentId}`}>{t('doc.open')}</Link> },
    { key: 'unit', label: t('doc.ownerUnit'), children: d.unitName },
    { key: 'created', label: t('doc.createdBy'), children: `${d.createdByName ?? '—'} · ${formatDateTime(d.createdAt)}` },
    { key: 'subject', label: t('doc.subject'), span: 'filled' as const, children: <span style={{ whiteSpace: 'pre-wrap' }}>{d.subject}</span> },
    d.contentSummary && { key: 'summary', label: t('doc.contentSummary'), span: 'filled' as const, children: <span style={{ whiteSpace: 'pre-wrap' }}>{d.contentSummary}</span> },
  ].filter((x) => !!x);
  return <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2 }} items={items} />;
}

/** One document: metadata, files, handlers, review chain, recipients, timeline and the caller's actions. */
export function DocumentPage() {
  const t = useT();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const { data: d, error, isLoading } = useQuery({ queryKey: docKeys.detail(id), queryFn: () => documentsApi.detail(id) });
  if (isLoading) return <Spin />;
  if (error || !d) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'error'} title={missing ? t('doc.notFound') : error?.message}
      extra={<Button onClick={() => navigate(-1)}>{t('doc.back')}</Button>} />;
  }
  const incoming = d.direction === 'incoming';
  return (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>{t('doc.back')}</Button>
        <Typography.Text type="secondary">{incoming ? t('nav.incoming') : t('nav.outgoing')}</Typography.Text>
      </Space>
      <Space size={[4, 4]} wrap style={{ display: 'flex' }}>
        <UrgencyTag urgency={d.urgency} />
        <SecrecyTag secrecy={d.secrecy} />
        <StatusTag status={d.status} />
        {d.numberSymbol && <Typography.Text strong>{d.typeName} {t('doc.numberPrefix')} {d.numberSymbol}</Typography.Text>}
      </Space>
      <Typography.Title level={3} style={{ marginTop: 8, wordBreak: 'break-word' }}>{d.subject}</Typography.Title>
      {d.recalledAt && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('doc.recalledTitle', { at: formatDateTime(d.recalledAt) })}
          description={d.recallReason} />
      )}
      {d.secretNotice && <Alert type="warning" showIcon icon={<LockOutlined />} style={{ marginBottom: 16 }} title={t('doc.secret.title')} description={d.secretNotice} />}
      <Space wrap style={{ marginBottom: 16 }}>
        <DocumentActions doc={d} />
        <AddToWorkFile documentId={d.id} />
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={t('doc.metadata')}><Metadata d={d} /></Card>
            {!d.secretNotice && <Card size="small" title={t('doc.files')}><FilesList files={d.files} /></Card>}
            {!d.secretNotice && <Card size="small" title={t('sig.panel')}><SignaturePanel documentId={d.id} /></Card>}
            {incoming && <Card size="small" title={t('doc.assignments')}><AssignmentsTable items={d.assignments} /></Card>}
            {!incoming && d.reviews.length > 0 && <Card size="small" title={t('doc.reviews')}><ReviewsTable items={d.reviews} /></Card>}
            {!incoming && <Card size="small" title={t('doc.recipients')}><RecipientsTable items={d.recipients} /></Card>}
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('doc.timeline')}>
            <section aria-label={t('doc.timeline')}><DocumentTimeline items={d.timeline} /></section>
          </Card>
        </Col>
      </Row>
    </>
  );
}
