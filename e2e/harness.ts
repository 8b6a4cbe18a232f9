import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';

export const root = resolve(import.meta.dirname, '..');
export const DEMO_PASSWORD = 'E2e#Qinqing2026';
const CHROMIUM = '/usr/bin/chromium';

/** Browser tests run when Chromium is installed; QINQING_REQUIRE_BROWSER=1 (CI) makes its absence a failure. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.QINQING_REQUIRE_BROWSER === '1') throw new Error(`QINQING_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
  return false;
}

export interface RunningServer {
  url: string;
  /** The server's SQLite file, for the CLI (create-user) beside the running server. */
  databaseUrl: string;
  /** The end of what the server has printed (warnings and errors), for a failing test's report. */
  logTail(): string;
  stop(): Promise<void>;
}

/** Start the real server (as `npm start` does) on a fresh SQLite file with the demo town, on a free port. */
export async function startServer(): Promise<RunningServer> {
  if (!existsSync(join(root, 'apps/web/dist/index.html'))) throw new Error('apps/web/dist is missing: run `npm run build -w apps/web` (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'qinqing-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'e2e.db'), QINQING_DEMO: '1', QINQING_DEMO_PASSWORD: DEMO_PASSWORD, QINQING_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/running at (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    databaseUrl: join(dir, 'e2e.db'),
    logTail: () => output.slice(-4000),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Chromium, headless. Playwright gives every launch a fresh, empty profile directory of its own
 * (it refuses an explicit --user-data-dir) and removes it on close. Close the browser in `finally`.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What each page showed when its context was closed during the current test: CI keeps only the log. */
const pagesAtClose: string[] = [];

async function describePage(page: Page): Promise<string> {
  const seen = await page.evaluate(() => ({
    buttons: Array.from(document.querySelectorAll('button')).map((button) => `[${button.getAttribute('aria-label') ?? button.textContent?.trim() ?? ''}${button.disabled ? ' (disabled)' : ''}]`).join(' '),
    text: document.body.innerText.replace(/\s+/g, ' ').slice(0, 1500),
  }));
  return `${page.url()}\nbuttons: ${seen.buttons}\ntext: ${seen.text}`;
}

/** The users' browsers are in China: dates picked or shown as "today" are China's, as the server's are (UTC+8). */
const CHINA_TIME_ZONE = 'Asia/Shanghai';

export async function newContext(browser: Browser, options: { phone?: boolean; locale?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext(
    options.phone
      ? { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: options.locale ?? 'zh-CN', timezoneId: CHINA_TIME_ZONE }
      : { viewport: { width: 1366, height: 820 }, locale: options.locale ?? 'zh-CN', timezoneId: CHINA_TIME_ZONE },
  );
  const close = context.close.bind(context);
  context.close = async (closeOptions) => {
    for (const page of context.pages()) pagesAtClose.push(await describePage(page).catch((error: Error) => `${page.url()}: ${error.message}`));
    return close(closeOptions);
  };
  return context;
}

export const screenshotDir = join(root, '.tmp/screenshots');
mkdirSync(screenshotDir, { recursive: true });

/** Run the qinqing CLI against the server's database (as an operator would, beside the running server). */
export function runCli(server: RunningServer, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: server.databaseUrl, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`qinqing ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Sign in through the API (no browser) and return a fetch that carries the session and CSRF token. */
export async function apiSession(server: RunningServer, username: string, password = DEMO_PASSWORD) {
  const response = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('qq_session='))!.split(';')[0];
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { cookie, 'x-csrf-token': csrfToken, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
}

/** A real server on a fresh demo database and a Chromium for the journeys of one test file; both closed after it. */
export function useServerAndBrowser() {
  const env = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  beforeEach((test) => {
    pagesAtClose.length = 0;
    test.onTestFailed(() => {
      console.error(`Pages when their contexts closed:\n${pagesAtClose.join('\n---\n') || '(none)'}\n\nServer log (end):\n${env.server?.logTail() ?? ''}`);
    });
  });
  afterAll(async () => {
    try {
      await env.browser?.close();
    } finally {
      await env.server?.stop();
    }
  });
  return env;
}

/** Sign in through the login page as a person would. */
export async function signIn(page: Page, url: string, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

export async function hasNoHorizontalOverflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

/**
 * Pick an option of an Ant Design Select (`field` is its input, e.g. `getByLabel('诉求类别')`) and check that it took.
 * Under load a click can land while the dropdown is still animating in and be lost, leaving the field empty; the
 * pick is then made again (three tries). `search` types into the field first (selects that search as you type).
 */
export async function chooseOption(page: Page, field: Locator, option: string, options: { search?: string } = {}) {
  const shown = () => field.evaluate((input) => input.closest('.ant-select')?.textContent ?? '');
  for (let attempt = 1; ; attempt += 1) {
    if (options.search !== undefined) await field.fill(options.search);
    else await field.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
    try {
      await expect.poll(shown, { timeout: 3000 }).toContain(option);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
