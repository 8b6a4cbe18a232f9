import type { EnterpriseScale } from '@qinqing/contracts';
import { Card, Col, Empty, Row, Skeleton, Statistic, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart } from './charts';
import type { CountBucket, EnterpriseCounts } from './enterprises.api';

const palette = ['#1d5fbf', '#3ba272', '#fac858', '#ee6666', '#73c0de', '#9a60b4', '#fc8452', '#91cc75'];
const maxBars = 12;

/** Horizontal bars, largest on top; names stay readable however long they are. */
function barOption(buckets: CountBucket[], color: string) {
  const shown = buckets.slice(0, maxBars).reverse();
  return {
    color: [color],
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'item', confine: true },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: {
      type: 'category',
      data: shown.map((bucket) => bucket.name),
      axisLabel: { width: 120, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: [{ type: 'bar', data: shown.map((bucket) => bucket.count), barMaxWidth: 18, label: { show: true, position: 'right' } }],
  };
}

/** The figures as text for screen readers and for anyone who prefers reading them. */
function FiguresText({ buckets }: { buckets: { name: string; count: number }[] }) {
  const { t } = useTranslation();
  return (
    <ul className="qq-visually-hidden">
      {buckets.map((bucket) => (
        <li key={bucket.name}>{t('enterprises.counts.tableFallback', { name: bucket.name, n: String(bucket.count) })}</li>
      ))}
    </ul>
  );
}

interface Props {
  counts: EnterpriseCounts | undefined;
  loading: boolean;
  onIndustry: (code: string) => void;
  onRegion: (code: string) => void;
  onScale: (scale: EnterpriseScale) => void;
}

/** Counts for the current filters: by industry (大类), by region, 规上/规下. Clicking a bar filters by it. */
export function CountsPanel({ counts, loading, onIndustry, onRegion, onScale }: Props) {
  const { t } = useTranslation();
  if (loading && !counts) {
    return (
      <Card style={{ marginBottom: 16 }}>
        <Skeleton active paragraph={{ rows: 4 }} />
      </Card>
    );
  }
  if (!counts) return null;
  const height = (n: number) => Math.max(120, Math.min(n, maxBars) * 26 + 24);
  const scaleBuckets = counts.byScale.map((bucket) => ({ ...bucket, name: t(`enterprises.scales.${bucket.scale}`) }));
  const chartCard = (title: string, body: ReactNode) => (
    <Card size="small" title={title} style={{ height: '100%' }} styles={{ body: { padding: 8 } }}>
      {body}
    </Card>
  );
  return (
    <section aria-label={t('enterprises.counts.title')} style={{ marginBottom: 16 }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          {chartCard(
            t('enterprises.counts.byIndustry'),
            counts.byIndustry.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.counts.none')} />
            ) : (
              <>
                <Chart
                  label={t('enterprises.counts.byIndustry')}
                  option={barOption(counts.byIndustry, palette[0])}
                  style={{ height: height(counts.byIndustry.length) }}
                  onClick={({ name }) => {
                    const bucket = counts.byIndustry.find((candidate) => candidate.name === name);
                    if (bucket?.code) onIndustry(bucket.code);
                  }}
                />
                <FiguresText buckets={counts.byIndustry} />
              </>
            ),
          )}
        </Col>
        <Col xs={24} md={14} lg={8}>
          {chartCard(
            t('enterprises.counts.byRegion'),
            counts.byRegion.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.counts.none')} />
            ) : (
              <>
                <Chart
                  label={t('enterprises.counts.byRegion')}
                  option={barOption(counts.byRegion, palette[1])}
                  style={{ height: height(counts.byRegion.length) }}
                  onClick={({ name }) => {
                    const bucket = counts.byRegion.find((candidate) => candidate.name === name);
                    if (bucket?.code) onRegion(bucket.code);
                  }}
                />
                <FiguresText buckets={counts.byRegion} />
              </>
            ),
          )}
        </Col>
        <Col xs={24} md={10} lg={6}>
          {chartCard(
            t('enterprises.counts.byScale'),
            <>
              <div style={{ display: 'flex', gap: 16, paddingInline: 8, flexWrap: 'wrap' }}>
                <Statistic title={t('enterprises.counts.total')} value={counts.total} />
                {scaleBuckets.map((bucket) => (
                  <Statistic key={bucket.scale} title={bucket.name} value={bucket.count} />
                ))}
              </div>
              {scaleBuckets.length > 0 && (
                <>
                  <Chart
                    label={t('enterprises.counts.byScale')}
                    style={{ height: 150 }}
                    option={{
                      color: ['#1d5fbf', '#a0b4d0'],
                      tooltip: { trigger: 'item', confine: true },
                      series: [
                        {
                          type: 'pie',
                          radius: ['45%', '80%'],
                          label: { show: false },
                          data: scaleBuckets.map((bucket) => ({ name: bucket.name, value: bucket.count })),
                        },
                      ],
                    }}
                    onClick={({ dataIndex }) => {
                      const bucket = scaleBuckets[dataIndex];
                      if (bucket) onScale(bucket.scale);
                    }}
                  />
                </>
              )}
            </>,
          )}
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>
        {t('enterprises.counts.chartHint')}
      </Typography.Text>
    </section>
  );
}
