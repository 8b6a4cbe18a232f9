import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { ConfigError, isDebug, loadConfig, notificationsConfigOf } from './config.js';
import { demoAccounts } from './modules/demo/demo-accounts.js';
import { demoTotpSecrets, isEmpty, seedDemo } from './modules/demo/demo.seed.js';
import { createAuditService } from './platform/audit/audit.service.js';
import { systemClock } from './platform/clock.js';
import { createJobs } from './platform/jobs.js';
import { scheduleSweep } from './modules/appeals/appeal-jobs.js';
import { openRuntime } from './platform/runtime.js';

/** Start-up: config → migrate → (demo) → listen. Everything else lives in app.ts. */
async function main() {
  const config = loadConfig();
  const { database, secretKey } = await openRuntime(config);
  const { db, dialect } = database;

  let isDemo = (await db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst())?.value === 'true';
  if (config.QINQING_DEMO && (await isEmpty(db))) {
    await seedDemo({ db, clock: systemClock, audit: createAuditService({ clock: systemClock }), secretKey }, config.QINQING_DEMO_PASSWORD);
    isDemo = true;
  }

  const webDist = config.QINQING_WEB_DIST ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../web/dist');
  const app = await buildApp({
    db,
    dialect,
    secretKey,
    isDemo,
    passwordProfile: config.QINQING_PASSWORD_PROFILE,
    cookieSecure: config.QINQING_COOKIE_SECURE,
    trustProxy: config.QINQING_TRUST_PROXY,
    webDist,
    logLevel: config.QINQING_LOG_LEVEL,
    notifications: notificationsConfigOf(config),
  });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  // The overdue sweep (催办 / 通报) renews itself in the job table; make sure one is queued.
  await scheduleSweep(createJobs({ db, clock: systemClock }), () => systemClock.now());
  await app.notifications.resume();
  app.worker.start();
  const url = address.replace('://127.0.0.1', '://localhost');

  const lines = [``, `  亲清 Qinqing is running at ${url}  (database: ${dialect}, ${database.location})`, `  API docs: ${url}/api/docs`];
  if (isDemo) {
    lines.push(``, `  DEMO DATA — fictitious. Demo accounts (password: ${config.QINQING_DEMO_PASSWORD}):`);
    lines.push(`    ${demoAccounts.map((account) => account.username).join(', ')}`);
    const secrets = await demoTotpSecrets(db, secretKey);
    if (secrets.length > 0) {
      lines.push(``, `  These accounts need a TOTP code (add the secret to an authenticator app):`);
      for (const entry of secrets) lines.push(`    ${entry.username.padEnd(11)} ${entry.secret}   ${entry.uri}`);
    }
  }
  console.log(`${lines.join('\n')}\n`);

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // The operator needs the reason, not our call stack; QINQING_DEBUG=1 shows the whole error.
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof ConfigError ? message : `Qinqing could not start: ${message}`);
  if (isDebug()) console.error(error);
  process.exit(1);
});
