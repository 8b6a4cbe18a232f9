import type { UnitKpi } from '@qinqing/contracts';
import { useTranslation } from 'react-i18next';
import { Chart } from '../enterprises/charts';
import { formatRate } from './kpi-model';

const maxBars = 15;

/** Units by 按期办结率 as horizontal bars, best on top; clicking a bar opens that unit's appeals. */
export function RankingChart({ units, onUnit }: { units: UnitKpi[]; onUnit: (unit: UnitKpi) => void }) {
  const { t } = useTranslation();
  const ranked = units.filter((unit) => unit.onTimeRate !== null).slice(0, maxBars);
  const shown = [...ranked].reverse();
  const option = {
    color: ['#1d5fbf'],
    // Drawn at once: the ranking is read, not watched (and reduced-motion users get no animation).
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', confine: true, valueFormatter: (value: number) => `${value}%` },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'category', data: shown.map((unit) => unit.organisationName), axisLabel: { width: 140, overflow: 'truncate' }, axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        name: t('appeals.kpi.onTimeRate'),
        data: shown.map((unit) => ({ value: Math.round((unit.onTimeRate ?? 0) * 1000) / 10, itemStyle: { color: (unit.onTimeRate ?? 0) < 0.8 ? '#ee6666' : '#1d5fbf' } })),
        barMaxWidth: 18,
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
  return (
    <>
      <Chart
        label={t('appeals.kpi.ranking')}
        option={option}
        style={{ height: Math.max(140, shown.length * 30 + 32) }}
        onClick={({ dataIndex }) => {
          const unit = shown[dataIndex];
          if (unit) onUnit(unit);
        }}
      />
      <ol className="qq-visually-hidden">
        {ranked.map((unit) => (
          <li key={unit.organisationId}>{t('appeals.kpi.figures', { name: unit.organisationName, rate: formatRate(unit.onTimeRate) })}</li>
        ))}
      </ol>
    </>
  );
}
