import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

/**
 * The external channels a notification can go out through: e-mail over SMTP and a DingTalk / 浙政钉 custom
 * robot webhook. Only the delivery job calls these; a request never waits on the network.
 */

export interface SmtpConfig {
  host: string;
  port: number;
  user?: string;
  password?: string;
  from: string;
}

export interface OutgoingMessage {
  title: string;
  body: string;
  /** Absolute URL to open the item in Qinqing, when the public address is known. */
  url?: string | null;
}

/** A failure worth retrying (network down, 5xx, robot rate limit) or one that will not get better by waiting. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly isPermanent = false,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a webhook URL may not be used, or null when it may: an http(s) URL without credentials whose host is on
 * the allowlist (QINQING_WEBHOOK_HOSTS). Plain http only for loopback hosts (tests, a local relay).
 */
export function webhookUrlProblem(value: string, allowedHosts: readonly string[]): { en: string; zh: string } | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { en: 'not a URL', zh: '不是有效的网址' };
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(host))) {
    return { en: 'must start with https://', zh: '应以 https:// 开头' };
  }
  if (url.username || url.password) return { en: 'must not contain a user name or password', zh: '不能包含用户名或密码' };
  if (!allowedHosts.includes(host)) {
    const hosts = allowedHosts.join(', ');
    return { en: `the host ${host} is not allowed (allowed: ${hosts})`, zh: `不允许的地址 ${host}（允许：${hosts}）` };
  }
  return null;
}

/**
 * A webhook URL as its owner is shown it: scheme, host, port and short path segments kept; every query value and
 * any path segment longer than 12 characters (a token in the path) cut to `…` and its last 4 characters, e.g.
 * `https://oapi.dingtalk.com/robot/send?access_token=…abcd`. Never enough to use the robot.
 */
export function maskWebhookUrl(value: string): string {
  const tail = (text: string) => `…${text.length > 8 ? text.slice(-4) : ''}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return tail(value);
  }
  const path = url.pathname
    .split('/')
    .map((segment) => (decodeURIComponentSafe(segment).length > 12 ? tail(decodeURIComponentSafe(segment)) : decodeURIComponentSafe(segment)))
    .join('/');
  const query = [...url.searchParams.entries()].map(([name, text]) => `${name}=${tail(text)}`).join('&');
  return `${url.protocol}//${url.host}${path}${query ? `?${query}` : ''}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The signed robot URL: DingTalk's "加签" security adds `timestamp` (ms) and `sign` = base64(HMAC-SHA256 over
 * `${timestamp}\n${secret}` keyed by the secret), URL-encoded.
 */
export function signWebhookUrl(webhookUrl: string, secret: string, timestamp: number): string {
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
  const url = new URL(webhookUrl);
  url.searchParams.set('timestamp', String(timestamp));
  url.searchParams.set('sign', sign);
  return url.toString();
}

/** The robot's markdown; ends with 亲清 so a robot secured by keyword (自定义关键词 "亲清") accepts it. */
export function robotMarkdown(message: OutgoingMessage): { msgtype: 'markdown'; markdown: { title: string; text: string } } {
  const lines = [`#### ${message.title}`, '', message.body];
  if (message.url) lines.push('', `[在亲清中查看](${message.url})`);
  lines.push('', '> 亲清');
  return { msgtype: 'markdown', markdown: { title: message.title, text: lines.join('\n') } };
}

/** POST the message to a custom robot; a non-2xx answer or `errcode` ≠ 0 is a failure. */
export async function sendToRobot(options: { webhookUrl: string; secret: string | null; allowedHosts: readonly string[]; now: Date; message: OutgoingMessage }): Promise<void> {
  // The allowlist may have shrunk since the person saved the URL: check again at the moment of sending.
  const problem = webhookUrlProblem(options.webhookUrl, options.allowedHosts);
  if (problem) throw new DeliveryError(`webhook refused: ${problem.en}`, true);
  const url = options.secret ? signWebhookUrl(options.webhookUrl, options.secret, options.now.getTime()) : options.webhookUrl;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(robotMarkdown(options.message)),
      // A redirect could lead anywhere, past the allowlist.
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new DeliveryError(`webhook unreachable: ${describe(error)}`);
  }
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status >= 300) throw new DeliveryError(`webhook answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  let answer: { errcode?: unknown; errmsg?: unknown; success?: unknown } | null = null;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = null;
  }
  if (answer && typeof answer === 'object') {
    if (answer.errcode !== undefined && Number(answer.errcode) !== 0) throw new DeliveryError(`robot errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '').slice(0, 200)}`);
    if (answer.success === false) throw new DeliveryError(`robot refused the message: ${text.slice(0, 200)}`);
  }
}

export interface Mailer {
  send(to: string, message: OutgoingMessage): Promise<void>;
  close(): void;
}

/** One SMTP transport for the process (implicit TLS on port 465, STARTTLS when the server offers it). */
export function createMailer(config: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.port === 465,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: 3 * TIMEOUT_MS,
  });
  return {
    async send(to, message) {
      const text = [message.body, ...(message.url ? ['', message.url] : []), '', '—— 亲清 Qinqing', '（可在“我的账号 → 通知设置”中关闭邮件通知 / turn e-mail off under My account → Notifications）'].join('\n');
      try {
        await transport.sendMail({ from: config.from, to, subject: message.title, text, textEncoding: 'base64' });
      } catch (error) {
        // 5xx SMTP replies (unknown mailbox, relay denied) will not change on retry.
        const code = (error as { responseCode?: number }).responseCode;
        throw new DeliveryError(`SMTP: ${describe(error)}`, typeof code === 'number' && code >= 500 && code < 600);
      }
    },
    close: () => transport.close(),
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
