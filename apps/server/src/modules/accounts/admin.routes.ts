import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignRolesInputSchema,
  createOrganisationInputSchema,
  createUserInputSchema,
  organisationKindSchema,
  organisationSchema,
  pageOf,
  pageQuerySchema,
  permissions,
  plainText,
  resetPasswordInputSchema,
  rolePermissions,
  roleSchema,
  roles,
  securityPolicySchema,
  updateOrganisationInputSchema,
  updateUserInputSchema,
  userSchema,
} from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Db } from '../../platform/db/database.js';
import type { Settings } from '../../platform/settings.js';
import type { OrganisationsService } from './organisations.service.js';
import type { UsersService } from './users.service.js';

export interface AdminRoutesOptions {
  db: Db;
  audit: AuditService;
  settings: Settings;
  organisations: OrganisationsService;
  users: UsersService;
}

const idParams = z.object({ id: z.string().min(1).max(64) });

/** Organisations, users, roles and security policy: the administrators' screens. */
export async function adminRoutes(app: FastifyInstance, { db, audit, settings, organisations, users }: AdminRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/organisations', {
    ...access.requires('organisations:read'),
    schema: {
      tags: ['admin'],
      summary: 'List organisations',
      querystring: pageQuerySchema.extend({ q: plainText(50).optional(), kind: organisationKindSchema.optional() }),
      response: { 200: pageOf(organisationSchema) },
    },
  }, async (request) => organisations.find(request.query));

  r.get('/api/organisations/:id', {
    ...access.requires('organisations:read'),
    schema: { tags: ['admin'], summary: 'One organisation', params: idParams, response: { 200: organisationSchema } },
  }, async (request) => organisations.getById(request.params.id));

  r.post('/api/organisations', {
    ...access.requires('organisations:write'),
    schema: { tags: ['admin'], summary: 'Create an organisation', body: createOrganisationInputSchema, response: { 201: organisationSchema } },
  }, async (request, reply) => reply.status(201).send(await organisations.createOrganisation(request.body, request.ctx)));

  r.patch('/api/organisations/:id', {
    ...access.requires('organisations:write'),
    schema: { tags: ['admin'], summary: 'Change an organisation', params: idParams, body: updateOrganisationInputSchema, response: { 200: organisationSchema } },
  }, async (request) => organisations.updateOrganisation(request.params.id, request.body, request.ctx));

  r.get('/api/users', {
    ...access.requires('users:read'),
    schema: {
      tags: ['admin'],
      summary: 'List users (phones masked)',
      querystring: pageQuerySchema.extend({ q: plainText(50).optional(), role: roleSchema.optional(), organisationId: z.string().max(64).optional() }),
      response: { 200: pageOf(userSchema) },
    },
  }, async (request) => users.find(request.query));

  r.get('/api/users/:id', {
    ...access.requires('users:read'),
    schema: { tags: ['admin'], summary: 'One user', params: idParams, response: { 200: userSchema } },
  }, async (request) => users.getById(request.params.id));

  r.post('/api/users', {
    ...access.requires('users:write'),
    schema: { tags: ['admin'], summary: 'Create a user; they change the password at first sign-in', body: createUserInputSchema, response: { 201: userSchema } },
  }, async (request, reply) => reply.status(201).send(await users.createUser(request.body, request.ctx)));

  r.patch('/api/users/:id', {
    ...access.requires('users:write'),
    schema: { tags: ['admin'], summary: 'Change a user', params: idParams, body: updateUserInputSchema, response: { 200: userSchema } },
  }, async (request) => users.updateUser(request.params.id, request.body, request.ctx));

  r.post('/api/users/:id/disable', {
    ...access.requires('users:write'),
    schema: { tags: ['admin'], summary: 'Disable a user and end their sessions', params: idParams, response: { 200: userSchema } },
  }, async (request) => users.setEnabled(request.params.id, false, request.ctx));

  r.post('/api/users/:id/enable', {
    ...access.requires('users:write'),
    schema: { tags: ['admin'], summary: 'Enable a user', params: idParams, response: { 200: userSchema } },
  }, async (request) => users.setEnabled(request.params.id, true, request.ctx));

  r.post('/api/users/:id/unlock', {
    ...access.requires('users:write'),
    schema: { tags: ['admin'], summary: 'Lift a sign-in lock', params: idParams, response: { 200: userSchema } },
  }, async (request) => users.unlock(request.params.id, request.ctx));

  r.post('/api/users/:id/reset-password', {
    ...access.requires('users:write'),
    schema: { tags: ['admin'], summary: 'Set a temporary password', params: idParams, body: resetPasswordInputSchema, response: { 204: z.null() } },
  }, async (request, reply) => {
    await users.resetPassword(request.params.id, request.body.newPassword, request.ctx);
    return reply.status(204).send(null);
  });

  r.put('/api/users/:id/roles', {
    ...access.requires('roles:assign'),
    schema: { tags: ['admin'], summary: "Replace a user's roles (security administrator)", params: idParams, body: assignRolesInputSchema, response: { 200: userSchema } },
  }, async (request) => users.assignRoles(request.params.id, request.body.roles, request.ctx));

  r.get('/api/roles', {
    ...access.requires('users:read'),
    schema: { tags: ['admin'], summary: 'Roles and the permissions each grants', response: { 200: z.array(z.object({ role: roleSchema, permissions: z.array(z.enum(permissions)) })) } },
  }, async () => roles.map((role) => ({ role, permissions: [...rolePermissions[role]] })));

  r.get('/api/security-policy', {
    ...access.requires('security-policy:read'),
    schema: { tags: ['admin'], summary: 'The security policy in force', response: { 200: securityPolicySchema } },
  }, async () => ({ passwordProfile: await settings.passwordProfile() }));

  r.put('/api/security-policy', {
    ...access.requires('security-policy:write'),
    schema: { tags: ['admin'], summary: 'Change the security policy (security administrator)', body: securityPolicySchema, response: { 200: securityPolicySchema } },
  }, async (request) => {
    const actor = request.ctx.actor!;
    await db.transaction().execute(async (trx) => {
      const before = await settings.passwordProfile(trx);
      await settings.set(trx, 'security.passwordProfile', request.body.passwordProfile);
      await audit.append(trx, {
        actor,
        action: 'security-policy.update',
        objectType: 'setting',
        objectId: 'security.passwordProfile',
        ip: request.ctx.ip,
        result: 'success',
        detail: { before, after: request.body.passwordProfile },
      });
    });
    return { passwordProfile: await settings.passwordProfile() };
  });
}
