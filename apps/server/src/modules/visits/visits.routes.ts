import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cancelVisitInputSchema,
  createVisitInputSchema,
  lastVisitSchema,
  linkAppealInputSchema,
  recordVisitInputSchema,
  updateVisitInputSchema,
  visitListQuerySchema,
  visitPageSchema,
  visitSchema,
  visitWithWarningsSchema,
  visitorSchema,
} from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { type Locale, localeOf } from '../../platform/messages.js';
import { contentDisposition } from '../enterprises/transfer/export.service.js';
import { createVisitsExport } from './visits.export.js';
import type { OverlapWarning, VisitsService } from './visits.service.js';

const idParams = z.object({ id: z.string().min(1).max(64) });
const problemParams = idParams.extend({ problemId: z.string().min(1).max(64) });

/** The 7-day warning in the caller's language. */
export function overlapMessage(warning: OverlapWarning, locale: Locale): string {
  const unit = warning.organisationName ?? (locale === 'en-US' ? 'another unit' : '其他单位');
  if (locale === 'en-US') {
    return warning.status === 'done'
      ? `${unit} (${warning.visitorName}) visited this enterprise on ${warning.date}`
      : `${unit} (${warning.visitorName}) plans to visit this enterprise on ${warning.date}`;
  }
  return warning.status === 'done' ? `${unit}（${warning.visitorName}）已于 ${warning.date} 走访过该企业` : `${unit}（${warning.visitorName}）计划于 ${warning.date} 走访该企业`;
}

/** Visit plans and records, the shared calendar, last visit, export. */
export async function visitsRoutes(app: FastifyInstance, deps: { db: Db; clock: Clock; audit: AuditService; visits: VisitsService }) {
  const { visits } = deps;
  const exporter = createVisitsExport(deps);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const withMessages = (result: { visit: z.infer<typeof visitSchema>; warnings: OverlapWarning[] }, acceptLanguage: string | undefined) => {
    const locale = localeOf(acceptLanguage);
    return { ...result.visit, warnings: result.warnings.map((warning) => ({ ...warning, message: overlapMessage(warning, locale) })) };
  };

  r.get('/api/visits', {
    ...access.requires('visits:read'),
    schema: {
      tags: ['visits'],
      summary: 'Visits of enterprises within your scope: the calendar (from/to, order=asc; organisationId, mine=true) and the list (newest first), paginated; hasMore when more match than the page holds',
      querystring: visitListQuerySchema,
      response: { 200: visitPageSchema },
    },
  }, async (request) => visits.findVisits(request.query, request.ctx));

  r.get('/api/visits/visitors', {
    ...access.requires('visits:read'),
    schema: { tags: ['visits'], summary: 'Visitors and their units appearing in the visits you may see (filters, calendar legend)', response: { 200: z.array(visitorSchema) } },
  }, async (request) => visits.findVisitors(request.ctx));

  r.get('/api/visits/export', {
    ...access.requires('visits:read'),
    schema: { tags: ['visits'], summary: 'The filtered visits list as xlsx (within your scope); audited', querystring: visitListQuerySchema.omit({ page: true, pageSize: true, order: true }) },
  }, async (request, reply) => {
    const download = await exporter.exportVisits(request.query, request.ctx);
    return reply.type(download.contentType).header('content-disposition', contentDisposition(download.filename)).send(download.body);
  });

  r.post('/api/visits', {
    ...access.requires('visits:write'),
    schema: {
      tags: ['visits'],
      summary: "Plan a visit or record one that took place; `warnings` name other units' visits to the enterprise within 7 days",
      body: createVisitInputSchema,
      response: { 201: visitWithWarningsSchema },
    },
  }, async (request, reply) => reply.status(201).send(withMessages(await visits.createVisit(request.body, request.ctx), request.headers['accept-language'])));

  r.get('/api/visits/:id', {
    ...access.requires('visits:read'),
    schema: { tags: ['visits'], summary: 'One visit (404 when its enterprise is outside your scope)', params: idParams, response: { 200: visitSchema } },
  }, async (request) => visits.getVisit(request.params.id, request.ctx));

  r.patch('/api/visits/:id', {
    ...access.requires('visits:write'),
    schema: {
      tags: ['visits'],
      summary: 'Change a plan or a record (instructors their own, officers those in their area); problems that became appeals stay',
      params: idParams,
      body: updateVisitInputSchema,
      response: { 200: visitWithWarningsSchema },
    },
  }, async (request) => withMessages(await visits.updateVisit(request.params.id, request.body, request.ctx), request.headers['accept-language']));

  r.post('/api/visits/:id/record', {
    ...access.requires('visits:write'),
    schema: { tags: ['visits'], summary: 'Record a planned visit as done', params: idParams, body: recordVisitInputSchema, response: { 200: visitWithWarningsSchema } },
  }, async (request) => withMessages(await visits.recordVisit(request.params.id, request.body, request.ctx), request.headers['accept-language']));

  r.post('/api/visits/:id/cancel', {
    ...access.requires('visits:write'),
    schema: { tags: ['visits'], summary: 'Cancel a planned visit, with the reason', params: idParams, body: cancelVisitInputSchema, response: { 200: visitSchema } },
  }, async (request) => visits.cancelVisit(request.params.id, request.body.reason, request.ctx));

  r.post('/api/visits/:id/problems/:problemId/appeal', {
    ...access.requires('visits:write'),
    schema: {
      tags: ['visits'],
      summary: "Store the appeal a problem became (after POST /api/appeals with origin { kind: 'visit', id }); the appeal must concern the same enterprise",
      params: problemParams,
      body: linkAppealInputSchema,
      response: { 200: visitSchema },
    },
  }, async (request) => visits.linkProblemAppeal(request.params.id, request.params.problemId, request.body.appealId, request.ctx));

  r.get('/api/enterprises/:id/last-visit', {
    ...access.requires('visits:read'),
    schema: { tags: ['visits'], summary: '最近走访: the latest visit recorded, by whom (their unit), the next plan and how many visits', params: idParams, response: { 200: lastVisitSchema } },
  }, async (request) => visits.findLastVisit(request.params.id, request.ctx));
}
