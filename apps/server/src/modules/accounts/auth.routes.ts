import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiTokenSchema, changePasswordInputSchema, createApiTokenInputSchema, loginInputSchema, meSchema, totpConfirmInputSchema, totpSetupSchema } from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import type { AccountService } from './account.service.js';
import type { AuthService } from './auth.service.js';

export interface AuthRoutesOptions {
  auth: AuthService;
  account: AccountService;
  cookieSecure: boolean;
}

/** Sign-in, sign-out and the signed-in user's own account: password, second factor, API tokens. */
export async function authRoutes(app: FastifyInstance, { auth, account, cookieSecure }: AuthRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: cookieSecure };

  r.post('/api/auth/login', {
    ...access.public,
    schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: loginInputSchema, response: { 200: meSchema } },
  }, async (request, reply) => {
    const { me, sessionToken } = await auth.login({ ...request.body, userAgent: request.headers['user-agent'] ?? null }, request.ctx);
    reply.setCookie(SESSION_COOKIE, sessionToken, cookieOptions);
    return me;
  });

  r.post('/api/auth/logout', {
    ...access.pendingAllowed,
    schema: { tags: ['auth'], summary: 'Sign out; the session is destroyed on the server', response: { 204: z.null() } },
  }, async (request, reply) => {
    await auth.logout(request.ctx);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.status(204).send(null);
  });

  r.get('/api/me', {
    ...access.pendingAllowed,
    schema: { tags: ['auth'], summary: 'The signed-in user, permissions and CSRF token', response: { 200: meSchema } },
  }, async (request) => {
    const actor = request.ctx.actor!;
    return auth.describeSession(actor.userId, actor.csrfToken ?? '', actor.pending);
  });

  r.post('/api/me/password', {
    ...access.pendingAllowed,
    schema: { tags: ['account'], summary: 'Change my password', body: changePasswordInputSchema, response: { 204: z.null() } },
  }, async (request, reply) => {
    await account.changePassword(request.body, request.ctx);
    return reply.status(204).send(null);
  });

  r.post('/api/me/totp/setup', {
    ...access.pendingAllowed,
    schema: { tags: ['account'], summary: 'Start TOTP enrolment: secret and QR code', response: { 200: totpSetupSchema } },
  }, async (request) => account.setupTotp(request.ctx));

  r.post('/api/me/totp/confirm', {
    ...access.pendingAllowed,
    schema: { tags: ['account'], summary: 'Confirm TOTP enrolment with a current code', body: totpConfirmInputSchema, response: { 204: z.null() } },
  }, async (request, reply) => {
    await account.confirmTotp(request.body.code, request.ctx);
    return reply.status(204).send(null);
  });

  r.get('/api/me/tokens', {
    ...access.signedIn,
    schema: { tags: ['account'], summary: 'My API tokens', response: { 200: z.array(apiTokenSchema) } },
  }, async (request) => account.listTokens(request.ctx));

  r.post('/api/me/tokens', {
    ...access.signedIn,
    schema: {
      tags: ['account'],
      summary: 'Create a personal API token (shown once)',
      body: createApiTokenInputSchema,
      response: { 201: z.object({ token: z.string(), apiToken: apiTokenSchema }) },
    },
  }, async (request, reply) => reply.status(201).send(await account.createToken(request.body, request.ctx)));

  r.delete('/api/me/tokens/:id', {
    ...access.signedIn,
    schema: { tags: ['account'], summary: 'Revoke one of my API tokens', params: z.object({ id: z.string().max(64) }), response: { 204: z.null() } },
  }, async (request, reply) => {
    await account.revokeToken(request.params.id, request.ctx);
    return reply.status(204).send(null);
  });
}
