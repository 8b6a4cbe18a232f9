import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createLiaisonPointInputSchema,
  createSymposiumInputSchema,
  liaisonPointDetailSchema,
  liaisonPointListQuerySchema,
  liaisonPointSchema,
  linkAppealInputSchema,
  pageOf,
  replaceAttendanceInputSchema,
  replaceMembersInputSchema,
  symposiumDetailSchema,
  symposiumListQuerySchema,
  symposiumSchema,
  updateLiaisonPointInputSchema,
  updateSymposiumInputSchema,
} from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import type { LiaisonService } from './liaison.service.js';

const idParams = z.object({ id: z.string().min(1).max(64) });
const suggestionParams = idParams.extend({ suggestionId: z.string().min(1).max(64) });

/** Liaison points (企情联络点), their members, and their symposiums (座谈会) with attendance and suggestions. */
export async function liaisonRoutes(app: FastifyInstance, { liaison }: { liaison: LiaisonService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/liaison-points', {
    ...access.requires('visits:read'),
    schema: { tags: ['liaison'], summary: 'Liaison points you may see (your area, or holding an enterprise you look after)', querystring: liaisonPointListQuerySchema, response: { 200: pageOf(liaisonPointSchema) } },
  }, async (request) => liaison.findLiaisonPoints(request.query, request.ctx));

  r.post('/api/liaison-points', {
    ...access.requires('liaison:write'),
    schema: { tags: ['liaison'], summary: 'Open a liaison point in your area, with its member enterprises', body: createLiaisonPointInputSchema, response: { 201: liaisonPointDetailSchema } },
  }, async (request, reply) => reply.status(201).send(await liaison.createLiaisonPoint(request.body, request.ctx)));

  r.get('/api/liaison-points/:id', {
    ...access.requires('visits:read'),
    schema: { tags: ['liaison'], summary: 'One liaison point with its members (contact phone masked)', params: idParams, response: { 200: liaisonPointDetailSchema } },
  }, async (request) => liaison.getLiaisonPoint(request.params.id, request.ctx));

  r.patch('/api/liaison-points/:id', {
    ...access.requires('liaison:write'),
    schema: { tags: ['liaison'], summary: 'Change a liaison point, or close it (isActive false)', params: idParams, body: updateLiaisonPointInputSchema, response: { 200: liaisonPointDetailSchema } },
  }, async (request) => liaison.updateLiaisonPoint(request.params.id, request.body, request.ctx));

  r.put('/api/liaison-points/:id/members', {
    ...access.requires('liaison:write'),
    schema: { tags: ['liaison'], summary: "Set a liaison point's member enterprises", params: idParams, body: replaceMembersInputSchema, response: { 200: liaisonPointDetailSchema } },
  }, async (request) => liaison.replaceMembers(request.params.id, request.body.enterpriseIds, request.ctx));

  r.post('/api/liaison-points/:id/contact/reveal', {
    ...access.requires('personal-data:reveal'),
    schema: { tags: ['liaison'], summary: "The contact person's unmasked phone (audited)", params: idParams, response: { 200: z.object({ contactName: z.string().nullable(), contactPhone: z.string().nullable() }) } },
  }, async (request) => liaison.revealContact(request.params.id, request.ctx));

  r.get('/api/symposiums', {
    ...access.requires('visits:read'),
    schema: { tags: ['liaison'], summary: 'Symposiums of the liaison points you may see, newest first', querystring: symposiumListQuerySchema, response: { 200: pageOf(symposiumSchema) } },
  }, async (request) => liaison.findSymposiums(request.query, request.ctx));

  r.post('/api/symposiums', {
    ...access.requires('liaison:write'),
    schema: { tags: ['liaison'], summary: "A symposium of a liaison point in your area; its quarter follows from the date", body: createSymposiumInputSchema, response: { 201: symposiumDetailSchema } },
  }, async (request, reply) => reply.status(201).send(await liaison.createSymposium(request.body, request.ctx)));

  r.get('/api/symposiums/:id', {
    ...access.requires('visits:read'),
    schema: { tags: ['liaison'], summary: 'One symposium with attendance and suggestions', params: idParams, response: { 200: symposiumDetailSchema } },
  }, async (request) => liaison.getSymposium(request.params.id, request.ctx));

  r.patch('/api/symposiums/:id', {
    ...access.requires('liaison:write'),
    schema: { tags: ['liaison'], summary: 'Change a symposium; suggestions that became appeals stay', params: idParams, body: updateSymposiumInputSchema, response: { 200: symposiumDetailSchema } },
  }, async (request) => liaison.updateSymposium(request.params.id, request.body, request.ctx));

  r.delete('/api/symposiums/:id', {
    ...access.requires('liaison:write'),
    schema: { tags: ['liaison'], summary: 'Delete a symposium entered by mistake (not once attendance or appeals are recorded)', params: idParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    await liaison.deleteSymposium(request.params.id, request.ctx);
    return reply.status(204).send(null);
  });

  r.put('/api/symposiums/:id/attendance', {
    ...access.requires('liaison:write'),
    schema: { tags: ['liaison'], summary: "The attendance check-list; newly attending enterprises get it on their file's timeline", params: idParams, body: replaceAttendanceInputSchema, response: { 200: symposiumDetailSchema } },
  }, async (request) => liaison.replaceAttendance(request.params.id, request.body, request.ctx));

  r.post('/api/symposiums/:id/suggestions/:suggestionId/appeal', {
    ...access.requires('liaison:write'),
    schema: {
      tags: ['liaison'],
      summary: "Store the appeal a suggestion became (after POST /api/appeals with origin { kind: 'symposium', id })",
      params: suggestionParams,
      body: linkAppealInputSchema,
      response: { 200: symposiumDetailSchema },
    },
  }, async (request) => liaison.linkSuggestionAppeal(request.params.id, request.params.suggestionId, request.body.appealId, request.ctx));
}
