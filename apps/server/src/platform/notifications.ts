import { type NotificationTopic, defaultNotificationTopics, notificationTopics, topicOfKind } from '@qinqing/contracts';
import type { Clock } from './clock.js';
import { newId, sm4Decrypt } from './crypto.js';
import type { Db, Trx } from './db/database.js';
import type { Database } from './db/schema.js';
import type { Job, JobContext, Jobs } from './jobs.js';
import { DeliveryError, type Mailer, type OutgoingMessage, type SmtpConfig, createMailer, sendToRobot } from './notification-channels.js';

/**
 * Notifications: an in-app row per recipient (the bell), and a delivery per external channel the recipient
 * switched on (e-mail, DingTalk / 浙政钉 robot) for the notice's topic (`topicOfKind`: 交办, 催办, 督办, 答复, 评价,
 * 系统; defaults in the contracts). `notify` only writes rows inside the caller's transaction; the
 * `notifications.deliver` job sends what is due and retries failures with backoff, so a request never waits on
 * SMTP or a webhook and a rolled-back change notifies no one.
 */

export type NotificationChannel = 'email' | 'dingtalk';
export const notificationChannels: readonly NotificationChannel[] = ['email', 'dingtalk'];

export interface Notice {
  userIds: string[];
  /** `<module>.<event>`, e.g. `appeal.dispatched`. */
  kind: string;
  /** One line, shown in the bell and as the e-mail subject (≤ 200 characters). */
  title: string;
  /** Plain text (≤ 4,000 characters). */
  body: string;
  /** Path inside the web app, e.g. `/appeals/123`; must start with a single `/`. */
  link?: string;
  enterpriseId?: string;
}

export interface NotificationsConfig {
  /** Unset: no e-mail channel on this server. */
  smtp?: SmtpConfig | null;
  /** Hosts robot webhooks may point at. */
  webhookHosts: readonly string[];
  /** Base of absolute links in e-mails and robot messages. */
  publicUrl?: string | null;
}

export const DELIVER_JOB = 'notifications.deliver';
/** Wait after the 1st, 2nd and 3rd failed attempt; the 4th failure is final. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed delivery is held before another worker may try it (its worker died mid-send). */
const CLAIM_MS = 2 * 60_000;
const BATCH = 50;

export const TEST_MESSAGE: OutgoingMessage = {
  title: '亲清通知测试',
  body: '这是一条测试消息：收到即说明该通知渠道已设置成功。\nThis is a test message: the channel works.',
};

/** A channel row's per-topic choices: the stored JSON {topic: boolean}, defaults for topics it does not name. */
export function topicSwitchesOf(stored: string | null, channel: NotificationChannel): Record<NotificationTopic, boolean> {
  let chosen: Record<string, unknown> = {};
  try {
    const parsed: unknown = stored ? JSON.parse(stored) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) chosen = parsed as Record<string, unknown>;
  } catch {
    chosen = {};
  }
  return Object.fromEntries(
    notificationTopics.map((topic) => [topic, typeof chosen[topic] === 'boolean' ? (chosen[topic] as boolean) : defaultNotificationTopics[topic][channel]]),
  ) as Record<NotificationTopic, boolean>;
}

/** Where a channel row sends to: the e-mail address, or the robot's webhook URL decrypted. */
export function destinationOf(row: { channel: string; address: string | null; address_enc: string | null }, secretKey: string): string | null {
  if (row.channel === 'dingtalk') return row.address_enc ? sm4Decrypt(row.address_enc, secretKey) : null;
  return row.address;
}

type DeliveryRow = { id: string; notification_id: string | null; user_id: string; channel: string; attempts: number };
type Outcome = { status: 'sent' } | { status: 'cancelled' | 'failed' | 'retry'; error: string };

export function createNotifications({ db, clock, secretKey, config, jobs }: { db: Db; clock: Clock; secretKey: string; config: NotificationsConfig; jobs: Jobs }) {
  let mailer: Mailer | null = null;
  const hasEmail = Boolean(config.smtp);

  /**
   * Notify people of something that concerns them, INSIDE the transaction of the change: in-app rows plus one
   * pending delivery per enabled external channel, and the job that sends them. Never touches the network.
   */
  async function notify(trx: Trx, notice: Notice): Promise<void> {
    const userIds = [...new Set(notice.userIds)].filter(Boolean);
    if (userIds.length === 0) return;
    if (notice.link !== undefined && !/^\/(?!\/)/.test(notice.link)) throw new Error(`notification link must be a path inside the app: ${notice.link}`);
    const at = clock.now().toISOString();
    const title = notice.title.slice(0, 200);
    const body = notice.body.slice(0, 4000);
    const notificationOf = new Map<string, string>();
    for (const chunk of chunks(userIds, 500)) {
      const rows = chunk.map((userId) => ({
        id: newId(),
        user_id: userId,
        kind: notice.kind,
        title,
        body,
        link: notice.link ?? null,
        enterprise_id: notice.enterpriseId ?? null,
        created_at: at,
        read_at: null,
      }));
      for (const row of rows) notificationOf.set(row.user_id, row.id);
      await trx.insertInto('notifications').values(rows).execute();
    }

    // Only the channels each person wants for this kind of notice; in-app (above) always.
    const topic = topicOfKind(notice.kind);
    const deliveries: Array<{ notificationId: string; userId: string; channel: NotificationChannel }> = [];
    for (const chunk of chunks(userIds, 500)) {
      const channels = await trx
        .selectFrom('notification_channels')
        .innerJoin('users', 'users.id', 'notification_channels.user_id')
        .select(['notification_channels.user_id', 'notification_channels.channel', 'notification_channels.topics'])
        .where('notification_channels.user_id', 'in', chunk)
        .where('notification_channels.is_enabled', '=', 1)
        .where((eb) => eb.or([eb('notification_channels.address', 'is not', null), eb('notification_channels.address_enc', 'is not', null)]))
        .where('users.is_enabled', '=', 1)
        .execute();
      for (const row of channels) {
        if (row.channel === 'email' && !hasEmail) continue;
        if (row.channel !== 'email' && row.channel !== 'dingtalk') continue;
        if (!topicSwitchesOf(row.topics, row.channel)[topic]) continue;
        deliveries.push({ notificationId: notificationOf.get(row.user_id)!, userId: row.user_id, channel: row.channel });
      }
    }
    if (deliveries.length === 0) return;
    for (const chunk of chunks(deliveries, 500)) {
      await trx
        .insertInto('notification_deliveries')
        .values(chunk.map((delivery) => pendingDelivery(delivery.userId, delivery.channel, delivery.notificationId, at)))
        .execute();
    }
    await jobs.enqueue(DELIVER_JOB, null, null, trx);
  }

  /** Queue a test message to one person's channel (the settings page's 发送测试); returns the delivery id. */
  async function queueTest(trx: Trx, userId: string, channel: NotificationChannel): Promise<string> {
    const row = pendingDelivery(userId, channel, null, clock.now().toISOString());
    await trx.insertInto('notification_deliveries').values(row).execute();
    await jobs.enqueue(DELIVER_JOB, null, userId, trx);
    return row.id;
  }

  function pendingDelivery(userId: string, channel: NotificationChannel, notificationId: string | null, at: string) {
    return { id: newId(), notification_id: notificationId, user_id: userId, channel, status: 'pending', attempts: 0, next_attempt_at: at, last_error: null, created_at: at, updated_at: at, sent_at: null };
  }

  /**
   * The `notifications.deliver` job: send every due delivery (a batch at a time), then make sure a job will
   * wake up when the next retry falls due.
   */
  async function deliverDue(_job: Job, context: JobContext): Promise<{ sent: number; retrying: number; failed: number; cancelled: number }> {
    const at = clock.now().toISOString();
    // A delivery whose worker died during every attempt is given up rather than tried for ever.
    await db
      .updateTable('notification_deliveries')
      .set({ status: 'failed', last_error: 'gave up: the worker stopped during each attempt', next_attempt_at: null, updated_at: at })
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', at)
      .where('attempts', '>=', MAX_ATTEMPTS)
      .execute();
    const due = await db
      .selectFrom('notification_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', at)
      .orderBy('next_attempt_at')
      .limit(BATCH)
      .execute();
    const counts = { sent: 0, retrying: 0, failed: 0, cancelled: 0 };
    for (const [index, { id }] of due.entries()) {
      const delivery = await claim(id);
      if (!delivery) continue; // another worker has it
      const outcome = await attempt(delivery);
      await record(delivery, outcome);
      if (outcome.status === 'sent') counts.sent += 1;
      else if (outcome.status === 'retry') counts.retrying += 1;
      else counts[outcome.status] += 1;
      await context.progress(((index + 1) / due.length) * 100);
    }
    await scheduleNext(due.length === BATCH);
    return counts;
  }

  /** Take a due delivery: pushing its next attempt past the claim window is the lock (it comes back if we die). */
  async function claim(id: string): Promise<DeliveryRow | null> {
    const now = clock.now();
    const row = await db
      .updateTable('notification_deliveries')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: new Date(now.getTime() + CLAIM_MS).toISOString(), updated_at: now.toISOString() }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .returning(['id', 'notification_id', 'user_id', 'channel', 'attempts'])
      .executeTakeFirst();
    return row ? { ...row, attempts: Number(row.attempts) } : null;
  }

  async function attempt(delivery: DeliveryRow): Promise<Outcome> {
    const preference = await db
      .selectFrom('notification_channels')
      .select(['channel', 'is_enabled', 'address', 'address_enc', 'secret_enc', 'topics'])
      .where('user_id', '=', delivery.user_id)
      .where('channel', '=', delivery.channel)
      .executeTakeFirst();
    const isTest = delivery.notification_id === null;
    let destination: string | null;
    try {
      destination = preference ? destinationOf(preference, secretKey) : null;
    } catch {
      return { status: 'failed', error: 'the stored address cannot be decrypted (was the secret key changed?)' };
    }
    if (!preference || !destination) return { status: 'cancelled', error: 'the channel has no address any more' };
    if (!isTest && !preference.is_enabled) return { status: 'cancelled', error: 'the channel was switched off' };
    let message = TEST_MESSAGE;
    if (!isTest) {
      const notification = await db.selectFrom('notifications').select(['kind', 'title', 'body', 'link']).where('id', '=', delivery.notification_id!).executeTakeFirst();
      if (!notification) return { status: 'cancelled', error: 'the notification is gone' };
      if (delivery.channel === 'email' || delivery.channel === 'dingtalk') {
        if (!topicSwitchesOf(preference.topics, delivery.channel)[topicOfKind(notification.kind)]) return { status: 'cancelled', error: 'this kind of notice was switched off for the channel' };
      }
      message = { title: notification.title, body: notification.body, url: absoluteUrl(notification.link) };
    }
    try {
      if (delivery.channel === 'email') {
        if (!config.smtp) return { status: 'failed', error: 'e-mail is not set up on this server (SMTP_HOST)' };
        mailer ??= createMailer(config.smtp);
        await mailer.send(destination, message);
      } else if (delivery.channel === 'dingtalk') {
        const secret = preference.secret_enc ? sm4Decrypt(preference.secret_enc, secretKey) : null;
        await sendToRobot({ webhookUrl: destination, secret, allowedHosts: config.webhookHosts, now: clock.now(), message });
      } else {
        return { status: 'failed', error: `unknown channel ${delivery.channel}` };
      }
      return { status: 'sent' };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (error instanceof DeliveryError && error.isPermanent) return { status: 'failed', error: text };
      return { status: delivery.attempts >= MAX_ATTEMPTS ? 'failed' : 'retry', error: text };
    }
  }

  async function record(delivery: DeliveryRow, outcome: Outcome): Promise<void> {
    const now = clock.now();
    const at = now.toISOString();
    const update =
      outcome.status === 'sent'
        ? { status: 'sent', sent_at: at, last_error: null, next_attempt_at: null, updated_at: at }
        : outcome.status === 'retry'
          ? { status: 'pending', last_error: outcome.error.slice(0, 1000), next_attempt_at: new Date(now.getTime() + RETRY_DELAYS_MS[delivery.attempts - 1]).toISOString(), updated_at: at }
          : { status: outcome.status, last_error: outcome.error.slice(0, 1000), next_attempt_at: null, updated_at: at };
    await db.updateTable('notification_deliveries').set(update).where('id', '=', delivery.id).execute();
  }

  /** Leave one queued job for the next due delivery: now when a full batch suggests more, else at the earliest retry. */
  async function scheduleNext(isMoreNow: boolean): Promise<void> {
    let runAfter: Date | undefined;
    if (!isMoreNow) {
      const next = await db
        .selectFrom('notification_deliveries')
        .select('next_attempt_at')
        .where('status', '=', 'pending')
        .where('next_attempt_at', 'is not', null)
        .orderBy('next_attempt_at')
        .limit(1)
        .executeTakeFirst();
      if (!next?.next_attempt_at) return;
      runAfter = new Date(next.next_attempt_at);
    }
    const waiting = await db
      .withTables<{ jobs: Database['jobs'] & { run_after: string | null } }>()
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', DELIVER_JOB)
      .where('status', '=', 'queued')
      .where((eb) => (runAfter ? eb.or([eb('run_after', 'is', null), eb('run_after', '<=', runAfter.toISOString())]) : eb('run_after', 'is', null)))
      .limit(1)
      .executeTakeFirst();
    if (!waiting) await jobs.enqueue(DELIVER_JOB, null, null, db, { runAfter });
  }

  /** At start-up: queue a delivery run if anything is waiting (a run that died left no successor behind). */
  async function resume(): Promise<void> {
    const waiting = await db.selectFrom('notification_deliveries').select('id').where('status', '=', 'pending').limit(1).executeTakeFirst();
    if (waiting) await scheduleNext(false);
  }

  function absoluteUrl(link: string | null): string | null {
    if (!link || !config.publicUrl) return null;
    return `${config.publicUrl.replace(/\/+$/, '')}${link}`;
  }

  return {
    notify,
    queueTest,
    /** Register in the app's worker: `handlers: { ...notifications.jobHandlers }`. */
    jobHandlers: { [DELIVER_JOB]: deliverDue } as Record<string, (job: Job<any>, context: JobContext) => Promise<unknown>>,
    resume,
    /** Which external channels this server can use. */
    availableChannels: (): Record<NotificationChannel, boolean> => ({ email: hasEmail, dingtalk: true }),
    webhookHosts: config.webhookHosts,
    close() {
      mailer?.close();
      mailer = null;
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Built by app.ts; modules get it passed in, tests may use it to notify inside their own transactions. */
    notifications: Notifications;
  }
}
