import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, hasNoHorizontalOverflow, newContext, screenshotDir, signIn, useServerAndBrowser } from './harness.js';

// The server started below fetches robot webhooks only on allowlisted hosts: allow the local robot.
process.env.QINQING_WEBHOOK_HOSTS = '127.0.0.1';

/** Wait until a switch shows the given state (the form fills in after the settings load). */
async function expectChecked(locator: Locator, state: 'true' | 'false') {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if ((await locator.getAttribute('aria-checked')) === state) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await locator.getAttribute('aria-checked')).toBe(state);
}

describe.skipIf(!browserAvailable())('notification journeys in Chromium', () => {
  const requests: Array<{ url: URL; body: { markdown: { title: string } } }> = [];
  let robot: Server;
  let robotUrl = '';
  beforeAll(async () => {
    robot = createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (chunk: Buffer) => parts.push(chunk));
      request.on('end', () => {
        requests.push({ url: new URL(request.url ?? '/', 'http://127.0.0.1'), body: JSON.parse(Buffer.concat(parts).toString('utf8')) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
    robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot/send?access_token=e2e0123456789abcd`;
  });
  afterAll(async () => new Promise<void>((resolve) => robot?.close(() => resolve())));
  const env = useServerAndBrowser();

  it('an enterprise user on a phone opens the bell, connects a signed group robot, chooses kinds of notice and sends it a test', async () => {
    const context = await newContext(env.browser, { phone: true });
    try {
      const page = await context.newPage();
      await signIn(page, env.server.url, 'enterprise');
      await page.getByRole('heading', { name: /企业负责人 沈丽，您好/ }).waitFor();
      await page.getByRole('button', { name: /^通知/ }).click();
      const drawer = page.getByRole('dialog', { name: '通知' });
      await drawer.waitFor();
      // The demo's year of appeals: the firm's latest case was answered and waits for its rating.
      await drawer.getByText(/已办结答复，请评价/).first().waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await drawer.getByRole('button', { name: 'Close' }).or(drawer.getByRole('button', { name: '关闭' })).first().click();

      await page.goto(`${env.server.url}/account`);
      await page.getByText('通知设置').first().waitFor();
      // After a save, Ant Design's loading icon can stay in the button (leaving, zero width, invisible) with its
      // aria-label "loading", which the accessible name then carries: match the name's end.
      const saveButton = page.getByRole('button', { name: /保存$/ }).first();
      await page.getByRole('switch', { name: '通过群机器人接收' }).click();
      await page.getByLabel('机器人 Webhook 地址').fill('https://example.com/robot');
      await saveButton.click();
      await page.getByText(/不允许的地址 example\.com/).waitFor();

      await page.getByLabel('机器人 Webhook 地址').fill(robotUrl);
      await page.getByLabel('加签密钥（可选）').fill('SECe2esecret');
      await saveButton.click();
      await page.getByText('已设置加签密钥；留空则保持不变。').waitFor();
      // The saved URL comes back masked (its access token is a credential) and the field empty.
      const masked = robotUrl.replace('e2e0123456789abcd', '…abcd');
      await page.getByText(`已保存：${masked}。留空则保持不变。`).waitFor();
      expect(await page.getByLabel('机器人 Webhook 地址').inputValue()).toBe('');
      expect(await page.content()).not.toContain('e2e0123456789abcd');

      // Kinds × channels: 催办 on by default, 评价 off; switch 催办 off and 评价 on for the robot, save with the URL
      // field left empty, which keeps the URL.
      const urgingRobot = page.getByRole('switch', { name: '催办与通报：机器人' });
      const ratingRobot = page.getByRole('switch', { name: '评价：机器人' });
      await urgingRobot.scrollIntoViewIfNeeded();
      expect(await urgingRobot.getAttribute('aria-checked')).toBe('true');
      expect(await ratingRobot.getAttribute('aria-checked')).toBe('false');
      expect(await page.getByRole('switch', { name: '督办：邮件' }).getAttribute('aria-checked')).toBe('true');
      expect(await page.getByRole('switch', { name: '交办与签收：站内' }).isDisabled()).toBe(true);
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await urgingRobot.click();
      await ratingRobot.click();
      const saved = page.waitForResponse((response) => response.url().endsWith('/api/me/notification-settings') && response.request().method() === 'PUT');
      await saveButton.click();
      expect((await saved).status()).toBe(200);
      await page.reload();
      await page.getByText(`已保存：${masked}。留空则保持不变。`).waitFor();
      await page.getByRole('switch', { name: '评价：机器人' }).waitFor();
      await expectChecked(page.getByRole('switch', { name: '催办与通报：机器人' }), 'false');
      await expectChecked(page.getByRole('switch', { name: '评价：机器人' }), 'true');
      expect(await hasNoHorizontalOverflow(page)).toBe(true);

      await page.getByRole('button', { name: '发送测试（钉钉 / 浙政钉机器人）' }).click();
      await page.getByText('已发送', { exact: true }).waitFor({ timeout: 20_000 });
      expect(requests).toHaveLength(1);
      expect(requests[0].body.markdown.title).toBe('亲清通知测试');
      expect(requests[0].url.searchParams.get('access_token')).toBe('e2e0123456789abcd');
      const timestamp = requests[0].url.searchParams.get('timestamp')!;
      expect(requests[0].url.searchParams.get('sign')).toBe(createHmac('sha256', 'SECe2esecret').update(`${timestamp}\nSECe2esecret`).digest('base64'));
      await page.screenshot({ path: join(screenshotDir, 'notification-settings-phone.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
