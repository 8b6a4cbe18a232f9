import type { NotificationChannel, NotificationDelivery } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Divider, Form, Input, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { type FormValues, toFormValues, toSettingsInput } from './notification-settings-model';
import { getNotificationSettings, notificationSettingsQueryKey, saveNotificationSettings, sendTestNotification } from './notifications.api';

const statusColour: Record<NotificationDelivery['status'], string> = { pending: 'blue', sent: 'green', failed: 'red', cancelled: 'default' };

/** 通知设置 on my account page: e-mail and DingTalk / 浙政钉 robot, a test message per channel, my latest deliveries. */
export function NotificationSettingsForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const settings = useQuery({
    queryKey: notificationSettingsQueryKey,
    queryFn: getNotificationSettings,
    // Follow a test message or a retry until it has gone out or failed.
    refetchInterval: (query) => (query.state.data?.deliveries.some((delivery) => delivery.status === 'pending') ? 5000 : false),
  });
  useEffect(() => {
    if (settings.data) form.setFieldsValue(toFormValues(settings.data));
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (values: FormValues) => saveNotificationSettings(toSettingsInput(values)),
    onSuccess: (saved) => {
      queryClient.setQueryData(notificationSettingsQueryKey, saved);
      form.setFieldsValue(toFormValues(saved));
      void message.success(t('common.saved'));
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    },
  });
  const test = useMutation({
    mutationFn: sendTestNotification,
    onSuccess: () => {
      void message.success(t('notifications.settings.testQueued'));
      void queryClient.invalidateQueries({ queryKey: notificationSettingsQueryKey });
    },
    onError: (error) => void message.error(errorText(error, t)),
  });

  const data = settings.data;
  const emailEnabled = Form.useWatch(['email', 'enabled'], form);
  const dingtalkEnabled = Form.useWatch(['dingtalk', 'enabled'], form);
  const channelName = (channel: NotificationChannel) => t(`notifications.settings.channel.${channel}`);

  const columns: TableColumnsType<NotificationDelivery> = [
    { title: t('notifications.settings.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
    { title: t('notifications.settings.channelColumn'), dataIndex: 'channel', render: channelName },
    { title: t('notifications.settings.message'), dataIndex: 'title', render: (title: string | null) => title ?? t('notifications.settings.testMessage') },
    {
      title: t('common.status'),
      key: 'status',
      render: (_, delivery) => (
        <Space orientation="vertical" size={0}>
          <Tag color={statusColour[delivery.status]}>{t(`notifications.settings.status.${delivery.status}`)}</Tag>
          {delivery.status === 'pending' && delivery.attempts > 0 && delivery.nextAttemptAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('notifications.settings.retryAt', { when: formatDateTime(delivery.nextAttemptAt), attempts: String(delivery.attempts) })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('notifications.settings.lastError'),
      dataIndex: 'lastError',
      render: (error: string | null) =>
        error ? (
          <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 280 }} ellipsis={{ tooltip: error }}>
            {error}
          </Typography.Text>
        ) : (
          t('common.none')
        ),
    },
  ];

  if (settings.error) return <Alert type="error" showIcon title={errorText(settings.error, t)} />;

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('notifications.settings.intro')}
      </Typography.Paragraph>
      <Form<FormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={settings.isPending}
        onFinish={(values) => save.mutate(values)}
        initialValues={{ email: { enabled: false }, dingtalk: { enabled: false } }}
        style={{ maxWidth: 640 }}
      >
        <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>
          {channelName('email')}
        </Divider>
        {data && !data.email.available && <Alert type="info" showIcon title={t('notifications.settings.emailUnavailable')} style={{ marginBottom: 12 }} />}
        <Form.Item name={['email', 'enabled']} label={t('notifications.settings.emailEnabled')} valuePropName="checked">
          <Switch disabled={data ? !data.email.available && !data.email.enabled : true} />
        </Form.Item>
        <Form.Item
          name={['email', 'address']}
          label={t('notifications.settings.emailAddress')}
          rules={[{ type: 'email', message: t('notifications.settings.emailInvalid') }, { required: Boolean(emailEnabled), message: t('common.required') }]}
        >
          <Input type="email" autoComplete="email" maxLength={254} placeholder="name@example.gov.cn" />
        </Form.Item>

        <Divider titlePlacement="start" plain>
          {channelName('dingtalk')}
        </Divider>
        <Form.Item name={['dingtalk', 'enabled']} label={t('notifications.settings.dingtalkEnabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name={['dingtalk', 'webhookUrl']}
          label={t('notifications.settings.webhookUrl')}
          extra={data ? t('notifications.settings.webhookHint', { hosts: data.dingtalk.allowedHosts.join('、') }) : undefined}
          rules={[{ type: 'url', message: t('notifications.settings.webhookInvalid') }, { required: Boolean(dingtalkEnabled), message: t('common.required') }]}
        >
          <Input maxLength={1000} placeholder="https://oapi.dingtalk.com/robot/send?access_token=…" inputMode="url" />
        </Form.Item>
        <Form.Item
          name={['dingtalk', 'secret']}
          label={t('notifications.settings.secret')}
          extra={data?.dingtalk.hasSecret ? t('notifications.settings.secretKept') : t('notifications.settings.secretHint')}
        >
          <Input.Password maxLength={200} autoComplete="off" placeholder={data?.dingtalk.hasSecret ? t('notifications.settings.secretSet') : 'SEC…'} />
        </Form.Item>
        {data?.dingtalk.hasSecret && (
          <Form.Item name={['dingtalk', 'removeSecret']} valuePropName="checked">
            <Checkbox>{t('notifications.settings.removeSecret')}</Checkbox>
          </Form.Item>
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          {(['email', 'dingtalk'] as const).map((channel) => (
            <Button
              key={channel}
              onClick={() => test.mutate(channel)}
              loading={test.isPending && test.variables === channel}
              disabled={!data || (channel === 'email' ? !data.email.address || !data.email.available : !data.dingtalk.webhookUrl)}
            >
              {t('notifications.settings.sendTest', { channel: channelName(channel) })}
            </Button>
          ))}
        </Space>
      </Form>
      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 16, marginBottom: 0 }}>
        {t('notifications.settings.deliveries')}
      </Typography.Title>
      <Table<NotificationDelivery>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.deliveries ?? []}
        loading={settings.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('notifications.settings.noDeliveries') }}
      />
    </Space>
  );
}
