import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Layout, Menu, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { DemoBanner } from '../components/demo-banner';
import { NotificationBell } from '../features/notifications/notification-bell';
import { LanguageSwitch } from '../components/language-switch';
import { RoleTags } from '../components/role-tags';
import { useIsNarrow, useIsPhone } from '../components/use-is-narrow';
import { errorText } from './errors';
import { activeNavKey, canSee, navItems } from './navigation';
import { useLogout, useMe } from './session';

const { Header, Sider, Content } = Layout;

function Brand({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, color: 'inherit', whiteSpace: 'nowrap' }}>
      <span
        aria-hidden
        style={{
          display: 'inline-flex',
          width: 28,
          height: 28,
          borderRadius: 6,
          background: '#1d5fbf',
          color: '#fff',
          alignItems: 'center',
          justifyContent: 'center',
          fontWeight: 700,
        }}
      >
        亲
      </span>
      <Typography.Text strong style={{ fontSize: 16 }}>
        {compact ? t('common.appName') : t('common.appTitle')}
      </Typography.Text>
    </Link>
  );
}

function SideMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const selected = activeNavKey(location.pathname);
  const items = navItems
    .filter((item) => canSee(item, me.permissions))
    .map((item) => ({
      key: item.key,
      icon: item.icon,
      label: (
        <Link to={item.path} onClick={onNavigate}>
          {t(`nav.${item.key}`)}
        </Link>
      ),
    }));
  return (
    <nav aria-label={t('nav.mainMenu')}>
      <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} style={{ borderInlineEnd: 'none' }} />
    </nav>
  );
}

/** The signed-in frame: side menu (a drawer on narrow screens), header with user, language and logout. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const isNarrow = useIsNarrow();
  const isPhone = useIsPhone();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const logout = useLogout();
  const { message } = App.useApp();

  const onLogout = () =>
    logout.mutate(undefined, {
      onError: (error) => void message.error(errorText(error, t)),
    });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!isNarrow && (
        <Sider width={216} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div style={{ height: 56, display: 'flex', alignItems: 'center', paddingInline: 20 }}>
            <Brand compact />
          </div>
          <SideMenu />
        </Sider>
      )}
      {isNarrow && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          title={<Brand compact />}
          styles={{ body: { padding: 0 } }}
        >
          <SideMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            background: '#fff',
            paddingInline: isPhone ? 8 : 24,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
            height: 56,
            lineHeight: '56px',
          }}
        >
          {isNarrow && (
            <>
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('nav.openMenu')}
                aria-expanded={drawerOpen}
                onClick={() => setDrawerOpen(true)}
              />
              <Brand compact />
            </>
          )}
          <div style={{ flex: 1, minWidth: 0 }} />
          <Space size={isPhone ? 0 : 8} align="center" style={{ minWidth: 0, lineHeight: 'normal' }}>
            <Typography.Text
              strong
              ellipsis
              style={{ maxWidth: isPhone ? 64 : 200 }}
              data-testid="current-user"
              title={me.user.username}
            >
              {me.user.displayName}
            </Typography.Text>
            {!isPhone && (
              <span aria-label={t('header.rolesLabel')}>
                <RoleTags roles={me.user.roles} />
              </span>
            )}
            <NotificationBell />
            <LanguageSwitch />
            <Button
              type="text"
              icon={<LogoutOutlined />}
              onClick={onLogout}
              loading={logout.isPending}
              aria-label={t('header.logout')}
            >
              {isPhone ? null : t('header.logout')}
            </Button>
          </Space>
        </Header>
        <DemoBanner />
        <Content style={{ padding: isPhone ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
