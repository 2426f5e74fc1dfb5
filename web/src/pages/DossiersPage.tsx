import { PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Input, Space, Switch, Tabs, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { hasRole } from '../api/documentQueries';
import { type Box, dossierApi, dossierKeys, type ListParams } from '../api/dossiers';
import { useMe } from '../api/queries';
import { DossierTable } from '../components/dossiers/DossierTable';
import { useT } from '../i18n';

/** Hồ sơ một cửa: the caller's queues (held by me, by my unit, online awaiting acceptance, awaiting return) and all dossiers. */
export function DossiersPage() {
  const t = useT();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const desk = hasRole(me, 'onestop_officer');
  const boxes: Box[] = desk ? ['mine', 'unit', 'desk', 'return', 'all'] : ['mine', 'unit', 'all'];
  const [params, setParams] = useSearchParams();
  const box = (boxes.includes(params.get('box') as Box) ? params.get('box') : boxes[0]) as Box;
  const [q, setQ] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query: ListParams = { box, q: q || undefined, overdue: overdue ? 'true' : undefined, ...paging };
  const list = useQuery({ queryKey: dossierKeys.list(query), queryFn: () => dossierApi.list(query), placeholderData: keepPreviousData });
  const counts = useQuery({ queryKey: dossierKeys.counts, queryFn: dossierApi.counts, refetchInterval: 60_000 });
  const countOf = (b: Box) => (b === 'all' ? 0 : (counts.data?.[b] ?? 0));
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('nav.onestopDossiers')}</Typography.Title>
        {desk && <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/mot-cua/tiep-nhan')}>{t('nav.onestopReception')}</Button>}
      </Space>
      <Tabs
        activeKey={box}
        onChange={(k) => {
          setParams({ box: k });
          setPaging((p) => ({ ...p, page: 1 }));
        }}
        items={boxes.map((b) => ({
          key: b,
          label: (
            <Space size={4}>
              {t(`ds.box.${b}`)}
              {countOf(b) > 0 && <Badge count={countOf(b)} color={b === 'desk' && (counts.data?.deskOverdue ?? 0) > 0 ? 'red' : 'blue'} />}
            </Space>
          ),
        }))}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('ds.searchPlaceholder')} style={{ width: 340 }} aria-label={t('ds.searchPlaceholder')}
          onSearch={(v) => { setQ(v.trim()); setPaging((p) => ({ ...p, page: 1 })); }} />
        <Space>
          <Switch checked={overdue} onChange={(v) => { setOverdue(v); setPaging((p) => ({ ...p, page: 1 })); }} aria-label={t('ds.onlyOverdue')} />
          <span>{t('ds.onlyOverdue')}</span>
        </Space>
      </Space>
      <DossierTable box={box} items={list.data?.items ?? []} total={list.data?.total ?? 0} page={paging.page} pageSize={paging.pageSize}
        loading={list.isFetching} onPage={(page, pageSize) => setPaging({ page, pageSize })} />
    </>
  );
}
