import type { NotificationSettings, UpdateNotificationSettingsInput } from '@qinqing/contracts';

/** The settings form's values: the DingTalk secret is write-only, so the form starts it empty. */
export interface FormValues {
  email: { enabled: boolean; address?: string | null };
  dingtalk: { enabled: boolean; webhookUrl?: string | null; secret?: string; removeSecret?: boolean };
}

export function toFormValues(settings: NotificationSettings): FormValues {
  return {
    email: { enabled: settings.email.enabled, address: settings.email.address },
    dingtalk: { enabled: settings.dingtalk.enabled, webhookUrl: settings.dingtalk.webhookUrl, secret: '', removeSecret: false },
  };
}

/** What the form sends: empty text is "none"; an empty secret keeps the stored one unless removal is ticked. */
export function toSettingsInput(values: FormValues): UpdateNotificationSettingsInput {
  const secret = values.dingtalk.secret?.trim();
  return {
    email: { enabled: values.email.enabled, address: values.email.address?.trim() || null },
    dingtalk: {
      enabled: values.dingtalk.enabled,
      webhookUrl: values.dingtalk.webhookUrl?.trim() || null,
      ...(values.dingtalk.removeSecret ? { secret: null } : secret ? { secret } : {}),
    },
  };
}
