import { useQueryClient } from '@tanstack/react-query';
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { refreshMe, useMe } from '../../app/session';
import { RoleTags } from '../../components/role-tags';
import { useIsPhone } from '../../components/use-is-narrow';
import { NotificationSettingsForm } from '../notifications/notification-settings';
import { ApiTokens } from './api-tokens';
import { ChangePasswordForm } from './change-password-form';
import { TotpEnrolment } from './totp-enrolment';

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const isPhone = useIsPhone();
  const { user } = me;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        {t('account.title')}
      </Typography.Title>
      <Card title={t('account.profile')}>
        <Descriptions
          column={isPhone ? 1 : 2}
          items={[
            { key: 'username', label: t('account.username'), children: user.username },
            { key: 'displayName', label: t('account.displayName'), children: user.displayName },
            { key: 'organisation', label: t('account.organisation'), children: user.organisationName ?? t('common.none') },
            { key: 'phone', label: t('account.phone'), children: user.phone ?? t('common.none') },
            { key: 'roles', label: t('account.roles'), children: <RoleTags roles={user.roles} /> },
            { key: 'lastLoginAt', label: t('account.lastLoginAt'), children: formatDateTime(user.lastLoginAt) },
          ]}
        />
      </Card>
      <Card title={t('account.changePassword')}>
        <ChangePasswordForm />
      </Card>
      <Card title={t('account.totp')}>
        {user.hasTotp ? (
          <Tag color="green">{t('account.totpEnabled')}</Tag>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Tag>{t('account.totpNotEnabled')}</Tag>
            <TotpEnrolment onDone={() => void refreshMe(queryClient)} />
          </Space>
        )}
      </Card>
      <Card title={t('notifications.settings.title')} id="notification-settings">
        <NotificationSettingsForm />
      </Card>
      <Card title={t('account.tokens')}>
        <ApiTokens />
      </Card>
    </Space>
  );
}
