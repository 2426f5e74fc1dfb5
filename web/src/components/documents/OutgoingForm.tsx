import { Alert, App, Button, Col, Drawer, Form, Input, Row, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type DocumentDetail, type OutgoingInput, type OutgoingPatch, type Secrecy, type StoredFile, type Urgency, docKeys, documentsApi,
} from '../../api/documents';
import { useDocumentTypes, useSigners } from '../../api/documentQueries';
import { useT } from '../../i18n';
import { FileUpload } from './FileUpload';
import { secrecyOptions, urgencyOptions } from './labels';
import { RecipientFields, type RecipientValues, toRecipients } from './RecipientPicker';

type Values = RecipientValues & {
  typeCode: string; subject: string; contentSummary?: string; urgency: Urgency; secrecy: Secrecy;
  signerUserId?: string; legalNormative?: boolean; replacesDocumentId?: string; files?: StoredFile[]; fileNote?: string;
};

const half = { xs: 24, sm: 12 };

function initialOf(d?: DocumentDetail, replaces?: string): Partial<Values> {
  if (!d) return { urgency: 'normal', secrecy: 'none', files: [], legalNormative: false, replacesDocumentId: replaces };
  return {
    typeCode: d.typeCode, subject: d.subject, contentSummary: d.contentSummary ?? undefined, urgency: d.urgency, secrecy: d.secrecy,
    signerUserId: d.signerUserId ?? undefined, legalNormative: d.legalNormative, replacesDocumentId: d.replacesDocumentId ?? undefined,
    recipientUnits: d.recipients.filter((r) => r.kind === 'unit' && r.unitId).map((r) => ({ value: r.unitId!, label: r.name })),
    recipientAgencies: d.recipients.filter((r) => r.kind === 'external' && r.agencyCode).map((r) => ({ agencyCode: r.agencyCode!, name: r.name })),
    recipientEmails: d.recipients.filter((r) => r.kind === 'email' && r.email).map((r) => ({ email: r.email!, name: r.name })),
  };
}

/** Dự thảo văn bản đi (new draft) or Sửa dự thảo (edit, PATCH): metadata, recipients, signer and the draft file. */
export function OutgoingForm({ open, onClose, document, replaces }: {
  open: boolean; onClose: () => void; document?: DocumentDetail; replaces?: string;
}) {
  const t = useT();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [replaceQ, setReplaceQ] = useState('');
  const typeCode = Form.useWatch('typeCode', form);
  const secrecy = Form.useWatch('secrecy', form) ?? 'none';
  const { data: types = [] } = useDocumentTypes();
  const { data: signers = [] } = useSigners(open);
  const type = types.find((x) => x.code === typeCode);
  const editing = !!document;
  const replaceable = useQuery({
    queryKey: docKeys.list({ box: 'outgoing', status: 'issued', q: replaceQ || undefined, pageSize: 20 }),
    queryFn: () => documentsApi.list({ box: 'outgoing', status: 'issued', q: replaceQ || undefined, pageSize: 20 }),
    enabled: open,
  });

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const body: OutgoingPatch = {
        typeCode: v.typeCode, subject: v.subject.trim(), contentSummary: v.contentSummary?.trim() || null,
        recipients: toRecipients(v), urgency: v.urgency, secrecy: v.secrecy, signerUserId: v.signerUserId ?? null,
        legalNormative: !!(type?.legalNormative && v.legalNormative), replacesDocumentId: v.replacesDocumentId ?? null,
      };
      if (document) return documentsApi.updateOutgoing(document.id, body);
      const file = v.secrecy === 'none' ? v.files?.[0] : undefined;
      return documentsApi.createOutgoing({ ...body, fileId: file?.id ?? null, fileNote: v.fileNote?.trim() || null } as OutgoingInput);
    },
    onSuccess: async (doc) => {
      await qc.invalidateQueries({ queryKey: docKeys.all });
      message.success(editing ? t('common.saved') : t('doc.outgoing.created'));
      if (doc.warnings.length) modal.warning({ title: t('doc.outgoing.notes'), content: doc.warnings.join('\n') });
      form.resetFields();
      onClose();
      if (!editing) navigate(`/van-ban/${doc.id}`);
    },
    onError: (e) => message.error(e.message),
  });

  return (
    <Drawer open={open} onClose={onClose} title={editing ? t('doc.action.edit') : t('doc.outgoing.draft')}
      size="min(720px, 100vw)" destroyOnHidden
      extra={<Space>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>{t('common.save')}</Button>
      </Space>}>
      <Form<Values> form={form} name={editing ? 'outgoing-edit' : 'outgoing'} layout="vertical"
        initialValues={initialOf(document, replaces)} onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="typeCode" label={t('doc.type')} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={types.map((x) => ({ value: x.code, label: x.name }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="signerUserId" label={t('doc.outgoing.signer')} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={signers.map((o) => ({ value: o.id, label: [o.fullName, o.positionTitle].filter(Boolean).join(' — ') }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="subject" label={t('doc.subject')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="contentSummary" label={t('doc.contentSummary')} rules={[{ max: 5000 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="urgency" label={t('doc.urgency')}><Select options={urgencyOptions(t)} /></Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="secrecy" label={t('doc.secrecy')}><Select options={secrecyOptions(t)} /></Form.Item>
          </Col>
          {type?.legalNormative && (
            <Col xs={24}>
              <Form.Item name="legalNormative" label={t('doc.legalNormative')} valuePropName="checked" extra={t('doc.outgoing.legalHelp')}>
                <Switch />
              </Form.Item>
            </Col>
          )}
          <Col xs={24}><RecipientFields /></Col>
          <Col xs={24}>
            <Form.Item name="replacesDocumentId" label={t('doc.outgoing.replaces')}>
              <Select allowClear showSearch={{ filterOption: false, onSearch: setReplaceQ }} loading={replaceable.isFetching}
                options={(replaceable.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.numberSymbol ?? '—'} · ${d.subject}` }))} />
            </Form.Item>
          </Col>
          {!editing && (
            <>
              <Col xs={24}>
                {secrecy !== 'none' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('doc.secret.noFileTitle')}
                  description={t('doc.secret.noFile')} />}
                <Form.Item name="files" label={t('doc.outgoing.draftFile')} extra={t('doc.outgoing.draftFileHelp')}>
                  <FileUpload accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    disabled={secrecy !== 'none'} label={t('doc.file.choose')} />
                </Form.Item>
              </Col>
              <Col xs={24}>
                <Form.Item name="fileNote" label={t('doc.outgoing.versionNote')} rules={[{ max: 500 }]}><Input /></Form.Item>
              </Col>
            </>
          )}
        </Row>
      </Form>
    </Drawer>
  );
}
