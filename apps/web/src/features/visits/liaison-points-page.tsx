import { PlusOutlined } from '@ant-design/icons';
import type { LiaisonPoint, LiaisonPointDetail } from '@qinqing/contracts';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Cascader, Form, Input, List, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { applyFieldErrors, errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useIsPhone } from '../../components/use-is-narrow';
import { useRegions } from '../enterprises/use-reference';
import { EnterprisePicker } from './enterprise-picker';
import { createLiaisonPoint, findLiaisonPoints, liaisonKey, updateLiaisonPoint } from './visits.api';

interface PointFormValues {
  name: string;
  region: string[];
  hostEnterpriseId?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  memberIds?: string[];
}

const blank = (value: string | null | undefined) => (value && value.trim() ? value.trim() : null);

/** New liaison point, or edit one (members are managed on the point's page). */
export function LiaisonPointFormModal({ point, onClose, onSaved }: { point?: LiaisonPointDetail; onClose: () => void; onSaved: (point: LiaisonPointDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const regions = useRegions();
  const [form] = Form.useForm<PointFormValues>();
  const [saving, setSaving] = useState(false);
  const initialValues: Partial<PointFormValues> = point
    ? { name: point.name, region: regions.path(point.regionCode), hostEnterpriseId: point.hostEnterpriseId, contactName: point.contactName, contactPhone: point.contactPhone, address: point.address }
    : { memberIds: [] };
  const known = point?.hostEnterpriseId ? [{ id: point.hostEnterpriseId, name: point.hostEnterpriseName ?? '', creditCode: '' }] : [];

  const submit = async (values: PointFormValues) => {
    setSaving(true);
    try {
      const body = {
        name: values.name.trim(),
        regionCode: values.region.at(-1)!,
        hostEnterpriseId: values.hostEnterpriseId ?? null,
        contactName: blank(values.contactName),
        contactPhone: blank(values.contactPhone),
        address: blank(values.address),
      };
      const saved = point ? await updateLiaisonPoint(point.id, body) : await createLiaisonPoint({ ...body, memberIds: values.memberIds ?? [] });
      await queryClient.invalidateQueries({ queryKey: liaisonKey });
      void message.success(t('common.saved'));
      onSaved(saved);
    } catch (error) {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title={point ? t('liaison.editTitle') : t('liaison.createTitle')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={saving} width={isPhone ? '100%' : 640} destroyOnHidden maskClosable={false}>
      <Form<PointFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} requiredMark>
        <Form.Item name="name" label={t('liaison.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
          <Input maxLength={100} placeholder={t('liaison.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="region" label={t('liaison.region')} extra={t('liaison.regionHint')} rules={[{ required: true, message: t('common.required') }]}>
          <Cascader options={regions.options} changeOnSelect showSearch loading={regions.isPending} />
        </Form.Item>
        <Form.Item name="hostEnterpriseId" label={t('liaison.host')}>
          <EnterprisePicker known={known} />
        </Form.Item>
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item name="contactName" label={t('liaison.contact')} rules={[{ max: 32 }]}>
            <Input maxLength={32} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('liaison.contactPhone')}
            rules={[{ pattern: /^1\d{10}$|^1\d{2}\*{4}\d{4}$/, message: t('enterpriseForm.phoneFormat') }]}
            extra={point?.contactPhone ? t('enterpriseForm.maskedPhoneKept') : undefined}
          >
            <Input maxLength={11} inputMode="tel" style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item name="address" label={t('liaison.address')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        {!point && (
          <Form.Item name="memberIds" label={t('liaison.members')} extra={t('liaison.membersHint')}>
            <EnterprisePicker mode="multiple" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 企情联络点: the points one may see, with members and their last symposium. */
export function LiaisonPointsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 400);
  const [active, setActive] = useState<'true' | 'false' | undefined>('true');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const query = { q: q || undefined, isActive: active, page, pageSize: 20 };
  const list = useQuery({ queryKey: [...liaisonKey, 'points', query], queryFn: () => findLiaisonPoints(query), placeholderData: keepPreviousData });
  const columns: TableColumnsType<LiaisonPoint> = [
    { title: t('liaison.name'), dataIndex: 'name', render: (name: string, row) => <Link to={`/liaison-points/${encodeURIComponent(row.id)}`}>{name}</Link> },
    { title: t('liaison.region'), dataIndex: 'regionName', width: 160, render: (name: string | null, row) => name ?? row.regionCode },
    { title: t('liaison.host'), dataIndex: 'hostEnterpriseName', ellipsis: true, render: (name: string | null) => name ?? t('common.none') },
    { title: t('liaison.members'), dataIndex: 'memberCount', width: 90, align: 'right' },
    { title: t('liaison.lastSymposium'), dataIndex: 'lastSymposiumOn', width: 130, render: (date: string | null) => date ?? t('common.none') },
    { title: t('common.status'), dataIndex: 'isActive', width: 90, render: (isActive: boolean) => (isActive ? <Tag color="green">{t('liaison.active')}</Tag> : <Tag>{t('liaison.closed')}</Tag>) },
  ];
  return (
    <>
      <PageTitle
        extra={
          can('liaison:write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('liaison.create')}
            </Button>
          )
        }
      >
        {t('liaison.title')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('liaison.intro')}</Typography.Paragraph>
      <div className="qq-page-toolbar" role="search">
        <Input
          type="search"
          allowClear
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setPage(1);
          }}
          placeholder={t('liaison.searchPlaceholder')}
          aria-label={t('liaison.searchPlaceholder')}
          style={{ width: isPhone ? '100%' : 260 }}
        />
        <Select
          aria-label={t('common.status')}
          value={active ?? 'all'}
          onChange={(value: string) => {
            setActive(value === 'all' ? undefined : (value as 'true' | 'false'));
            setPage(1);
          }}
          options={[
            { value: 'true', label: t('liaison.active') },
            { value: 'false', label: t('liaison.closed') },
            { value: 'all', label: t('common.all') },
          ]}
          style={{ width: isPhone ? '100%' : 120 }}
        />
      </div>
      {isPhone ? (
        <Card styles={{ body: { padding: 0 } }}>
          <List<LiaisonPoint>
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: list.error ? errorText(list.error, t) : t('liaison.empty') }}
            pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, simple: true, align: 'center' }}
            renderItem={(row) => (
              <List.Item style={{ display: 'block', paddingInline: 12 }}>
                <Link to={`/liaison-points/${encodeURIComponent(row.id)}`} style={{ fontWeight: 500 }}>
                  {row.name}
                </Link>
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {row.regionName ?? row.regionCode} · {t('liaison.memberCount', { n: String(row.memberCount) })}
                  {row.lastSymposiumOn && ` · ${t('liaison.lastSymposium')} ${row.lastSymposiumOn}`}
                </Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      ) : (
        <Table<LiaisonPoint>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('common.total', { total: String(total) }) }}
          locale={{ emptyText: list.error ? errorText(list.error, t) : t('liaison.empty') }}
          size="middle"
        />
      )}
      {creating && (
        <LiaisonPointFormModal
          onClose={() => setCreating(false)}
          onSaved={(point) => {
            setCreating(false);
            navigate(`/liaison-points/${encodeURIComponent(point.id)}`);
          }}
        />
      )}
    </>
  );
}
