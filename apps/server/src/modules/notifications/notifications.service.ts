import type { Notification, NotificationChannel, NotificationDelivery, NotificationListQuery, NotificationSettings, UpdateNotificationSettingsInput } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { sm4Encrypt } from '../../platform/crypto.js';
import type { Db, Trx } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import { webhookUrlProblem } from '../../platform/notification-channels.js';
import type { Notifications } from '../../platform/notifications.js';

export interface NotificationsServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  secretKey: string;
  notifications: Notifications;
}

type NotificationRow = Database['notifications'];
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

  async function getSettings(ctx: RequestContext): Promise<NotificationSettings> {
    const actor = requireActor(ctx);
    const rows = await db.selectFrom('notification_channels').selectAll().where('user_id', '=', actor.userId).execute();
    const email = rows.find((row) => row.channel === 'email');
    const dingtalk = rows.find((row) => row.channel === 'dingtalk');
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
      dingtalk: { enabled: Boolean(dingtalk?.is_enabled), webhookUrl: dingtalk?.address ?? null, hasSecret: Boolean(dingtalk?.secret_enc), available: available.dingtalk, allowedHosts: [...notifications.webhookHosts] },
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

  /** Replace my channel settings (audited; the webhook's access token and the secret stay out of the trail). */
  async function updateSettings(input: UpdateNotificationSettingsInput, ctx: RequestContext): Promise<NotificationSettings> {
    const actor = requireActor(ctx);
    const problems: FieldProblem[] = [];
    const available = notifications.availableChannels();
    if (input.email.enabled && !input.email.address) problems.push(required('email.address'));
    if (input.email.enabled && !available.email) {
      problems.push({ field: 'email.enabled', message: 'e-mail is not set up on this server', localized: { 'zh-CN': '本系统未配置邮件发送（SMTP），暂不能开启邮件通知', 'en-US': 'e-mail (SMTP) is not set up on this server' } });
    }
    if (input.dingtalk.enabled && !input.dingtalk.webhookUrl) problems.push(required('dingtalk.webhookUrl'));
    if (input.dingtalk.webhookUrl) {
      const problem = webhookUrlProblem(input.dingtalk.webhookUrl, notifications.webhookHosts);
      if (problem) problems.push({ field: 'dingtalk.webhookUrl', message: problem.en, localized: { 'zh-CN': problem.zh, 'en-US': problem.en } });
    }
    if (problems.length) throw invalidFields(problems);

    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('notification_channels').selectAll().where('user_id', '=', actor.userId).execute();
      const previousSecret = before.find((row) => row.channel === 'dingtalk')?.secret_enc ?? null;
      const secretEnc = input.dingtalk.secret === undefined ? previousSecret : input.dingtalk.secret ? sm4Encrypt(input.dingtalk.secret, secretKey) : null;
      await saveChannel(trx, actor.userId, 'email', { is_enabled: input.email.enabled ? 1 : 0, address: input.email.address, secret_enc: null, updated_at: now });
      await saveChannel(trx, actor.userId, 'dingtalk', { is_enabled: input.dingtalk.enabled ? 1 : 0, address: input.dingtalk.webhookUrl, secret_enc: input.dingtalk.webhookUrl ? secretEnc : null, updated_at: now });
      const describe = (rows: typeof before) => {
        const email = rows.find((row) => row.channel === 'email');
        const dingtalk = rows.find((row) => row.channel === 'dingtalk');
        return {
          email: { enabled: Boolean(email?.is_enabled), address: email?.address ?? null },
          dingtalk: { enabled: Boolean(dingtalk?.is_enabled), host: hostOf(dingtalk?.address ?? null), hasSecret: Boolean(dingtalk?.secret_enc) },
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
    const row = await db.selectFrom('notification_channels').select(['address']).where('user_id', '=', actor.userId).where('channel', '=', channel).executeTakeFirst();
    if (!row?.address) {
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

async function saveChannel(trx: Trx, userId: string, channel: NotificationChannel, values: { is_enabled: number; address: string | null; secret_enc: string | null; updated_at: string }) {
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
