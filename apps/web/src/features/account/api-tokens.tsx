import type { ApiToken } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';

const tokensQueryKey = ['tokens'] as const;

interface CreateValues {
  name: string;
  expiresInDays?: number | null;
}

function TokenStatus({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  if (token.revokedAt) return <Tag>{t('account.tokenRevoked')}</Tag>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return <Tag color="orange">{t('account.tokenExpired')}</Tag>;
  return <Tag color="green">{t('account.tokenActive')}</Tag>;
}

/** Personal API tokens: list, create (the secret is shown once), revoke. */
export function ApiTokens() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const [created, setCreated] = useState<string | null>(null);

  const tokens = useQuery({ queryKey: tokensQueryKey, queryFn: () => api<ApiToken[]>('/api/me/tokens') });
  const create = useMutation({
    mutationFn: (values: CreateValues) =>
      api<{ token: string; apiToken: ApiToken }>('/api/me/tokens', {
        method: 'POST',
        body: { name: values.name.trim(), ...(values.expiresInDays ? { expiresInDays: values.expiresInDays } : {}) },
      }),
    onSuccess: (result) => {
      form.resetFields();
      setCreated(result.token);
      void queryClient.invalidateQueries({ queryKey: tokensQueryKey });
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/api/me/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: tokensQueryKey }),
    onError: (error) => void message.error(errorText(error, t)),
  });

  const columns: TableColumnsType<ApiToken> = [
    { title: t('account.tokenName'), dataIndex: 'name' },
    { title: t('account.tokenPrefix'), dataIndex: 'prefix', render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
    { title: t('account.tokenCreatedAt'), dataIndex: 'createdAt', render: formatDateTime },
    { title: t('account.tokenExpiresAt'), dataIndex: 'expiresAt', render: (value: string | null) => (value ? formatDateTime(value) : t('account.tokenNever')) },
    { title: t('account.tokenLastUsedAt'), dataIndex: 'lastUsedAt', render: formatDateTime },
    { title: t('common.status'), key: 'status', render: (_, token) => <TokenStatus token={token} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) =>
        token.revokedAt ? null : (
          <Popconfirm title={t('account.tokenRevokeConfirm')} onConfirm={() => revoke.mutateAsync(token.id)}>
            <Button danger size="small" aria-label={`${t('account.tokenRevoke')} ${token.name}`}>
              {t('account.tokenRevoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('account.tokensDesc')}</Typography.Paragraph>
      <Form form={form} layout="inline" requiredMark={false} onFinish={(values) => create.mutate(values)} style={{ rowGap: 8, marginBottom: 16 }}>
        <Form.Item name="name" label={t('account.tokenName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={64} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('account.tokenExpiresInDays')} tooltip={t('account.tokenExpiresHint')}>
          <InputNumber min={1} max={366} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('account.tokenCreate')}
        </Button>
      </Form>
      <Table<ApiToken>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={tokens.data ?? []}
        loading={tokens.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: tokens.error ? errorText(tokens.error, t) : t('account.tokensEmpty') }}
      />
      <Modal
        open={created !== null}
        title={t('account.tokenCreatedTitle')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('common.close')}
          </Button>
        }
        mask={{ closable: false }}
        destroyOnHidden
      >
        <Alert type="warning" showIcon title={t('account.tokenShownOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph
          code
          copyable={{ text: created ?? '', tooltips: [t('account.tokenCopy'), t('common.copied')] }}
          style={{ wordBreak: 'break-all' }}
          data-testid="new-api-token"
        >
          {created}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
