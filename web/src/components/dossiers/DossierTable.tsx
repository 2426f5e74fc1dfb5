import { Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import type { Box, DossierItem } from '../../api/dossiers';
import { useT } from '../../i18n';
import { formatDateTime } from '../format';
import { channelLabel, DossierStatusTag, DueTag } from './DossierTags';

type Props = {
  box: Box;
  items: DossierItem[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPage: (page: number, pageSize: number) => void;
};

/** A page of dossiers: code, procedure, applicant, status, the due time that matters for the box. */
export function DossierTable({ box, items, total, page, pageSize, loading, onPage }: Props) {
  const t = useT();
  const columns: ColumnsType<DossierItem> = [
    {
      key: 'code', title: t('ds.code'), width: 230,
      render: (_, d) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/mot-cua/ho-so/${d.id}`}>{d.code ?? t('ds.status.1')}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{channelLabel(t, d.channel)}</Typography.Text>
        </Space>
      ),
    },
    {
      key: 'procedure', title: t('ds.procedure'),
      render: (_, d) => <span><Typography.Text type="secondary">{d.procedureCode}</Typography.Text> {d.procedureName}</span>,
    },
    { key: 'applicant', dataIndex: 'applicantName', title: t('ds.applicant'), width: 180 },
    { key: 'status', title: t('common.status'), width: 170, render: (_, d) => <DossierStatusTag code={d.statusCode} /> },
    box === 'desk'
      ? {
          key: 'acceptBy', title: t('ds.acceptBy'), width: 200,
          render: (_, d) => (
            <Space orientation="vertical" size={0}>
              <span>{formatDateTime(d.acceptBy)}</span>
              {d.acceptOverdue && <Tag color="red">{t('ds.acceptOverdue')}</Tag>}
            </Space>
          ),
        }
      : { key: 'due', title: t('ds.dueAt'), width: 220, render: (_, d) => <DueTag state={d.dueState} dueAt={d.dueAt} /> },
    {
      key: 'step', title: t('ds.step'), width: 220,
      render: (_, d) => d.stepName && (
        <Space orientation="vertical" size={0}>
          <span>{d.stepName}</span>
          {d.stepDueAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('ds.stepDue')}: {formatDateTime(d.stepDueAt)}</Typography.Text>}
          {d.holderName && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.holderName}</Typography.Text>}
        </Space>
      ),
    },
  ];
  return (
    <Table<DossierItem>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: 1100 }}
      pagination={{ current: page, pageSize, total, showSizeChanger: true, onChange: onPage }}
    />
  );
}
