import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { refreshMe, useLogout } from '../../app/session';
import { TotpEnrolment } from '../account/totp-enrolment';
import { AuthPageFrame } from './auth-page-frame';

/** Forced for bank users and the three administrators until they have a second factor. */
export function SetupTotpPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const logout = useLogout();
  return (
    <AuthPageFrame title={t('auth.forcedTotpTitle')} wide>
      <Alert type="info" showIcon title={t('auth.forcedTotpDesc')} style={{ marginBottom: 16 }} />
      <TotpEnrolment onDone={() => void refreshMe(queryClient)} />
      <Button type="link" style={{ paddingInline: 0, marginTop: 8 }} onClick={() => logout.mutate()}>
        {t('header.logout')}
      </Button>
    </AuthPageFrame>
  );
}
