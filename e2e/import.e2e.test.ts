import type { Page } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable, newContext, screenshotDir, signIn, useServerAndBrowser } from './harness.js';

/** Two enterprises in the template's columns; the second has a credit code with a wrong check character. */
function importFile(headers: string[], secondCode: string): string {
  const row = (values: Record<string, string>) => headers.map((header) => values[header] ?? '').join(',');
  const lines = [
    headers.join(','),
    row({ 统一社会信用代码: '91330483MA2JD4KX7Y', 企业名称: '桐乡市崇福导入测试皮草有限公司', 行业代码: '1931', 行政区划代码: '330483107200', '主营业务收入（万元）': '2600', 经营状态: '在营' }),
    row({ 统一社会信用代码: secondCode, 企业名称: '桐乡市崇福导入测试弹簧有限公司', 行业代码: '3483', 行政区划代码: '330483107010', '主营业务收入（万元）': '800', 经营状态: '在营' }),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

async function upload(page: Page, path: string) {
  await page.locator('input[type=file]').setInputFiles(path);
}

describe.skipIf(!browserAvailable())('import journey in Chromium', () => {
  const env = useServerAndBrowser();

  it('an officer downloads the template, imports a file with one bad row, sees the error, fixes it and commits', async () => {
    const context = await newContext(env.browser);
    try {
      const page = await context.newPage();
      await signIn(page, env.server.url, 'officer');
      await page.getByRole('heading', { name: /您好/ }).waitFor();
      await page.goto(`${env.server.url}/enterprises`);
      await page.getByRole('button', { name: '导入' }).click();
      await page.getByRole('heading', { name: '导入企业' }).waitFor();

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV 格式模板' }).click()]);
      const templatePath = join(screenshotDir, 'template.csv');
      await download.saveAs(templatePath);
      const headers = readFileSync(templatePath, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
      expect(headers).toContain('统一社会信用代码');

      const badPath = join(screenshotDir, 'import-bad.csv');
      writeFileSync(badPath, importFile(headers, '91110000600037341N'));
      await upload(page, badPath);
      const errors = page.getByRole('table', { name: /文件中有 1 处错误/ });
      await errors.waitFor({ timeout: 30_000 });
      const errorText = await errors.innerText();
      expect(errorText).toContain('3'); // header is row 1, the bad enterprise row 3
      expect(errorText).toContain('统一社会信用代码');
      expect(await page.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'import-errors.png'), fullPage: true });
      // nothing was written
      const before = await page.evaluate(async () => ((await (await fetch('/api/enterprises?pageSize=1')).json()) as { total: number }).total);
      expect(before).toBe(929);

      await page.getByRole('button', { name: '重新上传' }).click();
      const goodPath = join(screenshotDir, 'import-good.csv');
      writeFileSync(goodPath, importFile(headers, '91110000600037341L'));
      // Record whether the progress bar showed at any moment (a two-row import finishes quickly).
      await page.evaluate(() => {
        const w = window as unknown as { sawProgress: boolean };
        w.sawProgress = false;
        new MutationObserver(() => {
          if (document.querySelector('[aria-label="导入进度"]')) w.sawProgress = true;
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await upload(page, goodPath);
      const commit = page.getByRole('button', { name: '确认导入' });
      await expect.poll(() => commit.isEnabled(), { timeout: 30_000 }).toBe(true);
      await commit.click();
      await page.getByText('导入完成').waitFor({ timeout: 60_000 });
      expect(await page.getByText('新建 2 家').isVisible()).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'import-done.png') });

      await page.getByRole('button', { name: '返回企业名录' }).last().click();
      await page.getByLabel('搜索企业').fill('导入测试弹簧');
      await page.getByLabel('搜索企业').press('Enter');
      await page.getByRole('link', { name: '桐乡市崇福导入测试弹簧有限公司' }).click();
      await page.getByText('导入新建').first().waitFor();
    } finally {
      await context.close();
    }
  });
});
