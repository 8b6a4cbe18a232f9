import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { type Session, type TestApp, countRows, createTestApp, dialects, lastAudit, login, makeUser, signedIn } from './harness.js';

describe.each(dialects())('administration on %s', (dialect) => {
  let t: TestApp;
  let sysadmin: Session;
  let secadmin: Session;
  let auditadmin: Session;
  let officer: Session;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    sysadmin = (await signedIn(t, ['sysadmin'])).session;
    secadmin = (await signedIn(t, ['secadmin'])).session;
    auditadmin = (await signedIn(t, ['auditadmin'])).session;
    officer = (await signedIn(t, ['officer'])).session;
  });
  afterAll(async () => t?.close());

  const call = (session: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, extra: Record<string, string> = {}) =>
    t.app.inject({ method, url, payload, headers: { ...session.headers, ...extra } });

  it('health names the dialect', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.json()).toEqual({ status: 'ok', database: dialect });
  });

  it('serves OpenAPI 3 describing the routes, and Swagger UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/users', '/api/audit/verify']));
    expect(doc.paths['/api/auth/login'].post.requestBody).toBeDefined();
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('sends security headers and a request id on every response', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(response.headers['content-security-policy']);
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('unknown API paths answer a JSON 404', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nowhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });

  it('sysadmin creates, edits and disables organisations, each change audited with before and after', async () => {
    const created = await call(sysadmin, 'POST', '/api/organisations', { name: '崇福镇测试供水站', kind: 'outside_unit', regionCode: '330483107' });
    expect(created.statusCode).toBe(201);
    const org = created.json();
    expect(await lastAudit(t)).toMatchObject({ action: 'organisation.create', object_id: org.id, result: 'success' });
    const duplicate = await call(sysadmin, 'POST', '/api/organisations', { name: '崇福镇测试供水站', kind: 'outside_unit' });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json().details[0]).toMatchObject({ field: 'name', message: '同类组织机构名称已存在' });
    const renamed = await call(sysadmin, 'PATCH', `/api/organisations/${org.id}`, { name: '崇福镇供水服务站', isEnabled: false });
    expect(renamed.json()).toMatchObject({ name: '崇福镇供水服务站', isEnabled: false });
    const audit = await lastAudit(t);
    expect(JSON.parse(audit.detail!)).toMatchObject({ before: { name: '崇福镇测试供水站' }, after: { name: '崇福镇供水服务站' } });
    const list = await call(officer, 'GET', `/api/organisations?q=${encodeURIComponent('供水服务')}`);
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: org.id }] });
    expect((await call(officer, 'GET', '/api/organisations/does-not-exist')).statusCode).toBe(404);
  });

  it('sysadmin creates a user who must change the password at first sign-in; phones come back masked', async () => {
    const orgs = (await call(sysadmin, 'GET', '/api/organisations?pageSize=1')).json();
    const response = await call(sysadmin, 'POST', '/api/users', {
      username: 'new.officer',
      displayName: '新 干部',
      organisationId: orgs.items[0].id,
      phone: '13912345678',
      password: 'Harbor#Lamp2026',
      roles: ['officer'],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ username: 'new.officer', phone: '139****5678', roles: ['officer'] });
    const detail = (await lastAudit(t)).detail!;
    expect(detail).not.toContain('13912345678');
    expect(detail).not.toContain('Harbor#Lamp2026');
    const session = await login(t, { id: '', username: 'new.officer', password: 'Harbor#Lamp2026', roles: ['officer'] });
    expect((await call(session, 'GET', '/api/me')).json().pending).toBe('password_change');
    const taken = await call(sysadmin, 'POST', '/api/users', { username: 'new.officer', displayName: 'x', password: 'Harbor#Lamp2026', roles: [] });
    expect(taken.json().details).toEqual([{ field: 'username', message: '用户名已被使用' }]);
  });

  it('refuses a weak initial password naming the field, in English when asked', async () => {
    const before = await countRows(t, 'users');
    const response = await call(sysadmin, 'POST', '/api/users', { username: 'weakling', displayName: 'W', password: 'Pa1!', roles: [] }, { 'accept-language': 'en-US' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'PASSWORD_POLICY', details: [{ field: 'password' }] });
    expect(response.json().message).toBe('The password does not meet the security policy: at least 8 characters long');
    expect(await countRows(t, 'users')).toBe(before);
  });

  it('三员: no account may hold two administrator roles, by creation or by assignment', async () => {
    const create = await call(sysadmin, 'POST', '/api/users', { username: 'double.admin', displayName: 'D', password: 'Harbor#Lamp2026', roles: ['sysadmin', 'auditadmin'] });
    expect(create.statusCode).toBe(409);
    expect(create.json().code).toBe('ADMIN_SEPARATION');
    const target = await makeUser(t, { roles: ['sysadmin'] });
    const assign = await call(secadmin, 'PUT', `/api/users/${target.id}/roles`, { roles: ['sysadmin', 'secadmin'] });
    expect(assign.statusCode).toBe(409);
    const ok = await call(secadmin, 'PUT', `/api/users/${target.id}/roles`, { roles: ['auditadmin'] });
    expect(ok.json().roles).toEqual(['auditadmin']);
    expect(JSON.parse((await lastAudit(t)).detail!)).toEqual({ before: ['sysadmin'], after: ['auditadmin'] });
  });

  it('sysadmin cannot read the audit trail or assign roles; auditadmin can only read the audit trail', async () => {
    expect((await call(sysadmin, 'GET', '/api/audit')).statusCode).toBe(404);
    expect((await call(sysadmin, 'GET', '/api/audit/verify')).statusCode).toBe(404);
    const someone = await makeUser(t);
    expect((await call(sysadmin, 'PUT', `/api/users/${someone.id}/roles`, { roles: ['leader'] })).statusCode).toBe(404);
    expect((await call(auditadmin, 'GET', '/api/users')).statusCode).toBe(404);
    expect((await call(auditadmin, 'GET', '/api/organisations')).statusCode).toBe(404);
    expect((await call(auditadmin, 'POST', '/api/users', { username: 'x1', displayName: 'x', password: 'Harbor#Lamp2026' })).statusCode).toBe(404);
    expect((await call(auditadmin, 'GET', '/api/audit')).statusCode).toBe(200);
  });

  it('unlocks a locked account and resets a password (the user must change it, sessions end)', async () => {
    const user = await makeUser(t);
    const session = await login(t, user);
    for (let i = 0; i < 5; i += 1) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'Wrong#Pass999' } });
    const listed = (await call(sysadmin, 'GET', `/api/users?q=${user.username}`)).json();
    expect(listed.items[0].isLocked).toBe(true);
    expect((await call(sysadmin, 'POST', `/api/users/${user.id}/unlock`)).json().isLocked).toBe(false);
    expect((await call(sysadmin, 'POST', `/api/users/${user.id}/reset-password`, { newPassword: 'Temp#Orchid2026' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    const fresh = await login(t, { ...user, password: 'Temp#Orchid2026' });
    expect((await call(fresh, 'GET', '/api/me')).json().pending).toBe('password_change');
  });

  it('reads and edits one user, re-enables a disabled one, and lists roles and the policy', async () => {
    const user = await makeUser(t, { roles: ['instructor'] });
    const one = await call(secadmin, 'GET', `/api/users/${user.id}`);
    expect(one.json()).toMatchObject({ id: user.id, roles: ['instructor'], phone: '138****1234' });
    const edited = await call(sysadmin, 'PATCH', `/api/users/${user.id}`, { displayName: '驻企指导员 孙', phone: '13700001111' });
    expect(edited.json()).toMatchObject({ displayName: '驻企指导员 孙', phone: '137****1111' });
    expect(JSON.parse((await lastAudit(t)).detail!)).toMatchObject({ before: { displayName: `测试 ${user.username}` }, after: { displayName: '驻企指导员 孙' } });
    const wrongOrg = await call(sysadmin, 'PATCH', `/api/users/${user.id}`, { organisationId: 'no-such-org' });
    expect(wrongOrg.json().details).toEqual([{ field: 'organisationId', message: '组织机构不存在' }]);
    expect((await call(sysadmin, 'POST', `/api/users/${user.id}/disable`)).json().isEnabled).toBe(false);
    expect((await call(sysadmin, 'POST', `/api/users/${user.id}/enable`)).json().isEnabled).toBe(true);
    expect((await login(t, user)).cookie).toMatch(/^qq_session=/);
    expect((await call(sysadmin, 'GET', '/api/users/no-such-user')).statusCode).toBe(404);
    const catalogue = (await call(sysadmin, 'GET', '/api/roles')).json();
    expect(catalogue).toContainEqual({ role: 'auditadmin', permissions: ['audit:read'] });
    expect((await call(sysadmin, 'GET', '/api/security-policy')).json()).toEqual({ passwordProfile: 'dengbao' });
    expect((await t.app.inject({ method: 'GET', url: '/api/meta' })).json()).toEqual({ isDemo: false, version: expect.any(String) });
  });

  it('an administrator cannot disable themselves or change their own roles', async () => {
    const admin = await signedIn(t, ['sysadmin']);
    const self = await call(admin.session, 'POST', `/api/users/${admin.user.id}/disable`);
    expect(self.statusCode).toBe(400);
    const sec = await signedIn(t, ['secadmin']);
    expect((await call(sec.session, 'PUT', `/api/users/${sec.user.id}/roles`, { roles: ['secadmin', 'officer'] })).statusCode).toBe(400);
  });

  it('filters users by role and text', async () => {
    const leader = await makeUser(t, { roles: ['leader'], username: 'leader.zhou' });
    const response = (await call(secadmin, 'GET', '/api/users?role=leader&q=ZHOU')).json();
    expect(response.items.map((u: { id: string }) => u.id)).toContain(leader.id);
    expect(response.items.every((u: { roles: string[] }) => u.roles.includes('leader'))).toBe(true);
  });

  it('secadmin switches the password profile to ASVS, audited, and the new rule applies', async () => {
    expect((await call(sysadmin, 'PUT', '/api/security-policy', { passwordProfile: 'asvs' })).statusCode).toBe(404);
    const response = await call(secadmin, 'PUT', '/api/security-policy', { passwordProfile: 'asvs' });
    expect(response.json()).toEqual({ passwordProfile: 'asvs' });
    expect(await lastAudit(t)).toMatchObject({ action: 'security-policy.update' });
    const short = await call(sysadmin, 'POST', '/api/users', { username: 'asvs.user', displayName: 'A', password: 'Kx7#mq2Lp', roles: [] });
    expect(short.json().code).toBe('PASSWORD_POLICY');
    const phrase = await call(sysadmin, 'POST', '/api/users', { username: 'asvs.user', displayName: 'A', password: 'plum river lantern', roles: [] });
    expect(phrase.statusCode).toBe(201);
    await call(secadmin, 'PUT', '/api/security-policy', { passwordProfile: 'dengbao' });
  });

  it('the audit page lists events newest first with filters, and verify says the chain is intact', async () => {
    const list = (await call(auditadmin, 'GET', '/api/audit?action=auth.login&result=success&pageSize=5')).json();
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((e: { action: string; result: string }) => e.action === 'auth.login' && e.result === 'success')).toBe(true);
    expect(list.items[0].id).toBeGreaterThan(list.items[list.items.length - 1].id);
    const verify = (await call(auditadmin, 'GET', '/api/audit/verify')).json();
    expect(verify).toMatchObject({ intact: true, firstBrokenId: null });
    expect(verify.checked).toBeGreaterThan(10);
    expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true });
  });
});
