import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { computeCheckCharacter, computeOrgCodeCheckCharacter } from '@qinqing/contracts';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../apps/server/src/platform/auth/totp.js';
import { type RunningServer, apiSession, browserAvailable, chooseOption, hasNoHorizontalOverflow, newContext, runCli, screenshotDir, signIn, useServerAndBrowser } from './harness.js';

type Api = Awaited<ReturnType<typeof apiSession>>;

async function json<T>(response: Promise<Response>, expected = 200): Promise<T> {
  const answer = await response;
  const body = await answer.text();
  if (answer.status !== expected) throw new Error(`${answer.url} → ${answer.status} (expected ${expected}): ${body}`);
  return (body ? JSON.parse(body) : undefined) as T;
}

/** A valid credit code registered in 桐乡 (330483) with a random organisation-code body. */
function newCreditCode(): string {
  const body = Array.from({ length: 8 }, () => String(randomInt(10))).join('');
  const first17 = `91330483${body}${computeOrgCodeCheckCharacter(body)}`;
  return first17 + computeCheckCharacter(first17);
}

/** A small PDF: the unit's plan attached to its answer. */
const answerPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A real 2×2 PNG (red, blue / blue, yellow): a photo of the site, small enough for a test. */
function sitePhoto(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // RGB
  // Each row: filter 0, then two RGB pixels.
  const pixels = Buffer.from([0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/** A person the operator creates with the CLI, who then sets their own password (first sign-in). */
async function newAccount(server: RunningServer, username: string, displayName: string, role: string, extra: string[] = []) {
  runCli(server, ['create-user', '--username', username, '--display-name', displayName, '--role', role, ...extra], { QINQING_NEW_PASSWORD: 'Initial#Pass2026' });
  const session = await apiSession(server, username, 'Initial#Pass2026');
  const password = 'Mulberry#Silk2027';
  await json(session('/api/me/password', { method: 'POST', body: JSON.stringify({ currentPassword: 'Initial#Pass2026', newPassword: password }) }), 204);
  return { session, password };
}

/** The appeal as the API shows it to someone. */
async function appealOf(api: Api, id: string) {
  return json<{ number: string; status: string; version: number; allowedActions: string[]; parts: Array<{ id: string; status: string }> }>(api(`/api/appeals/${id}`));
}

async function expectStatus(page: Page, text: string) {
  await page.getByRole('article').locator('.ant-tag', { hasText: new RegExp(`^${text}$`) }).first().waitFor();
}

describe.skipIf(!browserAvailable())('appeals journey in Chromium', () => {
  const env = useServerAndBrowser();

  it('an enterprise submits on a phone, the office dispatches to the power company, it answers, the enterprise rates it, the leader sees the figures', async () => {
    const { server, browser } = env;
    const suffix = String(randomInt(100_000, 999_999));
    const officerApi = await apiSession(server, 'officer');

    // The data of this test: an enterprise of the town, its manager, and a power company with a handler of its own.
    const enterprise = await json<{ id: string; name: string; creditCode: string }>(
      officerApi('/api/enterprises', {
        method: 'POST',
        body: JSON.stringify({ creditCode: newCreditCode(), name: `桐乡市崇福诉求测试纺织有限公司${suffix}`, industryCode: '1713', regionCode: '330483107200' }),
      }),
      201,
    );
    const invite = await json<{ code: string }>(officerApi(`/api/enterprises/${enterprise.id}/invites`, { method: 'POST' }), 201);
    const manager = await newAccount(server, `e2e.manager${suffix}`, '企业负责人 钱红', 'enterprise');
    await json(manager.session('/api/enterprise-bindings/claim', { method: 'POST', body: JSON.stringify({ creditCode: enterprise.creditCode, inviteCode: invite.code }) }));

    // Only the system administrator creates organisations; their account needs a second factor.
    const admin = await newAccount(server, `e2e.sysadmin${suffix}`, '系统管理员 测试', 'sysadmin');
    const setup = await json<{ secret: string }>(admin.session('/api/me/totp/setup', { method: 'POST' }));
    await json(admin.session('/api/me/totp/confirm', { method: 'POST', body: JSON.stringify({ code: totpCodeAt(setup.secret, new Date()) }) }), 204);
    const powerName = `国网桐乡市供电公司测试供电所${suffix}`;
    const power = await json<{ id: string }>(admin.session('/api/organisations', { method: 'POST', body: JSON.stringify({ name: powerName, kind: 'outside_unit', regionCode: '330483107' }) }), 201);
    const handler = await newAccount(server, `e2e.power${suffix}`, '供电所 赵工', 'handler', ['--organisation-id', power.id]);

    const title = `新厂房高压线迁改${suffix}`;
    const photo = sitePhoto();
    let appealId = '';

    // 1. The enterprise's manager submits the appeal on a phone.
    const phone = await newContext(browser, { phone: true });
    try {
      const page = await phone.newPage();
      await signIn(page, server.url, `e2e.manager${suffix}`, manager.password);
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      // From their enterprise's file (我的企业), whose 诉求 card links to the form.
      await page.goto(`${server.url}/my-enterprise`);
      await page.getByTestId('open-appeals').getByText('没有未结束的诉求').waitFor();
      await page.getByRole('button', { name: '提交诉求' }).click();
      await page.getByRole('heading', { name: '提交诉求' }).waitFor();
      expect(page.url()).toContain(`enterpriseId=${enterprise.id}`);
      // Their only enterprise is chosen for them.
      await page.getByText(enterprise.name).first().waitFor();
      await chooseOption(page, page.getByLabel('诉求类别'), '水电气保障（7 个工作日）');
      await page.getByText('办理时限 7 个工作日').waitFor();
      await page.getByLabel('标题').fill(title);
      await page.getByLabel('具体情况').fill('新厂房扩建，10kV 线路横穿地块，\n需要供电公司迁改。');
      // A photo of the site; a text file is refused before anything is sent, naming what may be attached.
      const chooser = page.locator('input[type=file]');
      await chooser.setInputFiles([
        { name: '现场照片.png', mimeType: 'image/png', buffer: photo },
        { name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('线路走向说明') },
      ]);
      await page.getByRole('alert').getByText('「说明.txt」的类型不能上传：只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件').waitFor();
      await page.getByText('现场照片.png').waitFor();
      await page.getByTestId('attachment-thumbnail').first().waitFor();
      // A page saved as .png is only refused by the server, once the appeal exists: the appeal page names it.
      await chooser.setInputFiles({ name: '假照片.png', mimeType: 'image/png', buffer: Buffer.from('<html>not a picture</html>') });
      await page.getByText('假照片.png').waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'appeal-form-attachments-phone.png'), fullPage: true });
      await page.getByRole('button', { name: '提交' }).click();
      await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/\/appeals\/(?!new$)[^/?]+$/);
      appealId = page.url().split('/').pop()!;
      await page.getByRole('heading', { name: title }).waitFor();
      await expectStatus(page, '待受理');
      const files = page.getByRole('region', { name: '附件' });
      await files.getByText('诉求已提交，但以下附件未能上传：').waitFor();
      await files.getByText('假照片.png：只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件').waitFor();
      await files.getByRole('button', { name: '下载 现场照片.png' }).waitFor();
      await files.getByTestId('attachment-thumbnail').waitFor();
      await files.getByRole('button', { name: '添加附件' }).waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'appeal-attachments-phone.png'), fullPage: true });
      const stored = await json<{ attachments: Array<{ filename: string; size: number; uploadedByName: string }> }>(officerApi(`/api/appeals/${appealId}`));
      expect(stored.attachments).toEqual([expect.objectContaining({ filename: '现场照片.png', size: photo.length, uploadedByName: '企业负责人 钱红' })]);

      // Their enterprise's file counts it as open.
      await page.goto(`${server.url}/my-enterprise`);
      await page.getByTestId('open-appeals').getByText('1 件未结束').waitFor();

      // Typing a similar title again offers the open appeal instead of a duplicate.
      await page.goto(`${server.url}/appeals/new`);
      await page.getByLabel('标题').fill('高压线迁改');
      await page.getByText('是否与以下诉求重复？').waitFor();
      await page.getByRole('link', { name: new RegExp(title) }).waitFor();
      await page.goto(`${server.url}/appeals`);
      await page.getByRole('link', { name: title }).first().waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'appeals-list-phone.png') });
    } finally {
      await phone.close();
    }

    // 2. The officer accepts and dispatches it to the power company; acting on a stale version shows the current one.
    const desk = await newContext(browser);
    try {
      const page = await desk.newPage();
      await signIn(page, server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${server.url}/appeals`);
      await page.getByLabel('搜索诉求').fill(title);
      await expect.poll(() => page.url()).toContain('q=');
      await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
      await page.screenshot({ path: join(screenshotDir, 'appeals-list.png') });
      await page.locator('.ant-table-row').getByRole('link', { name: title }).click();
      await page.getByRole('heading', { name: title }).waitFor();
      // The enterprise's photo: a thumbnail, who sent it, and a click saves the very bytes.
      const files = page.getByRole('region', { name: '附件' });
      await files.getByText(/企业负责人 钱红/).waitFor();
      await files.getByTestId('attachment-thumbnail').waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), files.getByRole('button', { name: '下载 现场照片.png' }).click()]);
      expect(download.suggestedFilename()).toBe('现场照片.png');
      expect((await readFile(await download.path())).equals(photo)).toBe(true);
      // The office adds the site survey on the page itself.
      await files.locator('input[type=file]').setInputFiles({ name: '现场勘查记录.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 现场勘查\n%%EOF\n') });
      await files.getByRole('button', { name: '下载 现场勘查记录.pdf' }).waitFor();
      await page.getByText('附件（2）').waitFor();
      await page.getByRole('button', { name: '受理', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: '受理' }).click();
      await expectStatus(page, '已受理');

      await page.getByRole('button', { name: '交办', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await chooseOption(page, dialog.getByLabel('承办单位'), powerName, { search: powerName.slice(0, 12) });
      await dialog.getByLabel('承办单位').press('Escape');
      // The category's 7 working days, and the due date they give from the working-day calendar.
      await expect.poll(() => dialog.getByLabel('工作日').inputValue()).toBe('7');
      const preview = await json<{ date: string }>(officerApi(`/api/calendar/add-workdays?from=${chinaToday()}&days=7`));
      await dialog.getByTestId('dispatch-due').getByText(preview.date).waitFor();
      await page.screenshot({ path: join(screenshotDir, 'appeal-dispatch.png') });
      await dialog.getByRole('button', { name: '交办' }).click();
      await expectStatus(page, '已交办');
      await page.getByRole('region', { name: powerName }).getByText('待签收').waitFor();

      // Someone urges it through the API while the page still shows the old version.
      const before = await appealOf(officerApi, appealId);
      await json(officerApi(`/api/appeals/${appealId}/urge`, { method: 'POST', body: JSON.stringify({ version: before.version, message: '请尽快签收' }) }));
      await page.getByRole('button', { name: '催办', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: '催办' }).click();
      await page.getByText('该诉求已被他人更新').waitFor();
      await page.getByText('说明：请尽快签收').waitFor();
    } finally {
      await desk.close();
    }

    // 3. The power company's handler signs for it and answers on a phone, with the plan as a PDF.
    const unitDesk = await newContext(browser, { phone: true });
    try {
      const page = await unitDesk.newPage();
      await signIn(page, server.url, `e2e.power${suffix}`, handler.password);
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${server.url}/appeals`);
      const waiting = page.getByRole('region', { name: '等待您处理的诉求' });
      await waiting.getByText('待办（1）').waitFor();
      // Their own part's state beside the case's.
      await waiting.getByText('本单位：待签收').waitFor();
      await waiting.getByRole('link', { name: title }).click();
      await page.getByRole('heading', { name: title }).waitFor();
      await page.getByRole('button', { name: '签收', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: '签收' }).click();
      await expectStatus(page, '办理中');
      await page.getByRole('button', { name: '答复办结', exact: true }).click();
      await page.getByRole('dialog').getByLabel('答复内容').fill('已完成线路迁改方案，10 月底前施工。');
      await page.getByRole('dialog').locator('input[type=file]').setInputFiles({ name: '迁改方案.pdf', mimeType: 'application/pdf', buffer: answerPdf });
      await page.getByRole('dialog').getByText('迁改方案.pdf').waitFor();
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'appeal-answer-phone.png') });
      await page.getByRole('dialog').getByRole('button', { name: '答复办结' }).click();
      await expectStatus(page, '已办结·待评价');
      // The file goes with the unit's answer, on its part.
      await page.getByRole('group', { name: /答复附件/ }).getByRole('button', { name: '下载 迁改方案.pdf' }).waitFor();
    } finally {
      await unitDesk.close();
    }

    // 4. The enterprise rates it 满意 on the phone.
    const phoneAgain = await newContext(browser, { phone: true });
    try {
      const page = await phoneAgain.newPage();
      await signIn(page, server.url, `e2e.manager${suffix}`, manager.password);
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${server.url}/appeals/${appealId}`);
      await page.getByText('请对办理结果评价').waitFor();
      await page.getByText('已完成线路迁改方案，10 月底前施工。').first().waitFor();
      await page.getByRole('button', { name: '下载 迁改方案.pdf' }).waitFor();
      await page.locator('label', { has: page.getByRole('radio', { name: '满意', exact: true }) }).click();
      await page.getByLabel('评价说明（选填）').fill('很及时');
      await page.getByRole('button', { name: '提交评价' }).click();
      await expectStatus(page, '已评价');
      await page.getByText('企业评价：满意').waitFor();
      // Rated: the appeal is over and takes no more files, but its photo is still there.
      await page.getByRole('region', { name: '附件' }).getByRole('button', { name: '下载 现场照片.png' }).waitFor();
      expect(await page.getByRole('button', { name: '添加附件' }).count()).toBe(0);
      expect(await hasNoHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'appeal-phone.png'), fullPage: true });
    } finally {
      await phoneAgain.close();
    }
    const done = await appealOf(officerApi, appealId);
    expect(done.status).toBe('rated');
    const { number } = done;

    // 5. The leader opens the KPI dashboard and sees the power company's figures.
    const leaderDesk = await newContext(browser);
    try {
      const page = await leaderDesk.newPage();
      await signIn(page, server.url, 'leader');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${server.url}/appeals/kpis`);
      await page.getByRole('heading', { name: '诉求考核' }).waitFor();
      const row = page.locator('.ant-table-row', { hasText: powerName });
      await row.waitFor();
      const cells = await row.locator('td').allInnerTexts();
      // 承办单位, 交办, 签收率, 按期办结率, 办结, 超期, 满意率, 退单次数, 平均办理工作日
      expect(cells.slice(1, 8)).toEqual(['1', '100%', '100%', '1', '0', '100%', '0']);
      await page.locator('canvas').first().waitFor();
      await page.screenshot({ path: join(screenshotDir, 'appeal-kpis.png'), fullPage: true });
      await row.getByRole('link', { name: powerName }).click();
      await expect.poll(() => page.url()).toContain(`organisationId=${power.id}`);
      await page.getByRole('link', { name: title }).waitFor();
    } finally {
      await leaderDesk.close();
    }

    // The desktop appeal page with its whole history, for the record.
    const officerDesk = await newContext(browser);
    try {
      const page = await officerDesk.newPage();
      await signIn(page, server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${server.url}/appeals/${appealId}`);
      await page.getByText('评价：满意', { exact: true }).waitFor();
      await page.screenshot({ path: join(screenshotDir, 'appeal-page.png'), fullPage: true });

      // The enterprise file no longer counts it (rated is over, whether archived or not) and its timeline links each
      // step to the appeal.
      await page.getByRole('link', { name: enterprise.name }).click();
      await page.getByRole('heading', { name: enterprise.name }).first().waitFor();
      await page.getByTestId('open-appeals').getByText('没有未结束的诉求').waitFor();
      await page.getByText('诉求·评价').waitFor();
      await page.getByRole('link', { name: `诉求 ${number}「${title}」评价` }).click();
      await expect.poll(() => page.url()).toContain(`/appeals/${appealId}`);
    } finally {
      await officerDesk.close();
    }
  });

  it('an officer declines an appeal on a matter already in litigation with the preset reason', async () => {
    const { server, browser } = env;
    const officerApi = await apiSession(server, 'officer');
    const enterprises = await json<{ items: Array<{ id: string }> }>(officerApi('/api/enterprises?pageSize=1'));
    const created = await officerApi('/api/appeals', {
      method: 'POST',
      body: JSON.stringify({ enterpriseId: enterprises.items[0].id, categoryCode: 'policy', title: `货款纠纷 ${randomInt(1000, 9999)}`, description: '与客户的货款纠纷，已向法院起诉，希望政府出面催款。' }),
    });
    expect(created.status).toBe(201);
    const appeal = (await created.json()) as { id: string };
    const desk = await newContext(browser);
    try {
      const page = await desk.newPage();
      await signIn(page, server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${server.url}/appeals/${appeal.id}`);
      await expectStatus(page, '待受理');
      await page.getByRole('button', { name: '不予受理', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: '已进入诉讼' }).click();
      await expect.poll(() => dialog.getByLabel('不予受理的理由').inputValue()).toBe('该事项已进入诉讼程序，依法不属于诉求办理范围，请通过司法途径解决。');
      await dialog.getByRole('button', { name: '不予受理' }).click();
      await expectStatus(page, '不予受理');
      await page.getByText('该事项已进入诉讼程序，依法不属于诉求办理范围，请通过司法途径解决。').first().waitFor();
    } finally {
      await desk.close();
    }
  });

  it('an officer adds a category and disables it: it leaves the submit form', async () => {
    const { server, browser } = env;
    const suffix = String(randomInt(100_000, 999_999));
    const name = `测试类别${suffix}`;
    const desk = await newContext(browser);
    try {
      const page = await desk.newPage();
      await signIn(page, server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: '诉求类别' }).click();
      await page.getByRole('heading', { name: '诉求类别' }).waitFor();
      await page.locator('.ant-table-row', { hasText: '水电气保障' }).getByText('7 个工作日').waitFor();

      await page.getByRole('button', { name: '添加类别' }).click();
      const dialog = page.getByRole('dialog');
      // The code is checked on the field: its form, and that no category has it already (PUT would overwrite it).
      await dialog.getByLabel('编码').fill('Utilities');
      await dialog.getByLabel('名称', { exact: true }).fill(name);
      await dialog.getByLabel('英文名称').fill(`Test category ${suffix}`);
      await dialog.getByLabel('办理时限（工作日）').fill('3');
      await dialog.getByLabel('排序').fill('5');
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.getByText('编码须以小写英文字母开头').waitFor();
      await dialog.getByLabel('编码').fill('utilities');
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.getByText('该编码已被类别“水电气保障”使用').waitFor();
      await dialog.getByLabel('编码').fill(`e2e_${suffix}`);
      await dialog.getByLabel('办理时限（工作日）').fill('61');
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.getByText('请输入 1–60 之间的整数').waitFor();
      await dialog.getByLabel('办理时限（工作日）').fill('3');
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('.ant-table-row', { hasText: name }).getByText('3 个工作日').waitFor();
      await page.screenshot({ path: join(screenshotDir, 'appeal-categories.png') });

      // Offered on the submit form (first, by its order) …
      const option = `${name}（3 个工作日）`;
      await page.goto(`${server.url}/appeals/new`);
      await page.getByLabel('诉求类别').click();
      await page.locator('.ant-select-item-option').first().getByText(option).waitFor();

      // … until it is disabled.
      await page.goto(`${server.url}/appeals/categories`);
      await page.getByRole('switch', { name: `启用“${name}”` }).click();
      await page.getByText(`已停用“${name}”`).waitFor();
      await expect.poll(() => page.getByRole('switch', { name: `启用“${name}”` }).getAttribute('aria-checked')).toBe('false');
      await page.goto(`${server.url}/appeals/new`);
      await page.getByLabel('诉求类别').click();
      await page.locator('.ant-select-item-option').first().getByText('政策咨询（3 个工作日）').waitFor();
      expect(await page.locator('.ant-select-item-option', { hasText: name }).count()).toBe(0);

      // The server refuses it too.
      const officerApi = await apiSession(server, 'officer');
      const enterprises = await json<{ items: Array<{ id: string }> }>(officerApi('/api/enterprises?pageSize=1'));
      const refused = await officerApi('/api/appeals', { method: 'POST', body: JSON.stringify({ enterpriseId: enterprises.items[0].id, categoryCode: `e2e_${suffix}`, title: '停用类别', description: '停用类别不能再用' }) });
      expect(refused.status).toBe(400);
    } finally {
      await desk.close();
    }
  });
});

function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
