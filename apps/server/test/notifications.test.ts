import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultNotificationTopics } from '@qinqing/contracts';
import { MigrationError, migrateToLatest } from '../src/db/migrate.js';
import { migration as encryptWebhookUrls } from '../src/db/migrations/20261125-1510-encrypt-webhook-urls.js';
import { createTestClock } from '../src/platform/clock.js';
import { sm4Decrypt } from '../src/platform/crypto.js';
import { maskWebhookUrl } from '../src/platform/notification-channels.js';
import { MINUTE } from '../src/platform/clock.js';
import { openDatabase } from '../src/platform/db/database.js';
import { type Session, TEST_PG_ROLE, TEST_SECRET_KEY, type TestApp, createTestApp, createTestDatabase, dialects, makeEnterprise, makeUser, signedIn } from './harness.js';

/** A message as the local SMTP server received it. */
interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A request the local robot received. */
interface RobotRequest {
  url: URL;
  body: { msgtype: string; markdown: { title: string; text: string } };
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / ?Q?) back to text. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_whole, _charset: string, encoding: string, text: string) => {
    if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

/** Headers (unfolded, lower-case names) and the decoded text of a single-part message. */
function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8')
        : body;
  return { headers, text };
}

describe.each(dialects())('notifications on %s', (dialect) => {
  let t: TestApp;
  let smtp: SMTPServer;
  let robot: Server;
  let robotBase: string;
  const mails: ReceivedMail[] = [];
  const robotRequests: RobotRequest[] = [];
  /** What the robot answers next, per access_token (the last entry repeats; default errcode 0). */
  const robotAnswers = new Map<string, Array<{ status: number; body: unknown }>>();

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const parts: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => parts.push(chunk));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(parts).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    robot = createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (chunk: Buffer) => parts.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        robotRequests.push({ url, body: JSON.parse(Buffer.concat(parts).toString('utf8')) });
        const answers = robotAnswers.get(url.searchParams.get('access_token') ?? '') ?? [];
        const answer = answers.length > 1 ? answers.shift()! : (answers[0] ?? { status: 200, body: { errcode: 0, errmsg: 'ok' } });
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
    robotBase = `http://127.0.0.1:${(robot.address() as AddressInfo).port}`;

    t = await createTestApp(dialect, {
      notifications: { smtp: { host: '127.0.0.1', port: smtpPort, from: 'qinqing@chongfu.example.cn' }, webhookHosts: ['127.0.0.1'], publicUrl: 'https://qinqing.example.cn/' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    await new Promise<void>((resolve) => robot?.close(() => resolve()));
  });
  beforeEach(() => {
    mails.length = 0;
    robotRequests.length = 0;
    robotAnswers.clear();
  });

  async function notify(notice: { userIds: string[]; kind?: string; title: string; body: string; link?: string; enterpriseId?: string }) {
    await t.db.transaction().execute((trx) => t.app.notifications.notify(trx, { kind: 'appeal.dispatched', ...notice }));
  }

  async function saveSettings(session: Session, body: Record<string, unknown>) {
    return t.app.inject({ method: 'PUT', url: '/api/me/notification-settings', headers: session.headers, payload: body });
  }

  async function deliveriesOf(userId: string) {
    return t.db.selectFrom('notification_deliveries').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  }

  const noDingtalk = { enabled: false, webhookUrl: null };
  const noEmail = { enabled: false, address: null };

  it('sends an e-mail through SMTP from the job worker, never from notify itself', async () => {
    const { user, session } = await signedIn(t, ['handler']);
    const saved = await saveSettings(session, { email: { enabled: true, address: 'zhang.wei@chongfu.example.cn' }, dingtalk: noDingtalk });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().email).toMatchObject({ enabled: true, address: 'zhang.wei@chongfu.example.cn', available: true });

    const enterprise = await makeEnterprise(t);
    await notify({ userIds: [user.id], title: '新诉求交办：崇福镇电力线路迁改', body: '请于 5 个工作日内签收并办理。\n企业：桐乡市测试企业', link: '/appeals/abc', enterpriseId: enterprise.id });
    expect(mails).toHaveLength(0);
    const [pending] = await deliveriesOf(user.id);
    expect(pending).toMatchObject({ channel: 'email', status: 'pending', attempts: 0 });

    await t.app.worker.drain();
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.to).toEqual(['zhang.wei@chongfu.example.cn']);
    expect(mail.from).toBe('qinqing@chongfu.example.cn');
    const { headers, text } = parseMail(mail.raw);
    expect(decodeWords(headers.subject)).toBe('新诉求交办：崇福镇电力线路迁改');
    expect(text).toContain('请于 5 个工作日内签收并办理。\n企业：桐乡市测试企业');
    expect(text).toContain('https://qinqing.example.cn/appeals/abc');
    const [sent] = await deliveriesOf(user.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(sent.sent_at).toBe(t.clock.now().toISOString());

    const settings = (await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers })).json();
    expect(settings.deliveries[0]).toMatchObject({ channel: 'email', status: 'sent', title: '新诉求交办：崇福镇电力线路迁改' });
  });

  it('retries a failing robot webhook with backoff, signing every attempt, until it answers errcode 0', async () => {
    const { user, session } = await signedIn(t, ['officer']);
    const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
    const webhookUrl = `${robotBase}/robot/send?access_token=tok_崇福`;
    const saved = await saveSettings(session, { email: noEmail, dingtalk: { enabled: true, webhookUrl, secret } });
    expect(saved.statusCode, saved.body).toBe(200);
    // A token of 8 characters or fewer shows none of itself.
    expect(saved.json().dingtalk).toMatchObject({ enabled: true, webhookUrlMasked: `${robotBase}/robot/send?access_token=…`, hasSecret: true });
    expect(saved.json().dingtalk).not.toHaveProperty('webhookUrl');
    expect(JSON.stringify(saved.json())).not.toContain(secret);

    robotAnswers.set('tok_崇福', [
      { status: 500, body: { message: 'down' } },
      { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } },
      { status: 200, body: { errcode: 0, errmsg: 'ok' } },
    ]);
    await notify({ userIds: [user.id], title: '诉求即将超期', body: '编号 2026-0001 的诉求还有 1 个工作日到期。', link: '/appeals/2026-0001' });

    const mine = () => robotRequests.filter((request) => request.url.searchParams.get('access_token') === 'tok_崇福');
    const expectSigned = (request: RobotRequest) => {
      const timestamp = request.url.searchParams.get('timestamp')!;
      expect(Number(timestamp)).toBe(t.clock.now().getTime());
      const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      expect(request.url.searchParams.get('sign')).toBe(sign);
      expect(request.url.searchParams.get('access_token')).toBe('tok_崇福');
      expect(request.url.pathname).toBe('/robot/send');
    };

    await t.app.worker.drain();
    expect(mine()).toHaveLength(1);
    expectSigned(mine()[0]);
    expect(mine()[0].body.msgtype).toBe('markdown');
    expect(mine()[0].body.markdown.title).toBe('诉求即将超期');
    expect(mine()[0].body.markdown.text).toContain('编号 2026-0001 的诉求还有 1 个工作日到期。');
    expect(mine()[0].body.markdown.text).toContain('https://qinqing.example.cn/appeals/2026-0001');
    let [delivery] = await deliveriesOf(user.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
    expect(delivery.last_error).toContain('HTTP 500');
    expect(delivery.next_attempt_at).toBe(new Date(t.clock.now().getTime() + MINUTE).toISOString());

    // Not before the backoff has passed.
    await t.app.worker.drain();
    t.clock.advance(MINUTE - 1000);
    await t.app.worker.drain();
    expect(mine()).toHaveLength(1);

    t.clock.advance(1000);
    await t.app.worker.drain();
    expect(mine()).toHaveLength(2);
    expectSigned(mine()[1]);
    [delivery] = await deliveriesOf(user.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2 });
    expect(delivery.last_error).toContain('310000');
    expect(delivery.next_attempt_at).toBe(new Date(t.clock.now().getTime() + 5 * MINUTE).toISOString());

    t.clock.advance(5 * MINUTE);
    await t.app.worker.drain();
    expect(mine()).toHaveLength(3);
    expectSigned(mine()[2]);
    [delivery] = await deliveriesOf(user.id);
    expect(delivery).toMatchObject({ status: 'sent', attempts: 3, last_error: null, next_attempt_at: null });
  });

  it('gives up after the fourth failure (1, 5 and 30 minutes apart) and keeps the last error', async () => {
    const { user, session } = await signedIn(t, ['officer']);
    expect((await saveSettings(session, { email: noEmail, dingtalk: { enabled: true, webhookUrl: `${robotBase}/robot/send?access_token=${user.id}` } })).statusCode).toBe(200);
    robotAnswers.set(user.id, [{ status: 503, body: { message: 'busy' } }]);
    await notify({ userIds: [user.id], title: '测试', body: '正文' });
    await t.app.worker.drain();
    for (const wait of [MINUTE, 5 * MINUTE, 30 * MINUTE]) {
      t.clock.advance(wait);
      await t.app.worker.drain();
    }
    const mine = () => robotRequests.filter((request) => request.url.searchParams.get('access_token') === user.id);
    expect(mine()).toHaveLength(4);
    // Without a secret the URL is used as saved.
    expect(mine()[0].url.searchParams.has('sign')).toBe(false);
    const [delivery] = await deliveriesOf(user.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 4, next_attempt_at: null });
    expect(delivery.last_error).toContain('HTTP 503');
    t.clock.advance(60 * MINUTE);
    await t.app.worker.drain();
    expect(mine()).toHaveLength(4);
  });

  it('refuses a webhook host outside the allowlist with 400 naming the field, and stores nothing', async () => {
    const { user, session } = await signedIn(t, ['enterprise']);
    for (const webhookUrl of ['https://evil.example.com/robot/send?access_token=x', 'http://169.254.169.254/latest/meta-data', 'http://user:pw@127.0.0.1/hook']) {
      const response = await saveSettings(session, { email: noEmail, dingtalk: { enabled: true, webhookUrl } });
      expect(response.statusCode, webhookUrl).toBe(400);
      expect(response.json().details.map((issue: { field: string }) => issue.field)).toEqual(['dingtalk.webhookUrl']);
    }
    const english = await t.app.inject({ method: 'PUT', url: '/api/me/notification-settings', headers: { ...session.headers, 'accept-language': 'en-US' }, payload: { email: noEmail, dingtalk: { enabled: true, webhookUrl: 'https://evil.example.com/x' } } });
    expect(english.json().details[0].message).toContain('evil.example.com is not allowed');
    const badEmail = await saveSettings(session, { email: { enabled: true, address: 'not-an-address' }, dingtalk: noDingtalk });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().details[0].field).toBe('email.address');
    const missing = await saveSettings(session, { email: { enabled: true, address: null }, dingtalk: noDingtalk });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details[0].field).toBe('email.address');
    const rows = await t.db.selectFrom('notification_channels').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toEqual([]);
  });

  it('notify inside a rolled-back transaction leaves no notification, delivery or job', async () => {
    const { user, session } = await signedIn(t, ['officer']);
    await saveSettings(session, { email: { enabled: true, address: 'li@chongfu.example.cn' }, dingtalk: { enabled: true, webhookUrl: `${robotBase}/robot/send` } });
    const jobsBefore = await t.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await t.app.notifications.notify(trx, { userIds: [user.id], kind: 'appeal.dispatched', title: '不会发出', body: '事务回滚' });
        expect(await trx.selectFrom('notification_deliveries').select('id').where('user_id', '=', user.id).execute()).toHaveLength(2);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.db.selectFrom('notifications').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
    expect(await deliveriesOf(user.id)).toEqual([]);
    const jobsAfter = await t.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(jobsAfter.n)).toBe(Number(jobsBefore.n));
    await t.app.worker.drain();
    expect(mails).toHaveLength(0);
    expect(robotRequests).toHaveLength(0);
  });

  it('each person sees, counts and marks only their own notifications; another person’s id is a 404', async () => {
    const alice = await signedIn(t, ['handler']);
    const bob = await signedIn(t, ['handler']);
    await notify({ userIds: [alice.user.id, bob.user.id], title: '两人都收到', body: '共同通知' });
    t.clock.advance(1000);
    await notify({ userIds: [alice.user.id], title: '只给甲', body: '甲的通知', link: '/appeals/1' });

    const count = async (who: typeof alice) => (await t.app.inject({ method: 'GET', url: '/api/notifications/unread-count', headers: who.session.headers })).json().count;
    expect(await count(alice)).toBe(2);
    expect(await count(bob)).toBe(1);

    const aliceList = (await t.app.inject({ method: 'GET', url: '/api/notifications', headers: alice.session.headers })).json();
    expect(aliceList.total).toBe(2);
    expect(aliceList.items.map((item: { title: string }) => item.title)).toEqual(['只给甲', '两人都收到']);
    expect(aliceList.items[0]).toMatchObject({ kind: 'appeal.dispatched', body: '甲的通知', link: '/appeals/1', readAt: null });
    const alicesOwn = aliceList.items[0].id as string;

    const bobList = (await t.app.inject({ method: 'GET', url: '/api/notifications', headers: bob.session.headers })).json();
    expect(bobList.items.map((item: { id: string }) => item.id)).not.toContain(alicesOwn);

    const stolen = await t.app.inject({ method: 'POST', url: `/api/notifications/${alicesOwn}/read`, headers: bob.session.headers });
    expect(stolen.statusCode).toBe(404);
    expect(await count(alice)).toBe(2);

    const read = await t.app.inject({ method: 'POST', url: `/api/notifications/${alicesOwn}/read`, headers: alice.session.headers });
    expect(read.statusCode).toBe(204);
    expect(await count(alice)).toBe(1);
    const again = await t.app.inject({ method: 'POST', url: `/api/notifications/${alicesOwn}/read`, headers: alice.session.headers });
    expect(again.statusCode).toBe(204);

    const unread = (await t.app.inject({ method: 'GET', url: '/api/notifications?unread=true', headers: alice.session.headers })).json();
    expect(unread.items.map((item: { title: string }) => item.title)).toEqual(['两人都收到']);

    const all = await t.app.inject({ method: 'POST', url: '/api/notifications/read-all', headers: bob.session.headers });
    expect(all.json()).toEqual({ count: 1 });
    expect(await count(bob)).toBe(0);
    expect(await count(alice)).toBe(1);
    const paged = (await t.app.inject({ method: 'GET', url: '/api/notifications?page=2&pageSize=1', headers: alice.session.headers })).json();
    expect(paged).toMatchObject({ total: 2, items: [{ title: '两人都收到' }] });
  });

  it('sends a test message through the job queue, keeps the secret encrypted and audits without it', async () => {
    const { user, session } = await signedIn(t, ['leader']);
    const notConfigured = await t.app.inject({ method: 'POST', url: '/api/me/notification-settings/test', headers: session.headers, payload: { channel: 'dingtalk' } });
    expect(notConfigured.statusCode).toBe(400);
    expect(notConfigured.json().details[0].field).toBe('channel');

    const mine = () => robotRequests.filter((request) => request.url.searchParams.get('access_token') === 'abc123');
    const secret = 'SECtestsecret';
    await saveSettings(session, { email: noEmail, dingtalk: { enabled: false, webhookUrl: `${robotBase}/robot/send?access_token=abc123`, secret } });
    const [row] = await t.db.selectFrom('notification_channels').selectAll().where('user_id', '=', user.id).where('channel', '=', 'dingtalk').execute();
    expect(row.secret_enc).not.toContain(secret);
    expect(sm4Decrypt(row.secret_enc!, TEST_SECRET_KEY)).toBe(secret);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'notification.settings.update').where('actor_user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(audit.detail).toContain('"host":"127.0.0.1"');
    expect(audit.detail).not.toContain('abc123');
    expect(audit.detail).not.toContain(secret);

    // Omitting the secret keeps it; null removes it.
    await saveSettings(session, { email: noEmail, dingtalk: { enabled: false, webhookUrl: `${robotBase}/robot/send?access_token=abc123` } });
    expect((await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers })).json().dingtalk.hasSecret).toBe(true);

    const queued = await t.app.inject({ method: 'POST', url: '/api/me/notification-settings/test', headers: session.headers, payload: { channel: 'dingtalk' } });
    expect(queued.statusCode).toBe(202);
    expect(mine()).toHaveLength(0);
    await t.app.worker.drain();
    expect(mine()).toHaveLength(1);
    expect(mine()[0].body.markdown.title).toBe('亲清通知测试');
    expect(mine()[0].url.searchParams.get('sign')).toBe(createHmac('sha256', secret).update(`${mine()[0].url.searchParams.get('timestamp')}\n${secret}`).digest('base64'));
    const settings = (await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers })).json();
    expect(settings.deliveries[0]).toMatchObject({ id: queued.json().deliveryId, channel: 'dingtalk', status: 'sent', title: null });
    // A disabled channel gets test messages but no notifications.
    await notify({ userIds: [user.id], title: '关闭的渠道', body: '不应发送' });
    await t.app.worker.drain();
    expect(mine()).toHaveLength(1);

    await saveSettings(session, { email: noEmail, dingtalk: { enabled: false, secret: null } });
    expect((await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers })).json().dingtalk.hasSecret).toBe(false);
  });

  it('stores the webhook URL encrypted, shows it masked, keeps it when omitted or sent back masked, and never audits it', async () => {
    const { user, session } = await signedIn(t, ['handler']);
    const token = 'f3a9c0de7b214d5e8a6f0c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9cwxyz';
    const webhookUrl = `${robotBase}/robot/send?access_token=${token}`;
    const secret = 'SECmaskedtestsecret';
    const saved = await saveSettings(session, { email: noEmail, dingtalk: { enabled: true, webhookUrl, secret } });
    expect(saved.statusCode, saved.body).toBe(200);
    const masked = `${robotBase}/robot/send?access_token=…wxyz`;
    expect(saved.json().dingtalk.webhookUrlMasked).toBe(masked);
    expect(saved.body).not.toContain(token);

    const row = await t.db.selectFrom('notification_channels').selectAll().where('user_id', '=', user.id).where('channel', '=', 'dingtalk').executeTakeFirstOrThrow();
    expect(row.address).toBeNull();
    expect(row.address_enc).not.toContain(token);
    expect(row.address_enc).not.toContain('robot/send');
    expect(sm4Decrypt(row.address_enc!, TEST_SECRET_KEY)).toBe(webhookUrl);
    expect(JSON.stringify(row)).not.toContain(token);

    const read = await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers });
    expect(read.json().dingtalk).toMatchObject({ enabled: true, webhookUrlMasked: masked, hasSecret: true });
    expect(read.body).not.toContain(token);
    expect(read.body).not.toContain(secret);

    // The settings page saves without the URL (or with the masked one back): both keep it, and the secret.
    for (const dingtalk of [{ enabled: true }, { enabled: true, webhookUrl: masked }, { enabled: false }]) {
      const again = await saveSettings(session, { email: noEmail, dingtalk });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().dingtalk).toMatchObject({ enabled: dingtalk.enabled, webhookUrlMasked: masked, hasSecret: true });
      const kept = await t.db.selectFrom('notification_channels').select(['address_enc', 'secret_enc']).where('user_id', '=', user.id).where('channel', '=', 'dingtalk').executeTakeFirstOrThrow();
      expect(sm4Decrypt(kept.address_enc!, TEST_SECRET_KEY)).toBe(webhookUrl);
      expect(sm4Decrypt(kept.secret_enc!, TEST_SECRET_KEY)).toBe(secret);
    }
    await saveSettings(session, { email: noEmail, dingtalk: { enabled: true } });
    await notify({ userIds: [user.id], kind: 'appeal.urged', title: '催办', body: '请尽快办理' });
    await t.app.worker.drain();
    const mine = robotRequests.filter((request) => request.url.searchParams.get('access_token') === token);
    expect(mine).toHaveLength(1);
    expect(mine[0].url.searchParams.get('sign')).toBe(createHmac('sha256', secret).update(`${mine[0].url.searchParams.get('timestamp')}\n${secret}`).digest('base64'));

    // Switching it on with nothing saved still needs a URL; null removes it (and the secret with it).
    const removed = await saveSettings(session, { email: noEmail, dingtalk: { enabled: false, webhookUrl: null } });
    expect(removed.json().dingtalk).toMatchObject({ webhookUrlMasked: null, hasSecret: false });
    const empty = await t.db.selectFrom('notification_channels').select(['address', 'address_enc', 'secret_enc']).where('user_id', '=', user.id).where('channel', '=', 'dingtalk').executeTakeFirstOrThrow();
    expect(empty).toEqual({ address: null, address_enc: null, secret_enc: null });
    const missing = await saveSettings(session, { email: noEmail, dingtalk: { enabled: true } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details[0].field).toBe('dingtalk.webhookUrl');

    const audits = await t.db.selectFrom('audit_events').select('detail').where('actor_user_id', '=', user.id).execute();
    expect(audits.length).toBeGreaterThanOrEqual(5);
    for (const audit of audits) {
      expect(audit.detail).not.toContain(token);
      expect(audit.detail).not.toContain('wxyz');
      expect(audit.detail).not.toContain(secret);
      expect(audit.detail).not.toContain('robot/send');
    }
    expect(audits.some((audit) => audit.detail?.includes('"host":"127.0.0.1"'))).toBe(true);
  });

  it('per topic: defaults, and a topic switched off creates no e-mail delivery while the in-app notice still arrives', async () => {
    const { user, session } = await signedIn(t, ['handler']);
    const fresh = (await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers })).json();
    expect(fresh.topics).toEqual(defaultNotificationTopics);
    expect(fresh.topics.urging).toEqual({ email: true, dingtalk: true });
    expect(fresh.topics.supervision).toEqual({ email: true, dingtalk: true });

    const webhookUrl = `${robotBase}/robot/send?access_token=topics${user.id.slice(0, 8)}`;
    await saveSettings(session, { email: { enabled: true, address: 'topics@chongfu.example.cn' }, dingtalk: { enabled: true, webhookUrl } });
    const channelsOf = async (title: string) => {
      const rows = await t.db
        .selectFrom('notification_deliveries as d')
        .innerJoin('notifications as n', 'n.id', 'd.notification_id')
        .select('d.channel')
        .where('d.user_id', '=', user.id)
        .where('n.title', '=', title)
        .execute();
      return rows.map((row) => row.channel).sort();
    };
    const inApp = async (title: string) => (await t.db.selectFrom('notifications').select('id').where('user_id', '=', user.id).where('title', '=', title).execute()).length;

    // Defaults: 催办 and 督办 go out on both channels, a rating and other notices stay in-app.
    await notify({ userIds: [user.id], kind: 'appeal.urged', title: '默认催办', body: '正文' });
    await notify({ userIds: [user.id], kind: 'appeal.supervised', title: '默认督办', body: '正文' });
    await notify({ userIds: [user.id], kind: 'appeal.rated', title: '默认评价', body: '正文' });
    await notify({ userIds: [user.id], kind: 'system.maintenance', title: '默认系统', body: '正文' });
    expect(await channelsOf('默认催办')).toEqual(['dingtalk', 'email']);
    expect(await channelsOf('默认督办')).toEqual(['dingtalk', 'email']);
    expect(await channelsOf('默认评价')).toEqual([]);
    expect(await channelsOf('默认系统')).toEqual([]);
    expect(await inApp('默认评价')).toBe(1);
    expect(await inApp('默认系统')).toBe(1);
    await t.app.worker.drain();

    // 催办 by e-mail off, ratings by robot on; topics left out keep their choice.
    const saved = await saveSettings(session, { email: { enabled: true, address: 'topics@chongfu.example.cn' }, dingtalk: { enabled: true }, topics: { urging: { email: false, dingtalk: true }, rating: { email: false, dingtalk: true } } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().topics).toEqual({ ...defaultNotificationTopics, urging: { email: false, dingtalk: true }, rating: { email: false, dingtalk: true } });
    await notify({ userIds: [user.id], kind: 'appeal.urged', title: '关闭邮件的催办', body: '正文' });
    await notify({ userIds: [user.id], kind: 'appeal.reported', title: '关闭邮件的通报', body: '正文' });
    await notify({ userIds: [user.id], kind: 'appeal.rated', title: '开启机器人的评价', body: '正文' });
    await notify({ userIds: [user.id], kind: 'appeal.dispatched', title: '仍开启的交办', body: '正文' });
    expect(await channelsOf('关闭邮件的催办')).toEqual(['dingtalk']);
    expect(await channelsOf('关闭邮件的通报')).toEqual(['dingtalk']);
    expect(await inApp('关闭邮件的催办')).toBe(1);
    expect(await channelsOf('开启机器人的评价')).toEqual(['dingtalk']);
    expect(await channelsOf('仍开启的交办')).toEqual(['dingtalk', 'email']);

    // Saving without topics keeps them.
    const kept = await saveSettings(session, { email: { enabled: true, address: 'topics@chongfu.example.cn' }, dingtalk: { enabled: true } });
    expect(kept.json().topics.urging).toEqual({ email: false, dingtalk: true });

    // A topic switched off after the notice was queued: the delivery is cancelled, not sent.
    await notify({ userIds: [user.id], kind: 'appeal.supervised', title: '稍后关闭的督办', body: '正文' });
    await saveSettings(session, { email: { enabled: true, address: 'topics@chongfu.example.cn' }, dingtalk: { enabled: true }, topics: { supervision: { email: false, dingtalk: false } } });
    await t.app.worker.drain();
    const late = await t.db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .select(['d.status', 'd.last_error'])
      .where('d.user_id', '=', user.id)
      .where('n.title', '=', '稍后关闭的督办')
      .execute();
    expect(late.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    expect(mails.filter((mail) => mail.to.includes('topics@chongfu.example.cn')).map((mail) => decodeWords(parseMail(mail.raw).headers.subject)).sort()).toEqual(['仍开启的交办', '默认催办', '默认督办']);

    const audit = await t.db.selectFrom('audit_events').select('detail').where('actor_user_id', '=', user.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!).after.email.topics).toEqual(['assignment', 'answer']);
  });

  it('resume() at start-up picks up deliveries whose job was lost', async () => {
    const { user, session } = await signedIn(t, ['officer']);
    await saveSettings(session, { email: { enabled: true, address: 'zhao@chongfu.example.cn' }, dingtalk: noDingtalk });
    await notify({ userIds: [user.id], title: '任务丢失后恢复', body: '正文' });
    await t.db.deleteFrom('jobs').where('kind', '=', 'notifications.deliver').where('status', '=', 'queued').execute();
    await t.app.worker.drain();
    expect(mails.filter((mail) => mail.to.includes('zhao@chongfu.example.cn'))).toHaveLength(0);
    await t.app.notifications.resume();
    await t.app.worker.drain();
    expect(mails.filter((mail) => mail.to.includes('zhao@chongfu.example.cn'))).toHaveLength(1);
    const [delivery] = await deliveriesOf(user.id);
    expect(delivery.status).toBe('sent');
  });

  it('a channel switched off before the delivery goes out is cancelled, not sent', async () => {
    const { user, session } = await signedIn(t, ['officer']);
    await saveSettings(session, { email: { enabled: true, address: 'wang@chongfu.example.cn' }, dingtalk: noDingtalk });
    await notify({ userIds: [user.id], title: '稍后关闭', body: '正文' });
    await saveSettings(session, { email: { enabled: false, address: 'wang@chongfu.example.cn' }, dingtalk: noDingtalk });
    await t.app.worker.drain();
    expect(mails).toHaveLength(0);
    const [delivery] = await deliveriesOf(user.id);
    expect(delivery).toMatchObject({ status: 'cancelled' });
  });
});

describe.each(dialects())('notifications without SMTP on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('e-mail cannot be switched on, and the default allowlist holds DingTalk and 浙政钉 only', async () => {
    const { session } = await signedIn(t, ['officer']);
    const settings = (await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers })).json();
    expect(settings.email.available).toBe(false);
    expect(settings.dingtalk.allowedHosts).toEqual(['oapi.dingtalk.com', 'openplatform.dg-work.cn']);
    const email = await t.app.inject({ method: 'PUT', url: '/api/me/notification-settings', headers: session.headers, payload: { email: { enabled: true, address: 'a@chongfu.example.cn' }, dingtalk: { enabled: false, webhookUrl: null } } });
    expect(email.statusCode).toBe(400);
    expect(email.json().details[0].field).toBe('email.enabled');
    const local = await t.app.inject({ method: 'PUT', url: '/api/me/notification-settings', headers: session.headers, payload: { email: { enabled: false, address: null }, dingtalk: { enabled: true, webhookUrl: 'http://127.0.0.1:9/robot' } } });
    expect(local.statusCode).toBe(400);
    expect(local.json().details[0].field).toBe('dingtalk.webhookUrl');
    const dingtalk = await t.app.inject({ method: 'PUT', url: '/api/me/notification-settings', headers: session.headers, payload: { email: { enabled: false, address: null }, dingtalk: { enabled: true, webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc' } } });
    expect(dingtalk.statusCode, dingtalk.body).toBe(200);
  });
});

describe.each(dialects())('the webhook URL encryption migration on %s', (dialect) => {
  it('encrypts stored URLs with the secret key, refuses to run without it, and decrypts them going down', async () => {
    const { target, drop } = await createTestDatabase(dialect);
    const owner = openDatabase(target, { poolSize: 1 });
    try {
      const db = owner.db as unknown as import('kysely').Kysely<any>;
      const step = encryptWebhookUrls({ secretKey: () => TEST_SECRET_KEY });
      // Back to the schema before it, with rows as the previous version stored them.
      await step.down!(db);
      await db.deleteFrom('schema_migrations').where('name', '=', '20261125-1510-encrypt-webhook-urls').execute();
      const clock = createTestClock(new Date());
      const user = await makeUser({ db: owner.db, clock });
      const other = await makeUser({ db: owner.db, clock });
      const now = clock.now().toISOString();
      const url = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef';
      await db
        .insertInto('notification_channels')
        .values([
          { user_id: user.id, channel: 'dingtalk', is_enabled: 1, address: url, secret_enc: null, updated_at: now },
          { user_id: user.id, channel: 'email', is_enabled: 1, address: 'li@chongfu.example.cn', secret_enc: null, updated_at: now },
          { user_id: other.id, channel: 'dingtalk', is_enabled: 0, address: null, secret_enc: null, updated_at: now },
        ])
        .execute();

      const options = dialect === 'postgres' ? { pgAppRole: TEST_PG_ROLE } : {};
      await expect(migrateToLatest(db, options)).rejects.toThrow(MigrationError);
      await expect(migrateToLatest(db, options)).rejects.toThrow(/secret key/);
      // Nothing changed: no new column, the URL where it was.
      const untouched = await db.selectFrom('notification_channels').selectAll().where('user_id', '=', user.id).where('channel', '=', 'dingtalk').executeTakeFirstOrThrow();
      expect(untouched).not.toHaveProperty('address_enc');
      expect(untouched.address).toBe(url);

      expect(await migrateToLatest(db, { ...options, secretKey: () => TEST_SECRET_KEY })).toEqual(['20261125-1510-encrypt-webhook-urls']);
      const rows = await db.selectFrom('notification_channels').selectAll().orderBy('channel').execute();
      const robot = rows.find((row) => row.user_id === user.id && row.channel === 'dingtalk')!;
      expect(robot.address).toBeNull();
      expect(robot.address_enc).not.toContain('0123456789abcdef');
      expect(sm4Decrypt(robot.address_enc, TEST_SECRET_KEY)).toBe(url);
      expect(rows.find((row) => row.user_id === user.id && row.channel === 'email')).toMatchObject({ address: 'li@chongfu.example.cn', address_enc: null, topics: null });
      expect(rows.find((row) => row.user_id === other.id)).toMatchObject({ address: null, address_enc: null });

      await step.down!(db);
      const back = await db.selectFrom('notification_channels').selectAll().where('user_id', '=', user.id).where('channel', '=', 'dingtalk').executeTakeFirstOrThrow();
      expect(back.address).toBe(url);
      expect(back).not.toHaveProperty('address_enc');
    } finally {
      await owner.destroy();
      await drop();
    }
  });
});

describe('maskWebhookUrl', () => {
  it('keeps the host and short path words, cuts query values and token-like path segments to their last 4 characters', () => {
    expect(maskWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef')).toBe('https://oapi.dingtalk.com/robot/send?access_token=…cdef');
    expect(maskWebhookUrl('https://openplatform.dg-work.cn/robot/send?access_token=abc')).toBe('https://openplatform.dg-work.cn/robot/send?access_token=…');
    expect(maskWebhookUrl('https://hooks.example.cn:8443/open-apis/bot/v2/hook/0a1b2c3d-4e5f-6789-abcd-ef0123456789?x=1')).toBe('https://hooks.example.cn:8443/open-apis/bot/v2/hook/…6789?x=…');
  });
});
