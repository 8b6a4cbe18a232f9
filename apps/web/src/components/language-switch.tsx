import { GlobalOutlined } from '@ant-design/icons';
import { Button, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../app/i18n';

/** One button that switches to the other language; its accessible name is that language ('English' / '中文'). */
export function LanguageSwitch({ type = 'text' }: { type?: ButtonProps['type'] }) {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language === 'en-US';
  const target = isEnglish ? 'zh-CN' : 'en-US';
  return (
    <Button
      type={type}
      icon={<GlobalOutlined aria-hidden />}
      onClick={() => setLanguage(target)}
      title={t('lang.label')}
      lang={target}
    >
      {t('lang.switchTo')}
    </Button>
  );
}
