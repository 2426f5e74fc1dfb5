import {
  AuditOutlined, BankOutlined, CalendarOutlined, FileDoneOutlined, FolderOpenOutlined, GlobalOutlined,
  HomeOutlined, InboxOutlined, SafetyCertificateOutlined, SafetyOutlined, SendOutlined, ShopOutlined,
  BarChartOutlined, BookOutlined, CheckSquareOutlined, TeamOutlined, ApartmentOutlined, MailOutlined,
  ClockCircleOutlined, NodeIndexOutlined, ScheduleOutlined, SolutionOutlined,
} from '@ant-design/icons';
import { Menu, Tooltip, type MenuProps } from 'antd';
import { Link, useLocation } from 'react-router';
import { hasRole } from '../api/documentQueries';
import { isAdmin, canManageDirectory, canSeeReviewChain, useMe } from '../api/queries';
import { useT, type MessageKey } from '../i18n';

type Item = Required<MenuProps>['items'][number];

/** Document work: enabled for officials who take part in it. */
const DOCUMENTS: [string, MessageKey, React.ReactNode][] = [
  ['/van-ban-den', 'nav.incoming', <InboxOutlined />],
  ['/van-ban-di', 'nav.outgoing', <SendOutlined />],
  ['/ho-so-cong-viec', 'nav.files', <FolderOpenOutlined />],
];

const MODULES: [MessageKey, React.ReactNode][] = [
  ['nav.signing', <FileDoneOutlined />],
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
  const disabled = (key: MessageKey, icon: React.ReactNode): Item => ({
    key,
    icon,
    disabled: true,
    label: (
      <Tooltip title={t('common.comingSoon')} placement="right">
        <span>{t(key)}</span>
      </Tooltip>
    ),
  });
  const link = (to: string, key: MessageKey) => (
    <Link to={to} onClick={onNavigate}>
      {t(key)}
    </Link>
  );
  const official = hasRole(me, 'clerk', 'specialist', 'leader', 'deputy_leader');
  const documents: Item[] = official ? DOCUMENTS.map(([to, key, icon]): Item => ({ key: to, icon, label: link(to, key) })) : [];
  if (hasRole(me, 'clerk', 'leader', 'deputy_leader')) {
    documents.push({ key: '/so-dang-ky', icon: <BookOutlined />, label: link('/so-dang-ky', 'nav.registers') });
  }
  // One-stop work (Một cửa): the desk receives; desk, specialists and leaders handle their queues.
  if (hasRole(me, 'onestop_officer')) {
    documents.push({ key: '/mot-cua/tiep-nhan', icon: <ShopOutlined />, label: link('/mot-cua/tiep-nhan', 'nav.onestopReception') });
  }
  if (hasRole(me, 'onestop_officer', 'specialist', 'leader', 'deputy_leader')) {
    documents.push({ key: '/mot-cua/ho-so', icon: <SolutionOutlined />, label: link('/mot-cua/ho-so', 'nav.onestopDossiers') });
  }
  // One-stop statistics: the desk and the leaders (server rule: dossier.report).
  if (hasRole(me, 'onestop_officer', 'leader', 'deputy_leader')) {
    documents.push({ key: '/mot-cua/thong-ke', icon: <BarChartOutlined />, label: link('/mot-cua/thong-ke', 'nav.onestopStats') });
  }
  const items: Item[] = [
    { key: '/', icon: <HomeOutlined />, label: link('/', 'nav.home') },
    ...documents,
    ...MODULES.map(([key, icon]) => disabled(key, icon)),
  ];
  const admin: Item[] = [];
  if (canManageDirectory(me)) {
    admin.push(
      { key: '/quan-tri/don-vi', icon: <ApartmentOutlined />, label: link('/quan-tri/don-vi', 'nav.units') },
      { key: '/quan-tri/can-bo', icon: <TeamOutlined />, label: link('/quan-tri/can-bo', 'nav.officials') },
      { key: '/quan-tri/lich-lam-viec', icon: <ScheduleOutlined />, label: link('/quan-tri/lich-lam-viec', 'nav.calendar') },
      { key: '/quan-tri/thu-tuc', icon: <SolutionOutlined />, label: link('/quan-tri/thu-tuc', 'nav.procedures') },
      { key: '/quan-tri/chung-thu-so', icon: <SafetyCertificateOutlined />, label: link('/quan-tri/chung-thu-so', 'nav.certificates') },
      { key: '/quan-tri/con-dau', icon: <SafetyCertificateOutlined />, label: link('/quan-tri/con-dau', 'nav.seals') },
    );
  }
  if (canSeeReviewChain(me)) {
    admin.push({ key: '/quan-tri/quy-trinh-trinh-duyet', icon: <NodeIndexOutlined />, label: link('/quan-tri/quy-trinh-trinh-duyet', 'nav.reviewChain') });
  }
  if (isAdmin(me)) {
    admin.push(
      { key: '/quan-tri/nhat-ky', icon: <AuditOutlined />, label: link('/quan-tri/nhat-ky', 'nav.audit') },
      { key: '/quan-tri/bao-mat', icon: <SafetyOutlined />, label: link('/quan-tri/bao-mat', 'nav.security') },
      { key: '/quan-tri/hang-doi-gui', icon: <MailOutlined />, label: link('/quan-tri/hang-doi-gui', 'nav.outbox') },
      { key: '/quan-tri/nhac-han', icon: <ClockCircleOutlined />, label: link('/quan-tri/nhac-han', 'nav.digest') },
      { key: '/quan-tri/mau-thong-bao', icon: <ClockCircleOutlined />, label: link('/quan-tri/mau-thong-bao', 'nav.notificationTemplates') },
    );
  }
  if (admin.length) items.push({ type: 'group', key: 'admin', label: t('nav.admin'), children: admin });
  items.push({ type: 'divider' }, {
    key: '/ca-nhan', icon: <SafetyCertificateOutlined />, label: link('/ca-nhan', 'nav.profile'),
  });
  // A document page belongs to the list it was opened from; keep the module highlighted for sub-paths.
  const selected = pathname.startsWith('/van-ban/') ? [] : pathname.startsWith('/quan-tri/thu-tuc/') ? ['/quan-tri/thu-tuc'] : pathname.startsWith('/mot-cua/ho-so/') ? ['/mot-cua/ho-so'] : [pathname];
  return <Menu mode="inline" selectedKeys={selected} items={items} style={{ borderInlineEnd: 0 }} />;
}

export const BrandIcon = BankOutlined;
