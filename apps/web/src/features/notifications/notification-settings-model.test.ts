import { updateNotificationSettingsInputSchema } from '@qinqing/contracts';
import { describe, expect, it } from 'vitest';
import { toFormValues, toSettingsInput } from './notification-settings-model';

const saved = {
  email: { enabled: true, address: 'li@chongfu.example.cn', available: true },
  dingtalk: { enabled: true, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc', hasSecret: true, available: true, allowedHosts: ['oapi.dingtalk.com'] },
  deliveries: [],
};

describe('notification settings form', () => {
  it('round-trips saved settings without sending the secret back, which keeps it', () => {
    const input = toSettingsInput(toFormValues(saved));
    expect(input).toEqual({
      email: { enabled: true, address: 'li@chongfu.example.cn' },
      dingtalk: { enabled: true, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc' },
    });
    expect('secret' in input.dingtalk).toBe(false);
    expect(updateNotificationSettingsInputSchema.safeParse(input).success).toBe(true);
  });

  it('sends a new secret trimmed, null when removal is ticked, and empty text as no address', () => {
    const values = toFormValues(saved);
    expect(toSettingsInput({ ...values, dingtalk: { ...values.dingtalk, secret: '  SECabc  ' } }).dingtalk.secret).toBe('SECabc');
    expect(toSettingsInput({ ...values, dingtalk: { ...values.dingtalk, secret: 'SECabc', removeSecret: true } }).dingtalk.secret).toBeNull();
    const cleared = toSettingsInput({ email: { enabled: false, address: '   ' }, dingtalk: { enabled: false, webhookUrl: '' } });
    expect(cleared).toEqual({ email: { enabled: false, address: null }, dingtalk: { enabled: false, webhookUrl: null } });
    expect(updateNotificationSettingsInputSchema.safeParse(cleared).success).toBe(true);
  });
});
