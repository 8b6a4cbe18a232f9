import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { enterpriseFilterSchema, enterpriseImportSchema } from '@qinqing/contracts';
import { access } from '../../../platform/access.js';
import { readSingleUpload } from '../../../platform/http/upload.js';
import type { AuditService } from '../../../platform/audit/audit.service.js';
import type { Clock } from '../../../platform/clock.js';
import type { Db, Dialect } from '../../../platform/db/database.js';
import type { Jobs } from '../../../platform/jobs.js';
import { localeOf } from '../../../platform/messages.js';
import type { Timeline } from '../../../platform/timeline.js';
import type { EnterprisesService } from '../enterprises.service.js';
import { contentDisposition, createExportService } from './export.service.js';
import { MAX_UPLOAD_BYTES, createImportsService, uploadErrors } from './imports.service.js';

export interface TransferDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  timeline: Timeline;
  enterprises: EnterprisesService;
  jobs: Jobs;
}

const idParams = z.object({ id: z.string().min(1).max(64) });
const formatQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

/** The handlers the job worker runs for imports; stateless, so any instance's worker can run any import. */
export function enterpriseTransferJobHandlers(deps: Omit<TransferDeps, 'enterprises'>) {
  return createImportsService(deps).handlers;
}

/** Import (template, upload, status, commit) and export of the enterprise registry. */
export async function enterpriseTransferRoutes(app: FastifyInstance, deps: TransferDeps) {
  const imports = createImportsService(deps);
  const exports = createExportService(deps);
  // Scoped to this plugin: only the upload route parses multipart bodies.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 12 } });
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/enterprises/imports/template', {
    ...access.requires('enterprises:import'),
    schema: { tags: ['enterprises'], summary: 'The import template (Chinese headers, one example row)', querystring: formatQuery },
  }, async (request, reply) => {
    const download = exports.template(request.query.format);
    return reply.type(download.contentType).header('content-disposition', contentDisposition(download.filename)).send(download.body);
  });

  r.post('/api/enterprises/imports', {
    ...access.requires('enterprises:import'),
    schema: {
      tags: ['enterprises'],
      summary: 'Upload an xlsx or csv (multipart field `file`, at most 50 MB); it is checked in the background — nothing is written until commit',
      consumes: ['multipart/form-data'],
      response: { 202: z.object({ id: z.string() }) },
    },
  }, async (request, reply) => {
    const file = await readSingleUpload(request, MAX_UPLOAD_BYTES, uploadErrors);
    return reply.status(202).send(await imports.startImport({ filename: file.filename || 'upload', bytes: file.bytes }, request.ctx));
  });

  r.get('/api/enterprises/imports/:id', {
    ...access.requires('enterprises:import'),
    schema: {
      tags: ['enterprises'],
      summary: "An import's status, progress, row errors (first 1000; errorCount counts all) and summary — the importer's and their region's officers' only",
      params: idParams,
      response: { 200: enterpriseImportSchema.extend({ errorCount: z.number() }) },
    },
  }, async (request) => imports.getImport(request.params.id, request.ctx, localeOf(request.headers['accept-language'])));

  r.post('/api/enterprises/imports/:id/commit', {
    ...access.requires('enterprises:import'),
    schema: { tags: ['enterprises'], summary: 'Write a checked import in one transaction (in the background); refused while it has errors', params: idParams, response: { 202: z.object({ id: z.string() }) } },
  }, async (request, reply) => reply.status(202).send(await imports.commitImport(request.params.id, request.ctx)));

  r.get('/api/enterprises/export', {
    ...access.requires('enterprises:read'),
    schema: {
      tags: ['enterprises'],
      summary: 'Export a filtered list (within your scope) as xlsx or csv in the template columns; audited',
      querystring: enterpriseFilterSchema.extend(formatQuery.shape),
    },
  }, async (request, reply) => {
    const { format, ...filter } = request.query;
    const download = await exports.exportEnterprises(filter, format, request.ctx);
    return reply.type(download.contentType).header('content-disposition', contentDisposition(download.filename)).send(download.body);
  });
}
