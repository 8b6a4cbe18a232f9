import type { UnitKpi } from '@qinqing/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Empty, Row, Segmented, Skeleton, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../app/errors';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { unitDrillDownPath } from './appeal-list-state';
import { chinaToday } from './appeal-model';
import { appealsKey, getKpis } from './appeals.api';
import { formatRate, parsePeriod, periodPresets, presetOf, presetPeriod, rankUnits, type Period } from './kpi-model';

// ECharts is most of the page's weight: its own chunk, so the figures do not wait for it.
const RankingChart = lazy(async () => ({ default: (await import('./kpi-chart')).RankingChart }));

/** 诉求考核: the units' KPIs for a period, recomputed by the server from the appeal events. */
export function KpiPage() {
  const { t, i18n } = useTranslation();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const today = chinaToday();
  const period = parsePeriod(params, today);
  const preset = presetOf(period, today);
  const setPeriod = (next: Period) => setParams({ from: next.from, to: next.to }, { replace: true });
  const [pickerOpen, setPickerOpen] = useState(false);

  const report = useQuery({
    queryKey: [...appealsKey, 'kpis', period.from, period.to],
    queryFn: () => getKpis(period.from, period.to),
    placeholderData: keepPreviousData,
  });

  const units = report.data ? rankUnits(report.data.units) : [];
  const drill = (unit: Pick<UnitKpi, 'organisationId'>) => unitDrillDownPath(unit.organisationId, period.from, period.to);
  const days = (value: number | null) => (value === null ? '—' : new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(value));

  const columns: TableColumnsType<UnitKpi> = [
    {
      title: t('appeals.kpi.unit'),
      dataIndex: 'organisationName',
      fixed: 'left',
      width: isPhone ? 140 : 240,
      render: (name: string, unit) => (
        <Link to={drill(unit)} aria-label={t('appeals.kpi.drill', { name })}>
          {name}
        </Link>
      ),
    },
    { title: t('appeals.kpi.dispatched'), dataIndex: 'dispatched', align: 'right', width: 72 },
    { title: t('appeals.kpi.signRate'), dataIndex: 'signRate', align: 'right', width: 90, render: formatRate },
    { title: t('appeals.kpi.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', width: 110, render: formatRate },
    { title: t('appeals.kpi.answeredCount'), dataIndex: 'answered', align: 'right', width: 72 },
    { title: t('appeals.kpi.overdueCount'), dataIndex: 'overdue', align: 'right', width: 72 },
    { title: t('appeals.kpi.satisfactionRate'), dataIndex: 'satisfactionRate', align: 'right', width: 90, render: formatRate },
    { title: t('appeals.kpi.returns'), dataIndex: 'returns', align: 'right', width: 90 },
    { title: t('appeals.kpi.averageDays'), dataIndex: 'averageHandlingDays', align: 'right', width: 120, render: days },
  ];

  const totals = report.data?.totals;
  const stat = (key: string, title: string, value: string | number | undefined, danger = false) => (
    <Col xs={12} sm={8} lg={4} key={key}>
      <Card size="small" style={{ height: '100%' }}>
        <Statistic title={title} value={value ?? '—'} styles={danger && Number(value) > 0 ? { content: { color: '#cf1322' } } : undefined} />
      </Card>
    </Col>
  );

  return (
    <>
      <PageTitle>{t('appeals.kpi.title')}</PageTitle>
      <div className="qq-page-toolbar" role="group" aria-label={t('appeals.kpi.period')}>
        <Segmented
          aria-label={t('appeals.kpi.period')}
          value={preset}
          onChange={(value) => {
            if (value === 'custom') setPickerOpen(true);
            else setPeriod(presetPeriod(value as (typeof periodPresets)[number], today));
          }}
          options={[...periodPresets, 'custom' as const].map((value) => ({ value, label: t(`appeals.kpi.presets.${value}`) }))}
        />
        <DatePicker.RangePicker
          aria-label={t('appeals.kpi.customRange')}
          value={[dayjs(period.from), dayjs(period.to)]}
          allowClear={false}
          open={pickerOpen}
          onOpenChange={setPickerOpen}
          inputReadOnly={isPhone}
          onChange={(range) => {
            if (range?.[0] && range[1]) setPeriod({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
          }}
          style={{ width: isPhone ? '100%' : 260 }}
        />
      </div>

      {report.error && <Alert type="error" showIcon role="alert" title={errorText(report.error, t)} style={{ marginBottom: 16 }} />}

      <section aria-label={t('appeals.kpi.totals')}>
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
          {stat('submitted', t('appeals.kpi.submitted'), totals?.submitted)}
          {stat('open', t('appeals.kpi.open'), totals?.open)}
          {stat('overdue', t('appeals.kpi.overdue'), totals?.overdue, true)}
          {stat('answered', t('appeals.kpi.answered'), totals?.answered)}
          {stat('satisfaction', t('appeals.kpi.satisfaction'), totals ? formatRate(totals.satisfactionRate) : undefined)}
        </Row>
      </section>

      <Card size="small" title={t('appeals.kpi.ranking')} style={{ marginBottom: 16 }} extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('appeals.kpi.rankingHint')}</Typography.Text>}>
        {report.isPending ? (
          <Skeleton active paragraph={{ rows: 4 }} />
        ) : units.some((unit) => unit.onTimeRate !== null) ? (
          <Suspense fallback={<Skeleton active paragraph={{ rows: 4 }} />}>
            <RankingChart units={units} onUnit={(unit) => navigate(drill(unit))} />
          </Suspense>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appeals.kpi.noRates')} />
        )}
      </Card>

      <Table<UnitKpi>
        rowKey="organisationId"
        columns={columns}
        dataSource={units}
        loading={report.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: t('appeals.kpi.noUnits') }}
        aria-label={t('appeals.kpi.table')}
      />
    </>
  );
}
