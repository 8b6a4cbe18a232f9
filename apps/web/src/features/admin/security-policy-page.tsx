import type { PasswordProfile, SecurityPolicy } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Radio, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';

const policyQueryKey = ['security-policy'] as const;
const profiles: PasswordProfile[] = ['dengbao', 'asvs'];

export function SecurityPolicyPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const canWrite = can('security-policy:write');
  const queryClient = useQueryClient();
  const policy = useQuery({ queryKey: policyQueryKey, queryFn: () => api<SecurityPolicy>('/api/security-policy') });
  const save = useMutation({
    mutationFn: (input: SecurityPolicy) => api<SecurityPolicy>('/api/security-policy', { method: 'PUT', body: input }),
    onSuccess: (saved) => {
      if (saved) queryClient.setQueryData(policyQueryKey, saved);
      void queryClient.invalidateQueries({ queryKey: policyQueryKey });
      void message.success(t('common.saved'));
    },
    onError: (error) => void message.error(errorText(error, t)),
  });

  return (
    <>
      <PageTitle>{t('policy.title')}</PageTitle>
      {!canWrite && <Alert type="info" showIcon title={t('policy.readOnly')} style={{ marginBottom: 16 }} />}
      <Card>
        {policy.isPending ? (
          <Skeleton active />
        ) : policy.error ? (
          <Alert type="error" showIcon title={errorText(policy.error, t)} />
        ) : (
          <Form<SecurityPolicy>
            key={policy.data.passwordProfile}
            layout="vertical"
            initialValues={policy.data}
            disabled={!canWrite}
            onFinish={(values) => save.mutate(values)}
          >
            <Form.Item name="passwordProfile" label={t('policy.passwordProfile')}>
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
                {profiles.map((profile) => (
                  <Radio key={profile} value={profile} style={{ alignItems: 'flex-start' }}>
                    <Typography.Text strong>{t(`policy.${profile}`)}</Typography.Text>
                    <br />
                    <Typography.Text type="secondary">{t(`policy.${profile}Desc`)}</Typography.Text>
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
            {canWrite && (
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
            )}
          </Form>
        )}
      </Card>
    </>
  );
}
