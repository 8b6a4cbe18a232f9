import { z } from 'zod';
import type { NotificationsConfig } from './platform/notifications.js';

/**
 * The one place that reads the environment. Parsed once at start-up; a bad value stops the process
 * with a message naming the variable.
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  /** Role the PostgreSQL runtime connections SET ROLE to; it holds no UPDATE/DELETE on the audit trail. */
  QINQING_PG_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('qinqing_app'),
  /** Load the demo town into an empty database and print the demo accounts. */
  QINQING_DEMO: booleanFlag.default(false),
  QINQING_DEMO_PASSWORD: z.string().min(8).max(128).default('Qinqing@2026'),
  /** 32 hex characters (128-bit SM4 key) encrypting TOTP secrets at rest. */
  QINQING_SECRET_KEY: z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hexadecimal characters').optional(),
  QINQING_PASSWORD_PROFILE: z.enum(['dengbao', 'asvs']).default('dengbao'),
  QINQING_COOKIE_SECURE: booleanFlag.default(false),
  QINQING_TRUST_PROXY: booleanFlag.default(false),
  QINQING_WEB_DIST: z.string().optional(),
  QINQING_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().email().optional(),
  /**
   * Hosts robot webhooks may point at (comma-separated): a person's webhook URL is fetched by the server, so
   * anything else would let them probe the internal network. DingTalk and 浙政钉 by default.
   */
  QINQING_WEBHOOK_HOSTS: z
    .string()
    .default('oapi.dingtalk.com,openplatform.dg-work.cn')
    .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9.:[\]-]+$/, 'host names separated by commas')).min(1)),
  /** The address people open Qinqing at (https://qinqing.example.gov.cn); links in e-mails and robot messages start with it. */
  QINQING_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Set by npm to the directory `npm …` was run from; relative paths (./data/qinqing.db) resolve against it. */
  INIT_CWD: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parse an environment (defaults to process.env). Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Whether start-up failures should print the whole error (QINQING_DEBUG=1); readable even when the rest of the config is bad. */
export function isDebug(env: Record<string, string | undefined> = process.env): boolean {
  return env.QINQING_DEBUG === '1';
}

/** What the notifications platform needs from the configuration (the server and the command line share it). */
export function notificationsConfigOf(config: Config): NotificationsConfig {
  return {
    smtp: config.SMTP_HOST
      ? { host: config.SMTP_HOST, port: config.SMTP_PORT, user: config.SMTP_USER, password: config.SMTP_PASSWORD, from: config.SMTP_FROM ?? config.SMTP_USER ?? `qinqing@${config.SMTP_HOST}` }
      : null,
    webhookHosts: config.QINQING_WEBHOOK_HOSTS,
    publicUrl: config.QINQING_PUBLIC_URL ?? null,
  };
}
