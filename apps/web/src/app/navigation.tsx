import {
  AuditOutlined,
  BarChartOutlined,
  TagsOutlined,
  FormOutlined,
  MessageOutlined,
  CalendarOutlined,
  CommentOutlined,
  ScheduleOutlined,
  FieldTimeOutlined,
  BankOutlined,
  ShopOutlined,
  UserAddOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  ApartmentOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@qinqing/contracts';
import type { ReactNode } from 'react';

export interface NavItem {
  key: 'home' | 'enterprises' | 'myEnterprise' | 'bindingRequests' | 'organisations' | 'users' | 'roles' | 'securityPolicy' | 'audit' | 'account' | 'calendar' | 'deadline' | 'visits' | 'liaisonPoints' | 'appeals' | 'appealNew' | 'appealKpis' | 'appealCategories';
  path: string;
  icon: ReactNode;
  /** Shown when the user holds any of these; everyone when absent. */
  anyOf?: Permission[];
  /**
   * Menu only: hidden from those holding any of these (an enterprise user reads the registry scoped to their
   * own enterprises, so they get 我的企业 instead of 企业名录). The route guard still uses `anyOf` alone.
   */
  hiddenFor?: Permission[];
}

/** The side menu, in order. The router guards each page with the same `anyOf`. */
export const navItems: NavItem[] = [
  { key: 'home', path: '/', icon: <HomeOutlined /> },
  { key: 'enterprises', path: '/enterprises', icon: <ShopOutlined />, anyOf: ['enterprises:read'], hiddenFor: ['enterprises:claim'] },
  { key: 'myEnterprise', path: '/my-enterprise', icon: <BankOutlined />, anyOf: ['enterprises:claim'] },
  { key: 'bindingRequests', path: '/enterprise-bindings', icon: <UserAddOutlined />, anyOf: ['enterprises:bind'] },
  { key: 'appeals', path: '/appeals', icon: <MessageOutlined />, anyOf: ['appeals:read'] },
  { key: 'appealNew', path: '/appeals/new', icon: <FormOutlined />, anyOf: ['appeals:submit'] },
  { key: 'appealKpis', path: '/appeals/kpis', icon: <BarChartOutlined />, anyOf: ['appeals:kpi'] },
  { key: 'appealCategories', path: '/appeals/categories', icon: <TagsOutlined />, anyOf: ['appeals:manage'] },
  { key: 'visits', path: '/visits', icon: <ScheduleOutlined />, anyOf: ['visits:read'] },
  { key: 'liaisonPoints', path: '/liaison-points', icon: <CommentOutlined />, anyOf: ['visits:read'] },
  { key: 'organisations', path: '/organisations', icon: <ApartmentOutlined />, anyOf: ['organisations:read'] },
  { key: 'users', path: '/users', icon: <TeamOutlined />, anyOf: ['users:read'] },
  { key: 'roles', path: '/roles', icon: <SafetyCertificateOutlined />, anyOf: ['users:read', 'roles:assign'] },
  { key: 'securityPolicy', path: '/security-policy', icon: <SettingOutlined />, anyOf: ['security-policy:read'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, anyOf: ['audit:read'] },
  { key: 'calendar', path: '/calendar', icon: <CalendarOutlined />, anyOf: ['calendar:write'] },
  // The due-date tool for everyone; those who keep the calendar have it on the calendar page.
  { key: 'deadline', path: '/calendar/deadline', icon: <FieldTimeOutlined />, hiddenFor: ['calendar:write'] },
  { key: 'account', path: '/account', icon: <UserOutlined /> },
];

export function canSee(item: Pick<NavItem, 'anyOf' | 'hiddenFor'>, permissions: readonly string[]): boolean {
  if (item.hiddenFor?.some((permission) => permissions.includes(permission))) return false;
  return !item.anyOf || item.anyOf.some((permission) => permissions.includes(permission));
}

export function navItem(key: NavItem['key']): NavItem {
  const item = navItems.find((candidate) => candidate.key === key);
  if (!item) throw new Error(`unknown nav item ${key}`);
  return item;
}

/** The menu entry a location belongs to (longest matching path). */
export function activeNavKey(pathname: string): NavItem['key'] | undefined {
  return navItems
    .filter((item) => (item.path === '/' ? pathname === '/' : pathname === item.path || pathname.startsWith(`${item.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0]?.key;
}
