import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appealAttachmentSchema } from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { Db } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { readSingleUpload } from '../../platform/http/upload.js';
import type { Timeline } from '../../platform/timeline.js';
import { closedStatuses } from './appeal-rules.js';
import { selectParts } from './appeal-rows.js';
import type { AppealsService } from './appeals.service.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

/** What may be attached, recognised by the file's first bytes, not by its name or the browser's claim. */
const kinds: Array<{ type: string; extensions: string[]; magic: (bytes: Buffer) => boolean }> = [
  { type: 'application/pdf', extensions: ['pdf'], magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/png', extensions: ['png'], magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], magic: isZip },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], magic: isZip },
];

function isZip(bytes: Buffer) {
  return bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

const fileError = (code: 'VALIDATION_FAILED' | 'PAYLOAD_TOO_LARGE', zh: string, en: string) => new AppError(code, {}, [{ field: 'file', message: en, localized: { 'zh-CN': zh, 'en-US': en } }]);
const errors = {
  missing: () => fileError('VALIDATION_FAILED', '请选择要上传的附件（表单字段 file）', 'choose a file to attach (form field file)'),
  tooLarge: () => fileError('PAYLOAD_TOO_LARGE', '附件不能超过 10 MB', 'an attachment may be at most 10 MB'),
  type: () => fileError('VALIDATION_FAILED', '只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件', 'only PDF, JPG, PNG, Word (.docx) and Excel (.xlsx) files can be attached'),
  tooMany: () => fileError('VALIDATION_FAILED', `每件诉求最多 ${MAX_ATTACHMENTS} 个附件`, `at most ${MAX_ATTACHMENTS} attachments per appeal`),
  tooManyOnAnswer: () => fileError('VALIDATION_FAILED', `每份答复最多 ${MAX_ATTACHMENTS} 个附件`, `at most ${MAX_ATTACHMENTS} attachments per answer`),
  closed: () => new AppError('CONFLICT', { reason: 'the appeal is closed; no more attachments' }),
  notAnswered: () => new AppError('CONFLICT', { reason: 'the files of an answer are attached once the part is answered' }),
};

/** The file name as people gave it, without paths or control characters, at most 120 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (clean || 'attachment').slice(-120);
}

/**
 * Attachments of an appeal: photos of the site, documents, and the files of a unit's answer. Stored in the database
 * so every instance serves them; one download route and one access rule (whoever may see the appeal) for all.
 */
export async function appealAttachmentRoutes(app: FastifyInstance, deps: { db: Db; clock: Clock; audit: AuditService; timeline: Timeline; appeals: AppealsService }) {
  const { db, clock, audit, timeline, appeals } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  await app.register(multipart, { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6 } });

  /**
   * Store one file of an open appeal: the appeal's own (enterprise, officers) or, with `partId`, one of the
   * answer of the caller's unit on its answered part. Checked by its bytes before anything is written; the row,
   * the timeline entry and the audit row in one transaction.
   */
  async function attach(appealId: string, file: { filename: string; bytes: Buffer }, ctx: RequestContext, partId: string | null = null) {
    const actor = requireActor(ctx);
    const kind = kinds.find((candidate) => candidate.magic(file.bytes));
    const extension = file.filename.split('.').pop()?.toLowerCase() ?? '';
    if (!kind || !kind.extensions.includes(extension)) throw errors.type();
    return db.transaction().execute(async (trx) => {
      const appeal = await appeals.loadVisible(trx, appealId, actor);
      if ((closedStatuses as readonly string[]).includes(appeal.status)) throw errors.closed();
      const part = partId ? (await selectParts(trx, [appealId])).find((candidate) => candidate.id === partId) : null;
      if (partId) {
        // Only the unit that answered attaches to its answer; another unit's part looks like no part at all.
        if (!part || part.organisation_id !== actor.organisationId) throw notFound();
        if (part.status !== 'answered') throw errors.notAnswered();
      }
      let counted = trx.selectFrom('appeal_attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('appeal_id', '=', appealId);
      counted = part ? counted.where('part_id', '=', part.id) : counted.where('part_id', 'is', null);
      const { n } = await counted.executeTakeFirstOrThrow();
      if (Number(n) >= MAX_ATTACHMENTS) throw part ? errors.tooManyOnAnswer() : errors.tooMany();
      const user = actor.userId ? await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirst() : undefined;
      const row = {
        id: newId(),
        appeal_id: appealId,
        part_id: part?.id ?? null,
        filename: cleanFilename(file.filename),
        content_type: kind.type,
        size: file.bytes.length,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        content: file.bytes,
        uploaded_by: actor.userId || null,
        uploaded_by_name: user?.display_name ?? actor.username,
        created_at: clock.now().toISOString(),
      };
      await trx.insertInto('appeal_attachments').values(row).execute();
      const what = part ? `${part.organisation_name} 答复附件` : '上传附件';
      await timeline.append(trx, actor, { enterpriseId: appeal.enterprise_id, type: 'appeal.attachment', summary: `诉求 ${appeal.number} ${what}「${row.filename}」`, data: { appealId, attachmentId: row.id, filename: row.filename, ...(part ? { partId: part.id } : {}) } });
      await audit.append(trx, {
        actor,
        action: part ? 'appeal.answer.attachment.add' : 'appeal.attachment.add',
        objectType: 'appeal',
        objectId: appealId,
        ip: ctx.ip,
        result: 'success',
        detail: { attachmentId: row.id, filename: row.filename, size: row.size, sha256: row.sha256, ...(part ? { partId: part.id, organisationId: part.organisation_id } : {}) },
      });
      return { id: row.id, filename: row.filename, contentType: row.content_type, size: row.size, uploadedByName: row.uploaded_by_name, createdAt: row.created_at };
    });
  }

  r.post('/api/appeals/:id/attachments', {
    ...access.requires('appeals:submit'),
    schema: {
      tags: ['appeals'],
      summary: 'Attach a PDF, photo, .docx or .xlsx (multipart field `file`, ≤ 10 MB, ≤ 10 per appeal) to an open appeal',
      consumes: ['multipart/form-data'],
      params: z.object({ id: z.string().min(1).max(64) }),
      response: { 201: appealAttachmentSchema },
    },
  }, async (request, reply) => {
    const file = await readSingleUpload(request, MAX_ATTACHMENT_BYTES, errors);
    return reply.status(201).send(await attach(request.params.id, { filename: file.filename || 'attachment', bytes: file.bytes }, request.ctx));
  });

  r.post('/api/appeals/:id/parts/:partId/attachments', {
    ...access.requires('appeals:handle'),
    schema: {
      tags: ['appeals'],
      summary: "Attach a file to your unit's answer (答复) on its answered part: same kinds and limits as the appeal's attachments (multipart field `file`, ≤ 10 MB, ≤ 10 per answer)",
      consumes: ['multipart/form-data'],
      params: z.object({ id: z.string().min(1).max(64), partId: z.string().min(1).max(64) }),
      response: { 201: appealAttachmentSchema },
    },
  }, async (request, reply) => {
    const file = await readSingleUpload(request, MAX_ATTACHMENT_BYTES, errors);
    return reply.status(201).send(await attach(request.params.id, { filename: file.filename || 'attachment', bytes: file.bytes }, request.ctx, request.params.partId));
  });

  r.get('/api/appeals/:id/attachments/:attachmentId', {
    ...access.requires('appeals:read'),
    schema: { tags: ['appeals'], summary: 'Download an attachment (always as a download, never rendered inline)', params: z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) }) },
  }, async (request, reply) => {
    const actor = requireActor(request.ctx);
    await appeals.loadVisible(db, request.params.id, actor);
    const row = await db.selectFrom('appeal_attachments').selectAll().where('id', '=', request.params.attachmentId).where('appeal_id', '=', request.params.id).executeTakeFirst();
    if (!row) throw notFound();
    const ascii = row.filename.replace(/[^\x20-\x7e]/g, '_');
    return reply
      .header('content-type', row.content_type)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.filename)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(Buffer.from(row.content));
  });
}
