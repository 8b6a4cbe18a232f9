import type { Role } from '@qinqing/contracts';
import { newId } from '../src/platform/crypto.js';
import { type Session, type TestApp, login, makeEnterprise, makeUser, uniqueName } from './harness.js';

/** Requests as a user who holds a Bearer token: no CSRF, no idle timeout, so tests can move the clock by days. */
export interface Caller {
  userId: string;
  organisationId: string;
  headers: Record<string, string>;
}

export async function tokenCaller(t: TestApp, roles: Role[], organisationId?: string): Promise<Caller> {
  const orgId = organisationId ?? (await makeUnit(t, 'department', '330483107'));
  const user = await makeUser(t, { roles, organisationId: orgId });
  const session: Session = await login(t, user);
  const created = await t.app.inject({ method: 'POST', url: '/api/me/tokens', headers: session.headers, payload: { name: 'test', expiresInDays: 365 } });
  if (created.statusCode !== 201) throw new Error(`token: ${created.statusCode} ${created.body}`);
  return { userId: user.id, organisationId: orgId, headers: { authorization: `Bearer ${created.json().token as string}` } };
}

export async function makeUnit(t: Pick<TestApp, 'db' | 'clock'>, kind: 'department' | 'outside_unit' | 'government', regionCode: string | null = null, name = uniqueName('单位')) {
  const id = newId();
  const now = t.clock.now().toISOString();
  await t.db.insertInto('organisations').values({ id, name, kind, region_code: regionCode, parent_id: null, is_enabled: 1, created_at: now, updated_at: now }).execute();
  return id;
}

/** A town: an officer, a leader, a supervisor, a bank user, an enterprise with its manager, and two outside units with a handler each. */
export async function appealWorld(t: TestApp) {
  const town = await makeUnit(t, 'government', '330483107', uniqueName('崇福镇经发中心'));
  const officer = await tokenCaller(t, ['officer'], town);
  const leader = await tokenCaller(t, ['leader'], town);
  const supervisor = await tokenCaller(t, ['supervisor'], town);
  const enterprise = await makeEnterprise(t);
  const manager = await tokenCaller(t, ['enterprise'], await makeUnit(t, 'department'));
  await t.db.insertInto('enterprise_managers').values({ enterprise_id: enterprise.id, user_id: manager.userId, via: 'invite', bound_at: t.clock.now().toISOString() }).execute();
  const power = await makeUnit(t, 'outside_unit', null, uniqueName('国网桐乡市供电公司'));
  const school = await makeUnit(t, 'outside_unit', null, uniqueName('崇福镇中心小学'));
  const powerHandler = await tokenCaller(t, ['handler'], power);
  const schoolHandler = await tokenCaller(t, ['handler'], school);
  return { town, officer, leader, supervisor, enterprise, manager, power, school, powerHandler, schoolHandler };
}

export type AppealWorld = Awaited<ReturnType<typeof appealWorld>>;

/** Call the API and fail loudly on an unexpected status. */
export async function call(t: TestApp, who: Caller, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, expected = method === 'POST' && url === '/api/appeals' ? 201 : 200) {
  const response = await t.app.inject({ method, url, headers: who.headers, payload: payload as never });
  if (response.statusCode !== expected) throw new Error(`${method} ${url} → ${response.statusCode} (expected ${expected}): ${response.body}`);
  return response.json();
}

/** Set the test clock to 10:00 China time on a date. */
export function setChinaDay(t: TestApp, date: string) {
  t.clock.set(new Date(`${date}T10:00:00+08:00`));
}
