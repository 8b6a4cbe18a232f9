import { z } from 'zod';
import { pageQuerySchema, plainText } from './schemas.js';

/** One in-app notification (the bell). `link` is a path inside the web app. */
export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = pageQuerySchema.extend({
  /** `true`: unread only. */
  unread: z.enum(['true', 'false']).optional(),
});
export type NotificationListQuery = z.infer<typeof notificationListQuerySchema>;

export const unreadCountSchema = z.object({ count: z.number() });

export const notificationChannelSchema = z.enum(['email', 'dingtalk']);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

export const notificationDeliverySchema = z.object({
  id: z.string(),
  channel: notificationChannelSchema,
  /** pending (waiting or retrying) | sent | failed (retries used up) | cancelled (channel switched off). */
  status: z.enum(['pending', 'sent', 'failed', 'cancelled']),
  attempts: z.number(),
  /** Title of the notification; null for a test message. */
  title: z.string().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type NotificationDelivery = z.infer<typeof notificationDeliverySchema>;

/** My channels as the settings page shows them; the DingTalk secret is never sent back, only whether one is set. */
export const notificationSettingsSchema = z.object({
  email: z.object({ enabled: z.boolean(), address: z.string().nullable(), available: z.boolean() }),
  dingtalk: z.object({ enabled: z.boolean(), webhookUrl: z.string().nullable(), hasSecret: z.boolean(), available: z.boolean(), allowedHosts: z.array(z.string()) }),
  /** My latest deliveries (tests included), newest first. */
  deliveries: z.array(notificationDeliverySchema),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

const emailAddressSchema = z.string().trim().max(254).pipe(z.email());
const webhookUrlSchema = z.string().trim().max(1000).pipe(z.url({ protocol: /^https?$/ }));

/**
 * Replace my channel settings. The DingTalk `secret` (加签 SEC…): omitted = keep the stored one, null or ''
 * = remove it, text = store it (encrypted).
 */
export const updateNotificationSettingsInputSchema = z.object({
  email: z.object({ enabled: z.boolean(), address: emailAddressSchema.nullable() }),
  dingtalk: z.object({
    enabled: z.boolean(),
    webhookUrl: webhookUrlSchema.nullable(),
    secret: z.union([z.literal(''), plainText(200).regex(/^\S+$/)]).nullable().optional(),
  }),
});
export type UpdateNotificationSettingsInput = z.infer<typeof updateNotificationSettingsInputSchema>;

export const testNotificationInputSchema = z.object({ channel: notificationChannelSchema });
export type TestNotificationInput = z.infer<typeof testNotificationInputSchema>;
