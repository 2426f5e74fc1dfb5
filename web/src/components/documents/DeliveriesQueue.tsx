import { App, Button, DatePicker, Descriptions, Drawer, Form, Input, Modal, Segmented, Select, Space, Spin, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Delivery, type DeliveryStatus, type Secrecy, type Urgency, docKeys, documentsApi } from '../../api/documents';
import { useRegisterBooks } from '../../api/documentQueries';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../format';
import { FilesList } from './DocumentParts';
import { SecrecyTag, UrgencyTag } from './DocTags';
import { recipientStatusLabel, secrecyLabel, urgencyLabel } from './labels';
import { urgentFirst } from './DocumentTable';

type Status = DeliveryStatus;

function Preview({ id, onClose, onAccept, onRefuse }: { id: string; onClose: () => void; onAccept: () => void; onRefuse: () => void }) {
  const t = useT();
  const { data, isLoading, error } = useQuery({ queryKey: [...docKeys.deliveries, 'preview', id], queryFn: () => documentsApi.delivery(id) });
  return (
    <Drawer open onClose={onClose} size="min(720px, 100vw)" title={t('doc.delivery.preview')}
      extra={data?.status === 'arrived' && (
        <Space>
          <Button danger onClick={onRefuse}>{t('doc.delivery.refuse')}</Button>
          <Button type="primary" onClick={onAccept}>{t('doc.delivery.accept')}</Button>
        </Space>
      )}>
      {isLoading && <Spin />}
      {error && <Typography.Text type="danger">{error.message}</Typography.Text>}
      {data && (
        <>
          <Typography.Title level={4} style={{ marginTop: 0 }}>{data.subject}</Typography.Title>
          <Descriptions size="small" bordered column={1} items={[
            { key: 'from', label: t('doc.delivery.from'), children: [data.senderName, data.senderCode].filter(Boolean).join(' · ') },
            { key: 'number', label: t('doc.numberSymbol'), children: data.numberSymbol ?? '—' },
            { key: 'date', label: t('doc.issuedDate'), children: formatDate(data.issuedDate) },
            { key: 'type', label: t('doc.type'), children: data.typeName },
            { key: 'signer', label: t('doc.signer'), children: [data.signerPosition, data.signerName].filter(Boolean).join(' ') || '—' },
            { key: 'urgency', label: t('doc.urgency'), children: urgencyLabel(t, data.urgency as Urgency) },
            { key: 'secrecy', label: t('doc.secrecy'), children: secrecyLabel(t, data.secrecy as Secrecy) },
            { key: 'due', label: t('doc.replyBy'), children: formatDate(data.dueDate) || '—' },
            { key: 'arrived', label: t('doc.delivery.arrivedAt'), children: formatDateTime(data.arrivedAt) },
          ]} />
          <Typography.Title level={5}>{t('doc.files')}</Typography.Title>
          <FilesList files={data.files} />
        </>
      )}
    </Drawer>
  );
}

/** Chờ tiếp nhận: documents other units sent to this clerk's unit — preview, accept (becomes incoming), refuse with a reason. */
export function DeliveriesQueue() {
  const t = useT();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [status, setStatus] = useState<Status>('arrived');
  const [page, setPage] = useState(1);
  const [previewing, setPreviewing] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<Delivery | null>(null);
  const [refusing, setRefusing] = useState<Delivery | null>(null);
  const [acceptForm] = Form.useForm<{ bookId?: string; dueDate?: Dayjs }>();
  const [refuseForm] = Form.useForm<{ reason: string }>();
  const { data: books = [] } = useRegisterBooks('incoming');
  const list = useQuery({
    queryKey: [...docKeys.deliveries, status, page],
    queryFn: () => documentsApi.deliveries(status, page),
    placeholderData: keepPreviousData,
  });
  const done = async () => {
    await qc.invalidateQueries({ queryKey: docKeys.deliveries });
    await qc.invalidateQueries({ queryKey: docKeys.all });
    setPreviewing(null);
  };
  const accept = useMutation({
    mutationFn: (v: { bookId?: string; dueDate?: Dayjs }) =>
      documentsApi.accept(accepting!.id, { bookId: v.bookId, dueDate: v.dueDate?.format('YYYY-MM-DD') }),
    onSuccess: async (r) => {
      setAccepting(null);
      await done();
      modal.success({
        title: t('doc.delivery.accepted', { n: r.arrivalNumber }),
        okText: t('doc.open'),
        onOk: () => navigate(`/van-ban/${r.incomingDocumentId}`),
      });
    },
    onError: (e) => message.error(e.message),
  });
  const refuse = useMutation({
    mutationFn: (v: { reason: string }) => documentsApi.refuse(refusing!.id, v.reason.trim()),
    onSuccess: async () => {
      setRefusing(null);
      await done();
      message.success(t('doc.delivery.refused'));
    },
    onError: (e) => message.error(e.message),
  });

  return (
    <>
      <Segmented<Status> aria-label={t('common.status')} style={{ marginBottom: 12 }} value={status}
        onChange={(v) => { setStatus(v); setPage(1); }}
        options={(['arrived', 'accepted', 'refused', 'recalled'] as const).map((s) => ({ value: s, label: recipientStatusLabel(t, s) }))} />
      {list.error && <Typography.Paragraph type="danger">{list.error.message}</Typography.Paragraph>}
      <Table<Delivery>
        rowKey="id"
        loading={list.isFetching}
        dataSource={urgentFirst(list.data?.items ?? [])}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          {
            title: t('doc.subject'), key: 'subject',
            render: (_, d) => (
              <>
                <Space size={4} wrap><UrgencyTag urgency={d.urgency} /><SecrecyTag secrecy={d.secrecy} />
                  <Typography.Text type="secondary">{d.typeName} {d.numberSymbol ?? ''}</Typography.Text></Space>
                <div><Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
                  onClick={() => setPreviewing(d.id)}>{d.subject}</Button></div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.senderName}</Typography.Text>
              </>
            ),
          },
          { title: t('doc.delivery.arrivedAt'), dataIndex: 'arrivedAt', width: 140, responsive: ['md'], render: (v: string) => formatDateTime(v) },
          ...(status === 'refused' ? [{ title: t('doc.reason'), dataIndex: 'reason' }] : []),
          {
            title: t('common.actions'), key: 'actions', width: 200,
            render: (_, d) => (
              <Space wrap size={4}>
                <Button size="small" onClick={() => setPreviewing(d.id)} aria-label={`${t('doc.delivery.view')} ${d.subject}`}>{t('doc.delivery.view')}</Button>
                {d.status === 'arrived' && <>
                  <Button size="small" type="primary" onClick={() => setAccepting(d)} aria-label={`${t('doc.delivery.accept')} ${d.subject}`}>{t('doc.delivery.accept')}</Button>
                  <Button size="small" danger onClick={() => setRefusing(d)} aria-label={`${t('doc.delivery.refuse')} ${d.subject}`}>{t('doc.delivery.refuse')}</Button>
                </>}
                {d.incomingDocumentId && <Button size="small" type="link" onClick={() => navigate(`/van-ban/${d.incomingDocumentId}`)}>{t('doc.open')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      {previewing && (
        <Preview id={previewing} onClose={() => setPreviewing(null)}
          onAccept={() => setAccepting(list.data?.items.find((x) => x.id === previewing) ?? null)}
          onRefuse={() => setRefusing(list.data?.items.find((x) => x.id === previewing) ?? null)} />
      )}
      <Modal open={!!accepting} title={t('doc.delivery.acceptTitle')} onCancel={() => setAccepting(null)} destroyOnHidden
        okText={t('doc.delivery.accept')} cancelText={t('common.cancel')} okButtonProps={{ loading: accept.isPending }} onOk={() => acceptForm.submit()}>
        <Typography.Paragraph>{accepting?.subject}</Typography.Paragraph>
        <Form form={acceptForm} name="delivery-accept" layout="vertical" preserve={false} onFinish={(v) => accept.mutate(v)}>
          {books.length > 1 && (
            <Form.Item name="bookId" label={t('doc.book')}><Select allowClear options={books.map((b) => ({ value: b.id, label: b.name }))} /></Form.Item>
          )}
          <Form.Item name="dueDate" label={t('doc.replyBy')}><DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!refusing} title={t('doc.delivery.refuseTitle')} onCancel={() => setRefusing(null)} destroyOnHidden
        okText={t('doc.delivery.refuse')} cancelText={t('common.cancel')} okButtonProps={{ danger: true, loading: refuse.isPending }}
        onOk={() => refuseForm.submit()}>
        <Typography.Paragraph>{refusing?.subject}</Typography.Paragraph>
        <Form form={refuseForm} name="delivery-refuse" layout="vertical" preserve={false} onFinish={(v) => refuse.mutate(v)}>
          <Form.Item name="reason" label={t('doc.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 2000 }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
