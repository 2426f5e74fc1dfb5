import { PrinterOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Radio, Result, Row, Select, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { StoredFile } from '../api/documents';
import { type CreateDossierInput, type DossierDetail, dossierApi, type FoundApplicant, formUrl, newIdempotencyKey } from '../api/dossiers';
import { procedureApi, procedureKeys } from '../api/procedures';
import { FileUpload } from '../components/documents/FileUpload';
import { returnLabel } from '../components/dossiers/DossierTags';
import { formatDateTime } from '../components/format';
import { useT } from '../i18n';

type Applicant = { name: string; idNumber?: string; phone?: string; email?: string; address?: string };
type Values = { applicant: Applicant; procedureId?: string; caseKey?: string; channel: 'counter' | 'post'; returnMethod: 'counter' | 'post' | 'online'; other?: StoredFile[] };
type Tick = { provided: boolean; files: StoredFile[] };

/** Counter reception (tiếp nhận tại quầy): find or enter the applicant, pick procedure and case, tick and scan the checklist, receive, print form 01. */
export function DossierReceptionPage() {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<FoundApplicant | undefined>(undefined);
  const [citizenId, setCitizenId] = useState<string | null>(null);
  const [ticks, setTicks] = useState<Record<number, Tick>>({});
  const [done, setDone] = useState<DossierDetail | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const procedureId = Form.useWatch('procedureId', form);
  const caseKey = Form.useWatch('caseKey', form);
  const list = useQuery({ queryKey: procedureKeys.list({ q: search, page: 1, pageSize: 20 }), queryFn: () => procedureApi.list({ q: search || undefined, page: 1, pageSize: 20 }) });
  const detail = useQuery({ queryKey: procedureKeys.detail(procedureId ?? ''), queryFn: () => procedureApi.get(procedureId!), enabled: !!procedureId });
  const version = detail.data?.current;
  const docs = useMemo(() => version?.record.cases.find((c) => c.key === caseKey)?.documents ?? [], [version, caseKey]);
  const channels = (version?.record.channels ?? []).filter((c) => c.channel === 'in_person' || c.channel === 'post');
  const offer = version?.labels.channels.find((c) => c.channel === 'in_person');

  const lookup = async () => {
    const idNumber = (form.getFieldValue(['applicant', 'idNumber']) as string | undefined)?.trim();
    if (!idNumber) return;
    const r = await dossierApi.findApplicant(idNumber).catch((e: Error) => { message.error(e.message); return null; });
    if (!r) return;
    setFound(r.found);
    setCitizenId(r.found?.source === 'citizen' ? r.found.citizenId : null);
    if (r.found) form.setFieldsValue({ applicant: { ...r.found.applicant, idNumber } as Applicant });
  };

  const create = useMutation({
    mutationFn: (body: CreateDossierInput) => dossierApi.create(body, key),
    onSuccess: (d) => setDone(d),
    onError: (e: Error) => message.error(e.message),
  });

  const submit = (v: Values) => {
    const missing = docs.filter((d, i) => d.required && !ticks[i]?.provided).map((d) => d.name);
    if (missing.length) {
      message.error(t('ds.reception.missing', { names: missing.join('; ') }));
      return;
    }
    const a = v.applicant;
    create.mutate({
      procedureId: v.procedureId!,
      caseId: v.caseKey,
      channel: v.channel,
      applicant: citizenId ? { citizenId, phone: a.phone, email: a.email, address: a.address } : a,
      documents: Object.entries(ticks).filter(([, x]) => x.provided).map(([i, x]) => ({ index: Number(i), fileIds: x.files.map((f) => f.id) })),
      fileIds: (v.other ?? []).map((f) => f.id),
      returnMethod: v.returnMethod,
    });
  };

  const reset = () => {
    form.resetFields();
    setTicks({});
    setFound(undefined);
    setCitizenId(null);
    setDone(null);
    setKey(newIdempotencyKey());
  };

  if (done) {
    return (
      <Result
        status="success"
        title={<span data-testid="reception-done">{t('ds.reception.done', { code: done.code ?? '' })}</span>}
        subTitle={t('ds.reception.doneHelp', { due: formatDateTime(done.dueAt) })}
        extra={[
          <Button key="print" type="primary" icon={<PrinterOutlined />} href={formUrl(done.id, '01')} target="_blank">{t('ds.reception.print')}</Button>,
          <Link key="open" to={`/mot-cua/ho-so/${done.id}`}><Button>{t('ds.reception.open')}</Button></Link>,
          <Button key="again" onClick={reset}>{t('ds.reception.another')}</Button>,
        ]}
      />
    );
  }

  const setTick = (i: number, patch: Partial<Tick>) => setTicks((all) => ({ ...all, [i]: { ...(all[i] ?? { provided: false, files: [] }), ...patch } }));
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <>
      <Typography.Title level={3}>{t('ds.reception.title')}</Typography.Title>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ channel: 'counter', returnMethod: 'counter' }}>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10}>
            <Card size="small" title={t('ds.reception.applicant')}>
              <Form.Item label={t('ds.idNumber')} required={false}>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name={['applicant', 'idNumber']} noStyle><Input inputMode="numeric" maxLength={12} aria-label={t('ds.idNumber')} onPressEnter={(e) => { e.preventDefault(); void lookup(); }} /></Form.Item>
                  <Button icon={<SearchOutlined />} onClick={() => void lookup()}>{t('ds.reception.find')}</Button>
                </Space.Compact>
              </Form.Item>
              {found !== undefined && (
                <Alert style={{ marginBottom: 12 }} type={found ? 'success' : 'info'} showIcon
                  title={found ? t(`ds.reception.found.${found.source}`, { name: found.applicant.name }) : t('ds.reception.notFound')} />
              )}
              <Form.Item name={['applicant', 'name']} label={t('ds.name')} rules={required}><Input disabled={!!citizenId} /></Form.Item>
              <Form.Item name={['applicant', 'phone']} label={t('ds.phone')}><Input inputMode="tel" /></Form.Item>
              <Form.Item name={['applicant', 'email']} label={t('ds.email')}><Input inputMode="email" /></Form.Item>
              <Form.Item name={['applicant', 'address']} label={t('ds.address')}><Input /></Form.Item>
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <Card size="small" title={t('ds.reception.procedure')}>
              <Form.Item name="procedureId" label={t('ds.procedure')} rules={[{ required: true, message: t('common.required') }]}>
                <Select showSearch filterOption={false} onSearch={setSearch} placeholder={t('ds.reception.pickProcedure')} aria-label={t('ds.procedure')}
                  onChange={() => { form.setFieldValue('caseKey', undefined); setTicks({}); }}
                  options={(list.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} — ${p.name}` }))} />
              </Form.Item>
              {version && (
                <>
                  {offer && <Typography.Paragraph type="secondary">{t('ds.reception.timeAndFee', { limit: offer.timeLimit, fee: offer.fee })}</Typography.Paragraph>}
                  <Form.Item name="caseKey" label={t('ds.case')} rules={[{ required: true, message: t('ds.reception.pickCase') }]}>
                    <Radio.Group onChange={() => setTicks({})} options={version.record.cases.map((c) => ({ value: c.key, label: c.name }))} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} />
                  </Form.Item>
                  <Space wrap>
                    <Form.Item name="channel" label={t('ds.reception.channel')}>
                      <Radio.Group options={channels.map((c) => ({ value: c.channel === 'in_person' ? 'counter' : 'post', label: t(c.channel === 'in_person' ? 'ds.channel.counter' : 'ds.channel.post') }))} />
                    </Form.Item>
                    <Form.Item name="returnMethod" label={t('ds.returnMethod')}>
                      <Select style={{ width: 240 }} options={(['counter', 'post', 'online'] as const).map((m) => ({ value: m, label: returnLabel(t, m) }))} />
                    </Form.Item>
                  </Space>
                </>
              )}
            </Card>
            {docs.length > 0 && (
              <Card size="small" title={t('ds.reception.checklist')} style={{ marginTop: 16 }}>
                <Typography.Paragraph type="secondary">{t('ds.reception.checklistHelp')}</Typography.Paragraph>
                {docs.map((d, i) => (
                  <div key={`${caseKey}-${i}`} style={{ marginBottom: 12 }} data-testid="checklist-item">
                    <Checkbox checked={!!ticks[i]?.provided} onChange={(e) => setTick(i, { provided: e.target.checked })}>
                      {d.name} {d.required && <Tag>{t('ds.required')}</Tag>}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {[d.originals ? t('ds.originals', { n: d.originals }) : null, d.copies ? t('ds.copies', { n: d.copies }) : null].filter(Boolean).join(', ')}
                      </Typography.Text>
                    </Checkbox>
                    <div style={{ marginLeft: 24, marginTop: 4 }}>
                      <FileUpload accept=".pdf,image/jpeg,image/png" multiple label={t('ds.reception.scan')}
                        onChange={(files) => setTick(i, { files, ...(files.length ? { provided: true } : {}) })} />
                    </div>
                  </div>
                ))}
                <Form.Item name="other" label={t('ds.reception.otherFiles')}>
                  <FileUpload accept=".pdf,image/jpeg,image/png" multiple label={t('ds.reception.scan')} />
                </Form.Item>
              </Card>
            )}
            <Button type="primary" htmlType="submit" size="large" loading={create.isPending} style={{ marginTop: 16 }} disabled={!version}>
              {t('ds.reception.submit')}
            </Button>
          </Col>
        </Row>
      </Form>
    </>
  );
}
