import { LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Result, Select, Skeleton, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { creditCodeRules, creditCodeTypeText } from './enterprise-form';
import { EnterpriseFile } from './enterprise-file';
import { claimEnterprise, enterprisesKey, findMyEnterprises, myEnterprisesKey, type ClaimResult } from './enterprises.api';

const storageKey = 'qinqing.myEnterprise';

function readChoice(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

function rememberChoice(id: string): void {
  try {
    localStorage.setItem(storageKey, id);
  } catch {
    // Not remembered; the switch still applies now.
  }
}

interface BindValues {
  creditCode: string;
  inviteCode?: string;
}

/** Credit code + invite code binds at once; credit code alone sends a request for the office to approve. */
function BindForm({ onBound, onCancel }: { onBound: (result: ClaimResult) => void; onCancel?: () => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<BindValues>();
  const queryClient = useQueryClient();
  const [requested, setRequested] = useState<ClaimResult | null>(null);
  // An error not about a field of this form (e.g. a request already waiting), shown above the button.
  const [formError, setFormError] = useState<unknown>(null);
  const creditCode = Form.useWatch('creditCode', form);
  const inviteCode = Form.useWatch('inviteCode', form);
  const withInvite = Boolean(inviteCode?.trim());
  const claim = useMutation({
    mutationFn: claimEnterprise,
    onSuccess: async (result) => {
      if (result.status === 'requested') {
        setRequested(result);
        return;
      }
      await queryClient.invalidateQueries({ queryKey: enterprisesKey });
      onBound(result);
    },
    onMutate: () => setFormError(null),
    onError: (error) => {
      if (!applyFieldErrors(form, error)) setFormError(error);
    },
  });

  if (requested) {
    return (
      <Result
        status="info"
        title={t('myEnterprise.requested', { name: requested.enterpriseName })}
        extra={onCancel ? <Button onClick={onCancel}>{t('common.close')}</Button> : undefined}
      />
    );
  }

  return (
    <Card title={t('myEnterprise.bindTitle')} style={{ maxWidth: 560 }}>
      <Alert type="info" showIcon title={t('myEnterprise.bindDesc')} style={{ marginBottom: 16 }} />
      <Form<BindValues>
        form={form}
        layout="vertical"
        onFinish={(values) => claim.mutate({ creditCode: values.creditCode.trim(), inviteCode: values.inviteCode?.trim() || undefined })}
        requiredMark={false}
      >
        <Form.Item
          name="creditCode"
          label={t('myEnterprise.creditCode')}
          validateFirst
          rules={[{ required: true, message: t('common.required') }, ...creditCodeRules({ canOverride: false, overrideChecked: () => false })]}
          normalize={(value: string) => value?.toUpperCase()}
          extra={creditCodeTypeText(creditCode, t, i18n.language)}
        >
          <Input autoComplete="off" spellCheck={false} maxLength={40} inputMode="text" />
        </Form.Item>
        <Form.Item name="inviteCode" label={t('myEnterprise.inviteCode')} extra={t('myEnterprise.inviteHelp')} normalize={(value: string) => value?.toUpperCase()}>
          <Input autoComplete="one-time-code" spellCheck={false} maxLength={32} placeholder={t('myEnterprise.inviteCodePlaceholder')} />
        </Form.Item>
        {formError !== null && <Alert type="error" showIcon role="alert" title={errorText(formError, t)} style={{ marginBottom: 16 }} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<LinkOutlined />} loading={claim.isPending}>
            {withInvite ? t('myEnterprise.bind') : t('myEnterprise.request')}
          </Button>
          {onCancel && <Button onClick={onCancel}>{t('myEnterprise.cancelBind')}</Button>}
        </Space>
      </Form>
    </Card>
  );
}

/** 我的企业: the enterprise user's own file (read-only), a switcher when they manage several, or the bind form. */
export function MyEnterprisePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const mine = useQuery({ queryKey: myEnterprisesKey, queryFn: findMyEnterprises });
  const [chosen, setChosen] = useState<string | null>(readChoice);
  const [binding, setBinding] = useState(false);

  const enterprises = mine.data ?? [];
  const current = enterprises.find((enterprise) => enterprise.id === chosen) ?? enterprises[0];
  useEffect(() => {
    if (current && current.id !== chosen) setChosen(current.id);
  }, [current, chosen]);

  const choose = (id: string) => {
    rememberChoice(id);
    setChosen(id);
  };
  const onBound = (result: ClaimResult) => {
    void message.success(t('myEnterprise.bound', { name: result.enterpriseName }));
    choose(result.enterpriseId);
    setBinding(false);
  };

  if (mine.isPending) return <Skeleton active />;
  if (mine.error) return <Result status="error" title={errorText(mine.error, t)} extra={<Button onClick={() => void mine.refetch()}>{t('common.retry')}</Button>} />;

  if (enterprises.length === 0 || binding) {
    return (
      <>
        <PageTitle>{t('myEnterprise.title')}</PageTitle>
        <BindForm onBound={onBound} onCancel={binding ? () => setBinding(false) : undefined} />
      </>
    );
  }

  return (
    <>
      <PageTitle
        extra={
          <Space wrap style={{ width: isPhone ? '100%' : undefined }}>
            {enterprises.length > 1 && (
              <Select
                aria-label={t('myEnterprise.switchLabel')}
                value={current?.id}
                onChange={choose}
                options={enterprises.map((enterprise) => ({ value: enterprise.id, label: enterprise.name }))}
                style={{ width: isPhone ? 'calc(100vw - 24px)' : 280, maxWidth: '100%' }}
                popupMatchSelectWidth={false}
              />
            )}
            <Button icon={<PlusOutlined />} onClick={() => setBinding(true)}>
              {t('myEnterprise.bindAnother')}
            </Button>
          </Space>
        }
      >
        {t('myEnterprise.title')}
      </PageTitle>
      {current && <EnterpriseFile key={current.id} id={current.id} readOnly />}
    </>
  );
}
