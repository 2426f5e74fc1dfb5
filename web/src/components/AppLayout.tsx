import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Grid, Layout, Segmented, Space, Spin, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { Link, Outlet, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, unwrap, SIGN_IN_PATH } from '../api/client';
import { useMe } from '../api/queries';
import { useI18n, type Lang } from '../i18n';
import { BrandIcon, NavMenu } from './NavMenu';

const { Header, Sider, Content } = Layout;

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      aria-label={t('lang.label')}
      size="small"
      value={lang}
      onChange={setLang}
      options={[{ label: 'VI', value: 'vi' }, { label: 'EN', value: 'en' }]}
    />
  );
}

function useSignOut() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  return async () => {
    try {
      await unwrap(api.POST('/api/auth/logout'));
    } catch (e) {
      if (!(e instanceof Error && 'status' in e && e.status === 401)) message.error((e as Error).message);
    }
    qc.removeQueries();
    navigate(SIGN_IN_PATH, { replace: true });
  };
}

/** Responsive shell: a side menu on wide screens, a burger + drawer on phones. */
export function AppLayout() {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.lg;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { data: me } = useMe();
  const signOut = useSignOut();
  const user = me?.user;
  const brand = (
    <Link to="/" style={{ color: 'inherit', fontWeight: 600, fontSize: 18, whiteSpace: 'nowrap' }}>
      <BrandIcon /> {t('app.name')}
    </Link>
  );
  const who = (
    <div style={{ lineHeight: 1.3, minWidth: 0 }}>
      <Typography.Text strong ellipsis data-testid="user-name">
        <UserOutlined /> {user?.fullName}
      </Typography.Text>
      {user?.unitName && (
        <div>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }} data-testid="user-unit">
            {user.unitName}
          </Typography.Text>
        </div>
      )}
    </div>
  );
  const signOutButton = (
    <Button icon={<LogoutOutlined />} onClick={signOut}>
      {t('auth.signOut')}
    </Button>
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Sider width={240} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div style={{ padding: '16px 24px' }}>{brand}</div>
          <nav aria-label={t('nav.menu')}>
            <NavMenu />
          </nav>
        </Sider>
      )}
      <Layout>
        <Header
          style={{
            background: '#fff', padding: mobile ? '0 12px' : '0 24px', display: 'flex', alignItems: 'center',
            gap: 12, borderBottom: '1px solid #f0f0f0', height: 64,
          }}
        >
          {mobile && (
            <>
              <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} onClick={() => setDrawerOpen(true)} />
              {brand}
            </>
          )}
          <div style={{ flex: 1 }} />
          {!mobile && (
            <Space size="middle" align="center">
              {who}
              <LanguageSwitch />
              {signOutButton}
            </Space>
          )}
          {mobile && <LanguageSwitch />}
        </Header>
        <Content style={{ padding: mobile ? 12 : 24 }}>
          <Suspense fallback={<Spin />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          title={brand}
          size={280}
          styles={{ body: { padding: 0 } }}
        >
          <div style={{ padding: '12px 24px' }}>{who}</div>
          <nav aria-label={t('nav.menu')}>
            <NavMenu onNavigate={() => setDrawerOpen(false)} />
          </nav>
          <div style={{ padding: 24 }}>{signOutButton}</div>
        </Drawer>
      )}
    </Layout>
  );
}
