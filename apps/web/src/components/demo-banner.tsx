import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMetaQuery } from '../app/session';

/** A visible warning on every screen of a demo deployment: the data there is made up. */
export function DemoBanner({ variant = 'banner' }: { variant?: 'banner' | 'box' }) {
  const { t } = useTranslation();
  const { data: meta } = useMetaQuery();
  if (!meta?.isDemo) return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner={variant === 'banner'}
      title={t('demo.banner')}
      role="status"
      data-testid="demo-banner"
      style={variant === 'box' ? { marginBottom: 16 } : undefined}
    />
  );
}
