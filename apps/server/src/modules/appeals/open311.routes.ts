import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { multilineText, phoneSchema, plainText } from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import type { Db } from '../../platform/db/database.js';
import { invalidFields } from '../../platform/errors.js';
import { closedStatuses } from './appeal-rules.js';
import type { AppealsService } from './appeals.service.js';

/**
 * An Open311 (GeoReport v2) face over the appeal pool, so a 12345 hotline or another system can feed it with
 * a personal API token. Services are the appeal categories; a request names the enterprise by its credit code.
 * Field names follow GeoReport (snake_case); answers are arrays as the specification has them.
 */
const serviceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
});

const requestInputSchema = z.object({
  service_code: z.string().min(1).max(32),
  /** The enterprise the caller speaks for (统一社会信用代码). */
  credit_code: z.string().trim().toUpperCase().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'an 18-character unified social credit code'),
  title: plainText(80).optional(),
  description: multilineText(4000),
  first_name: plainText(16).optional(),
  last_name: plainText(16).optional(),
  phone: phoneSchema.optional(),
  /** The hotline's own ticket number, kept as the appeal's origin id. */
  external_id: plainText(64).optional(),
});

const requestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
});

const statusNotes: Record<string, string> = {
  pending: '待受理',
  accepted: '已受理',
  declined: '不予受理',
  dispatched: '已交办',
  in_progress: '办理中',
  answered: '已办结，待评价',
  rated: '已评价',
  archived: '已归档',
  merged: '已合并',
};

export async function open311Routes(app: FastifyInstance, { appeals, db }: { appeals: AppealsService; db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/open311/services', {
    ...access.requires('appeals:submit'),
    schema: { tags: ['open311'], summary: 'GeoReport v2 service list: the appeal categories', response: { 200: z.array(serviceSchema) } },
  }, async () =>
    (await appeals.listCategories())
      .filter((category) => category.isEnabled)
      .map((category) => ({
        service_code: category.code,
        service_name: category.name,
        description: `${category.nameEn}; ${category.deadlineDays} working days`,
        metadata: false,
        type: 'realtime' as const,
        keywords: category.nameEn,
        group: '企业诉求',
      })),
  );

  r.post('/api/open311/requests', {
    ...access.requires('appeals:submit'),
    schema: {
      tags: ['open311'],
      summary: 'GeoReport v2: create a service request (an appeal of the enterprise named by credit_code)',
      body: requestInputSchema,
      response: { 201: z.array(z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: z.string().nullable() })) },
    },
  }, async (request, reply) => {
    const input = request.body;
    const enterprise = await db.selectFrom('enterprises').select('id').where('credit_code', '=', input.credit_code).executeTakeFirst();
    if (!enterprise) throw invalidFields([{ field: 'credit_code', message: 'unknown enterprise' }]);
    const caller = [input.last_name, input.first_name].filter(Boolean).join('') || null;
    const appeal = await appeals.submitAppeal(
      {
        enterpriseId: enterprise.id,
        categoryCode: input.service_code,
        title: input.title ?? input.description.split('\n')[0].slice(0, 80),
        description: input.description,
        urgency: 'normal',
        contactName: caller,
        contactPhone: input.phone ?? null,
        origin: { kind: 'hotline', id: input.external_id ?? null },
      },
      request.ctx,
    ).catch((error: unknown) => {
      // Name the fields as GeoReport callers know them.
      const details = (error as { details?: Array<{ field: string }> }).details;
      if (Array.isArray(details)) for (const issue of details) issue.field = issue.field === 'categoryCode' ? 'service_code' : issue.field === 'enterpriseId' ? 'credit_code' : issue.field;
      throw error;
    });
    return reply.status(201).send([{ service_request_id: appeal.number, service_notice: `已受理登记，编号 ${appeal.number}`, account_id: null }]);
  });

  r.get('/api/open311/requests/:id', {
    ...access.requires('appeals:read'),
    schema: { tags: ['open311'], summary: 'GeoReport v2: one service request by its number (SQ2026-000123) or id', params: z.object({ id: z.string().min(1).max(64) }), response: { 200: z.array(requestSchema) } },
  }, async (request) => {
    const row = await db.selectFrom('appeals').select('id').where((eb) => eb.or([eb('number', '=', request.params.id), eb('id', '=', request.params.id)])).executeTakeFirst();
    const appeal = await appeals.getAppeal(row?.id ?? request.params.id, request.ctx);
    const categories = await appeals.listCategories();
    const answers = appeal.parts.filter((part) => part.answer).map((part) => `${part.organisationName}：${part.answer}`);
    return [
      {
        service_request_id: appeal.number,
        status: (closedStatuses as readonly string[]).includes(appeal.status) || appeal.status === 'answered' || appeal.status === 'rated' ? ('closed' as const) : ('open' as const),
        status_notes: [statusNotes[appeal.status], ...answers].join('；'),
        service_name: categories.find((category) => category.code === appeal.categoryCode)?.name ?? appeal.categoryCode,
        service_code: appeal.categoryCode,
        description: appeal.description,
        agency_responsible: appeal.units.join('、') || null,
        requested_datetime: appeal.createdAt,
        updated_datetime: appeal.updatedAt,
        expected_datetime: appeal.dueDate,
      },
    ];
  });
}
