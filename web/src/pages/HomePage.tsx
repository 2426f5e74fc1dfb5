import { Card, Empty, Table, Tag, Typography } from 'antd';
import { hasRole } from '../api/documentQueries';
import { useMe } from '../api/queries';
import type { RoleGrant } from '../api/types';
import { formatDate } from '../components/format';
import { roleLabel } from '../components/labels';
import { InboxCounts } from '../components/documents/InboxCounts';
import { useT } from '../i18n';

export function HomePage() {
  const t = useT();
  const { data: me } = useMe();
  if (!me) return null;
  return (
    <>
      <Typography.Title level={2}>{t('home.greeting', { name: me.user.fullName })}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('home.today', { date: formatDate(new Date()) })}
        {me.user.positionTitle ? ` · ${me.user.positionTitle}` : ''}
        {me.user.unitName ? ` · ${me.user.unitName}` : ''}
      </Typography.Paragraph>
      {hasRole(me, 'clerk', 'specialist', 'leader', 'deputy_leader') && <InboxCounts />}
      <Card title={t('home.myUnits')}>
        {me.roles.length === 0 ? (
          <Empty description={t('home.noRoles')} />
        ) : (
          <Table<RoleGrant>
            size="small"
            pagination={false}
            rowKey={(r) => `${r.unitId}:${r.role}`}
            dataSource={me.roles}
            columns={[
              { title: t('home.unit'), dataIndex: 'unitName' },
              { title: t('home.role'), dataIndex: 'role', render: (r: RoleGrant['role']) => <Tag color="red">{roleLabel(t, r)}</Tag> },
            ]}
          />
        )}
      </Card>
    </>
  );
}
