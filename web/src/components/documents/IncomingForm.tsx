import { Alert, App, AutoComplete, Button, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { type Agency, type DuplicateRef, type IncomingInput, type Secrecy, type StoredFile, type Urgency, docKeys, documentsApi } from '../../api/documents';
import { useAgencies, useDocumentTypes, useRegisterBooks } from '../../api/documentQueries';
import { useT } from '../../i18n';
import { formatDate } from '../format';
import { FileUpload } from './FileUpload';
import { secrecyOptions, urgencyOptions } from './labels';

type Values = {
  files?: StoredFile[];
  issuer: string;
  codeNumber?: number | null;
  codeNotation?: string;
  issuedDate: Dayjs;
  typeCode: string;
  subject: string;
  signerName?: string;
  signerPosition?: string;
  pageCount?: number | null;
  urgency: Urgency;
  secrecy: Secrecy;
  dueDate?: Dayjs | null;
  bookId?: string;
  receivedVia: 'paper' | 'email' | 'other';
  note?: string;
};

const full = { xs: 24 };
const half = { xs: 24, sm: 12 };

/** Vào sổ văn bản đến: the clerk's registration form, with the duplicate warning (409) and its override. */
export function IncomingForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const secrecy = Form.useWatch('secrecy', form) ?? 'none';
  const secret = secrecy !== 'none';
  const { data: types = [] } = useDocumentTypes();
  const { data: books = [] } = useRegisterBooks('incoming', open);
  const [issuerQ, setIssuerQ] = useState('');
  const { data: agencies = [] } = useAgencies(issuerQ, open);
  // The directory unit picked as issuer (kept while the text is its name).
  const [picked, setPicked] = useState<Agency | null>(null);
  const issuerOptions = useMemo(() => agencies.map((a) => ({
    value: a.name, key: a.id, label: a.agencyCode ? `${a.name} (${a.agencyCode})` : a.name,
  })), [agencies]);

  const toInput = (v: Values): IncomingInput => {
    const unit = picked && picked.name === v.issuer.trim() ? picked : null;
    return {
      issuer: v.issuer.trim(),
      issuerUnitId: unit?.id ?? null,
      issuerCode: unit?.agencyCode ?? null,
      codeNumber: v.codeNumber ?? null,
      codeNotation: v.codeNotation?.trim() || null,
      issuedDate: v.issuedDate.format('YYYY-MM-DD'),
      typeCode: v.typeCode,
      subject: v.subject.trim(),
      signerName: v.signerName?.trim() || null,
      signerPosition: v.signerPosition?.trim() || null,
      pageCount: v.pageCount ?? null,
      urgency: v.urgency,
      secrecy: v.secrecy,
      dueDate: v.dueDate ? v.dueDate.format('YYYY-MM-DD') : null,
      fileIds: v.secrecy === 'none' ? (v.files ?? []).map((f) => f.id) : [],
      receivedVia: v.receivedVia,
      bookId: v.bookId ?? null,
      note: v.note?.trim() || null,
    };
  };

  const register = useMutation({
    mutationFn: (body: IncomingInput) => documentsApi.registerIncoming(body),
    onSuccess: async (doc) => {
      await qc.invalidateQueries({ queryKey: docKeys.all });
      message.success(t('doc.incoming.registered', { n: doc.arrivalNumber ?? '' }));
      form.resetFields();
      onClose();
      navigate(`/van-ban/${doc.id}`);
    },
    onError: (e, body) => {
      const dups = e instanceof ApiError && e.status === 409 ? (e.problem as { duplicates?: DuplicateRef[] }).duplicates : undefined;
      if (!dups) {
        message.error(e.message);
        return;
      }
      modal.confirm({
        title: t('doc.incoming.duplicateTitle'),
        width: 520,
        content: (
          <>
            <p>{t('doc.incoming.duplicateText')}</p>
            <ul style={{ paddingInlineStart: 20 }}>
              {dups.map((d) => (
                <li key={d.id}>
                  <a href={`/van-ban/${d.id}`} target="_blank" rel="noreferrer">
                    {t('doc.arrivalNumber')} {d.arrivalNumber ?? '—'} · {d.numberSymbol ?? '—'} · {formatDate(d.issuedDate)}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ),
        okText: t('doc.incoming.registerAnyway'),
        cancelText: t('common.cancel'),
        onOk: () => register.mutateAsync({ ...body, allowDuplicate: true }).catch(() => undefined),
      });
    },
  });

  return (
    <Drawer open={open} onClose={onClose} title={t('doc.incoming.register')} size="min(720px, 100vw)" destroyOnHidden
      extra={<Space>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" loading={register.isPending} onClick={() => form.submit()}>{t('doc.incoming.submit')}</Button>
      </Space>}>
      <Form<Values> form={form} name="incoming" layout="vertical" requiredMark
        initialValues={{ urgency: 'normal', secrecy: 'none', receivedVia: 'paper', files: [] }}
        onFinish={(v) => register.mutate(toInput(v))}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="secrecy" label={t('doc.secrecy')} rules={[{ required: true }]}>
              <Select options={secrecyOptions(t)} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="urgency" label={t('doc.urgency')} rules={[{ required: true }]}>
              <Select options={urgencyOptions(t)} />
            </Form.Item>
          </Col>
          <Col {...full}>
            {secret && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('doc.secret.noFileTitle')}
              description={t('doc.secret.noFile')} />}
            <Form.Item name="files" label={t('doc.incoming.files')} extra={t('doc.incoming.filesHelp')} required={!secret}
              rules={[{ validator: async (_, v: StoredFile[] | undefined) => {
                if (!secret && !v?.length) throw new Error(t('doc.incoming.filesRequired'));
              } }]}>
              <FileUpload accept=".pdf,application/pdf,image/*" multiple disabled={secret} label={t('doc.file.choose')} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="issuer" label={t('doc.issuer')} extra={t('doc.incoming.issuerHelp')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
              <AutoComplete options={issuerOptions} showSearch={{ onSearch: setIssuerQ, filterOption: false }}
                onSelect={(_, o) => setPicked(agencies.find((a) => a.id === o.key) ?? null)} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="codeNumber" label={t('doc.codeNumber')}>
              <InputNumber min={1} max={99999999999} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="codeNotation" label={t('doc.codeNotation')} rules={[{ max: 30 }]}>
              <Input placeholder="QĐ-UBND" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="issuedDate" label={t('doc.issuedDate')} rules={[{ required: true, message: t('common.required') }]}>
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="typeCode" label={t('doc.type')} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={types.map((x) => ({ value: x.code, label: x.name }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="pageCount" label={t('doc.pageCount')}>
              <InputNumber min={1} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...full}>
            <Form.Item name="subject" label={t('doc.subject')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="signerName" label={t('doc.signer')} rules={[{ max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="signerPosition" label={t('doc.signerPosition')} rules={[{ max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="dueDate" label={t('doc.replyBy')}>
              <DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="receivedVia" label={t('doc.receivedVia')}>
              <Select options={(['paper', 'email', 'other'] as const).map((v) => ({ value: v, label: t(`doc.via.${v}`) }))} />
            </Form.Item>
          </Col>
          {books.length > 1 && (
            <Col {...half}>
              <Form.Item name="bookId" label={t('doc.book')}>
                <Select allowClear options={books.map((b) => ({ value: b.id, label: b.name }))} />
              </Form.Item>
            </Col>
          )}
          <Col {...full}>
            <Form.Item name="note" label={t('doc.note')} rules={[{ max: 2000 }]}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
