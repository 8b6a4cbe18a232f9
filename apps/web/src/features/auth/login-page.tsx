import { roles } from '@qinqing/contracts';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { pendingPath } from '../../app/guards';
import { safeNext } from '../../app/safe-next';
import { useLogin, useMeQuery, useMetaQuery, type LoginInput } from '../../app/session';
import { AuthPageFrame } from './auth-page-frame';

type Credentials = Pick<LoginInput, 'username' | 'password'>;
type Problem = { kind: 'locked'; until: string } | { kind: 'error'; text: string };

function lockedUntilOf(error: unknown): string | null {
  if (!isApiError(error, 'ACCOUNT_LOCKED')) return null;
  const details = error.details as { lockedUntil?: unknown } | undefined;
  return typeof details?.lockedUntil === 'string' ? details.lockedUntil : '';
}

function DemoAccounts({ onPick }: { onPick: (username: string) => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('auth.demoAccounts')} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('auth.demoAccountsHint')}
      </Typography.Paragraph>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {roles.map((role) => (
          <li key={role}>
            <Button size="small" onClick={() => onPick(role)}>
              <span>{role}</span>
              <Typography.Text type="secondary">{t(`roles.${role}`)}</Typography.Text>
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { data: me } = useMeQuery();
  const { data: meta } = useMetaQuery();
  const login = useLogin();
  const [passwordForm] = Form.useForm<Credentials>();
  const [totpForm] = Form.useForm<{ totpCode: string }>();
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (me) navigate(pendingPath(me) ?? safeNext(searchParams.get('next')), { replace: true });
  }, [me, navigate, searchParams]);

  const onFailure = (error: unknown, form: 'password' | 'totp') => {
    if (isApiError(error, 'TOTP_REQUIRED') && form === 'password') return;
    if (isApiError(error, 'TOTP_INVALID') && form === 'totp') {
      totpForm.setFields([{ name: 'totpCode', errors: [errorText(error, t)], value: '' }]);
      return;
    }
    const lockedUntil = lockedUntilOf(error);
    if (lockedUntil !== null) {
      setCredentials(null);
      setProblem({ kind: 'locked', until: lockedUntil });
      return;
    }
    if (applyFieldErrors(form === 'password' ? passwordForm : totpForm, error)) return;
    setProblem({ kind: 'error', text: errorText(error, t) });
  };

  const submit = (input: LoginInput, form: 'password' | 'totp') => {
    setProblem(null);
    login.mutate(input, {
      onError: (error) => {
        if (isApiError(error, 'TOTP_REQUIRED') && form === 'password') {
          setCredentials({ username: input.username, password: input.password });
        }
        onFailure(error, form);
      },
    });
  };

  const problemAlert =
    problem?.kind === 'locked' ? (
      <Alert
        type="error"
        showIcon
        role="alert"
        style={{ marginBottom: 16 }}
        title={t('auth.lockedTitle')}
        description={problem.until ? t('auth.lockedDesc', { until: formatDateTime(problem.until) }) : t('auth.lockedDescNoTime')}
      />
    ) : problem?.kind === 'error' ? (
      <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={problem.text} />
    ) : null;

  return (
    <AuthPageFrame
      title={credentials ? t('auth.totpCode') : t('auth.title')}
      extra={meta?.isDemo && !credentials ? <DemoAccounts onPick={(username) => passwordForm.setFieldsValue({ username, password: '' })} /> : null}
    >
      {!credentials && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('auth.subtitle')}
        </Typography.Paragraph>
      )}
      {problemAlert}
      {credentials ? (
        <Form
          key="totp"
          form={totpForm}
          layout="vertical"
          requiredMark={false}
          onFinish={({ totpCode }) => submit({ ...credentials, totpCode }, 'totp')}
        >
          <Typography.Paragraph>{t('auth.totpPrompt')}</Typography.Paragraph>
          <Form.Item
            name="totpCode"
            label={t('auth.totpCode')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^\d{6}$/, message: t('auth.totpCodeFormat') },
            ]}
          >
            <Input
              autoFocus
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              size="large"
              style={{ letterSpacing: 4 }}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            {t('auth.verify')}
          </Button>
          <Button
            type="link"
            block
            style={{ marginTop: 8 }}
            onClick={() => {
              setCredentials(null);
              setProblem(null);
              totpForm.resetFields();
            }}
          >
            {t('auth.back')}
          </Button>
        </Form>
      ) : (
        <Form
          key="password"
          form={passwordForm}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => submit({ username: values.username.trim(), password: values.password }, 'password')}
        >
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('common.required') }]}>
            <Input autoComplete="username" size="large" autoFocus autoCapitalize="none" spellCheck={false} />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.Password autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
            {t('auth.submit')}
          </Button>
        </Form>
      )}
    </AuthPageFrame>
  );
}
