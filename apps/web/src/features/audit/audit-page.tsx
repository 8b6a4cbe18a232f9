import type { AuditEvent } from '@qinqing/contracts';
import { FilterOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { PageTitle } from '../../components/page-title';
import { usePaging } from '../../components/pagination';
import { useIsPhone } from '../../components/use-is-narrow';
import { auditQueryKey, findAuditEvents, verifyAuditChain, type AuditFilter, type AuditResult } from './audit.api';

interface FilterValues {
  action?: string;
  username?: string;
  result?: AuditResult;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const resultColors: Record<AuditResult, string> = { success: 'green', failure: 'orange', denied: 'red' };
const results: AuditResult[] = ['success', 'failure', 'denied'];

function toFilter(values: FilterValues): Omit<AuditFilter, 'page' | 'pageSize'> {
  const [from, to] = values.range ?? [];
  return {
    action: values.action?.trim() || undefined,
    username: values.username?.trim() || undefined,
    result: values.result,
    from: from ? from.toDate().toISOString() : undefined,
    to: to ? to.toDate().toISOString() : undefined,
  };
}

function VerifyChain() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: verifyAuditChain });
  return (
    <div style={{ marginBottom: 16 }}>
      <Button icon={<SafetyCertificateOutlined />} onClick={() => verify.mutate()} loading={verify.isPending}>
        {t('audit.verify')}
      </Button>
      {verify.data && (
        <Alert
          style={{ marginTop: 12 }}
          role="status"
          showIcon
          type={verify.data.intact ? 'success' : 'error'}
          data-testid="audit-verify-result"
          title={
            verify.data.intact
              ? t('audit.verifyIntact', { checked: String(verify.data.checked) })
              : t('audit.verifyBroken', { id: String(verify.data.firstBrokenId ?? '?'), checked: String(verify.data.checked) })
          }
          description={!verify.data.intact && verify.data.reason ? t('audit.verifyReason', { reason: verify.data.reason }) : undefined}
        />
      )}
      {verify.error && <Alert style={{ marginTop: 12 }} role="alert" showIcon type="error" title={errorText(verify.error, t)} />}
    </div>
  );
}

/** The audit trail: filter by action, actor, result and time; verify the hash chain. */
export function AuditPage() {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<Omit<AuditFilter, 'page' | 'pageSize'>>({});
  // On a phone the filters fold away so the list is visible without scrolling past them.
  const [showFilters, setShowFilters] = useState(false);
  const paging = usePaging(50);
  const query = { ...filter, page: paging.page, pageSize: paging.pageSize };
  const list = useQuery({
    queryKey: [...auditQueryKey, query],
    queryFn: () => findAuditEvents(query),
    placeholderData: keepPreviousData,
  });

  const apply = (values: FilterValues) => {
    setFilter(toFilter(values));
    paging.resetPage();
  };

  const columns: TableColumnsType<AuditEvent> = [
    { title: t('audit.id'), dataIndex: 'id', width: 80 },
    { title: t('audit.at'), dataIndex: 'at', render: formatDateTime },
    {
      title: t('audit.actor'),
      key: 'actor',
      render: (_, event) => (
        <>
          {event.actorUsername ?? t('common.none')}
          {event.actorRoles && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {event.actorRoles}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('audit.action'), dataIndex: 'action', render: (action: string) => <Typography.Text code>{action}</Typography.Text> },
    {
      title: t('audit.object'),
      key: 'object',
      render: (_, event) => (event.objectType ? `${event.objectType}${event.objectId ? ` #${event.objectId}` : ''}` : t('common.none')),
    },
    { title: t('audit.result'), dataIndex: 'result', render: (result: AuditResult) => <Tag color={resultColors[result]}>{t(`audit.results.${result}`)}</Tag> },
    { title: t('audit.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? t('common.none') },
    {
      title: t('audit.detail'),
      dataIndex: 'detail',
      render: (detail: string | null) =>
        detail ? (
          <Typography.Text style={{ maxWidth: 320, display: 'inline-block' }} ellipsis={{ tooltip: detail }}>
            {detail}
          </Typography.Text>
        ) : (
          t('common.none')
        ),
    },
  ];

  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <VerifyChain />
      {isPhone && (
        <Button
          icon={<FilterOutlined />}
          aria-expanded={showFilters}
          aria-controls="audit-filters"
          onClick={() => setShowFilters((shown) => !shown)}
          style={{ marginBottom: 12 }}
        >
          {t('audit.filters')}
        </Button>
      )}
      <Form<FilterValues>
        id="audit-filters"
        hidden={isPhone && !showFilters}
        form={form}
        layout={isPhone ? 'vertical' : 'inline'}
        onFinish={apply}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="action" label={t('audit.filterAction')}>
          <Input allowClear style={{ width: isPhone ? '100%' : 180 }} />
        </Form.Item>
        <Form.Item name="username" label={t('audit.filterUsername')}>
          <Input allowClear style={{ width: isPhone ? '100%' : 140 }} />
        </Form.Item>
        <Form.Item name="result" label={t('audit.filterResult')}>
          <Select
            allowClear
            style={{ width: isPhone ? '100%' : 120 }}
            options={results.map((value) => ({ value, label: t(`audit.results.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="range" label={t('audit.filterRange')}>
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            placeholder={[t('audit.startTime'), t('audit.endTime')]}
            style={{ width: isPhone ? '100%' : undefined }}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common.search')}
          </Button>
          <Button
            style={{ marginInlineStart: 8 }}
            onClick={() => {
              form.resetFields();
              apply({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Form.Item>
      </Form>
      <Table<AuditEvent>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        pagination={paging.tablePagination(list.data?.total, t, isPhone)}
        scroll={{ x: 'max-content' }}
        size="small"
        locale={list.error ? { emptyText: errorText(list.error, t) } : undefined}
      />
    </>
  );
}
