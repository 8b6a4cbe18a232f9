import { BarChartOutlined, DownloadOutlined, FilterOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { EnterpriseListItem } from '@qinqing/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Cascader, Input, List, Pagination, Select, Space, Table, Typography, type TableColumnsType, type TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { lazy, Suspense, useEffect, useState, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useIsPhone } from '../../components/use-is-narrow';
import { enterpriseScales, enterpriseStatuses } from './domain';
import { EnterpriseFormModal } from './enterprise-form';
import { formatNumber, ScaleTag, StatusTag, TagList } from './enterprise-tags';
import { countEnterprises, enterprisesKey, exportEnterprises, findEnterprises } from './enterprises.api';
import {
  hasFilters,
  pageSizes,
  parseListState,
  sortFromTable,
  sortOrderOf,
  toSearchParams,
  withFilter,
  type EnterpriseListState,
  type Sort,
  type SortField,
} from './list-filters';
import { useIndustries, useRegions } from './use-reference';

/** A text box that writes to the URL after the person stops typing, and follows the URL when it changes. */
function DebouncedText({ value, onChange, ...props }: { value: string | undefined; onChange: (value: string | undefined) => void } & Omit<ComponentProps<typeof Input>, 'value' | 'onChange'>) {
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

// ECharts is most of this page's weight: its own chunk, so the table does not wait for it.
const CountsPanel = lazy(async () => ({ default: (await import('./counts-panel')).CountsPanel }));

const sortChoices: Sort[] = ['name', '-revenue', '-landArea', '-updatedAt'];

/** 企业名录: search, filters (all in the URL), counts, and the paginated table. */
export function EnterprisesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = parseListState(searchParams);
  const industries = useIndustries();
  const regions = useRegions();
  const [showFilters, setShowFilters] = useState(false);
  const [showCounts, setShowCounts] = useState(false);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);

  const setState = (next: EnterpriseListState, replace = false) => setSearchParams(toSearchParams(next), { replace });
  const filter = (change: Parameters<typeof withFilter>[1], replace = false) => setState(withFilter(state, change), replace);

  const { page: _page, pageSize: _pageSize, sort: _sort, ...filterOnly } = state;
  const list = useQuery({
    queryKey: [...enterprisesKey, 'list', state],
    queryFn: () => findEnterprises(state),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery({
    queryKey: [...enterprisesKey, 'counts', filterOnly],
    queryFn: () => countEnterprises(state),
    placeholderData: keepPreviousData,
  });

  const doExport = async (format: 'xlsx' | 'csv') => {
    setExporting(format);
    try {
      await exportEnterprises(state, format);
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setExporting(null);
    }
  };

  const sortable = (field: SortField) => ({ sorter: true, sortOrder: sortOrderOf(state, field), sortDirections: ['ascend', 'descend'] as ('ascend' | 'descend')[] });
  const columns: TableColumnsType<EnterpriseListItem> = [
    {
      title: t('enterprises.name'),
      dataIndex: 'name',
      key: 'name',
      fixed: 'left',
      width: 200,
      ellipsis: true,
      ...sortable('name'),
      render: (name: string, row) => <Link to={`/enterprises/${encodeURIComponent(row.id)}`}>{name}</Link>,
    },
    { title: t('enterprises.creditCode'), dataIndex: 'creditCode', width: 180, render: (code: string) => <Typography.Text copyable={{ text: code }} style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{code}</Typography.Text> },
    { title: t('enterprises.industry'), dataIndex: 'industryName', width: 150, ellipsis: true, render: (name: string | null, row) => <span title={row.industryCode}>{name ?? row.industryCode}</span> },
    { title: t('enterprises.region'), dataIndex: 'regionName', width: 120, ellipsis: true, render: (name: string | null, row) => <span title={row.regionCode}>{name ?? row.regionCode}</span> },
    { title: t('enterprises.scale'), dataIndex: 'scale', width: 64, render: (scale: EnterpriseListItem['scale']) => <ScaleTag scale={scale} /> },
    { title: t('enterprises.revenue'), dataIndex: 'revenue', key: 'revenue', align: 'right', width: 120, ...sortable('revenue'), render: (value: number | null) => formatNumber(value, i18n.language) },
    { title: t('enterprises.landArea'), dataIndex: 'landArea', key: 'landArea', align: 'right', width: 96, ...sortable('landArea'), render: (value: number | null) => formatNumber(value, i18n.language) },
    { title: t('enterprises.status'), dataIndex: 'status', width: 72, render: (status: EnterpriseListItem['status']) => <StatusTag status={status} /> },
    { title: t('enterprises.tags'), dataIndex: 'tags', render: (tags: string[]) => <TagList tags={tags} /> },
  ];

  const onTableChange = (pagination: TablePaginationConfig, _filters: unknown, sorter: SorterResult<EnterpriseListItem> | SorterResult<EnterpriseListItem>[]) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const sort = sortFromTable(one?.columnKey as SortField | undefined, one?.order);
    const pageSize = pagination.pageSize ?? state.pageSize;
    if (sort !== state.sort) setState({ ...state, sort, page: 1 });
    else setState({ ...state, page: pageSize !== state.pageSize ? 1 : (pagination.current ?? 1), pageSize });
  };

  const filtersVisible = !isPhone || showFilters;
  const width = (desktop: number) => (isPhone ? '100%' : desktop);

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {can('enterprises:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('enterprises.create')}
              </Button>
            )}
            {can('enterprises:import') && (
              <Button icon={<UploadOutlined />} onClick={() => navigate('/enterprises/import')}>
                {t('enterprises.import')}
              </Button>
            )}
            <Button icon={<DownloadOutlined />} loading={exporting === 'xlsx'} disabled={exporting !== null} onClick={() => void doExport('xlsx')}>
              {t('enterprises.exportXlsx')}
            </Button>
            <Button icon={<DownloadOutlined />} loading={exporting === 'csv'} disabled={exporting !== null} onClick={() => void doExport('csv')}>
              {t('enterprises.exportCsv')}
            </Button>
          </Space>
        }
      >
        {t('enterprises.title')}
      </PageTitle>

      <div className="qq-page-toolbar" role="search">
        <DebouncedText
          value={state.q}
          onChange={(q) => filter({ q }, true)}
          allowClear
          aria-label={t('enterprises.searchLabel')}
          placeholder={t('enterprises.searchPlaceholder')}
          maxLength={50}
          style={{ width: width(300) }}
          type="search"
        />
        {isPhone && (
          <Button icon={<BarChartOutlined />} aria-expanded={showCounts} onClick={() => setShowCounts((shown) => !shown)}>
            {t('enterprises.counts.title')}
          </Button>
        )}
        {isPhone && (
          <Button icon={<FilterOutlined />} aria-expanded={showFilters} aria-controls="enterprise-filters" onClick={() => setShowFilters((shown) => !shown)}>
            {t('enterprises.filters')}
          </Button>
        )}
      </div>
      <div id="enterprise-filters" className="qq-page-toolbar" hidden={!filtersVisible} aria-label={t('enterprises.filters')} role="group">
        <Cascader
          aria-label={t('enterprises.industry')}
          placeholder={t('enterprises.industry')}
          options={industries.options}
          value={industries.path(state.industry)}
          onChange={(path) => filter({ industry: (path as string[] | undefined)?.at(-1) })}
          changeOnSelect
          showSearch
          allowClear
          style={{ width: width(220) }}
        />
        <Cascader
          aria-label={t('enterprises.regionFilter')}
          placeholder={t('enterprises.regionFilter')}
          options={regions.options}
          value={regions.path(state.region)}
          onChange={(path) => filter({ region: (path as string[] | undefined)?.at(-1) })}
          changeOnSelect
          showSearch
          allowClear
          style={{ width: width(220) }}
        />
        <Select
          aria-label={t('enterprises.scale')}
          placeholder={t('enterprises.scale')}
          allowClear
          value={state.scale}
          onChange={(scale) => filter({ scale })}
          options={enterpriseScales.map((value) => ({ value, label: t(`enterprises.scales.${value}`) }))}
          style={{ width: width(100) }}
        />
        <Select
          aria-label={t('enterprises.status')}
          placeholder={t('enterprises.status')}
          allowClear
          value={state.status}
          onChange={(status) => filter({ status })}
          options={enterpriseStatuses.map((value) => ({ value, label: t(`enterprises.statuses.${value}`) }))}
          style={{ width: width(100) }}
        />
        <DebouncedText value={state.park} onChange={(park) => filter({ park }, true)} allowClear aria-label={t('enterprises.park')} placeholder={t('enterprises.park')} maxLength={64} style={{ width: width(140) }} />
        <Select
          mode="tags"
          aria-label={t('enterprises.tags')}
          placeholder={t('enterprises.tags')}
          value={state.tags}
          onChange={(tags: string[]) => filter({ tags })}
          open={false}
          suffixIcon={null}
          tokenSeparators={[',', '，']}
          style={{ minWidth: isPhone ? '100%' : 160 }}
        />
        <Select
          aria-label={t('enterprises.sortBy')}
          value={state.sort && (sortChoices as string[]).includes(state.sort) ? state.sort : state.sort ? undefined : 'name'}
          placeholder={t('enterprises.sortBy')}
          onChange={(sort: Sort) => setState({ ...state, sort: sort === 'name' ? undefined : sort, page: 1 })}
          options={sortChoices.map((value) => ({ value, label: t(`enterprises.sorts.${value as '-revenue'}`) }))}
          style={{ width: width(170) }}
        />
        {hasFilters(state) && (
          <Button type="link" onClick={() => setState({ tags: [], page: 1, pageSize: state.pageSize, sort: state.sort })}>
            {t('enterprises.clearFilters')}
          </Button>
        )}
      </div>

      <Suspense fallback={null}>
        {(!isPhone || showCounts) && <CountsPanel
          counts={counts.data}
          loading={counts.isPending}
          onIndustry={(industry) => filter({ industry })}
          onRegion={(region) => filter({ region })}
          onScale={(scale) => filter({ scale })}
        />}
      </Suspense>

      {isPhone ? (
        <>
          <Card styles={{ body: { padding: 0 } }}>
            <List<EnterpriseListItem>
              loading={list.isFetching}
              dataSource={list.data?.items ?? []}
              locale={{ emptyText: list.error ? errorText(list.error, t) : hasFilters(state) ? t('enterprises.empty') : t('enterprises.emptyAll') }}
              renderItem={(row) => (
                <List.Item style={{ display: 'block', paddingInline: 12 }}>
                  <Link to={`/enterprises/${encodeURIComponent(row.id)}`} style={{ fontWeight: 500, overflowWrap: 'anywhere' }}>
                    {row.name}
                  </Link>
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, fontFamily: 'monospace' }}>
                    {row.creditCode}
                  </Typography.Text>
                  <Typography.Text style={{ display: 'block', fontSize: 13 }}>
                    {row.industryName ?? row.industryCode} · {row.regionName ?? row.regionCode}
                  </Typography.Text>
                  <Space wrap size={[4, 4]} style={{ marginTop: 4 }}>
                    <ScaleTag scale={row.scale} />
                    <StatusTag status={row.status} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('enterprises.revenue')} {formatNumber(row.revenue, i18n.language)} · {t('enterprises.landArea')} {formatNumber(row.landArea, i18n.language)}
                    </Typography.Text>
                  </Space>
                  {row.tags.length > 0 && (
                    <div style={{ marginTop: 4 }}>
                      <TagList tags={row.tags} />
                    </div>
                  )}
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
        <Table<EnterpriseListItem>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          onChange={onTableChange}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: !isPhone,
            pageSizeOptions: pageSizes.map(String),
            simple: isPhone,
            showTotal: isPhone ? undefined : (total) => t('common.total', { total: String(total) }),
          }}
          scroll={{ x: 1120 }}
          tableLayout="fixed"
          size="middle"
          locale={{ emptyText: list.error ? errorText(list.error, t) : hasFilters(state) ? t('enterprises.empty') : t('enterprises.emptyAll') }}
        />
      )}

      {creating && (
        <EnterpriseFormModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(enterprise, warnings) => {
            setCreating(false);
            if (warnings.length > 0) {
              void message.warning({ content: `${t('enterpriseForm.createdWithWarnings')}：${warnings.map((warning) => warning.message).join('；')}`, duration: 8 });
            } else {
              void message.success(t('enterpriseForm.created'));
            }
            navigate(`/enterprises/${encodeURIComponent(enterprise.id)}`);
          }}
        />
      )}
    </>
  );
}
