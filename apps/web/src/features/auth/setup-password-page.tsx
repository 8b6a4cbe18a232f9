import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { refreshMe, useLogout } from '../../app/session';
import { ChangePasswordForm } from '../account/change-password-form';
import { AuthPageFrame } from './auth-page-frame';

/** Forced after the first login or an administrator's reset: nothing else is reachable until done. */
export function SetupPasswordPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const logout = useLogout();
  return (
    <AuthPageFrame title={t('auth.forcedPasswordTitle')}>
      <Alert type="info" showIcon title={t('auth.forcedPasswordDesc')} style={{ marginBottom: 16 }} />
      <ChangePasswordForm onDone={() => void refreshMe(queryClient)} />
      <Button type="link" style={{ paddingInline: 0, marginTop: 8 }} onClick={() => logout.mutate()}>
        {t('header.logout')}
      </Button>
    </AuthPageFrame>
  );
}
