import type { NotificationSettings, NotificationTopicSwitches, UpdateNotificationSettingsInput } from '@qinqing/contracts';

/**
 * The settings form's values. The robot's webhook URL and secret are write-only: the form starts them empty (the
 * page shows the saved URL masked) and an empty field keeps what is stored.
 */
export interface FormValues {
  email: { enabled: boolean; address?: string | null };
  dingtalk: { enabled: boolean; webhookUrl?: string | null; removeWebhook?: boolean; secret?: string; removeSecret?: boolean };
  topics: NotificationTopicSwitches;
}

export function toFormValues(settings: NotificationSettings): FormValues {
  return {
    email: { enabled: settings.email.enabled, address: settings.email.address },
    dingtalk: { enabled: settings.dingtalk.enabled, webhookUrl: '', removeWebhook: false, secret: '', removeSecret: false },
    topics: settings.topics,
  };
}

/**
 * What the form sends: empty text is "none" for the e-mail address; an empty webhook URL or secret keeps the stored
 * one unless its removal is ticked (removing the URL removes the secret with it, on the server).
 */
export function toSettingsInput(values: FormValues): UpdateNotificationSettingsInput {
  const secret = values.dingtalk.secret?.trim();
  const webhookUrl = values.dingtalk.webhookUrl?.trim();
  return {
    email: { enabled: values.email.enabled, address: values.email.address?.trim() || null },
    dingtalk: {
      enabled: values.dingtalk.enabled,
      ...(values.dingtalk.removeWebhook ? { webhookUrl: null } : webhookUrl ? { webhookUrl } : {}),
      ...(values.dingtalk.removeSecret ? { secret: null } : secret ? { secret } : {}),
    },
    topics: values.topics,
  };
}
