import {
  AuditOutlined,
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
  key: 'home' | 'organisations' | 'users' | 'roles' | 'securityPolicy' | 'audit' | 'account';
  path: string;
  icon: ReactNode;
  /** Shown when the user holds any of these; everyone when absent. */
  anyOf?: Permission[];
}

/** The side menu, in order. The router guards each page with the same `anyOf`. */
export const navItems: NavItem[] = [
  { key: 'home', path: '/', icon: <HomeOutlined /> },
  { key: 'organisations', path: '/organisations', icon: <ApartmentOutlined />, anyOf: ['organisations:read'] },
  { key: 'users', path: '/users', icon: <TeamOutlined />, anyOf: ['users:read'] },
  { key: 'roles', path: '/roles', icon: <SafetyCertificateOutlined />, anyOf: ['users:read', 'roles:assign'] },
  { key: 'securityPolicy', path: '/security-policy', icon: <SettingOutlined />, anyOf: ['security-policy:read'] },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, anyOf: ['audit:read'] },
  { key: 'account', path: '/account', icon: <UserOutlined /> },
];

export function canSee(item: Pick<NavItem, 'anyOf'>, permissions: readonly string[]): boolean {
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
