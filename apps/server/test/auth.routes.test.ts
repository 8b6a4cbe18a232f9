import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../src/platform/clock.js';
import { type TestApp, countRows, createTestApp, dialects, lastAudit, login, makeUser, signedIn, totpCodeAt } from './harness.js';

describe.each(dialects())('authentication on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('signs in, answers /api/me, and audits the login in the same commit', async () => {
    const user = await makeUser(t);
    const before = await countRows(t, 'audit_events');
    const session = await login(t, user);
    expect(await countRows(t, 'audit_events')).toBe(before + 1);
    const audit = await lastAudit(t);
    expect(audit).toMatchObject({ action: 'auth.login', result: 'success', actor_username: user.username });
    const me = await get('/api/me', { cookie: session.cookie });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: user.username, phone: '138****1234' }, pending: null, csrfToken: session.csrf });
  });

  it('rejects a wrong password with INVALID_CREDENTIALS and records the failure', async () => {
    const user = await makeUser(t);
    const response = await post('/api/auth/login', { username: user.username, password: 'Wrong#Pass123' });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
    expect(await lastAudit(t)).toMatchObject({ action: 'auth.login', result: 'failure', actor_username: user.username });
  });

  it('an unknown username fails the same way and is audited without a user id', async () => {
    const response = await post('/api/auth/login', { username: 'nobody-here', password: 'Wrong#Pass123' });
    expect(response.json().code).toBe('INVALID_CREDENTIALS');
    expect(await lastAudit(t)).toMatchObject({ actor_username: 'nobody-here', actor_user_id: null, result: 'failure' });
  });

  it('locks the account for 30 minutes after 5 failures, even against the right password', async () => {
    const user = await makeUser(t);
    const attempt = (password: string) => post('/api/auth/login', { username: user.username, password }, { 'x-forwarded-for': '10.0.0.1' });
    for (let i = 1; i <= 4; i += 1) expect((await attempt('Wrong#Pass123')).statusCode).toBe(401);
    const fifth = await attempt('Wrong#Pass123');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json()).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { lockedUntil: expect.any(String) } });
    expect(fifth.json().message).toContain('锁定');
    const right = await attempt(user.password);
    expect(right.statusCode).toBe(423);
    const english = await post('/api/auth/login', { username: user.username, password: user.password }, { 'accept-language': 'en-US' });
    expect(english.json().message).toMatch(/Locked after 5 failed sign-ins/);
    t.clock.advance(30 * MINUTE + 1000);
    expect((await attempt(user.password)).statusCode).toBe(200);
  });

  it('refuses an address after too many failures, whatever the username', async () => {
    const local = await createTestApp(dialect);
    try {
      for (let i = 0; i < 20; i += 1) {
        await local.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `ghost${i}`, password: 'Wrong#Pass123' } });
      }
      const user = await makeUser(local);
      const response = await local.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
      expect(response.statusCode).toBe(429);
      expect(response.json().code).toBe('RATE_LIMITED');
      local.clock.advance(16 * MINUTE);
      expect((await local.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } })).statusCode).toBe(200);
    } finally {
      await local.close();
    }
  });

  it('ends a session idle for 30 minutes', async () => {
    const { session } = await signedIn(t, ['officer']);
    t.clock.advance(29 * MINUTE);
    expect((await get('/api/me', { cookie: session.cookie })).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await get('/api/me', { cookie: session.cookie })).statusCode).toBe(200);
    t.clock.advance(31 * MINUTE);
    const expired = await get('/api/me', { cookie: session.cookie });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('UNAUTHENTICATED');
  });

  it('ends an active session after 12 hours', async () => {
    const { session } = await signedIn(t, ['officer']);
    for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
      t.clock.advance(20 * MINUTE);
      expect((await get('/api/me', { cookie: session.cookie })).statusCode).toBe(200);
    }
    t.clock.advance(20 * MINUTE);
    expect((await get('/api/me', { cookie: session.cookie })).statusCode).toBe(401);
  });

  it('issues a new session id at every login', async () => {
    const user = await makeUser(t);
    const first = await login(t, user);
    const second = await login(t, user);
    expect(first.cookie).not.toBe(second.cookie);
  });

  it('logout destroys the session on the server: the old cookie no longer works', async () => {
    const { session } = await signedIn(t, ['officer']);
    const out = await post('/api/auth/logout', {}, session.headers);
    expect(out.statusCode).toBe(204);
    expect((await get('/api/me', { cookie: session.cookie })).statusCode).toBe(401);
    expect((await post('/api/auth/logout', {}, session.headers)).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated mutation without the CSRF token and audits the denial', async () => {
    const { session } = await signedIn(t, ['officer']);
    const missing = await post('/api/me/tokens', { name: 'ci' }, { cookie: session.cookie });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('CSRF_INVALID');
    expect(await lastAudit(t)).toMatchObject({ action: 'access.denied', result: 'denied' });
    const wrong = await post('/api/me/tokens', { name: 'ci' }, { cookie: session.cookie, 'x-csrf-token': 'forged' });
    expect(wrong.statusCode).toBe(403);
    const right = await post('/api/me/tokens', { name: 'ci' }, session.headers);
    expect(right.statusCode).toBe(201);
  });

  it('requires a TOTP code for enrolled users and refuses a reused code', async () => {
    const user = await makeUser(t, { roles: ['bank'], withTotp: true });
    const noCode = await post('/api/auth/login', { username: user.username, password: user.password });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('TOTP_REQUIRED');
    const code = totpCodeAt(user.totpSecret!, t.clock.now());
    expect((await post('/api/auth/login', { username: user.username, password: user.password, totpCode: code })).statusCode).toBe(200);
    const replay = await post('/api/auth/login', { username: user.username, password: user.password, totpCode: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('TOTP_INVALID');
    const wrong = await post('/api/auth/login', { username: user.username, password: user.password, totpCode: code === '000000' ? '111111' : '000000' });
    expect(wrong.json().code).toBe('TOTP_INVALID');
    t.clock.advance(30_000);
    const next = totpCodeAt(user.totpSecret!, t.clock.now());
    expect((await post('/api/auth/login', { username: user.username, password: user.password, totpCode: next })).statusCode).toBe(200);
  });

  it('an administrator without TOTP must enrol before anything else, with a QR code', async () => {
    const user = await makeUser(t, { roles: ['sysadmin'] });
    const session = await login(t, user);
    const me = await get('/api/me', { cookie: session.cookie });
    expect(me.json().pending).toBe('totp_enrollment');
    const blocked = await get('/api/users', { cookie: session.cookie });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('TOTP_ENROLLMENT_REQUIRED');
    const setup = await post('/api/me/totp/setup', {}, session.headers);
    expect(setup.statusCode).toBe(200);
    const { secret, qrDataUrl, otpauthUrl } = setup.json();
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    const bad = await post('/api/me/totp/confirm', { code: '000000' === totpCodeAt(secret, t.clock.now()) ? '111111' : '000000' }, session.headers);
    expect(bad.json().code).toBe('TOTP_INVALID');
    const code = totpCodeAt(secret, t.clock.now());
    expect((await post('/api/me/totp/confirm', { code }, session.headers)).statusCode).toBe(204);
    expect((await get('/api/users', { cookie: session.cookie })).statusCode).toBe(200);
    // the enrolment code cannot be replayed to sign in
    const replay = await post('/api/auth/login', { username: user.username, password: user.password, totpCode: code });
    expect(replay.json().code).toBe('TOTP_INVALID');
  });

  it('a user whose password must change can do only that, then everything', async () => {
    const user = await makeUser(t, { mustChangePassword: true });
    const session = await login(t, user);
    expect((await get('/api/me/tokens', { cookie: session.cookie })).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await post('/api/me/password', { currentPassword: user.password, newPassword: 'password1' }, session.headers);
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'PASSWORD_POLICY', details: [{ field: 'newPassword' }] });
    const ok = await post('/api/me/password', { currentPassword: user.password, newPassword: 'Jade#Harbor2027' }, session.headers);
    expect(ok.statusCode).toBe(204);
    expect((await get('/api/me/tokens', { cookie: session.cookie })).statusCode).toBe(200);
  });

  it('password expiry after 90 days under the 等保 profile forces a change', async () => {
    const user = await makeUser(t);
    t.clock.advance(91 * 24 * HOUR);
    const session = await login(t, user);
    expect((await get('/api/me', { cookie: session.cookie })).json().pending).toBe('password_change');
  });

  it('API tokens authenticate as their owner until revoked, and are shown once', async () => {
    const { session } = await signedIn(t, ['officer']);
    const created = await post('/api/me/tokens', { name: 'integration', expiresInDays: 30 }, session.headers);
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token).toMatch(/^qq_pat_/);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await get('/api/organisations', bearer)).statusCode).toBe(200);
    expect((await get('/api/users', bearer)).statusCode).toBe(404);
    const listed = (await get('/api/me/tokens', { cookie: session.cookie })).json();
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await post('/api/me/tokens', { name: 'x' }, bearer)).statusCode).toBe(201); // no CSRF for bearer
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${apiToken.id}`, headers: session.headers });
    expect(revoke.statusCode).toBe(204);
    expect((await get('/api/organisations', bearer)).statusCode).toBe(401);
  });

  it('an expired API token stops working', async () => {
    const { session } = await signedIn(t, ['officer']);
    const { token } = (await post('/api/me/tokens', { name: 'short', expiresInDays: 1 }, session.headers)).json();
    t.clock.advance(25 * HOUR);
    expect((await get('/api/me', { authorization: `Bearer ${token}` })).statusCode).toBe(401);
  });

  it('administrators cannot create API tokens', async () => {
    const { session } = await signedIn(t, ['sysadmin']);
    const response = await post('/api/me/tokens', { name: 'x' }, session.headers);
    expect(response.statusCode).toBe(403);
  });

  it('disabling a user ends their sessions and tokens', async () => {
    const admin = await signedIn(t, ['sysadmin']);
    const target = await signedIn(t, ['officer']);
    const { token } = (await post('/api/me/tokens', { name: 'x' }, target.session.headers)).json();
    const disabled = await post(`/api/users/${target.user.id}/disable`, {}, admin.session.headers);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().isEnabled).toBe(false);
    expect((await get('/api/me', { cookie: target.session.cookie })).statusCode).toBe(401);
    expect((await get('/api/me', { authorization: `Bearer ${token}` })).statusCode).toBe(401);
    const again = await post('/api/auth/login', { username: target.user.username, password: target.user.password });
    expect(again.json().code).toBe('INVALID_CREDENTIALS');
  });
});
