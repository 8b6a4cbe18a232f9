import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { type Role, hasPermission, roles } from '@qinqing/contracts';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { type Session, type TestApp, createTestApp, dialects, makeUser, signedIn } from './harness.js';

const TABLES = ['users', 'organisations', 'user_roles', 'api_tokens', 'settings', 'audit_events', 'login_attempts', 'enterprise_events', 'appeals', 'appeal_parts', 'appeal_events', 'notifications'] as const;

/** Values that are wrong for some field of most schemas: wrong types, huge, control characters. */
const hostileValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.string({ minLength: 300, maxLength: 5000 }),
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000\u001b[31m`),
  fc.constant('x'.repeat(20_000)),
  fc.constant(''),
);

describe.each(dialects())('bad input on %s', (dialect) => {
  let t: TestApp;
  const sessions = new Map<Role, Session>();
  let snapshot: Record<string, number>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    for (const role of roles) sessions.set(role, (await signedIn(t, [role])).session);
  });
  afterAll(async () => t?.close());

  async function counts() {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      result[table] = Number(row.n);
    }
    return result;
  }

  /** A role allowed to call the route, so the request reaches validation rather than the access guard. */
  function callerFor(access: TestApp['app']['routeAccess'][number]['access']): Session | undefined {
    if (access.kind === 'public') return undefined;
    if (access.kind === 'signed-in') return sessions.get('officer');
    const role = roles.find((r) => hasPermission([r], access.permission));
    return role ? sessions.get(role) : undefined;
  }

  it('every write endpoint answers malformed bodies with 4xx naming a field, writing nothing', async () => {
    const target = await makeUser(t);
    const writes = t.app.routeAccess.filter((route) => route.body && ['POST', 'PUT', 'PATCH'].includes(route.method));
    expect(writes.length).toBeGreaterThan(8);
    for (const route of writes) {
      const schema = route.body as ZodType;
      const url = route.url.replace(':id', target.id);
      const session = callerFor(route.access);
      const keys = Object.keys((schema as unknown as { shape?: object }).shape ?? (schema as unknown as { def?: { in?: { shape?: object } } }).def?.in?.shape ?? {});
      const body = fc.oneof(
        fc.constant({}),
        fc.constant([]),
        fc.constant('not an object'),
        keys.length ? fc.record(Object.fromEntries(keys.map((key) => [key, hostileValue]))) : fc.constant({ unexpected: 1 }),
        fc.dictionary(fc.constantFrom(...(keys.length ? keys : ['x'])), hostileValue),
      );
      snapshot = await counts();
      await fc.assert(
        fc.asyncProperty(body, async (payload) => {
          if (schema.safeParse(payload).success) return; // only malformed bodies are this test's business
          const response = await t.app.inject({
            method: route.method as 'POST',
            url,
            payload: typeof payload === 'string' ? JSON.stringify(payload) : (payload as object),
            headers: { 'content-type': 'application/json', ...(session?.headers ?? {}) },
          });
          const text = `${route.method} ${route.url} ${JSON.stringify(payload).slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, text).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, text).toBeLessThan(500);
          const error = response.json();
          expect(error.code, text).toBe('VALIDATION_FAILED');
          expect(error.details.length, text).toBeGreaterThan(0);
          expect(typeof error.details[0].field, text).toBe('string');
          expect(error.details[0].message, text).toMatch(/[\u4e00-\u9fa5]/);
          expect(response.body, text).not.toMatch(/at .+\.(ts|js):\d+/);
        }),
        { numRuns: 25 },
      );
      expect(await counts(), `${route.method} ${route.url} wrote something`).toEqual(snapshot);
    }
    expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true });
  });

  it('invalid JSON, a body over 1 MB and a wrong content type are refused cleanly', async () => {
    const before = await counts();
    const officer = sessions.get('officer')!;
    const broken = await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: '{"name":', headers: { ...officer.headers, 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body' }] });
    const huge = await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), headers: { ...officer.headers, 'content-type': 'application/json' } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('PAYLOAD_TOO_LARGE');
    const xml = await t.app.inject({ method: 'POST', url: '/api/me/tokens', payload: '<a/>', headers: { ...officer.headers, 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().code).toBe('VALIDATION_FAILED');
    expect(await counts()).toEqual(before);
  });

  it('malformed query strings are 400 naming the parameter', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/users?page=-1&pageSize=abc', headers: sessions.get('sysadmin')!.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['page', 'pageSize']);
  });
});
