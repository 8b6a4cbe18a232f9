import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import type { CalendarYearDays } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Popconfirm, Select, Skeleton, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { errorText } from '../../app/errors';
import { PageTitle } from '../../components/page-title';
import { calendarQueryKey, confirmCalendarYear, findCalendarYears, getCalendarYear, withdrawCalendarYear } from './calendar.api';
import { type DayCell, type MonthGrid, countYear, yearGrid } from './calendar-model';
import { DayEditor } from './day-editor';
import { DeadlineTool } from './deadline-tool';

const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

/** Colours of the year view; the text label (休 / 班) carries the meaning too, not the colour alone. */
export const dayStyles: Record<DayCell['kind'], { background: string; color: string; border: string }> = {
  workday: { background: '#fff', color: 'rgba(0,0,0,0.88)', border: '#f0f0f0' },
  weekend: { background: '#fafafa', color: 'rgba(0,0,0,0.45)', border: '#f0f0f0' },
  holiday: { background: '#fff1f0', color: '#cf1322', border: '#ffa39e' },
  'adjusted-workday': { background: '#e6f4ff', color: '#0958d9', border: '#91caff' },
};

function yearFromParams(value: string | null): number {
  const year = Number(value);
  return Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR ? year : new Date().getFullYear();
}

/** 工作日历: the State Council's yearly notice as the platform counts it, kept by officers and the system administrator. */
export function CalendarPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const year = yearFromParams(params.get('year'));
  const setYear = (next: number) => setParams({ year: String(next) }, { replace: true });
  const [editing, setEditing] = useState<DayCell | null>(null);

  const years = useQuery({ queryKey: [...calendarQueryKey, 'years'], queryFn: findCalendarYears });
  const days = useQuery({ queryKey: [...calendarQueryKey, 'year', year], queryFn: () => getCalendarYear(year) });

  const yearOptions = useMemo(() => {
    const current = new Date().getFullYear();
    const all = new Set<number>([year, current - 1, current, current + 1, current + 2, ...(years.data ?? []).map((y) => y.year)]);
    return [...all].sort((a, b) => b - a).map((value) => ({ value, label: t('calendar.yearOption', { year: String(value) }) }));
  }, [years.data, year, t]);

  return (
    <>
      <PageTitle
        extra={
          <Space.Compact>
            <Button aria-label={t('calendar.previousYear')} icon={<LeftOutlined />} disabled={year <= MIN_YEAR} onClick={() => setYear(year - 1)} />
            <Select aria-label={t('calendar.year')} value={year} options={yearOptions} onChange={setYear} style={{ width: 112 }} />
            <Button aria-label={t('calendar.nextYear')} icon={<RightOutlined />} disabled={year >= MAX_YEAR} onClick={() => setYear(year + 1)} />
          </Space.Compact>
        }
      >
        {t('nav.calendar')}
      </PageTitle>
      {days.isPending ? (
        <Skeleton active />
      ) : days.error ? (
        <Alert type="error" showIcon role="alert" title={errorText(days.error, t)} />
      ) : (
        <>
          <YearStatus data={days.data} />
          <YearView data={days.data} onPick={setEditing} />
        </>
      )}
      <div style={{ marginTop: 16 }}>
        <DeadlineTool />
      </div>
      {editing && <DayEditor cell={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** Whether the year's notice is in: a warning and the "mark as entered" action when it is not. */
function YearStatus({ data }: { data: CalendarYearDays }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onSuccess = () => {
    void queryClient.invalidateQueries({ queryKey: calendarQueryKey });
    void message.success(t('common.saved'));
  };
  const onError = (error: unknown) => void message.error(errorText(error, t));
  const confirm = useMutation({ mutationFn: () => confirmCalendarYear(data.year), onSuccess, onError });
  const withdraw = useMutation({ mutationFn: () => withdrawCalendarYear(data.year), onSuccess, onError });
  const year = String(data.year);

  if (!data.isKnown) {
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="calendar-estimated"
        title={t('calendar.estimatedTitle', { year })}
        // The action sits under the text, not beside it: a side button squeezes the text to a sliver on a phone.
        description={
          <>
            <Typography.Paragraph style={{ marginBottom: 8 }}>{t('calendar.estimatedDesc')}</Typography.Paragraph>
            <Popconfirm title={t('calendar.confirmYearQuestion', { year })} onConfirm={() => confirm.mutate()} okText={t('common.confirm')} cancelText={t('common.cancel')}>
              <Button size="small" type="primary" loading={confirm.isPending}>
                {t('calendar.confirmYear')}
              </Button>
            </Popconfirm>
          </>
        }
      />
    );
  }
  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 16 }}
      title={data.source === 'manual' ? t('calendar.knownManual', { year }) : t('calendar.knownPackaged', { year })}
      description={
        data.source === 'manual' ? (
          <Popconfirm title={t('calendar.withdrawYearQuestion', { year })} onConfirm={() => withdraw.mutate()} okText={t('common.confirm')} cancelText={t('common.cancel')}>
            <Button size="small" loading={withdraw.isPending}>
              {t('calendar.withdrawYear')}
            </Button>
          </Popconfirm>
        ) : undefined
      }
    />
  );
}

function YearView({ data, onPick }: { data: CalendarYearDays; onPick: (cell: DayCell) => void }) {
  const { t } = useTranslation();
  const grid = useMemo(() => yearGrid(data.year, data.days), [data]);
  const counts = countYear(grid);
  return (
    <Card size="small">
      <Space wrap size={[16, 8]} style={{ marginBottom: 12 }}>
        <Legend kind="holiday" label={t('calendar.legend.holiday')} mark={t('calendar.mark.off')} />
        <Legend kind="adjusted-workday" label={t('calendar.legend.adjustedWorkday')} mark={t('calendar.mark.work')} />
        <Legend kind="weekend" label={t('calendar.legend.weekend')} />
        <Space size={4}>
          <EditedDot />
          <Typography.Text type="secondary">{t('calendar.legend.edited')}</Typography.Text>
        </Space>
        <Typography.Text type="secondary">
          {t('calendar.summary', { workdays: String(counts.workdays), daysOff: String(counts.daysOff) })}
        </Typography.Text>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {t('calendar.clickHint')}
      </Typography.Paragraph>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(250px, 1fr))', gap: 16 }}>
        {grid.map((month) => (
          <Month key={month.month} month={month} onPick={onPick} />
        ))}
      </div>
    </Card>
  );
}

function Month({ month, onPick }: { month: MonthGrid; onPick: (cell: DayCell) => void }) {
  const { t } = useTranslation();
  return (
    <section aria-label={t(`calendar.months.m${month.month}` as 'calendar.months.m1')}>
      <Typography.Title level={3} style={{ fontSize: 15, margin: '0 0 6px' }}>
        {t(`calendar.months.m${month.month}` as 'calendar.months.m1')}
      </Typography.Title>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2 }}>
        {[0, 1, 2, 3, 4, 5, 6].map((weekday) => (
          <div key={weekday} aria-hidden style={{ textAlign: 'center', fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
            {t(`calendar.weekdaysShort.d${weekday}` as 'calendar.weekdaysShort.d0')}
          </div>
        ))}
        {Array.from({ length: month.leadingBlanks }, (_, index) => (
          <div key={`blank-${index}`} />
        ))}
        {month.days.map((cell) => (
          <DayButton key={cell.date} cell={cell} onPick={onPick} />
        ))}
      </div>
    </section>
  );
}

function DayButton({ cell, onPick }: { cell: DayCell; onPick: (cell: DayCell) => void }) {
  const { t } = useTranslation();
  const style = dayStyles[cell.kind];
  const mark = cell.kind === 'holiday' ? t('calendar.mark.off') : cell.kind === 'adjusted-workday' ? t('calendar.mark.work') : '';
  const label = [cell.date, cell.name, t(cell.isWorkday ? 'calendar.workday' : 'calendar.dayOff'), cell.isEdited ? t('calendar.legend.edited') : '']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      data-date={cell.date}
      data-kind={cell.kind}
      onClick={() => onPick(cell)}
      style={{
        position: 'relative',
        minHeight: 34,
        padding: '2px 0',
        border: `1px solid ${style.border}`,
        borderRadius: 4,
        background: style.background,
        color: style.color,
        cursor: 'pointer',
        fontSize: 13,
        lineHeight: 1.1,
      }}
    >
      {cell.day}
      {mark && <span style={{ display: 'block', fontSize: 10 }}>{mark}</span>}
      {cell.isEdited && (
        <span style={{ position: 'absolute', top: 2, right: 2 }}>
          <EditedDot />
        </span>
      )}
    </button>
  );
}

function Legend({ kind, label, mark }: { kind: DayCell['kind']; label: string; mark?: string }) {
  const style = dayStyles[kind];
  return (
    <Space size={4}>
      <span
        aria-hidden
        style={{ display: 'inline-block', minWidth: 20, padding: '0 4px', textAlign: 'center', fontSize: 11, border: `1px solid ${style.border}`, background: style.background, color: style.color, borderRadius: 3 }}
      >
        {mark ?? '\u00a0'}
      </span>
      <Typography.Text type="secondary">{label}</Typography.Text>
    </Space>
  );
}

function EditedDot() {
  return <span aria-hidden style={{ display: 'inline-block', width: 6, height: 6, borderRadius: 3, background: '#fa8c16' }} />;
}
