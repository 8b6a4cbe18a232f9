import type { VisitStatus } from '@qinqing/contracts';
import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isOverdue, unitColour } from './visit-model';

const statusColours: Record<VisitStatus, string> = { planned: 'blue', done: 'green', cancelled: 'default' };

/** 计划 / 已走访 / 已取消, or 逾期未记录 for a plan whose day has passed. */
export function VisitStatusTag({ status, date }: { status: VisitStatus; date: string }) {
  const { t } = useTranslation();
  if (isOverdue({ status, date }, dayjs().format('YYYY-MM-DD'))) return <Tag color="orange">{t('visits.overdue')}</Tag>;
  return <Tag color={statusColours[status]}>{t(`visits.statuses.${status}`)}</Tag>;
}

/** The unit's name with its calendar colour. */
export function UnitTag({ organisationId, organisationName }: { organisationId: string | null; organisationName: string | null }) {
  const { t } = useTranslation();
  return (
    <Tag color={unitColour(organisationId)} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
      {organisationName ?? t('visits.noUnit')}
    </Tag>
  );
}
