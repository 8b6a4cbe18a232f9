import {
  type Notification,
  type NotificationChannel,
  type NotificationDelivery,
  type NotificationListQuery,
  type NotificationSettings,
  type NotificationTopic,
  type NotificationTopicSwitches,
  type UpdateNotificationSettingsInput,
  notificationTopics,
} from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { sm4Encrypt } from '../../platform/crypto.js';
import type { Db, Trx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import { maskWebhookUrl, webhookUrlProblem } from '../../platform/notification-channels.js';
import { type Notifications, destinationOf, topicSwitchesOf } from '../../platform/notifications.js';

export interface NotificationsServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secretKey: string;
  notifications: Notifications;
}

type NotificationRow = Database['notifications'];
type ChannelRow = Database['notification_channels'];
type FieldProblem = { field: string; message: string; localized: { 'zh-CN': string; 'en-US': string } };

const RECENT_DELIVERIES = 10;

function toNotification(row: NotificationRow): Notification {
  return { id: row.id, kind: row.kind, title: row.title, body: row.body, link: row.link, enterpriseId: row.enterprise_id, createdAt: row.created_at, readAt: row.read_at };
}

/** The signed-in person's own notifications and channel settings; nobody ever reaches another's. */
export function createNotificationsService({ db, clock, audit, secretKey, notifications }: NotificationsServiceDeps) {
  /** My notifications, newest first; `unread=true` for the unread ones only. */
  async function findMine(query: NotificationListQuery, ctx: RequestContext): Promise<{ items: Notification[]; total: number }> {
    const actor = requireActor(ctx);
    const base = db
      .selectFrom('notifications')
      .where('user_id', '=', actor.userId)
      .$if(query.unread === 'true', (q) => q.where('read_at', 'is', null));
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute();
    return { total: Number(total), items: rows.map(toNotification) };
  }

  /** The bell's number. */
  async function countUnread(ctx: RequestContext): Promise<{ count: number }> {
    const actor = requireActor(ctx);
    const row = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', actor.userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n) };
  }

  /** Mark one of mine read (idempotent); another person's id is a 404 like an unknown one. */
  async function markRead(id: string, ctx: RequestContext): Promise<void> {
    const actor = requireActor(ctx);
    const row = await db.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
    if (!row) throw notFound();
    if (row.read_at) return;
    await db.updateTable('notifications').set({ read_at: clock.now().toISOString() }).where('id', '=', id).where('user_id', '=', actor.userId).where('read_at', 'is', null).execute();
  }

  /** Mark all of mine read; answers how many changed. */
  async function markAllRead(ctx: RequestContext): Promise<{ count: number }> {
    const actor = requireActor(ctx);
    const result = await db.updateTable('notifications').set({ read_at: clock.now().toISOString() }).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirst();
    return { count: Number(result.numUpdatedRows) };
  }

  /** The robot's webhook URL in clear, for its owner's settings only; null when none (or it cannot be decrypted). */
  function webhookUrlOf(row: ChannelRow | undefined): string | null {
    if (!row) return null;
    try {
      return destinationOf(row, secretKey);
    } catch {
      return null;
    }
  }

  function topicsOf(rows: ChannelRow[]): NotificationTopicSwitches {
    const email = topicSwitchesOf(rows.find((row) => row.channel === 'email')?.topics ?? null, 'email');
    const dingtalk = topicSwitchesOf(rows.find((row) => row.channel === 'dingtalk')?.topics ?? null, 'dingtalk');
    return Object.fromEntries(notificationTopics.map((topic) => [topic, { email: email[topic], dingtalk: dingtalk[topic] }])) as NotificationTopicSwitches;
  }

  /** My settings; the webhook URL masked (its access token is a credential), the secret only as "is set". */
  async function getSettings(ctx: RequestContext): Promise<NotificationSettings> {
    const actor = requireActor(ctx);
    const rows = await db.selectFrom('notification_channels').selectAll().where('user_id', '=', actor.userId).execute();
    const email = rows.find((row) => row.channel === 'email');
    const dingtalk = rows.find((row) => row.channel === 'dingtalk');
    const webhookUrl = webhookUrlOf(dingtalk);
    const available = notifications.availableChannels();
    const deliveries = await db
      .selectFrom('notification_deliveries as d')
      .leftJoin('notifications as n', 'n.id', 'd.notification_id')
      .select(['d.id', 'd.channel', 'd.status', 'd.attempts', 'd.last_error', 'd.next_attempt_at', 'd.created_at', 'd.sent_at', 'n.title'])
      .where('d.user_id', '=', actor.userId)
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(RECENT_DELIVERIES)
      .execute();
    return {
      email: { enabled: Boolean(email?.is_enabled), address: email?.address ?? null, available: available.email },
      dingtalk: {
        enabled: Boolean(dingtalk?.is_enabled),
        webhookUrlMasked: webhookUrl ? maskWebhookUrl(webhookUrl) : null,
        hasSecret: Boolean(dingtalk?.secret_enc),
        available: available.dingtalk,
        allowedHosts: [...notifications.webhookHosts],
      },
      topics: topicsOf(rows),
      deliveries: deliveries.map(
        (row): NotificationDelivery => ({
          id: row.id,
          channel: row.channel as NotificationChannel,
          status: row.status as NotificationDelivery['status'],
          attempts: Number(row.attempts),
          title: row.title ?? null,
          lastError: row.last_error,
          nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
          createdAt: row.created_at,
          sentAt: row.sent_at,
        }),
      ),
    };
  }

  /**
   * Replace my channel settings (audited; the webhook URL, its access token and the secret stay out of the trail).
   * An omitted webhook URL or secret keeps the stored one, so the settings page never needs them back in clear.
   */
  async function updateSettings(input: UpdateNotificationSettingsInput, ctx: RequestContext): Promise<NotificationSettings> {
    const actor = requireActor(ctx);
    const available = notifications.availableChannels();
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('notification_channels').selectAll().where('user_id', '=', actor.userId).execute();
      const storedDingtalk = before.find((row) => row.channel === 'dingtalk');
      const storedUrl = webhookUrlOf(storedDingtalk);
      // Omitted, or the masked form sent back unchanged: keep the stored URL.
      const keepsUrl = input.dingtalk.webhookUrl === undefined || (storedUrl !== null && input.dingtalk.webhookUrl === maskWebhookUrl(storedUrl));
      const webhookUrl = keepsUrl ? storedUrl : (input.dingtalk.webhookUrl ?? null);

      const problems: FieldProblem[] = [];
      if (input.email.enabled && !input.email.address) problems.push(required('email.address'));
      if (input.email.enabled && !available.email) {
        problems.push({ field: 'email.enabled', message: 'e-mail is not set up on this server', localized: { 'zh-CN': '本系统未配置邮件发送（SMTP），暂不能开启邮件通知', 'en-US': 'e-mail (SMTP) is not set up on this server' } });
      }
      if (input.dingtalk.enabled && !webhookUrl) problems.push(required('dingtalk.webhookUrl'));
      // A new URL is checked against the allowlist; a kept one only when the channel is on (the list may have shrunk).
      if (webhookUrl && (!keepsUrl || input.dingtalk.enabled)) {
        const problem = webhookUrlProblem(webhookUrl, notifications.webhookHosts);
        if (problem) problems.push({ field: 'dingtalk.webhookUrl', message: problem.en, localized: { 'zh-CN': problem.zh, 'en-US': problem.en } });
      }
      if (problems.length) throw invalidFields(problems);

      const previousSecret = storedDingtalk?.secret_enc ?? null;
      const secretEnc = input.dingtalk.secret === undefined ? previousSecret : input.dingtalk.secret ? sm4Encrypt(input.dingtalk.secret, secretKey) : null;
      const topicsFor = (channel: NotificationChannel) => {
        const stored = before.find((row) => row.channel === channel)?.topics ?? null;
        if (!input.topics) return stored;
        const switches = topicSwitchesOf(stored, channel);
        for (const topic of notificationTopics) {
          const chosen = input.topics[topic];
          if (chosen) switches[topic] = chosen[channel];
        }
        return JSON.stringify(switches);
      };
      await saveChannel(trx, actor.userId, 'email', { is_enabled: input.email.enabled ? 1 : 0, address: input.email.address, address_enc: null, secret_enc: null, topics: topicsFor('email'), updated_at: now });
      await saveChannel(trx, actor.userId, 'dingtalk', {
        is_enabled: input.dingtalk.enabled ? 1 : 0,
        address: null,
        // Re-encrypted only when it changed: an unchanged row stays byte for byte as it was.
        address_enc: !webhookUrl ? null : keepsUrl && storedDingtalk?.address_enc ? storedDingtalk.address_enc : sm4Encrypt(webhookUrl, secretKey),
        secret_enc: webhookUrl ? secretEnc : null,
        topics: topicsFor('dingtalk'),
        updated_at: now,
      });
      const describe = (rows: ChannelRow[]) => {
        const email = rows.find((row) => row.channel === 'email');
        const dingtalk = rows.find((row) => row.channel === 'dingtalk');
        const topics = topicsOf(rows);
        const on = (channel: NotificationChannel) => notificationTopics.filter((topic: NotificationTopic) => topics[topic][channel]);
        return {
          email: { enabled: Boolean(email?.is_enabled), address: email?.address ?? null, topics: on('email') },
          // Only the host: the URL's access token is a credential.
          dingtalk: { enabled: Boolean(dingtalk?.is_enabled), host: hostOf(webhookUrlOf(dingtalk)), hasSecret: Boolean(dingtalk?.secret_enc), topics: on('dingtalk') },
        };
      };
      const after = await trx.selectFrom('notification_channels').selectAll().where('user_id', '=', actor.userId).execute();
      await audit.append(trx, { actor, action: 'notification.settings.update', objectType: 'user', objectId: actor.userId, ip: ctx.ip, result: 'success', detail: { before: describe(before), after: describe(after) } });
    });
    return getSettings(ctx);
  }

  /** Queue a test message through one of my saved channels; the delivery shows up in my settings' list. */
  async function sendTest(channel: NotificationChannel, ctx: RequestContext): Promise<{ deliveryId: string }> {
    const actor = requireActor(ctx);
    const row = await db.selectFrom('notification_channels').selectAll().where('user_id', '=', actor.userId).where('channel', '=', channel).executeTakeFirst();
    if (!(channel === 'dingtalk' ? row?.address_enc : row?.address)) {
      throw invalidFields([{ field: 'channel', message: 'save an address for this channel first', localized: { 'zh-CN': '请先填写并保存该渠道的地址', 'en-US': 'save an address for this channel first' } }]);
    }
    if (channel === 'email' && !notifications.availableChannels().email) {
      throw invalidFields([{ field: 'channel', message: 'e-mail is not set up on this server', localized: { 'zh-CN': '本系统未配置邮件发送（SMTP）', 'en-US': 'e-mail (SMTP) is not set up on this server' } }]);
    }
    const deliveryId = await db.transaction().execute(async (trx) => {
      const id = await notifications.queueTest(trx, actor.userId, channel);
      await audit.append(trx, { actor, action: 'notification.test', objectType: 'notification_delivery', objectId: id, ip: ctx.ip, result: 'success', detail: { channel } });
      return id;
    });
    return { deliveryId };
  }

  return { findMine, countUnread, markRead, markAllRead, getSettings, updateSettings, sendTest };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;

async function saveChannel(trx: Trx, userId: string, channel: NotificationChannel, values: Omit<ChannelRow, 'user_id' | 'channel'>) {
  const existing = await trx.selectFrom('notification_channels').select('user_id').where('user_id', '=', userId).where('channel', '=', channel).executeTakeFirst();
  if (existing) await trx.updateTable('notification_channels').set(values).where('user_id', '=', userId).where('channel', '=', channel).execute();
  else await trx.insertInto('notification_channels').values({ user_id: userId, channel, ...values }).execute();
}

function required(field: string): FieldProblem {
  return { field, message: 'required', localized: { 'zh-CN': '开启该渠道须填写此项', 'en-US': 'required to switch this channel on' } };
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
