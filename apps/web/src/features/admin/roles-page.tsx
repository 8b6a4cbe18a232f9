import { permissions as knownPermissions, type Permission, type Role } from '@qinqing/contracts';
import { useQuery } from '@tanstack/react-query';
import { Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { errorText } from '../../app/errors';
import { PageTitle } from '../../components/page-title';
import { RoleTag } from '../../components/role-tags';

interface RoleEntry {
  role: Role;
  permissions: string[];
}

function isPermission(value: string): value is Permission {
  return (knownPermissions as readonly string[]).includes(value);
}

function PermissionTag({ permission }: { permission: string }) {
  const { t } = useTranslation();
  // A permission the server added before this UI knew it still shows, by its code.
  const label = isPermission(permission) ? t(`permissions.${permission}`) : permission;
  return <Tag title={permission}>{label}</Tag>;
}

/** The role → permission catalogue as the server enforces it. */
export function RolesPage() {
  const { t } = useTranslation();
  const catalogue = useQuery({ queryKey: ['roles'], queryFn: () => api<RoleEntry[]>('/api/roles'), staleTime: Infinity });
  const columns: TableColumnsType<RoleEntry> = [
    { title: t('rolesPage.role'), dataIndex: 'role', render: (role: Role) => <RoleTag role={role} /> },
    { title: t('rolesPage.code'), dataIndex: 'role', key: 'code', render: (role: string) => <Typography.Text code>{role}</Typography.Text> },
    {
      title: t('rolesPage.permissions'),
      dataIndex: 'permissions',
      render: (permissions: string[]) =>
        permissions.length === 0 ? (
          <Typography.Text type="secondary">{t('rolesPage.noPermissions')}</Typography.Text>
        ) : (
          <span style={{ display: 'inline-flex', flexWrap: 'wrap', rowGap: 4 }}>
            {permissions.map((permission) => (
              <PermissionTag key={permission} permission={permission} />
            ))}
          </span>
        ),
    },
  ];
  return (
    <>
      <PageTitle>{t('rolesPage.title')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('rolesPage.desc')}</Typography.Paragraph>
      <Table<RoleEntry>
        rowKey="role"
        columns={columns}
        dataSource={catalogue.data ?? []}
        loading={catalogue.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={catalogue.error ? { emptyText: errorText(catalogue.error, t) } : undefined}
      />
    </>
  );
}
