import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiSession, browserAvailable, chooseOption, hasNoHorizontalOverflow, newContext, screenshotDir, signIn, useServerAndBrowser } from './harness.js';

describe.skipIf(!browserAvailable())('visit journeys in Chromium', () => {
  const env = useServerAndBrowser();

  it('an instructor records a visit on a phone and raises a problem as an appeal; the officer sees it on the calendar and the file', async () => {
    const instructorApi = await apiSession(env.server, 'instructor');
    const mine = (await (await instructorApi('/api/enterprises?pageSize=1&sort=name')).json()) as { items: Array<{ id: string; name: string }> };
    const target = mine.items[0];
    // "Today" as the browser sees it (its calendar picks the day): after 16:00 UTC it differs from China's date.
    let today = '';

    const phone = await newContext(env.browser, { phone: true });
    try {
      const page = await phone.newPage();
      await signIn(page, env.server.url, 'instructor');
      today = await page.evaluate(() => new Date().toLocaleDateString('sv-SE'));
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${env.server.url}/visits`);
      await page.getByRole('button', { name: /^(plus )?新建走访$/ }).click();
      const dialog = page.getByRole('dialog');
      await chooseOption(page, dialog.getByLabel('企业', { exact: true }), target.name, { search: target.name.slice(0, 8) });
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
      await chooseOption(page, appeal.getByLabel('诉求类别'), '水电气保障');
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

      // 只看我的 keeps the filter in the URL; the instructor's own visit is still there, nothing overflows at 375 px.
      await page.getByRole('checkbox', { name: '只看我的' }).click();
      await page.waitForURL(/[?&]mine=true/);
      await page.getByRole('link', { name: target.name }).first().waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.reload();
      await expect.poll(() => page.getByRole('checkbox', { name: '只看我的' }).isChecked()).toBe(true);
      await page.getByRole('link', { name: target.name }).first().waitFor();
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

  it('an officer holds a symposium of a liaison point: attendance goes on the files, a suggestion becomes an appeal', async () => {
    const officerApi = await apiSession(env.server, 'officer');
    const some = (await (await officerApi('/api/enterprises?pageSize=3&sort=-revenue')).json()) as { items: Array<{ id: string; name: string }> };
    const [host, member, other] = some.items;
    const point = (await (await officerApi('/api/liaison-points', { method: 'POST', body: JSON.stringify({ name: '崇福镇皮草产业联络点', regionCode: '330483107', hostEnterpriseId: host.id, memberIds: [host.id, member.id] }) })).json()) as { id: string };

    const context = await newContext(env.browser);
    try {
      const page = await context.newPage();
      await signIn(page, env.server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${env.server.url}/liaison-points`);
      await page.getByRole('link', { name: '崇福镇皮草产业联络点' }).click();
      await page.getByRole('button', { name: /^(plus )?新建座谈会$/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('日期').click();
      await page.locator('.ant-picker-dropdown:visible .ant-picker-cell-today').click();
      await dialog.getByLabel('主题').fill('四季度企业座谈会');
      await dialog.getByRole('button', { name: '保存' }).click();
      await page.waitForURL(/\/symposiums\/[\w-]+$/);
      await page.getByRole('heading', { name: '四季度企业座谈会' }).waitFor();

      // Attendance: tick the member, name who came; add a guest enterprise.
      await page.getByRole('checkbox', { name: member.name }).check();
      await page.getByLabel(`出席人员姓名，回车分隔 · ${member.name}`).fill('沈丽');
      await page.getByLabel(`出席人员姓名，回车分隔 · ${member.name}`).press('Enter');
      await chooseOption(page, page.getByLabel('添加非成员企业'), other.name, { search: other.name.slice(0, 8) });
      await page.getByRole('button', { name: /^(plus )?添加$/ }).click();
      await page.getByLabel(`出席人员姓名，回车分隔 · ${other.name}`).fill('李强');
      await page.getByLabel(`出席人员姓名，回车分隔 · ${other.name}`).press('Enter');
      await page.getByRole('button', { name: /保存出席/ }).click();
      await page.getByText('出席 2 人，2 家企业').waitFor();

      // A suggestion from the member becomes an appeal.
      await page.getByRole('button', { name: /编辑意见建议/ }).click();
      const suggestions = page.getByRole('dialog');
      await suggestions.getByRole('button', { name: /添加建议/ }).click();
      await chooseOption(page, suggestions.getByLabel('提出企业 1'), member.name);
      await suggestions.getByLabel('意见建议 1').fill('希望协调解决员工子女就近入学');
      await suggestions.getByRole('button', { name: '保存' }).click();
      await page.getByRole('button', { name: /转为诉求：希望协调/ }).click();
      const appeal = page.getByRole('dialog');
      await chooseOption(page, appeal.getByLabel('诉求类别'), '用工与子女入学');
      await appeal.getByRole('button', { name: '提交诉求' }).click();
      await page.getByText('已转诉求').waitFor();
      await page.screenshot({ path: join(screenshotDir, 'symposium.png'), fullPage: true });

      // The guest's file shows the symposium on its timeline.
      await page.goto(`${env.server.url}/enterprises/${other.id}`);
      await page.getByText(/出席座谈会：崇福镇皮草产业联络点「四季度企业座谈会」/).waitFor();
    } finally {
      await context.close();
    }
    const detail = (await (await officerApi(`/api/liaison-points/${point.id}`)).json()) as { lastSymposiumOn: string | null };
    expect(detail.lastSymposiumOn).not.toBeNull();
  });
});
