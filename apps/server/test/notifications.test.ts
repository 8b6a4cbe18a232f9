import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sm4Decrypt } from '../src/platform/crypto.js';
import { MINUTE } from '../src/platform/clock.js';
import { type Session, TEST_SECRET_KEY, type TestApp, createTestApp, dialects, makeEnterprise, signedIn } from './harness.js';

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
    expect(saved.json().dingtalk).toMatchObject({ enabled: true, webhookUrl, hasSecret: true });
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

    await saveSettings(session, { email: noEmail, dingtalk: { enabled: false, webhookUrl: `${robotBase}/robot/send?access_token=abc123`, secret: null } });
    expect((await t.app.inject({ method: 'GET', url: '/api/me/notification-settings', headers: session.headers })).json().dingtalk.hasSecret).toBe(false);
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
