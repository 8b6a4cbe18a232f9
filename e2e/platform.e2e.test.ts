import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable, hasNoHorizontalOverflow, newContext, root, screenshotDir, signIn, useServerAndBrowser } from './harness.js';

describe.skipIf(!browserAvailable())('platform journeys in Chromium', () => {
  const env = useServerAndBrowser();

  it('an officer signs in, switches to English and back, and signs out', async () => {
    const context = await newContext(env.browser);
    try {
      const page = await context.newPage();
      await page.goto(`${env.server.url}/`);
      await expect.poll(() => page.url()).toContain('/login');
      await page.getByText('演示环境 — 数据为虚构').first().waitFor();
      await signIn(page, env.server.url, 'officer');
      await page.getByRole('heading', { name: /经发中心 王敏，您好/ }).waitFor();
      await page.getByText('演示环境 — 数据为虚构').first().waitFor();
      await page.screenshot({ path: join(screenshotDir, 'officer-home.png') });
      if (process.env.QINQING_UPDATE_SCREENSHOTS === '1') copyFileSync(join(screenshotDir, 'officer-home.png'), join(root, 'docs/images/officer-home.png'));

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toMatch(/^en/);
      await page.getByText('Workbench').first().waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Log out' }).waitFor(); // the choice survives a reload
      await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('button', { name: '退出登录' }).waitFor();

      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('button', { name: '登录', exact: true }).waitFor();
      // the env.server destroyed the session: going back does not get in
      await page.goto(`${env.server.url}/`);
      await expect.poll(() => page.url()).toContain('/login');
      const me = await page.evaluate(async () => (await fetch('/api/me')).status);
      expect(me).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('an enterprise user works on a 375-px phone', async () => {
    const context = await newContext(env.browser, { phone: true });
    try {
      const page = await context.newPage();
      await page.goto(`${env.server.url}/login`);
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await signIn(page, env.server.url, 'enterprise');
      await page.getByRole('heading', { name: /企业负责人 沈丽，您好/ }).waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.getByText('提交诉求与融资需求').waitFor();
      await page.screenshot({ path: join(screenshotDir, 'enterprise-phone.png') });
      // the menu is a drawer on a phone; an enterprise user sees no administration
      await page.getByRole('button', { name: '打开菜单' }).click();
      const menu = page.getByRole('navigation', { name: '主菜单' });
      await menu.waitFor();
      await menu.getByText('我的账户').waitFor();
      expect(await page.getByText('用户管理').count()).toBe(0);
      expect(await page.getByText('审计日志').count()).toBe(0);
      await menu.getByText('我的账户').click();
      await page.getByRole('heading', { name: '我的账户' }).waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('a locked account is told why and until when', async () => {
    const context = await newContext(env.browser);
    try {
      const page = await context.newPage();
      for (let i = 0; i < 5; i += 1) {
        await signIn(page, env.server.url, 'leader', 'Wrong#Password1');
        await page.getByRole('alert').first().waitFor();
      }
      const alert = page.getByRole('alert').filter({ hasText: '账户已锁定' });
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/连续 5 次登录失败/);
      expect(await alert.innerText()).toMatch(/\d{1,2}:\d{2}/);
      // the right password does not get in while locked
      await signIn(page, env.server.url, 'leader');
      await alert.waitFor();
      expect(page.url()).toContain('/login');
      await page.screenshot({ path: join(screenshotDir, 'locked.png') });
    } finally {
      await context.close();
    }
  });
});
