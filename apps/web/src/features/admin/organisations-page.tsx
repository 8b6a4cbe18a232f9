import { organisationKinds, type Organisation, type OrganisationKind } from '@qinqing/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { usePaging } from '../../components/pagination';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useIsPhone } from '../../components/use-is-narrow';
import { OrganisationSelect } from './organisation-select';
import { createOrganisation, findOrganisations, organisationsQueryKey, updateOrganisation } from './organisations.api';

interface FormValues {
  name: string;
  kind: OrganisationKind;
  regionCode?: string | null;
  parentId?: string | null;
}

function OrganisationFormModal({ editing, onClose }: { editing: Organisation | 'new'; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (values: FormValues) => {
      const input = {
        name: values.name.trim(),
        kind: values.kind,
        regionCode: values.regionCode?.trim() || null,
        parentId: values.parentId || null,
      };
      return isNew ? createOrganisation(input) : updateOrganisation(editing.id, input);
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: organisationsQueryKey });
      onClose();
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    },
  });
  return (
    <Modal
      open
      title={isNew ? t('orgs.createTitle') : t('orgs.editTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={isNew ? { kind: 'government' } : { name: editing.name, kind: editing.kind, regionCode: editing.regionCode, parentId: editing.parentId }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t('orgs.kind')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={organisationKinds.map((kind) => ({ value: kind, label: t(`orgs.kinds.${kind}`) }))} />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('orgs.regionCode')}
          extra={t('orgs.regionCodeHint')}
          rules={[{ pattern: /^(\d{6}|\d{9}|\d{12})$/, message: t('orgs.regionCodeHint') }]}
        >
          <Input inputMode="numeric" maxLength={12} />
        </Form.Item>
        <Form.Item name="parentId" label={t('orgs.parent')}>
          <OrganisationSelect excludeId={isNew ? undefined : editing.id} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function OrganisationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const canWrite = can('organisations:write');
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<OrganisationKind | undefined>();
  const q = useDebouncedValue(search.trim());
  const paging = usePaging();
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null);

  const filter = { page: paging.page, pageSize: paging.pageSize, q: q || undefined, kind };
  const list = useQuery({
    queryKey: [...organisationsQueryKey, 'list', filter],
    queryFn: () => findOrganisations(filter),
    placeholderData: keepPreviousData,
  });
  const toggle = useMutation({
    mutationFn: ({ id, isEnabled }: { id: string; isEnabled: boolean }) => updateOrganisation(id, { isEnabled }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: organisationsQueryKey }),
    onError: (error) => void message.error(errorText(error, t)),
  });

  const columns: TableColumnsType<Organisation> = [
    { title: t('orgs.name'), dataIndex: 'name' },
    { title: t('orgs.kind'), dataIndex: 'kind', render: (value: OrganisationKind) => <Tag>{t(`orgs.kinds.${value}`)}</Tag> },
    { title: t('orgs.regionCode'), dataIndex: 'regionCode', render: (value: string | null) => value ?? t('common.none') },
    {
      title: t('common.status'),
      dataIndex: 'isEnabled',
      render: (isEnabled: boolean, organisation) =>
        canWrite ? (
          <Switch
            checked={isEnabled}
            aria-label={t('orgs.toggleEnabled', { name: organisation.name })}
            loading={toggle.isPending && toggle.variables?.id === organisation.id}
            onChange={(checked) => toggle.mutate({ id: organisation.id, isEnabled: checked })}
          />
        ) : (
          <Tag color={isEnabled ? 'green' : 'default'}>{isEnabled ? t('common.enabled') : t('common.disabled')}</Tag>
        ),
    },
    { title: t('orgs.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
  ];
  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, organisation) => (
        <Button type="link" size="small" onClick={() => setEditing(organisation)} aria-label={`${t('common.edit')} ${organisation.name}`}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      <PageTitle
        extra={
          canWrite && (
            <Button type="primary" onClick={() => setEditing('new')}>
              {t('orgs.create')}
            </Button>
          )
        }
      >
        {t('orgs.title')}
      </PageTitle>
      <div className="qq-page-toolbar">
        <Input.Search
          allowClear
          placeholder={t('orgs.searchPlaceholder')}
          aria-label={t('orgs.searchPlaceholder')}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            paging.resetPage();
          }}
          style={{ width: isPhone ? '100%' : 260 }}
        />
        <Select
          allowClear
          placeholder={t('orgs.kind')}
          aria-label={t('orgs.kind')}
          value={kind}
          onChange={(value) => {
            setKind(value);
            paging.resetPage();
          }}
          options={organisationKinds.map((value) => ({ value, label: t(`orgs.kinds.${value}`) }))}
          style={{ width: isPhone ? '100%' : 160 }}
        />
      </div>
      <Table<Organisation>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        pagination={paging.tablePagination(list.data?.total, t, isPhone)}
        scroll={{ x: 'max-content' }}
        size={isPhone ? 'small' : 'middle'}
        locale={list.error ? { emptyText: errorText(list.error, t) } : undefined}
      />
      {editing && <OrganisationFormModal editing={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
