import { App, Button, Form, Input } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Change one's own password; the server checks it against the active password policy. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useMutation({
    mutationFn: ({ currentPassword, newPassword }: Values) =>
      api<void>('/api/me/password', { method: 'POST', body: { currentPassword, newPassword } }),
  });

  const onFinish = (values: Values) =>
    change.mutate(values, {
      onSuccess: () => {
        form.resetFields();
        void message.success(t('account.passwordChanged'));
        onDone?.();
      },
      onError: (error) => {
        if (applyFieldErrors(form, error)) return;
        if (isApiError(error, 'PASSWORD_POLICY')) {
          form.setFields([{ name: 'newPassword', errors: [errorText(error, t)] }]);
        } else if (isApiError(error, 'INVALID_CREDENTIALS')) {
          form.setFields([{ name: 'currentPassword', errors: [errorText(error, t)] }]);
        } else {
          void message.error(errorText(error, t));
        }
      },
    });

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={onFinish} style={{ maxWidth: 420 }}>
      <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('account.newPassword')} rules={[{ required: true, message: t('common.required') }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('account.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || getFieldValue('newPassword') === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('account.passwordMismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending}>
        {t('account.changePassword')}
      </Button>
    </Form>
  );
}
