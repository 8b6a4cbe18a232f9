import { SendOutlined } from '@ant-design/icons';
import { appealOriginKinds, type CreateAppealInput, type EnterpriseListItem } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, List, Radio, Result, Select, Skeleton, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import type { Page } from '../../components/pagination';
import { PageTitle } from '../../components/page-title';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useIsPhone } from '../../components/use-is-narrow';
import { enterprisesKey, findMyEnterprises, getEnterprise, myEnterprisesKey } from '../enterprises/enterprises.api';
import { AppealStatusTag } from './appeal-tags';
import { AttachmentPicker, type FailedUpload } from './appeal-attachments';
import { appealsKey, findSimilarAppeals, submitAppeal, uploadAttachment } from './appeals.api';
import { appealPath } from './appeal-model';
import { uploadErrorText, uploadInTurn, type UploadItem } from './attachment-model';
import { useAppealCategories } from './use-appeal-lookups';

interface FormValues {
  enterpriseId?: string;
  categoryCode?: string;
  title?: string;
  description?: string;
  urgency: 'normal' | 'urgent';
  contactName?: string;
  contactPhone?: string;
}

type OriginKind = (typeof appealOriginKinds)[number];

/** The enterprise the "我的企业" page last showed (its switcher remembers it under this key). */
function rememberedEnterprise(): string | null {
  try {
    return localStorage.getItem('qinqing.myEnterprise');
  } catch {
    return null;
  }
}

/** Officers and instructors pick the enterprise by name or credit code, searching as they type. */
function EnterpriseSearch({ id, value, onChange, initialLabel }: { id?: string; value?: string; onChange?: (value: string | undefined) => void; initialLabel?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 300);
  const found = useQuery({
    queryKey: [...enterprisesKey, 'options', q],
    queryFn: () => api<Page<EnterpriseListItem>>('/api/enterprises', { query: { q: q || undefined, pageSize: 20, sort: 'name' } }),
  });
  const options = (found.data?.items ?? []).map((enterprise) => ({ value: enterprise.id, label: enterprise.name }));
  if (value && initialLabel && !options.some((option) => option.value === value)) options.unshift({ value, label: initialLabel });
  return (
    <Select
      id={id}
      value={value}
      onChange={(next?: string) => onChange?.(next)}
      options={options}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      placeholder={t('appeals.form.enterprisePlaceholder')}
      notFoundContent={found.isFetching ? null : t('appeals.form.noEnterpriseFound')}
      allowClear
      style={{ width: '100%' }}
    />
  );
}

/** "是否与以下诉求重复？": open appeals of the same enterprise with a similar title, while the title is typed. */
function SimilarAppeals({ enterpriseId, title }: { enterpriseId: string | undefined; title: string }) {
  const { t } = useTranslation();
  const debounced = useDebouncedValue(title.trim(), 400);
  const similar = useQuery({
    queryKey: [...appealsKey, 'similar', enterpriseId, debounced],
    queryFn: () => findSimilarAppeals(enterpriseId!, debounced),
    enabled: Boolean(enterpriseId) && debounced.length >= 2,
  });
  const items = debounced.length >= 2 ? (similar.data ?? []) : [];
  if (items.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      role="status"
      style={{ marginBottom: 16 }}
      title={t('appeals.form.similarTitle')}
      description={
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            {t('appeals.form.similarHint')}
          </Typography.Paragraph>
          <List
            size="small"
            dataSource={items}
            renderItem={(appeal) => (
              <List.Item style={{ paddingInline: 0, flexWrap: 'wrap', gap: 4, justifyContent: 'flex-start' }}>
                <Link to={appealPath(appeal.id)} target="_blank" rel="noopener" style={{ overflowWrap: 'anywhere' }}>
                  {appeal.number} {appeal.title}
                </Link>
                <AppealStatusTag status={appeal.status} />
              </List.Item>
            )}
          />
        </>
      }
    />
  );
}

/**
 * 提交诉求 (/appeals/new), phone first. Query parameters prefill it so other screens can link here:
 * ?enterpriseId=&title=&description=&originKind=&originId= (a visit links with originKind=visit&originId=…).
 */
export function AppealFormPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const [formError, setFormError] = useState<unknown>(null);
  // Files chosen for the appeal; sent one by one once it has been submitted.
  const [files, setFiles] = useState<UploadItem[]>([]);
  const [sendingFiles, setSendingFiles] = useState(false);
  const categories = useAppealCategories();
  const isEnterpriseUser = can('enterprises:claim');

  const prefill = useMemo(() => {
    const kind = params.get('originKind');
    return {
      enterpriseId: params.get('enterpriseId') || undefined,
      title: params.get('title')?.slice(0, 80) || undefined,
      description: params.get('description')?.slice(0, 4000) || undefined,
      origin: kind && (appealOriginKinds as readonly string[]).includes(kind) ? { kind: kind as OriginKind, id: params.get('originId') || null } : null,
    };
  }, [params]);

  const mine = useQuery({ queryKey: myEnterprisesKey, queryFn: findMyEnterprises, enabled: isEnterpriseUser });
  const prefilled = useQuery({
    queryKey: [...enterprisesKey, 'one', prefill.enterpriseId ?? ''],
    queryFn: () => getEnterprise(prefill.enterpriseId!),
    enabled: !isEnterpriseUser && Boolean(prefill.enterpriseId),
    retry: false,
  });

  // An enterprise user's own enterprise is chosen for them: the linked one, the one last shown, or the only one.
  useEffect(() => {
    if (!isEnterpriseUser || !mine.data?.length || form.getFieldValue('enterpriseId')) return;
    const ids = mine.data.map((enterprise) => enterprise.id);
    const wanted = [prefill.enterpriseId, rememberedEnterprise()].find((id) => id && ids.includes(id));
    form.setFieldValue('enterpriseId', wanted ?? ids[0]);
  }, [isEnterpriseUser, mine.data, prefill.enterpriseId, form]);

  const enterpriseId = Form.useWatch('enterpriseId', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const title = Form.useWatch('title', form) ?? '';
  const category = categories.categories.find((candidate) => candidate.code === categoryCode);

  const submit = useMutation({
    mutationFn: async (values: FormValues) => {
      const appeal = await submitAppeal({
        enterpriseId: values.enterpriseId!,
        categoryCode: values.categoryCode!,
        title: values.title!.trim(),
        description: values.description!.trim(),
        urgency: values.urgency,
        contactName: values.contactName?.trim() || null,
        contactPhone: values.contactPhone?.trim() || null,
        origin: prefill.origin,
      } satisfies CreateAppealInput);
      if (files.length === 0) return { appeal, failed: [] as UploadItem[] };
      // The appeal exists now: a file that does not arrive is named on its page, to be added there.
      setSendingFiles(true);
      void message.success(t('appeals.form.submitted', { number: appeal.number }));
      const patch = (uid: string, change: Partial<UploadItem>) => setFiles((current) => current.map((item) => (item.uid === uid ? { ...item, ...change } : item)));
      const failed = await uploadInTurn(appeal.id, files, uploadAttachment, patch);
      return { appeal, failed };
    },
    onMutate: () => setFormError(null),
    onSuccess: async ({ appeal, failed }) => {
      if (files.length === 0) void message.success(t('appeals.form.submitted', { number: appeal.number }));
      await queryClient.invalidateQueries({ queryKey: appealsKey });
      void queryClient.invalidateQueries({ queryKey: [...enterprisesKey, 'one', appeal.enterpriseId] });
      const failedUploads: FailedUpload[] = failed.map((item) => ({ name: item.file.name, reason: uploadErrorText(item.error, t) }));
      navigate(appealPath(appeal.id), { replace: true, state: failedUploads.length ? { failedUploads } : null });
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) setFormError(error);
    },
    onSettled: () => setSendingFiles(false),
  });

  if (isEnterpriseUser && mine.isPending) return <Skeleton active />;
  if (isEnterpriseUser && mine.data?.length === 0) {
    return (
      <Result
        status="info"
        title={t('appeals.form.noEnterprise')}
        extra={
          <Link to="/my-enterprise">
            <Button type="primary">{t('appeals.form.bindFirst')}</Button>
          </Link>
        }
      />
    );
  }

  const enterpriseOptions = (mine.data ?? []).map((enterprise) => ({ value: enterprise.id, label: enterprise.name }));
  const required = { required: true, whitespace: true, message: t('common.required') };

  return (
    <>
      <PageTitle>{t('appeals.form.title')}</PageTitle>
      <Card style={{ maxWidth: 720 }} styles={{ body: { padding: isPhone ? 16 : 24 } }}>
        {prefill.origin && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('appeals.form.origin', { origin: t(`appeals.origins.${prefill.origin.kind}`) })} />
        )}
        <Form<FormValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ urgency: 'normal', enterpriseId: isEnterpriseUser ? undefined : prefill.enterpriseId, title: prefill.title, description: prefill.description }}
          onFinish={(values) => submit.mutate(values)}
        >
          {isEnterpriseUser && enterpriseOptions.length === 1 ? (
            <Form.Item name="enterpriseId" label={t('appeals.enterprise')} rules={[required]}>
              <Select options={enterpriseOptions} disabled />
            </Form.Item>
          ) : (
            <Form.Item name="enterpriseId" label={t('appeals.enterprise')} rules={[required]}>
              {isEnterpriseUser ? (
                <Select options={enterpriseOptions} placeholder={t('appeals.form.enterprisePlaceholder')} />
              ) : (
                <EnterpriseSearch initialLabel={prefilled.data?.name} />
              )}
            </Form.Item>
          )}
          <Form.Item
            name="categoryCode"
            label={t('appeals.form.category')}
            rules={[required]}
            extra={category ? t('appeals.form.timeLimit', { days: String(category.deadlineDays) }) : t('appeals.form.categoryHint')}
          >
            <Select
              placeholder={t('appeals.form.categoryPlaceholder')}
              loading={categories.isPending}
              options={categories.categories
                .filter((candidate) => candidate.isEnabled)
                .map((candidate) => ({ value: candidate.code, label: t('appeals.form.categoryOption', { name: categories.name(candidate.code), days: String(candidate.deadlineDays) }) }))}
            />
          </Form.Item>
          <Form.Item name="title" label={t('appeals.titleField')} rules={[required, { max: 80, message: t('appeals.form.tooLong', { n: '80' }) }]}>
            <Input maxLength={80} showCount placeholder={t('appeals.form.titlePlaceholder')} autoComplete="off" />
          </Form.Item>
          <SimilarAppeals enterpriseId={enterpriseId} title={title} />
          <Form.Item name="description" label={t('appeals.form.description')} rules={[required, { max: 4000, message: t('appeals.form.tooLong', { n: '4000' }) }]}>
            <Input.TextArea rows={5} maxLength={4000} showCount placeholder={t('appeals.form.descriptionPlaceholder')} />
          </Form.Item>
          <Form.Item name="urgency" label={t('appeals.form.urgency')}>
            <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: 'normal', label: t('appeals.urgencies.normal') }, { value: 'urgent', label: t('appeals.urgencies.urgent') }]} />
          </Form.Item>
          <Form.Item name="contactName" label={t('appeals.form.contactName')} extra={t('appeals.form.contactHint')} rules={[{ max: 32, message: t('appeals.form.tooLong', { n: '32' }) }]}>
            <Input maxLength={32} autoComplete="name" />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('appeals.form.contactPhone')} rules={[{ pattern: /^1\d{10}$/, message: t('appeals.form.phoneInvalid') }]}>
            <Input maxLength={11} inputMode="tel" autoComplete="tel" />
          </Form.Item>
          <Form.Item label={t('appeals.attachments.formLabel')}>
            <AttachmentPicker items={files} onChange={setFiles} sending={submit.isPending} />
          </Form.Item>
          {formError !== null && <Alert type="error" showIcon role="alert" title={errorText(formError, t)} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={submit.isPending} block={isPhone} size={isPhone ? 'large' : 'middle'}>
            {sendingFiles ? t('appeals.attachments.sending', { done: String(files.filter((item) => item.status === 'done' || item.status === 'failed').length), total: String(files.length) }) : t('appeals.form.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
