import { BarChartOutlined, FilterOutlined, PlusOutlined } from '@ant-design/icons';
import { appealStatuses, type AppealListItem, type AppealStatus } from '@qinqing/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, DatePicker, Input, List, Pagination, Segmented, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { useCan, useMe } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useIsPhone } from '../../components/use-is-narrow';
import {
  hasAppealFilters,
  pageSizes,
  parseAppealListState,
  toAppealSearchParams,
  withAppealFilter,
  type AppealListState,
} from './appeal-list-state';
import { appealPath, hasTodo, todoFirst } from './appeal-model';
import { AppealFlags, AppealStatusTag, DueDate, MyPartTag } from './appeal-tags';
import { appealsKey, findAppeals } from './appeals.api';
import { useAppealCategories, useHandlingUnits } from './use-appeal-lookups';

/** A search box that writes to the URL once the person stops typing, and follows the URL when it changes. */
function SearchBox({ value, onChange, ...props }: { value: string | undefined; onChange: (value: string | undefined) => void } & Omit<ComponentProps<typeof Input>, 'value' | 'onChange'>) {
  const [text, setText] = useState(value ?? '');
  const debounced = useDebouncedValue(text, 400);
  useEffect(() => setText(value ?? ''), [value]);
  useEffect(() => {
    const next = debounced.trim() || undefined;
    if (next !== (value?.trim() || undefined)) onChange(next);
    // Only the typed text drives this; `value` changes are followed by the effect above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  return <Input {...props} value={text} onChange={(event) => setText(event.target.value)} />;
}

/** One appeal as a card: the phone's list, and the "waiting for you" block. */
function AppealCard({ appeal, showEnterprise }: { appeal: AppealListItem; showEnterprise: boolean }) {
  const { t } = useTranslation();
  const categories = useAppealCategories();
  return (
    <div style={{ minWidth: 0 }}>
      <Link to={appealPath(appeal.id)} style={{ fontWeight: 500, overflowWrap: 'anywhere' }}>
        {appeal.title}
      </Link>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {appeal.number} · {categories.name(appeal.categoryCode)}
        {showEnterprise ? ` · ${appeal.enterpriseName}` : ''}
      </Typography.Text>
      <Space wrap size={[4, 4]} style={{ marginTop: 4 }}>
        <AppealStatusTag status={appeal.status} />
        {appeal.myPartStatus && <MyPartTag status={appeal.myPartStatus} />}
        <AppealFlags supervised={appeal.supervised} urgent={appeal.urgency === 'urgent'} />
        {appeal.dueDate && (
          <Typography.Text style={{ fontSize: 13 }}>
            {t('appeals.due')} <DueDate date={appeal.dueDate} estimated={appeal.dueEstimated} overdue={appeal.overdue} />
          </Typography.Text>
        )}
      </Space>
      {appeal.units.length > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, overflowWrap: 'anywhere' }}>
          {t('appeals.units')}：{appeal.units.join('、')}
        </Typography.Text>
      )}
    </div>
  );
}

/** How many 待办 the block shows; it orders up to `todoFetched` of them to pick those. */
const todoShown = 10;
const todoFetched = 100;

/** 待办: what waits for this person's step, in the order to work through it, above the list while no filter is set. */
function WaitingBlock({ showEnterprise, onShowAll }: { showEnterprise: boolean; onShowAll: () => void }) {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: [...appealsKey, 'list', 'todo'],
    // The server lists newest first: the block takes more than it shows, so the oldest 待签收 is not left out.
    queryFn: () => findAppeals({ todo: true, page: 1, pageSize: todoFetched }),
  });
  if (!query.data || query.data.total === 0) return null;
  const shown = todoFirst(query.data.items).slice(0, todoShown);
  return (
    <Card
      size="small"
      title={t('appeals.list.waitingTitle', { n: String(query.data.total) })}
      extra={
        query.data.total > shown.length ? (
          <Button type="link" size="small" onClick={onShowAll}>
            {t('appeals.list.showAll')}
          </Button>
        ) : null
      }
      style={{ marginBottom: 16, borderColor: '#faad14' }}
      role="region"
      aria-label={t('appeals.list.waitingLabel')}
    >
      <List
        size="small"
        dataSource={shown}
        renderItem={(appeal) => (
          <List.Item style={{ paddingInline: 0 }}>
            <AppealCard appeal={appeal} showEnterprise={showEnterprise} />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 诉求: the appeals in the caller's scope, filters in the URL; cards on phones, a table on wider screens. */
export function AppealsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = parseAppealListState(searchParams);
  const categories = useAppealCategories();
  const units = useHandlingUnits();
  const [showFilters, setShowFilters] = useState(false);

  const setState = (next: AppealListState, replace = false) => setSearchParams(toAppealSearchParams(next), { replace });
  const filter = (change: Parameters<typeof withAppealFilter>[1], replace = false) => setState(withAppealFilter(state, change), replace);

  const list = useQuery({
    queryKey: [...appealsKey, 'list', state],
    queryFn: () => findAppeals(state),
    placeholderData: keepPreviousData,
  });

  // An enterprise user's appeals are all their own enterprise's: the column says nothing to them.
  const showEnterprise = !can('appeals:rate');
  const withTodo = hasTodo(me.permissions);
  const filtered = hasAppealFilters(state);
  const emptyText = list.error ? errorText(list.error, t) : filtered ? t('appeals.list.empty') : t('appeals.list.emptyAll');
  const width = (desktop: number) => (isPhone ? '100%' : desktop);
  const enterpriseName = state.enterpriseId ? list.data?.items.find((item) => item.enterpriseId === state.enterpriseId)?.enterpriseName : undefined;
  const unitName = state.organisationId ? units.units.find((unit) => unit.id === state.organisationId)?.name : undefined;

  const columns: TableColumnsType<AppealListItem> = [
    {
      title: t('appeals.number'),
      dataIndex: 'number',
      width: 130,
      render: (number: string, row) => (
        <Link to={appealPath(row.id)} style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
          {number}
        </Link>
      ),
    },
    {
      title: t('appeals.titleField'),
      dataIndex: 'title',
      // The rest of the width (at least 240 px: the table scrolls below 1100 px).
      ellipsis: true,
      render: (title: string, row) => <Link to={appealPath(row.id)}>{title}</Link>,
    },
    ...(showEnterprise ? [{ title: t('appeals.enterprise'), dataIndex: 'enterpriseName', width: 180, ellipsis: true }] : []),
    { title: t('appeals.category'), dataIndex: 'categoryCode', width: 100, render: (code: string) => categories.name(code) },
    {
      title: t('appeals.status'),
      dataIndex: 'status',
      width: 140,
      render: (status: AppealStatus, row) => (
        <Space size={[0, 4]} wrap>
          <AppealStatusTag status={status} />
          {row.myPartStatus && <MyPartTag status={row.myPartStatus} />}
          <AppealFlags supervised={row.supervised} urgent={row.urgency === 'urgent'} />
        </Space>
      ),
    },
    { title: t('appeals.units'), dataIndex: 'units', width: 160, ellipsis: true, render: (names: string[]) => (names.length ? names.join('、') : '—') },
    { title: t('appeals.due'), dataIndex: 'dueDate', width: 150, render: (date: string | null, row) => <DueDate date={date} estimated={row.dueEstimated} overdue={row.overdue} /> },
    { title: t('appeals.submittedAt'), dataIndex: 'createdAt', width: 140, responsive: ['xxl'], render: (at: string) => formatDateTime(at) },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {can('appeals:submit') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(state.enterpriseId ? `/appeals/new?enterpriseId=${encodeURIComponent(state.enterpriseId)}` : '/appeals/new')}>
                {t('appeals.submit')}
              </Button>
            )}
            {can('appeals:kpi') && (
              <Button icon={<BarChartOutlined />} onClick={() => navigate('/appeals/kpis')}>
                {t('appeals.kpi.title')}
              </Button>
            )}
          </Space>
        }
      >
        {t('appeals.title')}
      </PageTitle>

      <div className="qq-page-toolbar" role="search">
        <SearchBox
          value={state.q}
          onChange={(q) => filter({ q }, true)}
          allowClear
          aria-label={t('appeals.list.searchLabel')}
          placeholder={t('appeals.list.searchPlaceholder')}
          maxLength={50}
          style={{ width: width(280) }}
          type="search"
        />
        <Segmented
          aria-label={t('appeals.list.state')}
          value={state.state ?? 'all'}
          onChange={(value) => filter({ state: value === 'all' ? undefined : (value as 'open' | 'closed') })}
          options={[
            { value: 'all', label: t('appeals.list.stateAll') },
            { value: 'open', label: t('appeals.list.stateOpen') },
            { value: 'closed', label: t('appeals.list.stateClosed') },
          ]}
        />
        {isPhone && (
          <Button icon={<FilterOutlined />} aria-expanded={showFilters} aria-controls="appeal-filters" onClick={() => setShowFilters((shown) => !shown)}>
            {t('appeals.list.filters')}
          </Button>
        )}
      </div>
      <div id="appeal-filters" className="qq-page-toolbar" hidden={isPhone && !showFilters} role="group" aria-label={t('appeals.list.filters')}>
        <Select
          aria-label={t('appeals.status')}
          placeholder={t('appeals.status')}
          allowClear
          value={state.status}
          onChange={(status?: AppealStatus) => filter({ status })}
          options={appealStatuses.map((value) => ({ value, label: t(`appeals.statuses.${value}`) }))}
          style={{ width: width(150) }}
        />
        <Select
          aria-label={t('appeals.category')}
          placeholder={t('appeals.category')}
          allowClear
          value={state.categoryCode}
          onChange={(categoryCode?: string) => filter({ categoryCode })}
          options={categories.categories.map((category) => ({ value: category.code, label: categories.name(category.code) }))}
          style={{ width: width(140) }}
        />
        {units.available && (
          <Select
            aria-label={t('appeals.units')}
            placeholder={t('appeals.units')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={state.organisationId}
            onChange={(organisationId?: string) => filter({ organisationId })}
            options={units.units.map((unit) => ({ value: unit.id, label: unit.name }))}
            style={{ width: width(240) }}
            popupMatchSelectWidth={false}
          />
        )}
        {!units.available && state.organisationId && (
          <Tag closable onClose={() => filter({ organisationId: undefined })}>
            {t('appeals.list.unitFilter', { name: unitName ?? t('appeals.list.oneUnit') })}
          </Tag>
        )}
        <DatePicker.RangePicker
          aria-label={t('appeals.list.dateRange')}
          placeholder={[t('appeals.list.dateFrom'), t('appeals.list.dateTo')]}
          value={state.from && state.to ? [dayjs(state.from), dayjs(state.to)] : null}
          onChange={(range) => filter({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD'), dates: state.dates })}
          inputReadOnly={isPhone}
          style={{ width: width(260) }}
        />
        {state.dates === 'activity' && (state.from || state.to) && (
          <Tag closable onClose={() => filter({ dates: undefined })}>
            {t('appeals.list.activityDates')}
          </Tag>
        )}
        {withTodo && (
          <Checkbox checked={Boolean(state.todo)} onChange={(event) => filter({ todo: event.target.checked || undefined })}>
            {t('appeals.list.todoOnly')}
          </Checkbox>
        )}
        <Checkbox checked={Boolean(state.overdue)} onChange={(event) => filter({ overdue: event.target.checked || undefined })}>
          {t('appeals.list.overdueOnly')}
        </Checkbox>
        {state.enterpriseId && (
          <Tag closable onClose={() => filter({ enterpriseId: undefined })}>
            {t('appeals.list.enterpriseFilter', { name: enterpriseName ?? t('appeals.list.oneEnterprise') })}
          </Tag>
        )}
        {filtered && (
          <Button type="link" onClick={() => setState({ page: 1, pageSize: state.pageSize })}>
            {t('appeals.list.clearFilters')}
          </Button>
        )}
      </div>

      {!filtered && withTodo && <WaitingBlock showEnterprise={showEnterprise} onShowAll={() => filter({ todo: true })} />}

      {isPhone ? (
        <>
          <Card styles={{ body: { padding: 0 } }}>
            <List<AppealListItem>
              loading={list.isFetching}
              dataSource={list.data?.items ?? []}
              locale={{ emptyText }}
              renderItem={(appeal) => (
                <List.Item style={{ display: 'block', paddingInline: 12 }}>
                  <AppealCard appeal={appeal} showEnterprise={showEnterprise} />
                </List.Item>
              )}
            />
          </Card>
          <Pagination
            simple
            style={{ marginTop: 12, justifyContent: 'center' }}
            current={state.page}
            pageSize={state.pageSize}
            total={list.data?.total ?? 0}
            onChange={(page) => setState({ ...state, page })}
          />
        </>
      ) : (
        <Table<AppealListItem>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: pageSizes.map(String),
            showTotal: (total) => t('common.total', { total: String(total) }),
            onChange: (page, pageSize) => setState({ ...state, page: pageSize !== state.pageSize ? 1 : page, pageSize }),
          }}
          scroll={{ x: 1100 }}
          tableLayout="fixed"
          size="middle"
          locale={{ emptyText }}
        />
      )}
    </>
  );
}
