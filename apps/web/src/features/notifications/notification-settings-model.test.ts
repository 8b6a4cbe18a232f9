import { defaultNotificationTopics, notificationSettingsSchema, updateNotificationSettingsInputSchema } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { toFormValues, toSettingsInput } from './notification-settings-model';

const topics = { ...defaultNotificationTopics, urging: { email: false, dingtalk: true } };
const saved = notificationSettingsSchema.parse({
  email: { enabled: true, address: 'li@chongfu.example.cn', available: true },
  dingtalk: { enabled: true, webhookUrlMasked: 'https://oapi.dingtalk.com/robot/send?access_token=…abcd', hasSecret: true, available: true, allowedHosts: ['oapi.dingtalk.com'] },
  topics,
  deliveries: [],
});

describe('notification settings form', () => {
  it('round-trips saved settings without sending the URL or the secret back, which keeps them', () => {
    const input = toSettingsInput(toFormValues(saved));
    expect(input).toEqual({ email: { enabled: true, address: 'li@chongfu.example.cn' }, dingtalk: { enabled: true }, topics });
    expect('webhookUrl' in input.dingtalk).toBe(false);
    expect('secret' in input.dingtalk).toBe(false);
    expect(updateNotificationSettingsInputSchema.safeParse(input).success).toBe(true);
  });

  it('sends a new URL and secret trimmed, null when removal is ticked, and empty text as no address', () => {
    const values = toFormValues(saved);
    const changed = toSettingsInput({ ...values, dingtalk: { ...values.dingtalk, webhookUrl: ' https://oapi.dingtalk.com/robot/send?access_token=new ', secret: '  SECabc  ' } });
    expect(changed.dingtalk).toEqual({ enabled: true, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=new', secret: 'SECabc' });
    expect(toSettingsInput({ ...values, dingtalk: { ...values.dingtalk, secret: 'SECabc', removeSecret: true } }).dingtalk.secret).toBeNull();
    expect(toSettingsInput({ ...values, dingtalk: { ...values.dingtalk, webhookUrl: 'https://x.example/y', removeWebhook: true } }).dingtalk.webhookUrl).toBeNull();
    const cleared = toSettingsInput({ email: { enabled: false, address: '   ' }, dingtalk: { enabled: false, webhookUrl: '' }, topics });
    expect(cleared).toEqual({ email: { enabled: false, address: null }, dingtalk: { enabled: false }, topics });
    expect(updateNotificationSettingsInputSchema.safeParse(cleared).success).toBe(true);
  });
});
