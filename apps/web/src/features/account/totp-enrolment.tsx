import { useMutation } from '@tanstack/react-query';
import { App, Button, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';

interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** Two steps: get a new secret (QR + text), then confirm it with a code from the authenticator. */
export function TotpEnrolment({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string }>();
  const setup = useMutation({ mutationFn: () => api<TotpSetup>('/api/me/totp/setup', { method: 'POST' }) });
  const confirm = useMutation({
    mutationFn: (code: string) => api<void>('/api/me/totp/confirm', { method: 'POST', body: { code } }),
  });

  if (!setup.data) {
    return (
      <Button type="primary" loading={setup.isPending} onClick={() => setup.mutate(undefined, { onError: (error) => void message.error(errorText(error, t)) })}>
        {t('account.totpStart')}
      </Button>
    );
  }

  const onFinish = ({ code }: { code: string }) =>
    confirm.mutate(code, {
      onSuccess: () => {
        void message.success(t('account.totpConfirmed'));
        onDone();
      },
      onError: (error) => {
        if (isApiError(error, 'TOTP_INVALID')) form.setFields([{ name: 'code', errors: [errorText(error, t)], value: '' }]);
        else if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
      },
    });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph style={{ margin: 0 }}>{t('account.totpScan')}</Typography.Paragraph>
      <img
        src={setup.data.qrDataUrl}
        alt={t('account.totpQrAlt')}
        width={200}
        height={200}
        style={{ border: '1px solid #f0f0f0', borderRadius: 8, background: '#fff', maxWidth: '100%', height: 'auto' }}
      />
      <div>
        <Typography.Text type="secondary">{t('account.totpSecret')}</Typography.Text>{' '}
        <Typography.Text code copyable={{ text: setup.data.secret }} style={{ wordBreak: 'break-all' }} data-testid="totp-secret">
          {setup.data.secret}
        </Typography.Text>
      </div>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={onFinish} style={{ maxWidth: 320 }}>
        <Form.Item
          name="code"
          label={t('account.totpCode')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^\d{6}$/, message: t('auth.totpCodeFormat') },
          ]}
        >
          <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ letterSpacing: 4 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={confirm.isPending}>
          {t('account.totpConfirm')}
        </Button>
      </Form>
    </Space>
  );
}
