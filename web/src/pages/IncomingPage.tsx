import { PlusOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Segmented, Space, Spin, Tabs, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type InboxState, INBOX_STATES, INCOMING_STATUSES, docKeys, documentsApi } from '../api/documents';
import { isClerk } from '../api/documentQueries';
import { useMe } from '../api/queries';
import { DocumentFilters } from '../components/documents/DocumentFilters';
import { DocumentTable } from '../components/documents/DocumentTable';
import { toListQuery, useListParams } from '../components/documents/listParams';
import { useT } from '../i18n';

const IncomingForm = lazy(() => import('../components/documents/IncomingForm').then((m) => ({ default: m.IncomingForm })));
const DeliveriesQueue = lazy(() => import('../components/documents/DeliveriesQueue').then((m) => ({ default: m.DeliveriesQueue })));

/** Văn bản đến: the unit's register (box=incoming), the caller's own work (box=assigned) and, for clerks, the queue of documents sent by other units. */
export function IncomingPage() {
  const t = useT();
  const { data: me } = useMe();
  const clerk = isClerk(me);
  const { filters, tab, update, replace, switchTab } = useListParams('book');
  const [registering, setRegistering] = useState(false);
  const mine = tab === 'mine';
  const query = toListQuery(mine ? 'assigned' : 'incoming', mine ? filters : { ...filters, state: undefined });
  const list = useQuery({
    queryKey: docKeys.list(query),
    queryFn: () => documentsApi.list(query),
    placeholderData: keepPreviousData,
    enabled: tab !== 'accept',
  });
  const counts = useQuery({ queryKey: docKeys.counts, queryFn: documentsApi.counts });

  const listView = (
    <>
      {mine && (
        <Segmented<InboxState | 'all'>
          aria-label={t('doc.inbox.state')}
          style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
          value={filters.state ?? 'all'}
          onChange={(v) => update({ state: v === 'all' ? undefined : v })}
          options={[
            { value: 'all', label: t('common.all') },
            ...INBOX_STATES.map((s) => ({ value: s, label: t(`doc.inbox.${s}`) })),
          ]}
        />
      )}
      <DocumentFilters box={query.box} filters={filters} statuses={INCOMING_STATUSES} onChange={update} onReplace={replace} />
      {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <DocumentTable
        direction="incoming"
        items={list.data?.items ?? []}
        total={list.data?.total ?? 0}
        page={filters.page ?? 1}
        pageSize={filters.pageSize ?? 20}
        loading={list.isFetching}
        keepOrder={query.sort === 'relevance'}
        onPage={(page, pageSize) => update({ page, pageSize }, true)}
      />
    </>
  );

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2}>{t('nav.incoming')}</Typography.Title>
        {clerk && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>{t('doc.incoming.register')}</Button>
        )}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={switchTab}
        items={[
          { key: 'book', label: t('doc.incoming.book'), children: tab === 'book' ? listView : null },
          {
            key: 'mine',
            label: <Badge count={counts.data ? counts.data.pending + counts.data.inProgress : 0} size="small" offset={[8, -2]}>{t('doc.inbox.mine')}</Badge>,
            children: mine ? listView : null,
          },
          ...(clerk ? [{
            key: 'accept',
            label: <Badge count={counts.data?.toAccept ?? 0} size="small" offset={[8, -2]}>{t('doc.delivery.queue')}</Badge>,
            children: tab === 'accept' ? <Suspense fallback={<Spin />}><DeliveriesQueue /></Suspense> : null,
          }] : []),
        ]}
      />
      {registering && (
        <Suspense fallback={null}>
          <IncomingForm open={registering} onClose={() => setRegistering(false)} />
        </Suspense>
      )}
    </>
  );
}
