import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DemoBanner } from '../../components/demo-banner';
import { LanguageSwitch } from '../../components/language-switch';

/** The frame of the signed-out screens: brand, language switch, demo banner, one centred card. */
export function AuthPageFrame({ title, extra, children, wide }: { title: string; extra?: ReactNode; children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  return (
    <div style={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', background: 'linear-gradient(180deg, #eaf1fb 0%, #f5f7fa 320px)' }}>
      <header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '12px 16px', gap: 8 }}>
        <Typography.Text strong style={{ fontSize: 18 }}>
          {t('common.appTitle')}
        </Typography.Text>
        <LanguageSwitch />
      </header>
      <main style={{ flex: 1, display: 'flex', justifyContent: 'center', padding: '16px 12px 48px' }}>
        <div style={{ width: '100%', maxWidth: wide ? 560 : 420 }}>
          <DemoBanner variant="box" />
          <Card>
            <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
              {title}
            </Typography.Title>
            {children}
          </Card>
          {extra}
        </div>
      </main>
    </div>
  );
}
