import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/page-title';
import { DeadlineTool } from './deadline-tool';

/** The due-date tool on its own, for everyone who does not keep the calendar. */
export function DeadlinePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('nav.deadline')}</PageTitle>
      <DeadlineTool isTitled={false} />
    </>
  );
}
