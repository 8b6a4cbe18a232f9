import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiSession, browserAvailable, hasNoHorizontalOverflow, newContext, screenshotDir, signIn, useServerAndBrowser } from './harness.js';

describe.skipIf(!browserAvailable())('visit journeys in Chromium', () => {
  const env = useServerAndBrowser();

  it('an instructor records a visit on a phone and raises a problem as an appeal; the officer sees it on the calendar and the file', async () => {
    const instructorApi = await apiSession(env.server, 'instructor');
    const mine = (await (await instructorApi('/api/enterprises?pageSize=1&sort=name')).json()) as { items: Array<{ id: string; name: string }> };
    const target = mine.items[0];
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

    const phone = await newContext(env.browser, { phone: true });
    try {
      const page = await phone.newPage();
      await signIn(page, env.server.url, 'instructor');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${env.server.url}/visits`);
      await page.getByRole('button', { name: /^(plus )?新建走访$/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('企业', { exact: true }).fill(target.name.slice(0, 8));
      await page.locator('.ant-select-item-option:visible', { hasText: target.name }).first().click();
      await dialog.getByText('已走访（登记记录）').click();
      await dialog.getByLabel('走访日期').click();
      await page.locator('.ant-picker-dropdown:visible .ant-picker-cell-today').click();
      await dialog.getByRole('button', { name: '添加问题' }).click();
      await dialog.getByLabel('反映问题 1').fill('厂区门口电力线需要迁改。影响大货车进出');
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await dialog.getByRole('button', { name: '保存' }).click();
      await page.waitForURL(/\/visits\/[\w-]+$/);
      await page.getByRole('link', { name: target.name }).waitFor();
      await page.getByRole('button', { name: /转为诉求/ }).click();
      const appeal = page.getByRole('dialog');
      await expect.poll(() => appeal.getByLabel('诉求标题').inputValue()).toBe('厂区门口电力线需要迁改');
      await appeal.getByLabel('诉求类别').click();
      await page.locator('.ant-select-item-option:visible', { hasText: '水电气保障' }).click();
      await appeal.getByRole('button', { name: '提交诉求' }).click();
      await page.getByText('已转诉求').waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'visit-recorded-phone.png'), fullPage: true });

      // The calendar on a phone: today's visits listed under the month.
      await page.goto(`${env.server.url}/visits`);
      await page.getByText(`${today} 的走访`).waitFor();
      await page.getByRole('link', { name: target.name }).first().waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'visit-calendar-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }

    // The appeal carries its origin; the problem carries the appeal.
    const visits = (await (await instructorApi(`/api/visits?enterpriseId=${target.id}`)).json()) as { items: Array<{ id: string; appealCount: number }> };
    expect(visits.items[0].appealCount).toBe(1);

    const desktop = await newContext(env.browser);
    try {
      const page = await desktop.newPage();
      await signIn(page, env.server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${env.server.url}/visits`);
      await page.locator('.ant-picker-calendar').getByRole('link', { name: new RegExp(target.name) }).first().waitFor();
      await page.screenshot({ path: join(screenshotDir, 'visit-calendar.png') });
      await page.goto(`${env.server.url}/enterprises/${target.id}`);
      await page.getByTestId('last-visit').getByText(`最近走访：${today}，驻企指导员 陈杰（`).waitFor();
      await page.getByText('走访：').first().waitFor();
    } finally {
      await desktop.close();
    }
  });
});
