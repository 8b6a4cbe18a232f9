import type { EnterpriseScale, EnterpriseStatus } from '@qinqing/contracts';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

const statusColors: Record<EnterpriseStatus, string> = { operating: 'green', suspended: 'orange', deregistered: 'default' };

export function StatusTag({ status }: { status: EnterpriseStatus }) {
  const { t } = useTranslation();
  return <Tag color={statusColors[status]}>{t(`enterprises.statuses.${status}`)}</Tag>;
}

/** 规上 / 规下, with the reason when an officer set the scale by hand. */
export function ScaleTag({ scale, overrideReason }: { scale: EnterpriseScale; overrideReason?: string | null }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color={scale === 'above' ? 'blue' : undefined}>
      {t(`enterprises.scales.${scale}`)}
      {overrideReason ? ` · ${t('enterpriseFile.scaleOverridden')}` : ''}
    </Tag>
  );
  if (!overrideReason) return tag;
  return (
    <Tooltip title={t('enterpriseFile.scaleOverrideReason', { reason: overrideReason })}>
      <span tabIndex={0} aria-label={`${t(`enterprises.scales.${scale}`)}，${t('enterpriseFile.scaleOverrideReason', { reason: overrideReason })}`}>
        {tag}
      </span>
    </Tooltip>
  );
}

export function TagList({ tags, empty }: { tags: readonly string[]; empty?: string }) {
  if (tags.length === 0) return <>{empty ?? '—'}</>;
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', rowGap: 4 }}>
      {tags.map((tag) => (
        <Tag key={tag} color="geekblue" style={{ marginInlineEnd: 4 }}>
          {tag}
        </Tag>
      ))}
    </span>
  );
}

/** 1,234.5 — figures in the UI language, or a dash. */
export function formatNumber(value: number | null | undefined, language: string, maximumFractionDigits = 2): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(language, { maximumFractionDigits }).format(value);
}
