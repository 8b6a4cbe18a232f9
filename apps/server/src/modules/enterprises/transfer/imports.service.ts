import { extname } from 'node:path';
import type { EnterpriseImport } from '@qinqing/contracts';
import { type Actor, type RequestContext, requireActor } from '../../../platform/actor.js';
import type { AuditService } from '../../../platform/audit/audit.service.js';
import type { Clock } from '../../../platform/clock.js';
import { newId } from '../../../platform/crypto.js';
import type { Db, Dialect, Executor } from '../../../platform/db/database.js';
import { AppError, notFound } from '../../../platform/errors.js';
import type { Job, JobContext, JobHandler, Jobs } from '../../../platform/jobs.js';
import type { Locale } from '../../../platform/messages.js';
import type { Timeline, TimelineEntry } from '../../../platform/timeline.js';
import { isWithinRegion } from '../enterprises.access.js';
import { type EnterpriseRow, indexForSearch, parseList } from '../enterprises.repository.js';
import { type EnterpriseValues, diffValues } from '../enterprise-input.js';
import { decodeCsv, parseCsv } from './csv.js';
import { type CheckedRow, type ImportSummary, type StoredImportError, checkImportRows } from './import-rows.js';
import { readXlsxRows } from './xlsx.js';
import { inspectZip } from './zip-guard.js';

// A 100k-row registry is ~25 MB as UTF-8 csv; 50 MB leaves room while the zip guard bounds what xlsx inflates to.
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const PARSE_JOB = 'enterprise-import.parse';
export const COMMIT_JOB = 'enterprise-import.commit';
const BATCH = 500;
/** Rows checked between two progress updates (and two commits of staged rows). */
const PROGRESS_EVERY = 2000;
const STAGE_BATCH = 2000;
// Stored rows the commit reads at a time; statements still carry at most BATCH rows.
const COMMIT_PAGE = 5000;

/** Tables of migration 20261125-1100-create-imports (typed here until they join platform/db/schema.ts). */
export type ImportTables = {
  enterprise_imports: {
    id: string;
    filename: string;
    format: string;
    status: string;
    progress: number;
    file: Buffer | null;
    row_count: number;
    errors: string;
    error_count: number;
    summary: string | null;
    created_by: string;
    region_code: string | null;
    job_id: string | null;
    created_at: string;
    updated_at: string;
    committed_at: string | null;
  };
  enterprise_import_rows: { import_id: string; row_number: number; credit_code: string; data: string };
};
type ImportRow = ImportTables['enterprise_imports'];

export interface ImportsServiceDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  timeline: Timeline;
  jobs: Jobs;
}

/** Who asked, as a job payload carries it: the worker acts (and audits) as the person who clicked. */
interface JobActor {
  userId: string;
  username: string;
  roles: Actor['roles'];
  regionCode: string | null;
}
interface ImportJobPayload {
  importId: string;
  actor: JobActor;
  ip: string | null;
}

const fileError = (code: 'VALIDATION_FAILED' | 'PAYLOAD_TOO_LARGE', zh: string, en: string) =>
  new AppError(code, {}, [{ field: 'file', message: en, localized: { 'zh-CN': zh, 'en-US': en } }]);

export const uploadErrors = {
  missing: () => fileError('VALIDATION_FAILED', '请选择要导入的文件（表单字段 file）', 'choose a file to import (form field file)'),
  tooLarge: () => fileError('PAYLOAD_TOO_LARGE', `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB 上限，请拆分后分批导入`, `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it and import the parts`),
  unknownType: () => fileError('VALIDATION_FAILED', '只能导入 .xlsx 或 .csv 文件', 'only .xlsx and .csv files can be imported'),
  notXlsx: () => fileError('VALIDATION_FAILED', '不是有效的 xlsx 文件，请用 Excel 或 WPS 另存为 .xlsx 后重试', 'not a valid xlsx file; save it as .xlsx from Excel or WPS and try again'),
  zipBomb: () => fileError('VALIDATION_FAILED', '文件解压后过大或压缩比异常（疑似压缩炸弹），已拒绝', 'the file expands to too much data or compresses suspiciously well (a zip bomb?); refused'),
};

function jobActor(actor: Actor): JobActor {
  return { userId: actor.userId, username: actor.username, roles: actor.roles, regionCode: actor.regionCode };
}

/** Imports of enterprises: upload → background check (preview) → commit in one transaction. */
export function createImportsService(deps: ImportsServiceDeps) {
  const { db, dialect, clock, audit, timeline, jobs } = deps;
  const idb = (executor: Executor = db) => executor.withTables<ImportTables>();
  const now = () => clock.now().toISOString();

  /** The importer, and officers whose region contains the importer's, may follow and commit an import. */
  function canSeeImport(actor: Actor, row: Pick<ImportRow, 'created_by' | 'region_code'>): boolean {
    if (row.created_by === actor.userId) return true;
    return actor.roles.includes('officer') && !!actor.regionCode && !!row.region_code && isWithinRegion(row.region_code, actor.regionCode);
  }

  async function loadVisible(executor: Executor, id: string, actor: Actor): Promise<ImportRow> {
    const row = await idb(executor).selectFrom('enterprise_imports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !canSeeImport(actor, row)) throw notFound();
    return row;
  }

  /** Accept an uploaded file: refuse unknown types and zip bombs before any parser sees it, then queue the check. */
  async function startImport(file: { filename: string; bytes: Buffer }, ctx: RequestContext): Promise<{ id: string }> {
    const actor = requireActor(ctx);
    const extension = extname(file.filename).toLowerCase();
    const format = extension === '.xlsx' ? 'xlsx' : extension === '.csv' ? 'csv' : null;
    if (!format) throw uploadErrors.unknownType();
    if (file.bytes.length > MAX_UPLOAD_BYTES) throw uploadErrors.tooLarge();
    if (format === 'xlsx') {
      if (file.bytes.length < 4 || file.bytes.readUInt32LE(0) !== 0x04034b50) throw uploadErrors.notXlsx();
      const verdict = await inspectZip(file.bytes);
      if (!verdict.ok) throw verdict.reason === 'bomb' ? uploadErrors.zipBomb() : uploadErrors.notXlsx();
    }
    const id = newId();
    const at = now();
    const filename = file.filename.slice(-200);
    await db.transaction().execute(async (trx) => {
      const payload: ImportJobPayload = { importId: id, actor: jobActor(actor), ip: ctx.ip };
      const jobId = await jobs.enqueue(PARSE_JOB, payload, actor.userId, trx);
      await idb(trx)
        .insertInto('enterprise_imports')
        .values({ id, filename, format, status: 'queued', progress: 0, file: file.bytes, row_count: 0, errors: '[]', error_count: 0, summary: null, created_by: actor.userId, region_code: actor.regionCode, job_id: jobId, created_at: at, updated_at: at, committed_at: null })
        .execute();
      await audit.append(trx, { actor, action: 'enterprise.import.upload', objectType: 'enterprise-import', objectId: id, ip: ctx.ip, result: 'success', detail: { filename, format, bytes: file.bytes.length } });
    });
    // The check starts now rather than at the worker's next poll.
    jobs.wake();
    return { id };
  }

  async function getImport(id: string, ctx: RequestContext, locale: Locale): Promise<EnterpriseImport & { errorCount: number }> {
    const actor = requireActor(ctx);
    const row = await loadVisible(db, id, actor);
    let status = row.status as EnterpriseImport['status'];
    let progress = Number(row.progress);
    // A job given up after its worker died leaves the import where it was; say so.
    if ((status === 'queued' || status === 'parsing' || status === 'committing') && row.job_id) {
      const job = await jobs.getJob(row.job_id);
      if (job?.status === 'failed') status = 'failed';
      // While the check runs its progress lives on the job only: rewriting the import's row would rewrite the
      // uploaded file it still holds (tens of MB) at every update.
      else if (status === 'parsing' && job) progress = Math.min(99, job.progress);
    }
    const errors = JSON.parse(row.errors) as StoredImportError[];
    return {
      id: row.id,
      filename: row.filename,
      status,
      progress,
      errors: errors.map((error) => ({ row: error.row, column: error.column, message: error.message[locale] })),
      errorCount: Number(row.error_count),
      summary: row.summary ? (JSON.parse(row.summary) as ImportSummary) : null,
      createdAt: row.created_at,
    };
  }

  /** Queue the commit of a checked import; refused while it has errors or is not in preview. */
  async function commitImport(id: string, ctx: RequestContext): Promise<{ id: string }> {
    const actor = requireActor(ctx);
    await db.transaction().execute(async (trx) => {
      const row = await loadVisible(trx, id, actor);
      if (row.status !== 'preview') {
        throw new AppError('CONFLICT', { reason: 'the import is not ready to commit' }, [
          { field: 'status', message: row.status, localized: { 'zh-CN': `导入当前状态为“${statusNames[row.status] ?? row.status}”，只有检查完成（预览）的导入才能提交`, 'en-US': `the import is ${row.status}; only a checked import (preview) can be committed` } },
        ]);
      }
      if (Number(row.error_count) > 0) {
        throw new AppError('CONFLICT', { reason: 'the import has rows with errors' }, [
          { field: 'errors', message: 'rows with errors', localized: { 'zh-CN': `有 ${row.error_count} 处错误，请修改文件后重新上传`, 'en-US': `${row.error_count} problems; fix the file and upload it again` } },
        ]);
      }
      const payload: ImportJobPayload = { importId: id, actor: jobActor(actor), ip: ctx.ip };
      const jobId = await jobs.enqueue(COMMIT_JOB, payload, actor.userId, trx);
      await idb(trx).updateTable('enterprise_imports').set({ status: 'committing', progress: 0, job_id: jobId, updated_at: now() }).where('id', '=', id).where('status', '=', 'preview').execute();
    });
    jobs.wake();
    return { id };
  }

  /** Staged rows as stored: one multi-row INSERT per STAGE_BATCH rows (4 columns each, well under SQLite's 32,766 variables). */
  async function stageRows(executor: Executor, importId: string, rows: CheckedRow[]) {
    for (let start = 0; start < rows.length; start += STAGE_BATCH) {
      await idb(executor)
        .insertInto('enterprise_import_rows')
        .values(rows.slice(start, start + STAGE_BATCH).map((checked) => ({ import_id: importId, row_number: checked.row, credit_code: checked.values.credit_code, data: JSON.stringify(checked.values) })))
        .execute();
    }
  }

  async function findExisting(executor: Executor, codes: string[]): Promise<Map<string, EnterpriseRow>> {
    const found = new Map<string, EnterpriseRow>();
    for (let start = 0; start < codes.length; start += BATCH) {
      const rows = await executor.selectFrom('enterprises').selectAll().where('credit_code', 'in', codes.slice(start, start + BATCH)).execute();
      for (const row of rows) found.set(row.credit_code, row as EnterpriseRow);
    }
    return found;
  }

  /** Job: read and check the file, keep its valid rows for the commit, write nothing to enterprises. */
  async function parseImport(job: Job<ImportJobPayload>, context: JobContext) {
    const { importId, actor } = job.payload;
    const row = await idb().selectFrom('enterprise_imports').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!row || !row.file || (row.status !== 'queued' && row.status !== 'parsing')) return { skipped: true };
    // A worker that died mid-way left rows behind; start again from a clean slate.
    await idb().deleteFrom('enterprise_import_rows').where('import_id', '=', importId).execute();
    await idb().updateTable('enterprise_imports').set({ status: 'parsing', progress: 0, updated_at: now() }).where('id', '=', importId).execute();
    const bytes = Buffer.from(row.file);
    let fraction = 0;
    let records: AsyncIterable<{ row: number; cells: Array<string | number> }>;
    if (row.format === 'csv') {
      const { text } = decodeCsv(bytes);
      const lines = Math.max(1, text.split('\n').length);
      records = (async function* () {
        for (const record of parseCsv(text)) {
          fraction = record.row / lines;
          yield { row: record.row, cells: record.fields };
        }
      })();
    } else {
      records = readXlsxRows(bytes, (value) => (fraction = value));
    }
    // Valid rows wait here and are written at the next progress update, in one transaction: one commit (one
    // fsync on SQLite) per PROGRESS_EVERY rows instead of one per chunk of 500.
    let pending: CheckedRow[] = [];
    try {
      const result = await checkImportRows(records, {
        actor,
        findExisting: (codes) => findExisting(db, codes),
        onRows: async (rows) => {
          pending.push(...rows);
        },
        onProgress: async (rowsRead, errorCount) => {
          if (rowsRead % PROGRESS_EVERY !== 0) return;
          const rows = errorCount > 0 ? [] : pending;
          pending = [];
          if (rows.length) await db.transaction().execute((trx) => stageRows(trx, importId, rows));
          await context.progress(Math.min(99, fraction * 100));
        },
      });
      await db.transaction().execute(async (trx) => {
        if (result.errorCount > 0) await idb(trx).deleteFrom('enterprise_import_rows').where('import_id', '=', importId).execute();
        else await stageRows(trx, importId, pending);
        pending = [];
        await idb(trx)
          .updateTable('enterprise_imports')
          .set({ status: 'preview', progress: 100, file: null, row_count: result.summary.total, errors: JSON.stringify(result.errors), error_count: result.errorCount, summary: JSON.stringify(result.summary), updated_at: now() })
          .where('id', '=', importId)
          .execute();
      });
      return { summary: result.summary, errorCount: result.errorCount };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const unreadable: StoredImportError = { row: 0, column: '', message: { 'zh-CN': `无法读取文件：${reason}`, 'en-US': `the file could not be read: ${reason}` } };
      await idb().deleteFrom('enterprise_import_rows').where('import_id', '=', importId).execute();
      await idb().updateTable('enterprise_imports').set({ status: 'failed', file: null, errors: JSON.stringify([unreadable]), error_count: 1, updated_at: now() }).where('id', '=', importId).execute();
      throw error;
    }
  }

  /**
   * Job: write a checked import to the registry in ONE transaction — enterprises, tags, search index, one
   * timeline event per new or changed enterprise, one audit row for the import, and the import's own status.
   * A crash anywhere leaves nothing; a re-run after a crash starts from the same preview.
   */
  async function commitRows(job: Job<ImportJobPayload>) {
    const { importId, actor, ip } = job.payload;
    const auditActor = { userId: actor.userId, username: actor.username, roles: actor.roles };
    return db.transaction().execute(async (trx) => {
      const row = await idb(trx).selectFrom('enterprise_imports').select(['id', 'status', 'filename']).where('id', '=', importId).executeTakeFirst();
      if (!row || row.status !== 'committing') return { skipped: true };
      const at = now();
      const summary: ImportSummary = { total: 0, new: 0, updated: 0, unchanged: 0, invalid: 0 };
      let after = 0;
      for (;;) {
        const stored = await idb(trx).selectFrom('enterprise_import_rows').select(['row_number', 'data']).where('import_id', '=', importId).where('row_number', '>', after).orderBy('row_number').limit(COMMIT_PAGE).execute();
        if (stored.length === 0) break;
        after = Number(stored[stored.length - 1].row_number);
        const batch = stored.map((item) => JSON.parse(item.data) as EnterpriseValues);
        const existing = await findExisting(trx, batch.map((values) => values.credit_code));
        const inserts: EnterpriseRow[] = [];
        const reindex: EnterpriseRow[] = [];
        const retag: EnterpriseRow[] = [];
        const events: TimelineEntry[] = [];
        for (const values of batch) {
          summary.total += 1;
          const current = existing.get(values.credit_code);
          if (!current) {
            const created: EnterpriseRow = { id: newId(), ...values, created_at: at, updated_at: at };
            inserts.push(created);
            events.push({ enterpriseId: created.id, type: 'enterprise.imported', summary: '导入新建', data: { importId, creditCode: values.credit_code } });
            summary.new += 1;
            continue;
          }
          // The region may have moved since the preview: the commit re-checks what the preview checked.
          if (!actor.regionCode || !isWithinRegion(current.region_code, actor.regionCode)) throw new Error(`row for ${values.credit_code} is outside the importer's region`);
          const changes = diffValues(current as EnterpriseValues, values);
          if (Object.keys(changes).length === 0) {
            summary.unchanged += 1;
            continue;
          }
          const updated: EnterpriseRow = { ...current, ...values, updated_at: at };
          await trx.updateTable('enterprises').set({ ...values, updated_at: at }).where('id', '=', current.id).execute();
          if (changes.tags) retag.push(updated);
          if (changes.name || changes.former_names || changes.address) reindex.push(updated);
          events.push({ enterpriseId: current.id, type: 'enterprise.imported', summary: '导入更新', data: { importId, changes } });
          summary.updated += 1;
        }
        for (let start = 0; start < inserts.length; start += BATCH) await trx.insertInto('enterprises').values(inserts.slice(start, start + BATCH)).execute();
        await indexForSearch(trx, dialect, inserts, { fresh: true });
        for (let start = 0; start < retag.length; start += BATCH) {
          await trx.deleteFrom('enterprise_tags').where('enterprise_id', 'in', retag.slice(start, start + BATCH).map((item) => item.id)).execute();
        }
        const tags = [...inserts, ...retag].flatMap((item) => parseList<string>(item.tags).map((tag) => ({ enterprise_id: item.id, tag })));
        for (let start = 0; start < tags.length; start += BATCH) await trx.insertInto('enterprise_tags').values(tags.slice(start, start + BATCH)).execute();
        await indexForSearch(trx, dialect, reindex);
        if (events.length) await timeline.appendMany(trx, auditActor, events);
      }
      await audit.append(trx, { actor: auditActor, action: 'enterprise.import', objectType: 'enterprise-import', objectId: importId, ip, result: 'success', detail: { filename: row.filename, summary } });
      await idb(trx).deleteFrom('enterprise_import_rows').where('import_id', '=', importId).execute();
      await idb(trx).updateTable('enterprise_imports').set({ status: 'committed', progress: 100, summary: JSON.stringify(summary), committed_at: at, updated_at: at }).where('id', '=', importId).execute();
      return { summary };
    });
  }

  const handlers: Record<string, JobHandler> = { [PARSE_JOB]: parseImport, [COMMIT_JOB]: commitRows };

  return { startImport, getImport, commitImport, handlers, canSeeImport };
}

const statusNames: Record<string, string> = { queued: '排队中', parsing: '检查中', preview: '待提交', committing: '提交中', committed: '已提交', failed: '失败' };

export type ImportsService = ReturnType<typeof createImportsService>;
