import { PlusOutlined } from '@ant-design/icons';
import { appealCategoryCodeSchema, type AppealCategory } from '@qinqing/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { appealCategoriesKey, saveAppealCategory } from './appeals.api';
import { useAppealCategories } from './use-appeal-lookups';

interface FormValues {
  code: string;
  name: string;
  nameEn: string;
  deadlineDays: number;
  isEnabled: boolean;
  sortOrder: number;
}

function CategoryFormModal({ editing, categories, onClose }: { editing: AppealCategory | 'new'; categories: AppealCategory[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (values: FormValues) =>
      saveAppealCategory(isNew ? values.code.trim() : editing.code, {
        name: values.name.trim(),
        nameEn: values.nameEn.trim(),
        deadlineDays: values.deadlineDays,
        isEnabled: values.isEnabled,
        sortOrder: values.sortOrder,
      }, { create: isNew }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: appealCategoriesKey });
      onClose();
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    },
  });
  const required = { required: true, whitespace: true, message: t('common.required') };
  const nextOrder = Math.min(999, Math.max(0, ...categories.map((category) => category.sortOrder)) + 10);
  return (
    <Modal
      open
      title={isNew ? t('appeals.categories.addTitle') : t('appeals.categories.editTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={isNew ? { code: '', deadlineDays: 10, isEnabled: true, sortOrder: nextOrder } : { ...editing }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          name="code"
          label={t('appeals.categories.code')}
          extra={isNew ? t('appeals.categories.codeHint') : t('appeals.categories.codeFixed')}
          rules={
            isNew
              ? [
                  required,
                  {
                    validator: async (_, value: string | undefined) => {
                      const code = value?.trim() ?? '';
                      if (!code) return;
                      if (!appealCategoryCodeSchema.safeParse(code).success) throw new Error(t('appeals.categories.codeInvalid'));
                      // PUT creates or changes: an existing code would silently overwrite that category.
                      const taken = categories.find((category) => category.code === code);
                      if (taken) throw new Error(t('appeals.categories.codeTaken', { name: taken.name }));
                    },
                  },
                ]
              : []
          }
        >
          <Input maxLength={32} disabled={!isNew} autoComplete="off" spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="name" label={t('appeals.categories.name')} rules={[required, { max: 32, message: t('appeals.form.tooLong', { n: '32' }) }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('appeals.categories.nameEn')} rules={[required, { max: 64, message: t('appeals.form.tooLong', { n: '64' }) }]}>
          <Input maxLength={64} lang="en" />
        </Form.Item>
        {/* No min/max on the inputs: they would silently clamp 61 to 60; the rule says what is wrong instead. */}
        <Form.Item
          name="deadlineDays"
          label={t('appeals.categories.deadlineDays')}
          extra={t('appeals.categories.daysHint')}
          rules={[{ required: true, type: 'integer', min: 1, max: 60, message: t('appeals.categories.daysRange') }]}
        >
          <InputNumber precision={0} inputMode="numeric" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item
          name="sortOrder"
          label={t('appeals.categories.sortOrder')}
          extra={t('appeals.categories.sortOrderHint')}
          rules={[{ required: true, type: 'integer', min: 0, max: 999, message: t('appeals.categories.sortRange') }]}
        >
          <InputNumber precision={0} inputMode="numeric" style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="isEnabled" label={t('appeals.categories.enabled')} valuePropName="checked" extra={t('appeals.categories.enabledHint')}>
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 诉求类别 (/appeals/categories): the categories and their time limits in working days, for those who run the loop. */
export function AppealCategoriesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const categories = useAppealCategories();
  const [editing, setEditing] = useState<AppealCategory | 'new' | null>(null);
  const toggle = useMutation({
    mutationFn: ({ code, name, nameEn, deadlineDays, sortOrder, isEnabled }: AppealCategory) => saveAppealCategory(code, { name, nameEn, deadlineDays, sortOrder, isEnabled }),
    onSuccess: (saved) => {
      void message.success(saved.isEnabled ? t('appeals.categories.enabledNow', { name: saved.name }) : t('appeals.categories.disabledNow', { name: saved.name }));
      queryClient.setQueryData<AppealCategory[]>(appealCategoriesKey, (current) => current?.map((category) => (category.code === saved.code ? saved : category)));
      void queryClient.invalidateQueries({ queryKey: appealCategoriesKey });
    },
    onError: (error) => void message.error(errorText(error, t)),
  });

  const columns: TableColumnsType<AppealCategory> = [
    { title: t('appeals.categories.sortOrder'), dataIndex: 'sortOrder', width: 72 },
    {
      title: t('appeals.categories.name'),
      dataIndex: 'name',
      render: (name: string, category) => (
        <>
          <div>{name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
            {category.code}
          </Typography.Text>
        </>
      ),
    },
    { title: t('appeals.categories.nameEn'), dataIndex: 'nameEn', responsive: ['md'] },
    { title: t('appeals.categories.deadline'), dataIndex: 'deadlineDays', render: (days: number) => t('appeals.categories.days', { n: String(days) }) },
    {
      title: t('common.status'),
      dataIndex: 'isEnabled',
      render: (isEnabled: boolean, category) => (
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
          <Switch
            checked={isEnabled}
            size={isPhone ? 'small' : 'default'}
            aria-label={t('appeals.categories.toggle', { name: category.name })}
            loading={toggle.isPending && toggle.variables?.code === category.code}
            onChange={(checked) => toggle.mutate({ ...category, isEnabled: checked })}
          />
          {!isPhone && <Tag color={isEnabled ? 'green' : 'default'}>{isEnabled ? t('common.enabled') : t('common.disabled')}</Tag>}
        </span>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, category) => (
        <Button type="link" size="small" style={{ paddingInline: 0 }} onClick={() => setEditing(category)} aria-label={t('appeals.categories.edit', { name: category.name })}>
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('appeals.categories.add')}
          </Button>
        }
      >
        {t('appeals.categories.title')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('appeals.categories.intro')}</Typography.Paragraph>
      <Table<AppealCategory>
        rowKey="code"
        columns={columns}
        dataSource={categories.categories}
        loading={categories.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size={isPhone ? 'small' : 'middle'}
        locale={categories.error ? { emptyText: errorText(categories.error, t) } : undefined}
      />
      {editing && <CategoryFormModal editing={editing} categories={categories.categories} onClose={() => setEditing(null)} />}
    </>
  );
}
