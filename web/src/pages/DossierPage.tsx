import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { type DossierDetail, dossierApi, dossierKeys, formUrl } from '../api/dossiers';
import { DossierActions } from '../components/dossiers/DossierActions';
import { Checklist, Files, Forms, History, ProcessSteps, ResultPanel } from '../components/dossiers/DossierParts';
import { channelLabel, DossierStatusTag, DueTag, returnLabel } from '../components/dossiers/DossierTags';
import { formatDateTime } from '../components/format';
import { roleLabel } from '../components/labels';
import type { Role } from '../api/types';
import { useT } from '../i18n';

function Overview({ d }: { d: DossierDetail }) {
  const t = useT();
  const a = d.applicant;
  const items = [
    { key: 'code', label: t('ds.code'), children: d.code ?? '—' },
    { key: 'status', label: t('common.status'), children: <DossierStatusTag code={d.statusCode} /> },
    { key: 'procedure', label: t('ds.procedure'), span: 'filled' as const, children: `${d.procedure.code} — ${d.procedure.name}` },
    d.procedure.caseName && { key: 'case', label: t('ds.case'), span: 'filled' as const, children: d.procedure.caseName },
    { key: 'applicant', label: t('ds.applicant'), children: [a.name, a.idNumber].filter(Boolean).join(' · ') },
    { key: 'contact', label: `${t('ds.phone')} / ${t('ds.email')}`, children: [a.phone, a.email].filter(Boolean).join(' · ') || '—' },
    a.address && { key: 'address', label: t('ds.address'), span: 'filled' as const, children: a.address },
    { key: 'channel', label: t('ds.channel'), children: channelLabel(t, d.channel) },
    { key: 'unit', label: t('ds.unit'), children: d.unitName },
    d.currentUnitId !== d.unitId && { key: 'current', label: t('ds.currentUnit'), children: d.currentUnitName },
    d.submittedAt && { key: 'submitted', label: t('ds.submittedAt'), children: formatDateTime(d.submittedAt) },
    d.statusCode === 1 && d.acceptBy && { key: 'acceptBy', label: t('ds.acceptBy'), children: formatDateTime(d.acceptBy) },
    d.receivedAt && { key: 'received', label: t('ds.receivedAt'), children: formatDateTime(d.receivedAt) },
    d.timeLimitLabel && { key: 'limit', label: t('ds.timeLimit'), children: d.timeLimitLabel },
    d.dueAt && { key: 'due', label: t('ds.dueAt'), children: <DueTag state={d.dueState} dueAt={d.dueAt} /> },
    d.firstDueAt && d.firstDueAt !== d.dueAt && { key: 'firstDue', label: t('ds.firstDueAt'), children: formatDateTime(d.firstDueAt) },
    d.step && !d.closedAt && { key: 'step', label: t('ds.step'), children: `${d.step.name}${d.step.dueAt ? ` · ${t('ds.stepDue')} ${formatDateTime(d.step.dueAt)}` : ''}` },
    d.holder && { key: 'holder', label: t('ds.holder'), children: [d.holder.userName, d.holder.unitName, d.holder.role && !d.holder.userName ? roleLabel(t, d.holder.role as Role) : null].filter(Boolean).join(' · ') },
    { key: 'fee', label: t('ds.fee'), children: d.fee.label ?? '—' },
    d.returnMethod && { key: 'returnMethod', label: t('ds.returnMethod'), children: returnLabel(t, d.returnMethod) },
  ].filter((x) => !!x);
  return <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2 }} items={items} />;
}

/** One dossier: state, applicant, checklist and files, forms to print, internal process, history and the caller's actions. */
export function DossierPage() {
  const t = useT();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const { data: d, error, isLoading } = useQuery({ queryKey: dossierKeys.detail(id), queryFn: () => dossierApi.get(id) });
  if (isLoading) return <Spin />;
  if (error || !d) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'error'} title={missing ? t('ds.notFound') : error?.message} extra={<Button onClick={() => navigate(-1)}>{t('ds.back')}</Button>} />;
  }
  return (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)}>{t('ds.back')}</Button>
        <Typography.Text type="secondary">{t('nav.onestopDossiers')}</Typography.Text>
      </Space>
      <Space size={[8, 4]} wrap style={{ display: 'flex' }}>
        <DossierStatusTag code={d.statusCode} />
        {d.dueAt && <DueTag state={d.dueState} dueAt={d.dueAt} />}
      </Space>
      <Typography.Title level={3} style={{ marginTop: 8 }} data-testid="dossier-code">{d.code ?? t('ds.status.1')}</Typography.Title>
      <Typography.Paragraph>{d.procedure.name} — {d.applicant.name}</Typography.Paragraph>
      {d.pausedAt && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('ds.paused', { deadline: formatDateTime(d.supplementDeadline) })} />}
      <Space wrap style={{ marginBottom: 16 }}>
        <DossierActions d={d} />
        {d.code && d.receivedAt && <Button icon={<PrinterOutlined />} href={formUrl(d.id, '01')} target="_blank">{t('ds.reception.print')}</Button>}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={t('ds.overview')}><Overview d={d} /></Card>
            {(d.result || d.statusCode === 9 || d.statusCode === 10) && <Card size="small" title={t('ds.resultCard')}><ResultPanel d={d} /></Card>}
            <Card size="small" title={t('ds.checklist')}><Checklist d={d} /></Card>
            <Card size="small" title={t('ds.files')}><Files d={d} /></Card>
            <Card size="small" title={t('ds.forms')}><Forms d={d} /></Card>
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={t('ds.process')}><ProcessSteps d={d} /></Card>
            <Card size="small" title={t('ds.history')}><section aria-label={t('ds.history')}><History d={d} /></section></Card>
          </Space>
        </Col>
      </Row>
    </>
  );
}
