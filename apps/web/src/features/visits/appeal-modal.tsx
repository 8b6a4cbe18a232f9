import { useQuery } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { useIsPhone } from '../../components/use-is-narrow';
import { findAppealCategories, submitAppeal } from './visits.api';

export interface AppealSource {
  enterpriseId: string;
  title: string;
  description: string;
  origin: { kind: 'visit' | 'symposium'; id: string };
}

interface Values {
  categoryCode: string;
  title: string;
  description: string;
  urgency: 'normal' | 'urgent';
}

/**
 * "转为诉求": the problem or suggestion as an appeal, prefilled; submitted with its origin (POST /api/appeals), then
 * `link` stores the appeal on the item. If the link fails the appeal still exists, and the person is told so.
 */
export function AppealModal({ source, onClose, link }: { source: AppealSource | null; onClose: () => void; link: (appealId: string) => Promise<unknown> }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const categories = useQuery({ queryKey: ['appeals', 'categories'], queryFn: findAppealCategories, staleTime: 300_000, enabled: Boolean(source) });

  const submit = async (values: Values) => {
    if (!source) return;
    setSaving(true);
    let created: { id: string; number: string } | null = null;
    try {
      created = await submitAppeal({ enterpriseId: source.enterpriseId, origin: source.origin, ...values });
      await link(created.id);
      void message.success(t('appealModal.created', { number: created.number }));
      onClose();
    } catch (error) {
      if (created) {
        void message.error({ content: t('appealModal.linkFailed', { number: created.number, error: errorText(error, t) }), duration: 10 });
        onClose();
      } else if (!applyFieldErrors(form, error)) {
        void message.error(errorText(error, t));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={Boolean(source)}
      title={t('appealModal.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('appealModal.submit')}
      confirmLoading={saving}
      width={isPhone ? '100%' : 600}
      destroyOnHidden
      maskClosable={false}
    >
      {source && (
        <Form<Values> form={form} layout="vertical" initialValues={{ title: source.title, description: source.description, urgency: 'normal' }} onFinish={submit} requiredMark>
          {categories.error && <Alert type="error" showIcon title={errorText(categories.error, t)} style={{ marginBottom: 12 }} />}
          <Form.Item name="categoryCode" label={t('appealModal.category')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              loading={categories.isPending}
              options={(categories.data ?? [])
                .filter((category) => category.isEnabled !== false)
                .map((category) => ({
                  value: category.code,
                  label: `${i18n.language === 'en-US' ? category.nameEn : category.name}（${t('appealModal.deadline', { days: String(category.deadlineDays) })}）`,
                }))}
            />
          </Form.Item>
          <Form.Item name="title" label={t('appealModal.titleLabel')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 80 }]}>
            <Input maxLength={80} showCount />
          </Form.Item>
          <Form.Item name="description" label={t('appealModal.description')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 4000 }]}>
            <Input.TextArea autoSize={{ minRows: 4, maxRows: 10 }} maxLength={4000} />
          </Form.Item>
          <Form.Item name="urgency" label={t('appealModal.urgency')}>
            <Radio.Group
              options={[
                { value: 'normal', label: t('appealModal.urgencies.normal') },
                { value: 'urgent', label: t('appealModal.urgencies.urgent') },
              ]}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
