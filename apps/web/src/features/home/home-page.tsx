import type { Role } from '@qinqing/contracts';
import { Card, Col, Descriptions, Empty, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { canSee, navItem, type NavItem } from '../../app/navigation';
import { useMe } from '../../app/session';

/** Pages a role's card links to (each shown only when the menu would show it). */
const roleLinks: Partial<Record<Role, NavItem['key'][]>> = {
  officer: ['enterprises', 'bindingRequests'],
  instructor: ['enterprises'],
  leader: ['enterprises'],
  supervisor: ['enterprises'],
  enterprise: ['myEnterprise'],
};
import { RoleTags } from '../../components/role-tags';

/** The workbench: who I am, where I belong, and what my roles do on the platform. */
export function HomePage() {
  const { t } = useTranslation();
  const { user, permissions } = useMe();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={2} style={{ marginTop: 0, fontSize: 22 }}>
          {t('home.welcome', { name: user.displayName })}
        </Typography.Title>
        <Descriptions
          column={1}
          items={[
            { key: 'organisation', label: t('home.organisation'), children: user.organisationName ?? t('home.noOrganisation') },
            { key: 'roles', label: t('home.roles'), children: <RoleTags roles={user.roles} /> },
          ]}
        />
      </Card>
      {user.roles.length === 0 ? (
        <Card>
          <Empty description={t('home.noRoles')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {user.roles.map((role) => (
            <Col key={role} xs={24} md={12} xl={8}>
              <Card title={t('home.dutiesTitle', { role: t(`roles.${role}`) })} style={{ height: '100%' }}>
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {t(`roleDuties.${role}`, { returnObjects: true }).map((duty) => (
                    <li key={duty} style={{ marginBottom: 4 }}>
                      {duty}
                    </li>
                  ))}
                </ul>
                <RoleLinks role={role} permissions={permissions} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}

function RoleLinks({ role, permissions }: { role: Role; permissions: readonly string[] }) {
  const { t } = useTranslation();
  const links = (roleLinks[role] ?? []).map(navItem).filter((item) => canSee(item, permissions));
  if (links.length === 0) return null;
  return (
    <nav aria-label={t('home.quickLinks')} style={{ marginTop: 12, display: 'flex', flexWrap: 'wrap', gap: 12 }}>
      {links.map((item) => (
        <Link key={item.key} to={item.path}>
          {item.icon} {t(`nav.${item.key}`)}
        </Link>
      ))}
    </nav>
  );
}
