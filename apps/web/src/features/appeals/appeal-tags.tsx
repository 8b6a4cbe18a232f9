import type { AppealStatus, PartStatus } from '@qinqing/contracts';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { partStatusColors, statusColors } from './appeal-model';

export function AppealStatusTag({ status }: { status: AppealStatus }) {
  const { t } = useTranslation();
  return <Tag color={statusColors[status]}>{t(`appeals.statuses.${status}`)}</Tag>;
}

export function PartStatusTag({ status }: { status: PartStatus }) {
  const { t } = useTranslation();
  return <Tag color={partStatusColors[status]}>{t(`appeals.partStatuses.${status}`)}</Tag>;
}

/** A handling unit's own part of the case (本单位：待签收 / 办理中 …), beside the case's state. */
export function MyPartTag({ status }: { status: PartStatus }) {
  const { t } = useTranslation();
  return <Tag color={partStatusColors[status]}>{t('appeals.myPart', { status: t(`appeals.partStatuses.${status}`) })}</Tag>;
}

/** 督办 and 紧急 flags, shown only when set. */
export function AppealFlags({ supervised, urgent }: { supervised: boolean; urgent: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {supervised && <Tag color="volcano">{t('appeals.supervised')}</Tag>}
      {urgent && <Tag color="red">{t('appeals.urgent')}</Tag>}
    </>
  );
}

/** A deadline: the date, "预计" when the holiday notice of its year is not in yet, and a red 已超期. */
export function DueDate({ date, estimated = false, overdue = false }: { date: string | null; estimated?: boolean; overdue?: boolean }) {
  const { t } = useTranslation();
  if (!date) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap style={{ rowGap: 2 }}>
      <span style={{ whiteSpace: 'nowrap' }}>{date}</span>
      {estimated && <Tag style={{ marginInlineEnd: 0 }}>{t('appeals.estimated')}</Tag>}
      {overdue && (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          {t('appeals.overdue')}
        </Tag>
      )}
    </Space>
  );
}
