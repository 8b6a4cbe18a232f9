import { roles as allRoles, type Role } from '@qinqing/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const colors: Record<Role, string> = {
  officer: 'blue',
  handler: 'cyan',
  instructor: 'geekblue',
  leader: 'purple',
  enterprise: 'green',
  bank: 'gold',
  supervisor: 'volcano',
  sysadmin: 'red',
  secadmin: 'magenta',
  auditadmin: 'orange',
};

export function isRole(value: string): value is Role {
  return (allRoles as readonly string[]).includes(value);
}

export function RoleTag({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <Tag color={colors[role]} style={{ marginInlineEnd: 4 }}>
      {t(`roles.${role}`)}
    </Tag>
  );
}

export function RoleTags({ roles }: { roles: readonly Role[] }) {
  const { t } = useTranslation();
  if (roles.length === 0) return <>{t('common.none')}</>;
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', rowGap: 4 }}>
      {roles.map((role) => (
        <RoleTag key={role} role={role} />
      ))}
    </span>
  );
}
