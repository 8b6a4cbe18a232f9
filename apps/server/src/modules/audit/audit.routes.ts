import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEventSchema, auditVerifySchema, pageOf, pageQuerySchema, plainText } from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import { toAuditEvent, verifyAuditChain } from '../../platform/audit/audit.service.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Db } from '../../platform/db/database.js';

const auditQuerySchema = pageQuerySchema.extend({
  action: plainText(64).optional(),
  username: plainText(64).optional(),
  result: z.enum(['success', 'failure', 'denied']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

/** The audit trail, read-only: the audit administrator and discipline inspection. */
export async function auditRoutes(app: FastifyInstance, { db, audit }: { db: Db; audit: AuditService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/audit', {
    ...access.requires('audit:read'),
    schema: { tags: ['audit'], summary: 'Audit events, newest first', querystring: auditQuerySchema, response: { 200: pageOf(auditEventSchema) } },
  }, async (request) => {
    const { page, pageSize, action, username, result, from, to } = request.query;
    let query = db.selectFrom('audit_events');
    if (action) query = query.where('action', 'like', `${action.replace(/[\\%_]/g, '')}%`);
    if (username) query = query.where('actor_username', '=', username);
    if (result) query = query.where('result', '=', result);
    if (from) query = query.where('at', '>=', new Date(from).toISOString());
    if (to) query = query.where('at', '<', new Date(to).toISOString());
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
    // Reading the trail is itself on the trail (三员: the auditor's own actions are audited).
    await audit.appendAlone(db, { actor: request.ctx.actor, action: 'audit.read', ip: request.ctx.ip, result: 'success', detail: { filter: { action, username, result, from, to }, page } });
    return { items: rows.map(toAuditEvent), total: Number(total) };
  });

  r.get('/api/audit/verify', {
    ...access.requires('audit:read'),
    schema: { tags: ['audit'], summary: 'Check the hash chain; names the first broken row', response: { 200: auditVerifySchema } },
  }, async (request) => {
    const outcome = await verifyAuditChain(db);
    await audit.appendAlone(db, { actor: request.ctx.actor, action: 'audit.verify', ip: request.ctx.ip, result: 'success', detail: { ...outcome } });
    return outcome;
  });
}
