import type { TimelineEvent } from '@qinqing/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Empty, Skeleton, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { AppealEventLines, useEventName } from '../appeals/appeal-history';
import { eventLines } from '../appeals/appeal-model';
import { enterpriseKey, findTimeline } from './enterprises.api';
import { appealStepOf, changeRows, dataRows } from './timeline-format';

const pageSize = 20;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const typeColors: Record<string, string> = {
  'enterprise.created': 'green',
  'enterprise.updated': 'blue',
  'enterprise.imported': 'cyan',
  'enterprise.manager-bound': 'purple',
  'enterprise.invite-issued': 'gold',
  'enterprise.binding-requested': 'orange',
  'enterprise.binding-rejected': 'red',
  'visit.planned': 'geekblue',
  'visit.recorded': 'blue',
  'visit.updated': 'blue',
  'visit.cancelled': 'default',
  'symposium.attended': 'magenta',
  'symposium.attendance-withdrawn': 'default',
};

export const timelineKey = (id: string) => [...enterpriseKey(id), 'timeline'] as const;

function useFieldLabel() {
  const { t, i18n } = useTranslation();
  return (field: string) => {
    const key = `enterpriseFile.fields.${field}`;
    return i18n.exists(key) ? t(key as 'enterpriseFile.fields.name') : field;
  };
}

function EventDetails({ event }: { event: TimelineEvent }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const changes = changeRows(event.data);
  if (changes) {
    return (
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        dataSource={changes}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('enterpriseFile.field'), dataIndex: 'field', render: (field: string) => label(field) },
          { title: t('enterpriseFile.before'), dataIndex: 'before', render: (value: string) => <Typography.Text delete={value !== '—'} type="secondary">{value}</Typography.Text> },
          { title: t('enterpriseFile.after'), dataIndex: 'after' },
        ]}
      />
    );
  }
  const rows = dataRows(event.data);
  if (rows.length === 0) return null;
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      items={rows.map((row) => ({ key: row.key, label: label(row.key), children: isoInstant.test(row.value) ? formatDateTime(row.value) : row.value }))}
    />
  );
}

function hasDetails(event: TimelineEvent): boolean {
  const appealStep = appealStepOf(event.type, event.data);
  if (appealStep) return eventLines({ action: appealStep.action as 'submit', data: event.data as Record<string, unknown> | null }).length > 0;
  return Boolean(changeRows(event.data)?.length) || dataRows(event.data).length > 0;
}

function EventItem({ event }: { event: TimelineEvent }) {
  const { t, i18n } = useTranslation();
  const label = useFieldLabel();
  const [open, setOpen] = useState(false);
  // Event types are `<module>.<verb>`; the translation keys use ':' since '.' separates key levels.
  const typeKey = `enterpriseFile.eventTypes.${event.type.replace(/\./g, ':')}`;
  const eventName = useEventName();
  // An appeal's steps: "诉求·交办", the summary linking to the appeal, its reason / answer / rating as details.
  const appealStep = appealStepOf(event.type, event.data);
  const typeLabel = appealStep
    ? t('appeals.timelineTag', { action: eventName(appealStep.action) })
    : i18n.exists(typeKey)
      ? t(typeKey as 'enterpriseFile.eventTypes.enterprise:created')
      : event.type;
  // The server writes "修改：land_area、revenue"; name the fields in the UI language instead.
  const changes = event.type === 'enterprise.updated' ? changeRows(event.data) : null;
  const summary = changes?.length ? `${typeLabel}：${changes.map((change) => label(change.field)).join('、')}` : event.summary;
  const detailsId = `timeline-details-${event.id}`;
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        <time dateTime={event.at}>{formatDateTime(event.at)}</time>
      </Typography.Text>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'baseline' }}>
        <Tag color={typeColors[event.type] ?? (appealStep ? 'purple' : 'default')} style={{ marginInlineEnd: 0 }}>
          {typeLabel}
        </Tag>
        <Typography.Text style={{ overflowWrap: 'anywhere' }}>{appealStep?.path ? <Link to={appealStep.path}>{summary}</Link> : summary}</Typography.Text>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {event.actorName ?? t('enterpriseFile.systemActor')}
      </Typography.Text>
      {hasDetails(event) && (
        <>
          <Button type="link" size="small" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen((shown) => !shown)} style={{ paddingInline: 8 }}>
            {open ? t('enterpriseFile.hideDetails') : t('enterpriseFile.details')}
          </Button>
          {open && (
            <div id={detailsId} style={{ marginTop: 8, maxWidth: '100%', overflowX: 'auto' }}>
              {appealStep ? <AppealEventLines action={appealStep.action} data={event.data as Record<string, unknown> | null} /> : <EventDetails event={event} />}
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** The enterprise file's timeline, newest first, 20 at a time with 加载更多. */
export function EnterpriseTimeline({ enterpriseId }: { enterpriseId: string }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery({
    queryKey: timelineKey(enterpriseId),
    queryFn: ({ pageParam }) => findTimeline(enterpriseId, pageParam, pageSize),
    initialPageParam: 1,
    getNextPageParam: (last, pages) => (pages.reduce((sum, page) => sum + page.items.length, 0) < last.total ? pages.length + 1 : undefined),
  });
  if (query.isPending) return <Skeleton active />;
  if (query.error) return <Alert type="error" showIcon role="alert" title={errorText(query.error, t)} />;
  const events = query.data.pages.flatMap((page) => page.items);
  const total = query.data.pages[0]?.total ?? 0;
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterpriseFile.timelineEmpty')} />;
  return (
    <>
      <Timeline
        items={events.map((event) => ({
          key: event.id,
          color: typeColors[event.type] === 'red' ? 'red' : event.type === 'enterprise.created' ? 'green' : 'blue',
          content: <EventItem event={event} />,
        }))}
      />
      {query.hasNextPage ? (
        <Button block onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
          {t('enterpriseFile.loadMore')}
        </Button>
      ) : (
        total > pageSize && (
          <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center' }}>
            {t('enterpriseFile.allLoaded', { total: String(total) })}
          </Typography.Text>
        )
      )}
    </>
  );
}
