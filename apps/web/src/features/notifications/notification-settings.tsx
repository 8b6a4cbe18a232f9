import { type NotificationChannel, type NotificationDelivery, type NotificationTopic, defaultNotificationTopics, notificationTopics } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Divider, Form, Input, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { type FormValues, toFormValues, toSettingsInput } from './notification-settings-model';
import { getNotificationSettings, notificationSettingsQueryKey, saveNotificationSettings, sendTestNotification } from './notifications.api';

const statusColour: Record<NotificationDelivery['status'], string> = { pending: 'blue', sent: 'green', failed: 'red', cancelled: 'default' };

/**
 * 通知设置 on my account page: e-mail and DingTalk / 浙政钉 robot (its URL and secret write-only, the URL shown
 * masked), which kinds of notice each channel carries, a test message per channel, my latest deliveries.
 */
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
  const savedWebhook = data?.dingtalk.webhookUrlMasked ?? null;
  const removeWebhook = Form.useWatch(['dingtalk', 'removeWebhook'], form);

  const topicSwitch = (topic: NotificationTopic, channel: NotificationChannel) => (
    <Form.Item name={['topics', topic, channel]} valuePropName="checked" noStyle>
      <Switch
        size="small"
        aria-label={t('notifications.settings.switchLabel', { topic: t(`notifications.settings.topic.${topic}.name`), channel: t(`notifications.settings.channelShort.${channel}`) })}
        disabled={channel === 'email' && data ? !data.email.available : false}
      />
    </Form.Item>
  );
  const topicColumns: TableColumnsType<{ topic: NotificationTopic }> = [
    {
      title: t('notifications.settings.topicColumn'),
      key: 'topic',
      render: (_, { topic }) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{t(`notifications.settings.topic.${topic}.name`)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`notifications.settings.topic.${topic}.hint`)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('notifications.settings.inApp'),
      key: 'inApp',
      align: 'center',
      width: 48,
      render: (_, { topic }) => <Switch size="small" checked disabled aria-label={t('notifications.settings.switchLabel', { topic: t(`notifications.settings.topic.${topic}.name`), channel: t('notifications.settings.inApp') })} />,
    },
    { title: t('notifications.settings.channelShort.email'), key: 'email', align: 'center', width: 48, render: (_, { topic }) => topicSwitch(topic, 'email') },
    { title: t('notifications.settings.channelShort.dingtalk'), key: 'dingtalk', align: 'center', width: 60, render: (_, { topic }) => topicSwitch(topic, 'dingtalk') },
  ];

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
        initialValues={{ email: { enabled: false }, dingtalk: { enabled: false }, topics: defaultNotificationTopics }}
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
          extra={
            data ? (
              <>
                {savedWebhook && !removeWebhook && <div style={{ overflowWrap: 'anywhere' }}>{t('notifications.settings.webhookSaved', { url: savedWebhook })}</div>}
                <div>{t('notifications.settings.webhookHint', { hosts: data.dingtalk.allowedHosts.join('、') })}</div>
              </>
            ) : undefined
          }
          rules={[{ type: 'url', message: t('notifications.settings.webhookInvalid') }, { required: Boolean(dingtalkEnabled) && (!savedWebhook || Boolean(removeWebhook)), message: t('common.required') }]}
        >
          <Input
            maxLength={1000}
            autoComplete="off"
            placeholder={savedWebhook ? t('notifications.settings.webhookSavedPlaceholder') : 'https://oapi.dingtalk.com/robot/send?access_token=…'}
            inputMode="url"
          />
        </Form.Item>
        {savedWebhook && (
          <Form.Item name={['dingtalk', 'removeWebhook']} valuePropName="checked">
            <Checkbox>{t('notifications.settings.removeWebhook')}</Checkbox>
          </Form.Item>
        )}
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

        <Divider titlePlacement="start" plain>
          {t('notifications.settings.topicsTitle')}
        </Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('notifications.settings.topicsIntro')}
        </Typography.Paragraph>
        <Table<{ topic: NotificationTopic }>
          rowKey="topic"
          size="small"
          columns={topicColumns}
          dataSource={notificationTopics.map((topic) => ({ topic }))}
          pagination={false}
          style={{ marginBottom: 16 }}
        />
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          {(['email', 'dingtalk'] as const).map((channel) => (
            <Button
              key={channel}
              onClick={() => test.mutate(channel)}
              loading={test.isPending && test.variables === channel}
              disabled={!data || (channel === 'email' ? !data.email.address || !data.email.available : !data.dingtalk.webhookUrlMasked)}
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
