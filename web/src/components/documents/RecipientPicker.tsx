import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import type { RecipientInput } from '../../api/documents';
import { useAgencies } from '../../api/documentQueries';
import { useT } from '../../i18n';
import { AGENCY_CODE } from '../labels';

export type RecipientValues = {
  recipientUnits?: { value: string; label: string }[];
  recipientAgencies?: { agencyCode?: string; name?: string }[];
  recipientEmails?: { email?: string; name?: string }[];
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;


/** Rows of a two-field list (code or address + name), each with its own labelled inputs. */
function PairList({ name, title, first, firstLabel, firstRule, placeholder, addLabel }: {
  name: 'recipientAgencies' | 'recipientEmails'; title: string; first: 'agencyCode' | 'email'; firstLabel: string;
  firstRule: (v: string) => boolean; placeholder: string; addLabel: string;
}) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div style={{ marginBottom: 16 }}>
          <Typography.Text>{title}</Typography.Text>
          {fields.map((f, i) => (
            <Flex key={f.key} gap={8} wrap align="start" style={{ marginTop: 8 }}>
              <Form.Item name={[f.name, first]} label={`${firstLabel} ${i + 1}`} style={{ flex: '1 1 180px', marginBottom: 0 }}
                rules={[{ required: true, whitespace: true, message: t('common.required') },
                  { validator: async (_, v?: string) => { if (v && !firstRule(v.trim())) throw new Error(t('doc.outgoing.badValue')); } }]}>
                <Input placeholder={placeholder} />
              </Form.Item>
              <Form.Item name={[f.name, 'name']} label={`${t('doc.recipient.name')} ${i + 1}`} style={{ flex: '2 1 220px', marginBottom: 0 }}
                rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 300 }]}>
                <Input />
              </Form.Item>
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${firstLabel} ${i + 1}`}
                onClick={() => remove(f.name)} style={{ marginTop: 30 }} />
            </Flex>
          ))}
          <div style={{ marginTop: 8 }}>
            <Button size="small" icon={<PlusOutlined />} onClick={() => add({})}>{addLabel}</Button>
          </div>
        </div>
      )}
    </Form.List>
  );
}

/** Units of the whole deployment, searched on the server by name or mã định danh; labels kept with the values. */
function AgencySelect({ id, value, onChange }: { id?: string; value?: { value: string; label: string }[]; onChange?: (v: { value: string; label: string }[]) => void }) {
  const [q, setQ] = useState('');
  const { data = [], isFetching } = useAgencies(q);
  return (
    <Select id={id} mode="multiple" labelInValue value={value} onChange={onChange} loading={isFetching} style={{ width: '100%' }}
      showSearch={{ filterOption: false, onSearch: setQ }} onBlur={() => setQ('')}
      options={data.map((a) => ({ value: a.id, label: a.name, title: a.agencyCode ?? undefined }))} />
  );
}

/** Nơi nhận: units of the deployment, other agencies by mã định danh, e-mail addresses. */
export function RecipientFields() {
  const t = useT();
  return (
    <>
      <Form.Item name="recipientUnits" label={t('doc.outgoing.recipientUnits')} extra={t('doc.outgoing.recipientUnitsHelp')}>
        <AgencySelect />
      </Form.Item>
      <PairList name="recipientAgencies" title={t('doc.outgoing.recipientAgencies')} first="agencyCode" firstLabel={t('doc.outgoing.agencyCode')}
        firstRule={(v) => AGENCY_CODE.test(v.toUpperCase()) && v.length <= 35} placeholder="000.00.00.H99" addLabel={t('doc.outgoing.addAgency')} />
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>{t('doc.outgoing.recipientAgenciesHelp')}</Typography.Paragraph>
      <PairList name="recipientEmails" title={t('doc.outgoing.recipientEmails')} first="email" firstLabel={t('doc.outgoing.email')}
        firstRule={(v) => EMAIL.test(v)} placeholder="vanthu@example.gov.vn" addLabel={t('doc.outgoing.addEmail')} />
    </>
  );
}

export function toRecipients(v: RecipientValues): RecipientInput[] {
  return [
    ...(v.recipientUnits ?? []).map((u): RecipientInput => ({ kind: 'unit', unitId: u.value })),
    ...(v.recipientAgencies ?? []).map((r): RecipientInput => ({ kind: 'external', agencyCode: (r.agencyCode ?? '').trim().toUpperCase(), name: (r.name ?? '').trim() })),
    ...(v.recipientEmails ?? []).map((r): RecipientInput => ({ kind: 'email', email: (r.email ?? '').trim(), name: (r.name ?? '').trim() })),
  ];
}
