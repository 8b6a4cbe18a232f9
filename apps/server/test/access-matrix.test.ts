import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, roles } from '@qinqing/contracts';
import { createAuditService } from '../src/platform/audit/audit.service.js';
import { authPlugin } from '../src/platform/auth/auth.plugin.js';
import { createSessionStore } from '../src/platform/auth/sessions.js';
import { type Session, type TestApp, createTestApp, dialects, signedIn } from './harness.js';

/**
 * Who may reach each route. Written out by hand on purpose: loosening a rule in code without changing this
 * table fails the test. `*` = every signed-in role; `public` = no sign-in needed.
 */
const everyone = [...roles];
const expected: Record<string, Role[] | 'public'> = {
  'GET /api/health': 'public',
  'GET /api/meta': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': everyone,
  'GET /api/me': everyone,
  'POST /api/me/password': everyone,
  'POST /api/me/totp/setup': everyone,
  'POST /api/me/totp/confirm': everyone,
  'GET /api/me/tokens': everyone,
  'POST /api/me/tokens': everyone,
  'DELETE /api/me/tokens/:id': everyone,
  'GET /api/organisations': ['officer', 'leader', 'supervisor', 'sysadmin', 'secadmin'],
  'GET /api/organisations/:id': ['officer', 'leader', 'supervisor', 'sysadmin', 'secadmin'],
  'POST /api/organisations': ['sysadmin'],
  'PATCH /api/organisations/:id': ['sysadmin'],
  'GET /api/users': ['sysadmin', 'secadmin'],
  'GET /api/users/:id': ['sysadmin', 'secadmin'],
  'POST /api/users': ['sysadmin'],
  'PATCH /api/users/:id': ['sysadmin'],
  'POST /api/users/:id/disable': ['sysadmin'],
  'POST /api/users/:id/enable': ['sysadmin'],
  'POST /api/users/:id/unlock': ['sysadmin'],
  'POST /api/users/:id/reset-password': ['sysadmin'],
  'PUT /api/users/:id/roles': ['secadmin'],
  'GET /api/roles': ['sysadmin', 'secadmin'],
  'GET /api/security-policy': ['sysadmin', 'secadmin'],
  'PUT /api/security-policy': ['secadmin'],
  'GET /api/enterprises': ['officer', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'GET /api/enterprises/counts': ['officer', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'POST /api/enterprises': ['officer'],
  'GET /api/enterprises/export': ['officer', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'GET /api/enterprises/imports/template': ['officer'],
  'POST /api/enterprises/imports': ['officer'],
  'GET /api/enterprises/imports/:id': ['officer'],
  'POST /api/enterprises/imports/:id/commit': ['officer'],
  'GET /api/enterprises/:id': ['officer', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'PATCH /api/enterprises/:id': ['officer'],
  'GET /api/enterprises/:id/timeline': ['officer', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'POST /api/enterprises/:id/contacts/reveal': ['officer'],
  'GET /api/enterprises/:id/managers': ['officer', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'POST /api/enterprises/:id/invites': ['officer'],
  'POST /api/enterprise-bindings/claim': ['enterprise'],
  'GET /api/enterprise-bindings/requests': ['officer'],
  'POST /api/enterprise-bindings/requests/:id/approve': ['officer'],
  'POST /api/enterprise-bindings/requests/:id/reject': ['officer'],
  'GET /api/me/enterprises': everyone,
  'GET /api/reference/industries': everyone,
  'GET /api/reference/regions': everyone,
  'GET /api/appeal-categories': everyone,
  'POST /api/appeal-categories': ['officer'],
  'PUT /api/appeal-categories/:code': ['officer'],
  'GET /api/appeal-units': ['officer', 'handler', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'GET /api/appeals': ['officer', 'handler', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'GET /api/appeals/similar': ['officer', 'instructor', 'enterprise'],
  'GET /api/appeals/kpis': ['officer', 'leader', 'supervisor'],
  'POST /api/appeals': ['officer', 'instructor', 'enterprise'],
  'GET /api/appeals/:id': ['officer', 'handler', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'POST /api/appeals/:id/accept': ['officer'],
  'POST /api/appeals/:id/decline': ['officer'],
  'POST /api/appeals/:id/merge': ['officer'],
  'POST /api/appeals/:id/dispatch': ['officer'],
  'POST /api/appeals/:id/urge': ['officer'],
  'POST /api/appeals/:id/callback-rating': ['officer'],
  'POST /api/appeals/:id/archive': ['officer'],
  'POST /api/appeals/:id/rate': ['enterprise'],
  'POST /api/appeals/:id/supervise': ['leader'],
  'POST /api/appeals/:id/parts/:partId/sign': ['handler'],
  'POST /api/appeals/:id/parts/:partId/return': ['handler'],
  'POST /api/appeals/:id/parts/:partId/pause': ['handler'],
  'POST /api/appeals/:id/parts/:partId/resume': ['handler'],
  'POST /api/appeals/:id/parts/:partId/extension': ['handler'],
  'POST /api/appeals/:id/parts/:partId/extension/decision': ['officer'],
  'POST /api/appeals/:id/parts/:partId/answer': ['handler'],
  'POST /api/appeals/:id/parts/:partId/withdraw': ['officer'],
  'POST /api/appeals/:id/attachments': ['officer', 'instructor', 'enterprise'],
  'POST /api/appeals/:id/parts/:partId/attachments': ['handler'],
  'GET /api/appeals/:id/attachments/:attachmentId': ['officer', 'handler', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'GET /api/open311/services': ['officer', 'instructor', 'enterprise'],
  'POST /api/open311/requests': ['officer', 'instructor', 'enterprise'],
  'GET /api/open311/requests/:id': ['officer', 'handler', 'instructor', 'leader', 'enterprise', 'supervisor'],
  'GET /api/audit': ['auditadmin', 'supervisor'],
  'GET /api/audit/verify': ['auditadmin', 'supervisor'],
  'GET /api/visits': ['officer', 'instructor', 'leader', 'supervisor'],
  'GET /api/visits/visitors': ['officer', 'instructor', 'leader', 'supervisor'],
  'GET /api/visits/export': ['officer', 'instructor', 'leader', 'supervisor'],
  'POST /api/visits': ['officer', 'instructor'],
  'GET /api/visits/:id': ['officer', 'instructor', 'leader', 'supervisor'],
  'PATCH /api/visits/:id': ['officer', 'instructor'],
  'POST /api/visits/:id/record': ['officer', 'instructor'],
  'POST /api/visits/:id/cancel': ['officer', 'instructor'],
  'POST /api/visits/:id/problems/:problemId/appeal': ['officer', 'instructor'],
  'GET /api/enterprises/:id/last-visit': ['officer', 'instructor', 'leader', 'supervisor'],
  'GET /api/liaison-points': ['officer', 'instructor', 'leader', 'supervisor'],
  'POST /api/liaison-points': ['officer'],
  'GET /api/liaison-points/:id': ['officer', 'instructor', 'leader', 'supervisor'],
  'PATCH /api/liaison-points/:id': ['officer'],
  'PUT /api/liaison-points/:id/members': ['officer'],
  'POST /api/liaison-points/:id/contact/reveal': ['officer'],
  'GET /api/symposiums': ['officer', 'instructor', 'leader', 'supervisor'],
  'POST /api/symposiums': ['officer'],
  'GET /api/symposiums/:id': ['officer', 'instructor', 'leader', 'supervisor'],
  'PATCH /api/symposiums/:id': ['officer'],
  'DELETE /api/symposiums/:id': ['officer'],
  'PUT /api/symposiums/:id/attendance': ['officer'],
  'POST /api/symposiums/:id/suggestions/:suggestionId/appeal': ['officer'],
  'GET /api/notifications': everyone,
  'GET /api/notifications/unread-count': everyone,
  'POST /api/notifications/:id/read': everyone,
  'POST /api/notifications/read-all': everyone,
  'GET /api/me/notification-settings': everyone,
  'PUT /api/me/notification-settings': everyone,
  'POST /api/me/notification-settings/test': everyone,
  'GET /api/calendar/add-workdays': everyone,
  'GET /api/calendar/years': everyone,
  'GET /api/calendar/days': everyone,
  'PUT /api/calendar/days/:date': ['officer', 'sysadmin'],
  'DELETE /api/calendar/days/:date': ['officer', 'sysadmin'],
  'PUT /api/calendar/years/:year': ['officer', 'sysadmin'],
  'DELETE /api/calendar/years/:year': ['officer', 'sysadmin'],
};

const isDocs = (url: string) => url.startsWith('/api/docs');

describe.each(dialects())('access matrix on %s', (dialect) => {
  let t: TestApp;
  const sessions = new Map<Role, Session>();
  beforeAll(async () => {
    t = await createTestApp(dialect);
    for (const role of roles) sessions.set(role, (await signedIn(t, [role])).session);
  });
  afterAll(async () => t?.close());

  it('every registered /api route has a rule, and the table above names every one', () => {
    const registered = t.app.routeAccess.filter((route) => !isDocs(route.url)).map((route) => `${route.method} ${route.url}`);
    expect(new Set(registered)).toEqual(new Set(Object.keys(expected)));
    // Cross-check against Fastify's own router, so the registry cannot list a route that does not exist.
    for (const key of Object.keys(expected)) {
      const [method, url] = key.split(' ');
      expect(t.app.hasRoute({ method: method as 'GET', url }), key).toBe(true);
    }
  });

  it('a route without an access rule stops start-up', async () => {
    const app = Fastify();
    await app.register(authPlugin, {
      db: t.db,
      clock: t.clock,
      sessions: createSessionStore({ db: t.db, clock: t.clock }),
      audit: createAuditService({ clock: t.clock }),
      passwordProfile: async () => 'dengbao',
    });
    expect(() => app.get('/api/forgotten', async () => 'oops')).toThrow(/has no access rule/);
    await app.close();
  });

  it('each role reaches exactly its routes; the others get 404 and an audited denial', async () => {
    const leaks: string[] = [];
    for (const route of t.app.routeAccess.filter((r) => !isDocs(r.url))) {
      const key = `${route.method} ${route.url}`;
      const allowed = expected[key];
      const url = route.url.replace(/:id/g, '00000000-0000-4000-8000-000000000000');
      const anonymous = await t.app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      if (allowed !== 'public' && anonymous.statusCode !== 401) leaks.push(`${key} anonymous → ${anonymous.statusCode}`);
      if (allowed === 'public') continue;
      for (const role of roles) {
        // Logging out would end the shared session; it is covered in auth.routes.test.ts.
        if (key === 'POST /api/auth/logout') continue;
        const session = sessions.get(role)!;
        const deniedBefore = await denials();
        const response = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers: session.headers,
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        });
        const denied = (await denials()) > deniedBefore;
        const mayReach = allowed.includes(role);
        if (mayReach && denied) leaks.push(`${key} ${role} was denied (${response.statusCode})`);
        if (!mayReach && !(denied && response.statusCode === 404)) leaks.push(`${key} ${role} reached it (${response.statusCode})`);
        if (response.statusCode >= 500) leaks.push(`${key} ${role} → ${response.statusCode} ${response.body}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  async function denials() {
    const row = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'access.denied').executeTakeFirstOrThrow();
    return Number(row.n);
  }
});
