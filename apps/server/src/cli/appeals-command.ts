import { parseArgs } from 'node:util';
import { loadConfig, notificationsConfigOf } from '../config.js';
import { createAppealsService } from '../modules/appeals/appeals.service.js';
import { createAuditService } from '../platform/audit/audit.service.js';
import { createCalendar } from '../platform/calendar.js';
import { systemClock } from '../platform/clock.js';
import { createJobs } from '../platform/jobs.js';
import { createNotifications } from '../platform/notifications.js';
import { openRuntime } from '../platform/runtime.js';
import { createTimeline } from '../platform/timeline.js';
import { CliError, EXIT } from './cli-error.js';
import type { Command } from './commands.js';

/** `appeals sweep`: 催办 / 通报 overdue parts now (the server does it hourly; cron may call this too). Idempotent. */
export const appeals: Command = async (args, ctx) => {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || positionals[0] !== 'sweep') throw new CliError('usage: qinqing appeals sweep', EXIT.usage);
  const config = loadConfig(ctx.env);
  const { database, secretKey } = await openRuntime(config);
  try {
    const { db, dialect } = database;
    const clock = systemClock;
    const jobs = createJobs({ db, clock });
    const notifications = createNotifications({ db, clock, secretKey, jobs, config: notificationsConfigOf(config) });
    const service = createAppealsService({ db, dialect, clock, audit: createAuditService({ clock }), timeline: createTimeline({ clock }), calendar: createCalendar({ db }), notify: notifications.notify });
    const { urged, reported } = await service.sweepOverdue();
    ctx.stdout.write(`overdue sweep: ${urged} parts urged (催办), ${reported} reported (通报)\n`);
    await notifications.close();
    return EXIT.ok;
  } finally {
    await database.destroy();
  }
};
