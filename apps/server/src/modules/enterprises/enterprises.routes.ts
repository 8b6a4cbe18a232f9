import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  bindingRequestSchema,
  claimEnterpriseInputSchema,
  contactSchema,
  createEnterpriseInputSchema,
  enterpriseCountsSchema,
  enterpriseFilterSchema,
  enterpriseListItemSchema,
  enterpriseListQuerySchema,
  enterpriseSchema,
  industrySchema,
  inviteSchema,
  managerSchema,
  pageOf,
  pageQuerySchema,
  regionSchema,
  timelineEventSchema,
  updateEnterpriseInputSchema,
} from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import { referenceData } from '../reference/reference.js';
import type { BindingsService } from './bindings.service.js';
import type { EnterprisesService } from './enterprises.service.js';

const idParams = z.object({ id: z.string().min(1).max(64) });
const fieldWarning = z.object({ field: z.string(), message: z.string() });

/** The enterprise registry and the enterprise file. */
export async function enterprisesRoutes(app: FastifyInstance, { enterprises, bindings }: { enterprises: EnterprisesService; bindings: BindingsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/enterprises', {
    ...access.requires('enterprises:read'),
    schema: { tags: ['enterprises'], summary: 'Search and filter enterprises (within your scope), paginated', querystring: enterpriseListQuerySchema, response: { 200: pageOf(enterpriseListItemSchema) } },
  }, async (request) => enterprises.findEnterprises(request.query, request.ctx));

  r.get('/api/enterprises/counts', {
    ...access.requires('enterprises:read'),
    schema: { tags: ['enterprises'], summary: 'Counts by industry (大类), township and scale for a filter', querystring: enterpriseFilterSchema, response: { 200: enterpriseCountsSchema } },
  }, async (request) => enterprises.countEnterprises(request.query, request.ctx));

  r.post('/api/enterprises', {
    ...access.requires('enterprises:write'),
    schema: {
      tags: ['enterprises'],
      summary: 'Register an enterprise; a bad credit code is a 400 naming creditCode',
      body: createEnterpriseInputSchema,
      response: { 201: enterpriseSchema.extend({ warnings: z.array(fieldWarning) }) },
    },
  }, async (request, reply) => {
    const { enterprise, warnings } = await enterprises.createEnterprise(request.body, request.ctx);
    const locale = request.headers['accept-language']?.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
    return reply.status(201).send({ ...enterprise, warnings: (warnings as Array<{ field: string; localized: Record<string, string> }>).map((w) => ({ field: w.field, message: w.localized[locale] })) });
  });

  r.get('/api/enterprises/:id', {
    ...access.requires('enterprises:read'),
    schema: { tags: ['enterprises'], summary: 'One enterprise (phones masked)', params: idParams, response: { 200: enterpriseSchema } },
  }, async (request) => enterprises.getEnterprise(request.params.id, request.ctx));

  r.patch('/api/enterprises/:id', {
    ...access.requires('enterprises:write'),
    schema: { tags: ['enterprises'], summary: 'Change an enterprise; before and after are kept', params: idParams, body: updateEnterpriseInputSchema, response: { 200: enterpriseSchema } },
  }, async (request) => enterprises.updateEnterprise(request.params.id, request.body, request.ctx));

  r.get('/api/enterprises/:id/timeline', {
    ...access.requires('enterprises:read'),
    schema: { tags: ['enterprises'], summary: "The enterprise file's timeline, newest first", params: idParams, querystring: pageQuerySchema, response: { 200: pageOf(timelineEventSchema) } },
  }, async (request) => enterprises.findTimeline(request.params.id, request.query, request.ctx));

  r.post('/api/enterprises/:id/contacts/reveal', {
    ...access.requires('personal-data:reveal'),
    schema: { tags: ['enterprises'], summary: 'Unmasked contact phones (audited)', params: idParams, response: { 200: z.array(contactSchema) } },
  }, async (request) => enterprises.revealContacts(request.params.id, request.ctx));

  r.get('/api/enterprises/:id/managers', {
    ...access.requires('enterprises:read'),
    schema: { tags: ['enterprises'], summary: "An enterprise's managers", params: idParams, response: { 200: z.array(managerSchema) } },
  }, async (request) => bindings.findManagers(request.params.id, request.ctx));

  r.post('/api/enterprises/:id/invites', {
    ...access.requires('enterprises:bind'),
    schema: { tags: ['enterprises'], summary: 'Issue an invite code for binding (shown once)', params: idParams, response: { 201: inviteSchema } },
  }, async (request, reply) => reply.status(201).send(await bindings.createInvite(request.params.id, request.ctx)));

  r.post('/api/enterprise-bindings/claim', {
    ...access.requires('enterprises:claim'),
    schema: {
      tags: ['enterprises'],
      summary: 'Bind myself to an enterprise: credit code + invite code binds at once, credit code alone asks an officer',
      body: claimEnterpriseInputSchema,
      response: { 200: z.object({ status: z.enum(['bound', 'requested']), enterpriseId: z.string(), enterpriseName: z.string() }) },
    },
  }, async (request) => bindings.claim(request.body, request.ctx));

  r.get('/api/enterprise-bindings/requests', {
    ...access.requires('enterprises:bind'),
    schema: { tags: ['enterprises'], summary: 'Binding requests waiting for approval', response: { 200: z.array(bindingRequestSchema) } },
  }, async (request) => bindings.findRequests(request.ctx));

  r.post('/api/enterprise-bindings/requests/:id/approve', {
    ...access.requires('enterprises:bind'),
    schema: { tags: ['enterprises'], summary: 'Approve a binding request', params: idParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    await bindings.decideRequest(request.params.id, true, request.ctx);
    return reply.status(204).send(null);
  });

  r.post('/api/enterprise-bindings/requests/:id/reject', {
    ...access.requires('enterprises:bind'),
    schema: { tags: ['enterprises'], summary: 'Reject a binding request', params: idParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    await bindings.decideRequest(request.params.id, false, request.ctx);
    return reply.status(204).send(null);
  });

  r.get('/api/me/enterprises', {
    ...access.signedIn,
    schema: { tags: ['enterprises'], summary: 'Enterprises I manage (to switch between them)', response: { 200: z.array(z.object({ id: z.string(), name: z.string(), creditCode: z.string() })) } },
  }, async (request) => bindings.findMine(request.ctx));

  r.get('/api/reference/industries', {
    ...access.signedIn,
    schema: { tags: ['reference'], summary: 'GB/T 4754-2017 industries shipped with Qinqing', response: { 200: z.array(industrySchema) } },
  }, async () => referenceData().industries.map((entry) => ({ code: entry.code, name: entry.name, level: entry.level, parent: entry.parent ?? null })));

  r.get('/api/reference/regions', {
    ...access.signedIn,
    schema: { tags: ['reference'], summary: 'Statistical division codes shipped with Qinqing', response: { 200: z.array(regionSchema) } },
  }, async () => referenceData().regions.map((entry) => ({ code: entry.code, name: entry.name, level: entry.level, parent: entry.parent ?? null })));
}
