import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { OUTGOING_STATUSES, docKeys, documentsApi } from '../api/documents';
import { hasRole } from '../api/documentQueries';
import { useMe } from '../api/queries';
import { DocumentFilters } from '../components/documents/DocumentFilters';
import { DocumentTable } from '../components/documents/DocumentTable';
import { toListQuery, useListParams } from '../components/documents/listParams';
import { useT } from '../i18n';

const OutgoingForm = lazy(() => import('../components/documents/OutgoingForm').then((m) => ({ default: m.OutgoingForm })));

/** Văn bản đi: drafts, documents in review and issued documents of the caller's units (box=outgoing); "Dự thảo văn bản". */
export function OutgoingPage() {
  const t = useT();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const { filters, update, replace } = useListParams('list');
  const drafting = params.get('draft') === '1';
  const setDrafting = (on: boolean) => setParams((prev) => {
    const next = new URLSearchParams(prev);
    if (on) next.set('draft', '1');
    else { next.delete('draft'); next.delete('replaces'); }
    return next;
  });
  const query = toListQuery('outgoing', { ...filters, state: undefined });
  const list = useQuery({ queryKey: docKeys.list(query), queryFn: () => documentsApi.list(query), placeholderData: keepPreviousData });
  const canDraft = hasRole(me, 'clerk', 'specialist', 'leader', 'deputy_leader');

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2}>{t('nav.outgoing')}</Typography.Title>
        {canDraft && <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrafting(true)}>{t('doc.outgoing.draft')}</Button>}
      </Space>
      <DocumentFilters box="outgoing" filters={filters} statuses={OUTGOING_STATUSES} onChange={update} onReplace={replace} />
      {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <DocumentTable
        direction="outgoing"
        items={list.data?.items ?? []}
        total={list.data?.total ?? 0}
        page={filters.page ?? 1}
        pageSize={filters.pageSize ?? 20}
        loading={list.isFetching}
        keepOrder={query.sort === 'relevance'}
        onPage={(page, pageSize) => update({ page, pageSize }, true)}
      />
      {drafting && (
        <Suspense fallback={null}>
          <OutgoingForm open onClose={() => setDrafting(false)} replaces={params.get('replaces') ?? undefined} />
        </Suspense>
      )}
    </>
  );
}
