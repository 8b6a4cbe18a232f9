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

/**
 * Kinds of notice a person chooses channels for. A notice's `kind` (`appeal.urged` …) falls into one topic
 * (`topicOfKind`); in-app notifications always arrive, e-mail and the robot can be switched per topic.
 * - assignment: 交办与签收 — a new appeal to accept, work dispatched to my unit, returns, extensions, 重办
 * - urging: 催办与通报 — urged (by hand or when overdue), reported for being overdue
 * - supervision: 督办 — a leader's supervision
 * - answer: 受理与答复 — accepted, declined, merged, asked for material, answered (what an enterprise waits for)
 * - rating: 评价 — the enterprise's rating of the answer
 * - system: 系统及其他 — any other notice
 */
export const notificationTopics = ['assignment', 'urging', 'supervision', 'answer', 'rating', 'system'] as const;
export const notificationTopicSchema = z.enum(notificationTopics);
export type NotificationTopic = z.infer<typeof notificationTopicSchema>;

const topicOfAppealEvent: Record<string, NotificationTopic> = {
  submitted: 'assignment',
  dispatched: 'assignment',
  returned: 'assignment',
  'extension-requested': 'assignment',
  'extension-decided': 'assignment',
  redo: 'assignment',
  withdrawn: 'assignment',
  urged: 'urging',
  reported: 'urging',
  supervised: 'supervision',
  accepted: 'answer',
  declined: 'answer',
  merged: 'answer',
  paused: 'answer',
  answered: 'answer',
  rated: 'rating',
};

/** The topic a notice kind (`<module>.<event>`) belongs to; anything not listed is `system`. */
export function topicOfKind(kind: string): NotificationTopic {
  const [module, event] = kind.split('.', 2);
  if (module === 'appeal' && event && Object.hasOwn(topicOfAppealEvent, event)) return topicOfAppealEvent[event];
  return 'system';
}

export const notificationTopicChannelsSchema = z.object({ email: z.boolean(), dingtalk: z.boolean() });
export type NotificationTopicChannels = z.infer<typeof notificationTopicChannelsSchema>;
/** Per topic, whether e-mail and the robot carry it (only when that channel itself is on). */
export const notificationTopicSwitchesSchema = z.record(notificationTopicSchema, notificationTopicChannelsSchema);
export type NotificationTopicSwitches = z.infer<typeof notificationTopicSwitchesSchema>;

/**
 * Until a person chooses: what needs action or is urgent (交办, 催办, 督办, 答复) goes out on every channel they
 * switched on; ratings and other notices stay in-app.
 */
export const defaultNotificationTopics: NotificationTopicSwitches = {
  assignment: { email: true, dingtalk: true },
  urging: { email: true, dingtalk: true },
  supervision: { email: true, dingtalk: true },
  answer: { email: true, dingtalk: true },
  rating: { email: false, dingtalk: false },
  system: { email: false, dingtalk: false },
};

/** My channels as the settings page shows them. The robot's webhook URL is shown masked (its access token is a
 * credential) and the DingTalk secret is never sent back, only whether one is set. */
export const notificationSettingsSchema = z.object({
  email: z.object({ enabled: z.boolean(), address: z.string().nullable(), available: z.boolean() }),
  dingtalk: z.object({
    enabled: z.boolean(),
    /** The saved URL with its query values and long path segments masked to their last 4 characters, e.g.
     * `https://oapi.dingtalk.com/robot/send?access_token=…abcd`; null when none is saved. */
    webhookUrlMasked: z.string().nullable(),
    hasSecret: z.boolean(),
    available: z.boolean(),
    allowedHosts: z.array(z.string()),
  }),
  /** Which topics e-mail and the robot carry (in-app is always on). */
  topics: notificationTopicSwitchesSchema,
  /** My latest deliveries (tests included), newest first. */
  deliveries: z.array(notificationDeliverySchema),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

const emailAddressSchema = z.string().trim().max(254).pipe(z.email());
const webhookUrlSchema = z.string().trim().max(1000).pipe(z.url({ protocol: /^https?$/ }));

/**
 * Replace my channel settings. The DingTalk `webhookUrl` and `secret` (加签 SEC…) are write-only: omitted = keep
 * the stored one, null (or '' for the secret) = remove it, text = store it (encrypted). Sending back the masked
 * URL also keeps the stored one. `topics` omitted = keep my choices; a topic left out keeps its choice.
 */
export const updateNotificationSettingsInputSchema = z.object({
  email: z.object({ enabled: z.boolean(), address: emailAddressSchema.nullable() }),
  dingtalk: z.object({
    enabled: z.boolean(),
    webhookUrl: webhookUrlSchema.nullable().optional(),
    secret: z.union([z.literal(''), plainText(200).regex(/^\S+$/)]).nullable().optional(),
  }),
  topics: z.partialRecord(notificationTopicSchema, notificationTopicChannelsSchema).optional(),
});
export type UpdateNotificationSettingsInput = z.infer<typeof updateNotificationSettingsInputSchema>;

export const testNotificationInputSchema = z.object({ channel: notificationChannelSchema });
export type TestNotificationInput = z.infer<typeof testNotificationInputSchema>;
