import { DeleteOutlined, FilePdfOutlined, FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Select, Space, Spin, Table, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type WorkFileDetail, docKeys, documentsApi, exportUrls, workFilesApi } from '../../api/documents';
import { useT } from '../../i18n';
import { keyedLabel } from '../documents/labels';
import { formatDate, formatDateTime } from '../format';
import { WorkFileStatusTag } from './WorkFileStatusTag';

type Filed = WorkFileDetail['documents'][number];

/** Picks a readable document by typing part of its subject or number. */
function DocumentPicker({ onPick, loading }: { onPick: (id: string) => void; loading: boolean }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [value, setValue] = useState<string>();
  const query = { box: 'all' as const, q: q || undefined, pageSize: 20 };
  const { data, isFetching } = useQuery({ queryKey: docKeys.list(query), queryFn: () => documentsApi.list(query) });
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select aria-label={t('workfile.pickDocument')} placeholder={t('workfile.pickDocument')} style={{ flex: 1, minWidth: 0 }} value={value}
        onChange={setValue} loading={isFetching} showSearch={{ filterOption: false, onSearch: setQ }}
        options={(data?.items ?? []).map((d) => ({ value: d.id, label: `${d.numberSymbol ?? d.arrivalNumber ?? '—'} · ${d.subject}` }))} />
      <Button type="primary" icon={<PlusOutlined />} disabled={!value} loading={loading}
        onClick={() => { if (value) { onPick(value); setValue(undefined); } }}>{t('workfile.addDocument')}</Button>
    </Space.Compact>
  );
}

/** A work file: its metadata, documents (index order), history; add / remove documents while open; exports. */
export function WorkFileDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const key = [...docKeys.workFiles, 'detail', id];
  const { data: f, isLoading, error } = useQuery({ queryKey: key, queryFn: () => workFilesApi.detail(id) });
  const refresh = () => qc.invalidateQueries({ queryKey: docKeys.workFiles });
  const add = useMutation({
    mutationFn: (documentId: string) => workFilesApi.addDocument(id, documentId),
    onSuccess: async (r) => {
      await refresh();
      message.success(r.added ? t('workfile.documentAdded') : t('workfile.alreadyIn'));
    },
    onError: (e) => message.error(e.message),
  });
  const remove = useMutation({
    mutationFn: (documentId: string) => workFilesApi.removeDocument(id, documentId),
    onSuccess: async () => {
      await refresh();
      message.success(t('workfile.documentRemoved'));
    },
    onError: (e) => message.error(e.message),
  });
  const open = f?.status === 'open';
  return (
    <Drawer open onClose={onClose} size="min(860px, 100vw)" title={f ? `${f.notation} — ${f.title}` : t('workfile.title')}
      extra={f && (
        <Space wrap>
          <Button icon={<FilePdfOutlined />} href={exportUrls.workFile(f.id, 'pdf')} target="_blank" rel="noreferrer">{t('workfile.exportPdf')}</Button>
          <Button icon={<FileTextOutlined />} href={exportUrls.workFile(f.id, 'xml')}>{t('workfile.exportXml')}</Button>
        </Space>
      )}>
      {isLoading && <Spin />}
      {error && <Alert type="error" showIcon title={error.message} />}
      {f && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} items={[
            { key: 'notation', label: t('workfile.notation'), children: f.notation },
            { key: 'status', label: t('common.status'), children: <WorkFileStatusTag status={f.status} /> },
            { key: 'year', label: t('workfile.year'), children: f.year },
            { key: 'retention', label: t('workfile.retention'), children: f.retentionLabel },
            { key: 'owner', label: t('workfile.owner'), children: f.ownerName ?? f.createdByName ?? '—' },
            { key: 'unit', label: t('home.unit'), children: f.unitName },
            { key: 'opened', label: t('workfile.openedAt'), children: formatDate(f.openedAt) || '—' },
            { key: 'closed', label: t('workfile.closedAt'), children: formatDate(f.closedAt) || '—' },
            ...(f.note ? [{ key: 'note', label: t('doc.note'), children: f.note }] : []),
          ]} />
          {open && <DocumentPicker onPick={(d) => add.mutate(d)} loading={add.isPending} />}
          {f.hiddenCount > 0 && <Alert type="info" showIcon title={t('workfile.hidden', { n: f.hiddenCount })} />}
          <Table<Filed>
            rowKey="id" size="small" pagination={false} dataSource={f.documents} scroll={{ x: 640 }}
            columns={[
              { title: '#', key: 'i', width: 50, render: (_, __, i) => i + 1 },
              { title: t('doc.numberSymbol'), key: 'number', width: 140, render: (_, d) => <>{d.numberSymbol ?? '—'}<div><Typography.Text type="secondary">{formatDate(d.issuedDate)}</Typography.Text></div></> },
              { title: t('doc.subject'), key: 'subject', render: (_, d) => <><Link to={`/van-ban/${d.id}`}>{d.subject}</Link><div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.typeName} · {d.issuerName}</Typography.Text></div></> },
              { title: t('workfile.addedAt'), key: 'added', width: 150, responsive: ['md'], render: (_, d) => `${formatDateTime(d.addedAt)}${d.addedByName ? ` · ${d.addedByName}` : ''}` },
              ...(open ? [{
                title: '', key: 'remove', width: 50,
                render: (_: unknown, d: Filed) => (
                  <Button type="text" danger icon={<DeleteOutlined />} aria-label={`${t('workfile.removeDocument')} ${d.subject}`}
                    onClick={() => remove.mutate(d.id)} />
                ),
              }] : []),
            ]}
          />
          {f.history.length > 0 && (
            <>
              <Typography.Title level={5}>{t('workfile.history')}</Typography.Title>
              <Timeline items={f.history.map((h, i) => ({
                key: i,
                content: <>
                  <Typography.Text strong>{keyedLabel(t, 'workfile.event', h.action)}</Typography.Text>
                  <Typography.Text type="secondary"> — {h.actorName ?? t('audit.system')}, {formatDateTime(h.at)}</Typography.Text>
                  {h.reason && <div>{h.reason}</div>}
                </>,
              }))} />
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}
