import { existsSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { type ZodTypeProvider, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PasswordProfile } from '@qinqing/contracts';
import { createAccountService } from './modules/accounts/account.service.js';
import { adminRoutes } from './modules/accounts/admin.routes.js';
import { authRoutes } from './modules/accounts/auth.routes.js';
import { createAuthService } from './modules/accounts/auth.service.js';
import { createOrganisationsService } from './modules/accounts/organisations.service.js';
import { createUsersService } from './modules/accounts/users.service.js';
import { createAppealKpis } from './modules/appeals/appeal-kpis.js';
import { appealAttachmentRoutes } from './modules/appeals/appeal-attachments.js';
import { appealJobHandlers } from './modules/appeals/appeal-jobs.js';
import { appealsRoutes } from './modules/appeals/appeals.routes.js';
import { createAppealsService } from './modules/appeals/appeals.service.js';
import { open311Routes } from './modules/appeals/open311.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { calendarRoutes } from './modules/calendar/calendar.routes.js';
import { createCalendarService } from './modules/calendar/calendar.service.js';
import { createBindingsService } from './modules/enterprises/bindings.service.js';
import { enterprisesRoutes } from './modules/enterprises/enterprises.routes.js';
import { createEnterprisesService } from './modules/enterprises/enterprises.service.js';
import { enterpriseTransferJobHandlers, enterpriseTransferRoutes } from './modules/enterprises/transfer/transfer.routes.js';
import { createLiaisonService } from './modules/visits/liaison.service.js';
import { liaisonRoutes } from './modules/visits/liaison.routes.js';
import { visitsRoutes } from './modules/visits/visits.routes.js';
import { createVisitsService } from './modules/visits/visits.service.js';
import { access } from './platform/access.js';
import { createAuditService } from './platform/audit/audit.service.js';
import { createCalendar } from './platform/calendar.js';
import { maskPersonalData } from './platform/audit/masking.js';
import { authPlugin } from './platform/auth/auth.plugin.js';
import { createSessionStore } from './platform/auth/sessions.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Db, Dialect } from './platform/db/database.js';
import { registerErrorHandler } from './platform/http/error-handler.js';
import { createJobs } from './platform/jobs.js';
import { type NotificationsConfig, createNotifications } from './platform/notifications.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';
import { localeOf, translate } from './platform/messages.js';
import { createSettings } from './platform/settings.js';
import { createTimeline } from './platform/timeline.js';

export const VERSION = '0.1.0';

export interface AppOptions {
  db: Db;
  dialect: Dialect;
  /** 32 hex characters: the SM4 key for secrets at rest. */
  secretKey: string;
  clock?: Clock;
  isDemo?: boolean;
  passwordProfile?: PasswordProfile;
  cookieSecure?: boolean;
  trustProxy?: boolean;
  /** Built web app to serve at /; omitted in API-only tests. */
  webDist?: string;
  logLevel?: string;
  /** SMTP, robot webhook allowlist and public URL for notifications; defaults: no e-mail, DingTalk and 浙政钉 hosts. */
  notifications?: NotificationsConfig;
}

/** Build the Fastify app: platform plugins first, then every module, listed explicitly. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, dialect } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'silent',
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      // Query strings can carry phone or ID numbers (search boxes); logs get them masked like the audit trail.
      serializers: {
        req: (request) => ({ method: request.method, url: String(maskPersonalData(request.url)), requestId: request.id, remoteAddress: request.ip }),
      },
    },
    trustProxy: options.trustProxy ?? false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const audit = createAuditService({ clock });
  const sessions = createSessionStore({ db, clock });
  const settings = createSettings({ db, defaultPasswordProfile: options.passwordProfile ?? 'dengbao' });
  const secretKey = options.secretKey;
  const isDemo = options.isDemo ?? false;

  registerErrorHandler(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Qinqing 亲清 API', version: VERSION, description: 'Economic service platform for township, county and city governments.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'qq_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (qq_pat_…)' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  // Swagger UI's own routes are public documentation; give them their access rule before the guard sees them.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), access: { kind: 'public' } };
  });
  await app.register(authPlugin, { db, clock, sessions, audit, passwordProfile: () => settings.passwordProfile() });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.get('/api/health', {
    ...access.public,
    schema: { tags: ['platform'], summary: 'Liveness and database', response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) } },
  }, async () => {
    await db.selectFrom('settings').select('key').limit(1).execute();
    return { status: 'ok' as const, database: dialect };
  });

  app.get('/api/meta', {
    ...access.public,
    schema: { tags: ['platform'], summary: 'Version and whether this is a demo', response: { 200: z.object({ isDemo: z.boolean(), version: z.string() }) } },
  }, async () => ({ isDemo, version: VERSION }));

  app.get('/api/openapi.json', { ...access.public, schema: { hide: true } }, async () => app.swagger());

  const auth = createAuthService({ db, clock, audit, sessions, settings, secretKey, isDemo });
  const account = createAccountService({ db, clock, audit, sessions, settings, secretKey });
  await app.register(authRoutes, { auth, account, cookieSecure: options.cookieSecure ?? false });
  await app.register(adminRoutes, {
    db,
    audit,
    settings,
    organisations: createOrganisationsService({ db, clock, audit }),
    users: createUsersService({ db, clock, audit, sessions, settings }),
  });
  await app.register(auditRoutes, { db, audit });
  const timeline = createTimeline({ clock });
  const calendar = createCalendar({ db });
  await app.register(calendarRoutes, { calendar: createCalendarService({ db, clock, audit, calendar }) });
  const enterprises = createEnterprisesService({ db, dialect, clock, audit, timeline });
  await app.register(enterprisesRoutes, { enterprises, bindings: createBindingsService({ db, clock, audit, timeline, enterprises }) });
  const jobs = createJobs({ db, clock });
  // Other modules call notifications.notify(trx, …) inside their transactions; the worker below sends.
  const notifications = createNotifications({ db, clock, secretKey, jobs, config: options.notifications ?? { webhookHosts: ['oapi.dingtalk.com', 'openplatform.dg-work.cn'] } });
  app.decorate('notifications', notifications);
  await app.register(notificationsRoutes, { notifications: createNotificationsService({ db, clock, audit, secretKey, notifications }) });
  await app.register(enterpriseTransferRoutes, { db, dialect, clock, audit, timeline, enterprises, jobs });
  await app.register(visitsRoutes, { db, clock, audit, visits: createVisitsService({ db, clock, audit, timeline, enterprises }) });
  await app.register(liaisonRoutes, { liaison: createLiaisonService({ db, clock, audit, timeline }) });
  const appeals = createAppealsService({ db, dialect, clock, audit, timeline, calendar, notify: notifications.notify });
  app.decorate('appeals', appeals);
  await app.register(appealsRoutes, { appeals, kpis: createAppealKpis({ db, calendar }), db, clock });
  await app.register(open311Routes, { appeals, db });
  await app.register(appealAttachmentRoutes, { db, clock, audit, timeline, appeals });
  // Built here, started by main.ts (tests drive it with app.worker.runOnce / drain).
  app.decorate('worker', jobs.worker({ handlers: { ...enterpriseTransferJobHandlers({ db, dialect, clock, audit, timeline, jobs }), ...notifications.jobHandlers, ...appealJobHandlers({ appeals, jobs, now: () => clock.now() }) }, onError: (error) => app.log.error({ err: error }, 'job failed') }));
  app.addHook('onClose', async () => app.worker.stop());
  app.addHook('onClose', async () => notifications.close());

  if (options.webDist && existsSync(join(options.webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: options.webDist, wildcard: false, index: false });
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      const path = (request.params as { '*': string })['*'];
      if (path.startsWith('api/')) {
        return reply.status(404).send({ code: 'NOT_FOUND', message: translate('NOT_FOUND', localeOf(request.headers['accept-language'])) });
      }
      const file = join(options.webDist!, path);
      if (path && !path.includes('..') && existsSync(file) && statSync(file).isFile()) {
        const immutable = path.startsWith('assets/');
        return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(path);
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  }

  await app.ready();
  return app;
}
