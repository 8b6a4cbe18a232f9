import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appealActionInputs,
  appealCategoryCodeSchema,
  appealCategorySchema,
  appealListItemSchema,
  appealListQuerySchema,
  appealSchema,
  createAppealCategoryInputSchema,
  createAppealInputSchema,
  dispatchUnitSchema,
  kpiQuerySchema,
  kpiReportSchema,
  pageOf,
  similarAppealsQuerySchema,
  upsertAppealCategoryInputSchema,
} from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import { requireActor } from '../../platform/actor.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { invalidFields } from '../../platform/errors.js';
import type { createAppealKpis } from './appeal-kpis.js';
import { chinaDate } from './appeal-rules.js';
import type { AppealsService } from './appeals.service.js';

const idParams = z.object({ id: z.string().min(1).max(64) });
const partParams = z.object({ id: z.string().min(1).max(64), partId: z.string().min(1).max(64) });
const tags = ['appeals'];

/** Appeals (诉求): one route per step of the loop, each with the permission of the people who take it. */
export async function appealsRoutes(app: FastifyInstance, { appeals, kpis, db, clock }: { appeals: AppealsService; kpis: ReturnType<typeof createAppealKpis>; db: Db; clock: Clock }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/appeal-categories', {
    ...access.signedIn,
    schema: { tags, summary: 'Appeal categories with their time limits in working days', response: { 200: z.array(appealCategorySchema) } },
  }, async () => appeals.listCategories());

  r.post('/api/appeal-categories', {
    ...access.requires('appeals:manage'),
    schema: { tags, summary: 'Add a category with its time limit (audited); a code in use is a 400 naming code', body: createAppealCategoryInputSchema, response: { 201: appealCategorySchema } },
  }, async (request, reply) => reply.status(201).send(await appeals.createCategory(request.body, request.ctx)));

  r.put('/api/appeal-categories/:code', {
    ...access.requires('appeals:manage'),
    schema: { tags, summary: 'Change a category and its time limit (audited); the code stays', params: z.object({ code: appealCategoryCodeSchema }), body: upsertAppealCategoryInputSchema, response: { 200: appealCategorySchema } },
  }, async (request) => appeals.updateCategory(request.params.code, request.body, request.ctx));

  r.get('/api/appeal-units', {
    ...access.requires('appeals:read'),
    schema: { tags, summary: 'Units appeals can be dispatched to: departments, government units and outside units', response: { 200: z.array(dispatchUnitSchema) } },
  }, async () =>
    db.selectFrom('organisations').select(['id', 'name', 'kind']).where('kind', 'in', ['department', 'outside_unit', 'government']).where('is_enabled', '=', 1).orderBy('kind').orderBy('name').execute(),
  );

  r.get('/api/appeals', {
    ...access.requires('appeals:read'),
    schema: { tags, summary: 'Appeals within your scope, newest first, with filters (unit, state, overdue …)', querystring: appealListQuerySchema, response: { 200: pageOf(appealListItemSchema) } },
  }, async (request) => appeals.findAppeals(request.query, request.ctx));

  r.get('/api/appeals/similar', {
    ...access.requires('appeals:submit'),
    schema: { tags, summary: "Open appeals of the same enterprise with a similar title (offered before submitting)", querystring: similarAppealsQuerySchema, response: { 200: z.array(appealListItemSchema.extend({ similarity: z.number() })) } },
  }, async (request) => appeals.findSimilar(request.query.enterpriseId, request.query.title, request.ctx));

  r.get('/api/appeals/kpis', {
    ...access.requires('appeals:kpi'),
    schema: { tags, summary: 'Unit KPIs for a period (签收率, 按期办结率, 满意率, 退单次数, handling days), recomputed from the events', querystring: kpiQuerySchema, response: { 200: kpiReportSchema } },
  }, async (request) => {
    const { from, to } = request.query;
    if (from > to) throw invalidFields([{ field: 'to', message: 'must not be before from' }]);
    return kpis.report(requireActor(request.ctx), { from, to }, chinaDate(clock.now()));
  });

  r.post('/api/appeals', {
    ...access.requires('appeals:submit'),
    schema: { tags, summary: 'Submit an appeal for an enterprise you may act for', body: createAppealInputSchema, response: { 201: appealSchema } },
  }, async (request, reply) => reply.status(201).send(await appeals.submitAppeal(request.body, request.ctx)));

  r.get('/api/appeals/:id', {
    ...access.requires('appeals:read'),
    schema: { tags, summary: 'One appeal with its parts, history and the actions open to you', params: idParams, response: { 200: appealSchema } },
  }, async (request) => appeals.getAppeal(request.params.id, request.ctx));

  const step = { tags, params: idParams, response: { 200: appealSchema } };
  const partStep = { tags, params: partParams, response: { 200: appealSchema } };

  r.post('/api/appeals/:id/accept', { ...access.requires('appeals:manage'), schema: { ...step, summary: '受理', body: appealActionInputs.accept } }, async (request) =>
    appeals.accept(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/decline', { ...access.requires('appeals:manage'), schema: { ...step, summary: '不予受理 with a reason', body: appealActionInputs.decline } }, async (request) =>
    appeals.decline(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/merge', { ...access.requires('appeals:manage'), schema: { ...step, summary: 'Merge a duplicate into another open appeal of the same enterprise', body: appealActionInputs.merge } }, async (request) =>
    appeals.merge(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/dispatch', { ...access.requires('appeals:manage'), schema: { ...step, summary: '交办 to one unit, or several for joint handling (会办), each with its deadline', body: appealActionInputs.dispatch } }, async (request) =>
    appeals.dispatch(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/urge', { ...access.requires('appeals:manage'), schema: { ...step, summary: '催办 the units still working on it', body: appealActionInputs.urge } }, async (request) =>
    appeals.urge(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/callback-rating', { ...access.requires('appeals:manage'), schema: { ...step, summary: "Record the enterprise's rating taken on a return call (回访)", body: appealActionInputs.rate } }, async (request) =>
    appeals.rateOnCallback(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/archive', { ...access.requires('appeals:manage'), schema: { ...step, summary: '归档 a rated or declined appeal', body: appealActionInputs.archive } }, async (request) =>
    appeals.archive(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/rate', { ...access.requires('appeals:rate'), schema: { ...step, summary: "The enterprise's rating; 不满意 reopens it (重办) with a new deadline", body: appealActionInputs.rate } }, async (request) =>
    appeals.rate(request.params.id, request.body, request.ctx));
  r.post('/api/appeals/:id/supervise', { ...access.requires('appeals:supervise'), schema: { ...step, summary: "督办: a leader's instruction", body: appealActionInputs.supervise } }, async (request) =>
    appeals.supervise(request.params.id, request.body, request.ctx));

  r.post('/api/appeals/:id/parts/:partId/sign', { ...access.requires('appeals:handle'), schema: { ...partStep, summary: '签收 your unit’s part', body: appealActionInputs.sign } }, async (request) =>
    appeals.sign(request.params.id, request.params.partId, request.body, request.ctx));
  r.post('/api/appeals/:id/parts/:partId/return', { ...access.requires('appeals:handle'), schema: { ...partStep, summary: '退单: return it to the dispatcher with a reason (counted)', body: appealActionInputs.return } }, async (request) =>
    appeals.returnPart(request.params.id, request.params.partId, request.body, request.ctx));
  r.post('/api/appeals/:id/parts/:partId/pause', { ...access.requires('appeals:handle'), schema: { ...partStep, summary: 'Pause the clock while waiting for the enterprise', body: appealActionInputs.pause } }, async (request) =>
    appeals.pause(request.params.id, request.params.partId, request.body, request.ctx));
  r.post('/api/appeals/:id/parts/:partId/resume', { ...access.requires('appeals:handle'), schema: { ...partStep, summary: 'Resume the clock; the deadline moves by the paused working days', body: appealActionInputs.resume } }, async (request) =>
    appeals.resume(request.params.id, request.params.partId, request.body, request.ctx));
  r.post('/api/appeals/:id/parts/:partId/extension', { ...access.requires('appeals:handle'), schema: { ...partStep, summary: 'Ask for an extension (≤ 20 working days in all)', body: appealActionInputs.requestExtension } }, async (request) =>
    appeals.requestExtension(request.params.id, request.params.partId, request.body, request.ctx));
  r.post('/api/appeals/:id/parts/:partId/extension/decision', { ...access.requires('appeals:manage'), schema: { ...partStep, summary: 'Approve or refuse an extension request', body: appealActionInputs.decideExtension } }, async (request) =>
    appeals.decideExtension(request.params.id, request.params.partId, request.body, request.ctx));
  r.post('/api/appeals/:id/parts/:partId/withdraw', { ...access.requires('appeals:manage'), schema: { ...partStep, summary: "撤回交办: take back a unit's part not answered yet, with a reason", body: appealActionInputs.withdraw } }, async (request) =>
    appeals.withdraw(request.params.id, request.params.partId, request.body, request.ctx));
  r.post('/api/appeals/:id/parts/:partId/answer', { ...access.requires('appeals:handle'), schema: { ...partStep, summary: "Answer your unit's part (办结)", body: appealActionInputs.answer } }, async (request) =>
    appeals.answer(request.params.id, request.params.partId, request.body, request.ctx));
}
