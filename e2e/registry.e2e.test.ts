import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiSession, browserAvailable, newContext, root, runCli, screenshotDir, signIn, useServerAndBrowser } from './harness.js';

describe.skipIf(!browserAvailable())('enterprise registry journeys in Chromium', () => {
  const env = useServerAndBrowser();

  it('an enterprise user binds with an invite code on a phone and then sees only their enterprise', async () => {
    // An officer picks an enterprise of the demo town and issues an invite code.
    const officer = await apiSession(env.server, 'officer');
    const list = (await (await officer('/api/enterprises?pageSize=2&sort=name')).json()) as { items: Array<{ id: string; name: string; creditCode: string }>; total: number };
    expect(list.total).toBe(929);
    const target = list.items[1];
    const invite = (await (await officer(`/api/enterprises/${target.id}/invites`, { method: 'POST' })).json()) as { code: string };
    // The operator creates the manager's account; they must change the password at first sign-in.
    runCli(env.server, ['create-user', '--username', 'zhou.manager', '--display-name', '周经理', '--role', 'enterprise'], { QINQING_NEW_PASSWORD: 'Initial#Pass2026' });

    const context = await newContext(env.browser, { phone: true });
    try {
      const page = await context.newPage();
      await page.goto(`${env.server.url}/login`);
      await page.getByLabel('用户名').fill('zhou.manager');
      await page.getByLabel('密码').fill('Initial#Pass2026');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByLabel('当前密码').fill('Initial#Pass2026');
      await page.getByLabel('新密码', { exact: true }).fill('Mulberry#Silk2027');
      await page.getByLabel('确认新密码').fill('Mulberry#Silk2027');
      await page.getByRole('button', { name: '修改密码' }).click();
      await page.goto(`${env.server.url}/my-enterprise`);
      await page.getByLabel('统一社会信用代码').fill(target.creditCode);
      await page.getByLabel('邀请码').fill(invite.code);
      await page.getByRole('button', { name: '绑定企业' }).click();
      await page.getByRole('heading', { name: target.name }).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'enterprise-bound-phone.png') });
      // Only their enterprise, through every door.
      const seen = await page.evaluate(async () => (await (await fetch('/api/enterprises?pageSize=200')).json()) as { total: number; items: Array<{ id: string }> });
      expect(seen.total).toBe(1);
      expect(seen.items[0].id).toBe(target.id);
      const other = await page.evaluate(async (id) => (await fetch(`/api/enterprises/${id}`)).status, list.items[0].id);
      expect(other).toBe(404);
    } finally {
      await context.close();
    }
  });

  it('the officer searches 崇福, opens an enterprise file and sees its timeline', async () => {
    const context = await newContext(env.browser);
    try {
      const page = await context.newPage();
      await signIn(page, env.server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${env.server.url}/enterprises`);
      await page.getByLabel('搜索企业').fill('崇福');
      await page.getByLabel('搜索企业').press('Enter');
      await expect.poll(() => page.url()).toContain('q=');
      // 崇福 is in every demo address (崇福镇…) and in some names: two characters take the indexed gram path.
      const officerApi = await apiSession(env.server, 'officer');
      const matches = (await (await officerApi(`/api/enterprises?q=${encodeURIComponent('崇福')}&pageSize=1&sort=name`)).json()) as { total: number; items: Array<{ name: string }> };
      expect(matches.total).toBeGreaterThan(0);
      const firstRow = page.locator('.ant-table-row').first();
      await expect.poll(async () => (await firstRow.locator('td').first().innerText()).trim(), { timeout: 15_000 }).toBe(matches.items[0].name);
      const name = matches.items[0].name;
      await page.screenshot({ path: join(screenshotDir, 'registry-list.png') });
      if (process.env.QINQING_UPDATE_SCREENSHOTS === '1') copyFileSync(join(screenshotDir, 'registry-list.png'), join(root, 'docs/images/enterprise-registry.png'));
      await firstRow.locator('a').first().click();
      await page.getByRole('heading', { name }).first().waitFor();
      await page.getByText('建档').first().waitFor();
      await page.screenshot({ path: join(screenshotDir, 'enterprise-file.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
