import {
  AuditOutlined, BankOutlined, CalendarOutlined, FileDoneOutlined, FolderOpenOutlined, GlobalOutlined,
  HomeOutlined, InboxOutlined, SafetyCertificateOutlined, SafetyOutlined, SendOutlined, ShopOutlined,
  BarChartOutlined, CheckSquareOutlined, TeamOutlined, ApartmentOutlined,
} from '@ant-design/icons';
import { Menu, Tooltip, type MenuProps } from 'antd';
import { Link, useLocation } from 'react-router';
import { isAdmin, canManageDirectory, useMe } from '../api/queries';
import { useT, type MessageKey } from '../i18n';

type Item = Required<MenuProps>['items'][number];

const MODULES: [MessageKey, React.ReactNode][] = [
  ['nav.incoming', <InboxOutlined />],
  ['nav.outgoing', <SendOutlined />],
  ['nav.files', <FolderOpenOutlined />],
  ['nav.signing', <FileDoneOutlined />],
  ['nav.onestop', <ShopOutlined />],
  ['nav.portal', <GlobalOutlined />],
  ['nav.tasks', <CheckSquareOutlined />],
  ['nav.meetings', <CalendarOutlined />],
  ['nav.reports', <BarChartOutlined />],
];

/** The module navigation; modules not built yet are listed, disabled, with a "coming soon" tooltip. */
export function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const t = useT();
  const { data: me } = useMe();
  const { pathname } = useLocation();
  const link = (to: string, key: MessageKey) => (
    <Link to={to} onClick={onNavigate}>
      {t(key)}
    </Link>
  );
  const items: Item[] = [
    { key: '/', icon: <HomeOutlined />, label: link('/', 'nav.home') },
    ...MODULES.map(([key, icon]): Item => ({
      key,
      icon,
      disabled: true,
      label: (
        <Tooltip title={t('common.comingSoon')} placement="right">
          <span>{t(key)}</span>
        </Tooltip>
      ),
    })),
  ];
  if (canManageDirectory(me)) {
    const admin: Item[] = [
      { key: '/quan-tri/don-vi', icon: <ApartmentOutlined />, label: link('/quan-tri/don-vi', 'nav.units') },
      { key: '/quan-tri/can-bo', icon: <TeamOutlined />, label: link('/quan-tri/can-bo', 'nav.officials') },
    ];
    if (isAdmin(me)) {
      admin.push(
        { key: '/quan-tri/nhat-ky', icon: <AuditOutlined />, label: link('/quan-tri/nhat-ky', 'nav.audit') },
        { key: '/quan-tri/bao-mat', icon: <SafetyOutlined />, label: link('/quan-tri/bao-mat', 'nav.security') },
      );
    }
    items.push({ type: 'group', key: 'admin', label: t('nav.admin'), children: admin });
  }
  items.push({ type: 'divider' }, {
    key: '/ca-nhan', icon: <SafetyCertificateOutlined />, label: link('/ca-nhan', 'nav.profile'),
  });
  return <Menu mode="inline" selectedKeys={[pathname]} items={items} style={{ borderInlineEnd: 0 }} />;
}

export const BrandIcon = BankOutlined;
