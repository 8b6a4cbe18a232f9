import { CalendarOutlined, DownloadOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { VisitListItem, VisitStatus } from '@qinqing/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Calendar, Card, Checkbox, DatePicker, Empty, List, Pagination, Segmented, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { getEnterprise } from '../enterprises/enterprises.api';
import { EnterprisePicker } from './enterprise-picker';
import { calendarRange, groupByDate, unitColour, unitsOf } from './visit-model';
import { VisitFormModal, type VisitFormMode } from './visit-form';
import { UnitTag, VisitStatusTag } from './visit-tags';
import { exportVisits, findVisitors, findVisits, visitsKey, type VisitQuery } from './visits.api';

const statuses: VisitStatus[] = ['planned', 'done', 'cancelled'];

interface Filters {
  enterpriseId?: string;
  visitorId?: string;
  organisationId?: string;
  mine?: 'true';
  status?: VisitStatus;
}

function readFilters(params: URLSearchParams): Filters {
  const status = params.get('status');
  return {
    enterpriseId: params.get('enterpriseId') ?? undefined,
    visitorId: params.get('visitorId') ?? undefined,
    organisationId: params.get('organisationId') ?? undefined,
    mine: params.get('mine') === 'true' ? 'true' : undefined,
    status: statuses.includes(status as VisitStatus) ? (status as VisitStatus) : undefined,
  };
}

/** One visit in a calendar cell or the day's list: enterprise, visitor, the unit's colour. */
function VisitChip({ visit }: { visit: VisitListItem }) {
  return (
    <Link
      to={`/visits/${encodeURIComponent(visit.id)}`}
      style={{
        display: 'block',
        borderInlineStart: `3px solid ${unitColour(visit.organisationId)}`,
        paddingInlineStart: 4,
        marginBottom: 2,
        fontSize: 12,
        lineHeight: '18px',
        whiteSpace: 'nowrap',
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        color: 'inherit',
        textDecoration: visit.status === 'cancelled' ? 'line-through' : undefined,
        opacity: visit.status === 'planned' ? 0.85 : 1,
      }}
      title={`${visit.enterpriseName} · ${visit.visitorName}${visit.organisationName ? `（${visit.organisationName}）` : ''}`}
    >
      {visit.status === 'done' ? '✓ ' : ''}
      {visit.enterpriseName}
    </Link>
  );
}

function DayList({ day, visits, onPlan }: { day: string; visits: VisitListItem[]; onPlan?: () => void }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={t('visits.dayTitle', { date: day })}
      extra={
        onPlan && (
          <Button size="small" icon={<PlusOutlined />} onClick={onPlan}>
            {t('visits.createOnDay')}
          </Button>
        )
      }
      style={{ marginTop: 16 }}
    >
      {visits.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('visits.emptyDay')} />
      ) : (
        <List
          size="small"
          dataSource={visits}
          renderItem={(visit) => (
            <List.Item style={{ display: 'block' }}>
              <Link to={`/visits/${encodeURIComponent(visit.id)}`} style={{ fontWeight: 500, overflowWrap: 'anywhere' }}>
                {visit.enterpriseName}
              </Link>
              <Space wrap size={[4, 4]} style={{ display: 'flex', marginTop: 4 }}>
                <VisitStatusTag status={visit.status} date={visit.date} />
                <UnitTag organisationId={visit.organisationId} organisationName={visit.organisationName} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {visit.visitorName}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** The most visits one month of the calendar loads (the server's page limit); beyond it the screen says so. */
const calendarLimit = 500;

/** The shared visit calendar: a month of every unit's plans and records, one colour per unit. */
function VisitCalendar({ filters, onPlan }: { filters: Filters; onPlan?: (date: string) => void }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const [searchParams, setSearchParams] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(searchParams.get('month') ?? '') ? searchParams.get('month')! : dayjs().format('YYYY-MM');
  const [selected, setSelected] = useState<string>(dayjs().format('YYYY-MM-DD'));
  const range = calendarRange(month);
  const query = useQuery({
    queryKey: [...visitsKey, 'calendar', month, filters],
    queryFn: () => findVisits({ ...filters, ...range, order: 'asc', pageSize: calendarLimit }),
    placeholderData: keepPreviousData,
  });
  const days = groupByDate(query.data?.items ?? []);
  const units = unitsOf(query.data?.items ?? []);
  const setMonth = (date: Dayjs) => {
    const next = new URLSearchParams(searchParams);
    next.set('month', date.format('YYYY-MM'));
    setSearchParams(next, { replace: true });
  };

  return (
    <>
      {query.error && <Typography.Text type="danger">{errorText(query.error, t)}</Typography.Text>}
      {query.data?.hasMore && <Alert type="warning" showIcon role="alert" style={{ marginBottom: 8 }} title={t('visits.tooMany', { n: String(calendarLimit) })} />}
      {units.length > 0 && (
        <div aria-label={t('visits.legend')} role="group" style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 8, fontSize: 12 }}>
          {units.map((unit) => (
            <span key={unit.id ?? 'none'} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
              <span aria-hidden style={{ width: 10, height: 10, borderRadius: 2, background: unit.colour, display: 'inline-block' }} />
              {unit.name ?? t('visits.noUnit')}
            </span>
          ))}
        </div>
      )}
      <Card styles={{ body: { padding: isPhone ? 4 : 12 } }}>
        <Calendar
          fullscreen={!isPhone}
          value={dayjs(selected)}
          onPanelChange={(date) => setMonth(date)}
          onSelect={(date, info) => {
            setSelected(date.format('YYYY-MM-DD'));
            if (info.source !== 'date' || date.format('YYYY-MM') !== month) setMonth(date);
          }}
          cellRender={(date, info) => {
            if (info.type !== 'date') return info.originNode;
            const visits = days.get(date.format('YYYY-MM-DD')) ?? [];
            if (visits.length === 0) return null;
            if (isPhone) {
              // A phone's cell holds only the units' dots: tapping the day lists its visits below.
              return (
                <div style={{ display: 'flex', justifyContent: 'center', gap: 2, flexWrap: 'wrap' }} aria-label={t('visits.countOnDay', { n: String(visits.length) })}>
                  {visits.slice(0, 4).map((visit) => (
                    <Badge key={visit.id} color={unitColour(visit.organisationId)} />
                  ))}
                </div>
              );
            }
            return (
              <div>
                {visits.slice(0, 3).map((visit) => (
                  <VisitChip key={visit.id} visit={visit} />
                ))}
                {visits.length > 3 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('visits.more', { n: String(visits.length - 3) })}
                  </Typography.Text>
                )}
              </div>
            );
          }}
        />
      </Card>
      <DayList day={selected} visits={days.get(selected) ?? []} onPlan={onPlan ? () => onPlan(selected) : undefined} />
    </>
  );
}

const pageSize = 20;

/** The visits list with the same filters, a date range, and export. */
function VisitList({ filters, range }: { filters: Filters; range: [string | undefined, string | undefined] }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const [page, setPage] = useState(1);
  const query: VisitQuery = { ...filters, from: range[0], to: range[1], page, pageSize, order: 'desc' };
  const list = useQuery({ queryKey: [...visitsKey, 'list', query], queryFn: () => findVisits(query), placeholderData: keepPreviousData });
  const columns: TableColumnsType<VisitListItem> = [
    { title: t('visits.date'), dataIndex: 'date', width: 110, render: (date: string, row) => <Link to={`/visits/${encodeURIComponent(row.id)}`}>{date}</Link> },
    { title: t('visits.status'), dataIndex: 'status', width: 110, render: (status: VisitStatus, row) => <VisitStatusTag status={status} date={row.date} /> },
    { title: t('visits.enterprise'), dataIndex: 'enterpriseName', ellipsis: true, render: (name: string, row) => <Link to={`/enterprises/${encodeURIComponent(row.enterpriseId)}`}>{name}</Link> },
    { title: t('visits.visitor'), dataIndex: 'visitorName', width: 130, ellipsis: true },
    { title: t('visits.unit'), dataIndex: 'organisationName', width: 170, render: (_name: string | null, row) => <UnitTag organisationId={row.organisationId} organisationName={row.organisationName} /> },
    { title: t('visits.topics'), dataIndex: 'topics', ellipsis: true, render: (topics: string[]) => topics.join('、') || t('common.none') },
    {
      title: t('visits.problems'),
      key: 'problems',
      width: 150,
      render: (_value, row) => (
        <Space size={4} wrap>
          {row.problemCount > 0 && <span>{t('visits.problemCount', { n: String(row.problemCount) })}</span>}
          {row.appealCount > 0 && <span>{t('visits.appealCount', { n: String(row.appealCount) })}</span>}
          {row.openFollowUps > 0 && <Typography.Text type="warning">{t('visits.openFollowUps', { n: String(row.openFollowUps) })}</Typography.Text>}
        </Space>
      ),
    },
  ];
  const empty = list.error ? errorText(list.error, t) : t('visits.empty');
  if (isPhone) {
    return (
      <>
        <Card styles={{ body: { padding: 0 } }}>
          <List<VisitListItem>
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: empty }}
            renderItem={(row) => (
              <List.Item style={{ display: 'block', paddingInline: 12 }}>
                <Link to={`/visits/${encodeURIComponent(row.id)}`} style={{ fontWeight: 500, overflowWrap: 'anywhere' }}>
                  {row.enterpriseName}
                </Link>
                <Space wrap size={[4, 4]} style={{ display: 'flex', marginTop: 4 }}>
                  <span>{row.date}</span>
                  <VisitStatusTag status={row.status} date={row.date} />
                  <UnitTag organisationId={row.organisationId} organisationName={row.organisationName} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {row.visitorName}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
        <Pagination simple style={{ marginTop: 12, justifyContent: 'center' }} current={page} pageSize={pageSize} total={list.data?.total ?? 0} onChange={setPage} />
      </>
    );
  }
  return (
    <Table<VisitListItem>
      rowKey="id"
      columns={columns}
      dataSource={list.data?.items ?? []}
      loading={list.isFetching}
      pagination={{ current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (total) => t('common.total', { total: String(total) }) }}
      scroll={{ x: 1000 }}
      size="middle"
      locale={{ emptyText: empty }}
    />
  );
}

/** 走访: the shared calendar and the list, with filters in the URL, a new-visit form and export. */
export function VisitsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const view = searchParams.get('view') === 'list' ? 'list' : 'calendar';
  const filters = readFilters(searchParams);
  const range: [string | undefined, string | undefined] = [searchParams.get('from') ?? undefined, searchParams.get('to') ?? undefined];
  const [form, setForm] = useState<VisitFormMode | null>(null);
  const [exporting, setExporting] = useState(false);
  const visitors = useQuery({ queryKey: [...visitsKey, 'visitors'], queryFn: findVisitors, staleTime: 300_000 });
  const enterprise = useQuery({ queryKey: ['enterprises', 'one', filters.enterpriseId], queryFn: () => getEnterprise(filters.enterpriseId!), enabled: Boolean(filters.enterpriseId) });
  const units = unitsOf(visitors.data ?? []);

  const setParam = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearchParams(next, { replace: true });
  };
  const doExport = async () => {
    setExporting(true);
    try {
      await exportVisits({ ...filters, from: range[0], to: range[1] });
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setExporting(false);
    }
  };
  const width = (desktop: number) => (isPhone ? '100%' : desktop);
  const known = enterprise.data ? [{ id: enterprise.data.id, name: enterprise.data.name, creditCode: enterprise.data.creditCode }] : [];

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {can('visits:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ kind: 'create', enterprise: known[0] })}>
                {t('visits.create')}
              </Button>
            )}
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void doExport()}>
              {t('visits.exportXlsx')}
            </Button>
          </Space>
        }
      >
        {t('visits.title')}
      </PageTitle>
      <div className="qq-page-toolbar" role="search">
        <Segmented
          value={view}
          onChange={(value) => setParam({ view: value === 'list' ? 'list' : undefined })}
          options={[
            { value: 'calendar', label: t('visits.calendar'), icon: <CalendarOutlined /> },
            { value: 'list', label: t('visits.list'), icon: <UnorderedListOutlined /> },
          ]}
        />
        <div style={{ width: width(260) }}>
          <EnterprisePicker value={filters.enterpriseId} onChange={(enterpriseId) => setParam({ enterpriseId })} known={known} aria-label={t('visits.enterprise')} placeholder={t('visits.enterpriseFilter')} />
        </div>
        <Select
          aria-label={t('visits.unit')}
          placeholder={t('visits.unit')}
          allowClear
          value={filters.organisationId}
          onChange={(organisationId?: string) => setParam({ organisationId })}
          options={units.filter((unit) => unit.id).map((unit) => ({ value: unit.id!, label: unit.name ?? unit.id! }))}
          style={{ width: width(180) }}
        />
        <Select
          aria-label={t('visits.visitor')}
          placeholder={t('visits.visitor')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={filters.visitorId}
          onChange={(visitorId?: string) => setParam({ visitorId })}
          options={(visitors.data ?? []).map((visitor) => ({ value: visitor.userId, label: visitor.organisationName ? `${visitor.displayName}（${visitor.organisationName}）` : visitor.displayName }))}
          style={{ width: width(180) }}
        />
        <Checkbox checked={filters.mine === 'true'} onChange={(event) => setParam({ mine: event.target.checked ? 'true' : undefined })}>
          {t('visits.mineOnly')}
        </Checkbox>
        <Select
          aria-label={t('visits.status')}
          placeholder={t('visits.status')}
          allowClear
          value={filters.status}
          onChange={(status?: string) => setParam({ status })}
          options={statuses.map((value) => ({ value, label: t(`visits.statuses.${value}`) }))}
          style={{ width: width(110) }}
        />
        {view === 'list' && (
          <DatePicker.RangePicker
            aria-label={t('visits.dateRange')}
            value={[range[0] ? dayjs(range[0]) : null, range[1] ? dayjs(range[1]) : null]}
            onChange={(dates) => setParam({ from: dates?.[0]?.format('YYYY-MM-DD'), to: dates?.[1]?.format('YYYY-MM-DD') })}
            allowEmpty={[true, true]}
            inputReadOnly={isPhone}
            style={{ width: width(260) }}
          />
        )}
      </div>
      {view === 'calendar' ? (
        <VisitCalendar filters={filters} onPlan={can('visits:write') ? (date) => setForm({ kind: 'create', enterprise: known[0], date }) : undefined} />
      ) : (
        <VisitList key={JSON.stringify([filters, range])} filters={filters} range={range} />
      )}
      {form && <VisitFormModal mode={form} onClose={() => setForm(null)} onSaved={(visit) => {
        setForm(null);
        navigate(`/visits/${encodeURIComponent(visit.id)}`);
      }} />}
    </>
  );
}
