import { Readable } from 'node:stream';
import { type EnterpriseFilter, hasPermission } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../../platform/actor.js';
import type { AuditService } from '../../../platform/audit/audit.service.js';
import type { Clock } from '../../../platform/clock.js';
import type { Db } from '../../../platform/db/database.js';
import type { EnterprisesService } from '../enterprises.service.js';
import { type CellValue, exampleCells, headers, rowToCells } from './columns.js';
import { UTF8_BOM, csvLine } from './csv.js';
import { xlsxStream } from './xlsx.js';

export type TransferFormat = 'csv' | 'xlsx';

export interface Download {
  filename: string;
  contentType: string;
  body: Readable;
}

const contentTypes: Record<TransferFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const SHEET = '企业名录';

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 5987/6266), so 企业名录-20261125.xlsx survives every browser. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** YYYYMMDD in China Standard Time, for file names. */
function chinaDate(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

function render(format: TransferFormat, rows: AsyncIterable<CellValue[]> | Iterable<CellValue[]>): Readable {
  if (format === 'xlsx') return xlsxStream(SHEET, headers, rows);
  return Readable.from(
    (async function* () {
      yield Buffer.from(UTF8_BOM + csvLine(headers));
      for await (const cells of rows) yield Buffer.from(csvLine(cells));
    })(),
    { objectMode: false },
  );
}

export function createExportService({ db, clock, audit, enterprises }: { db: Db; clock: Clock; audit: AuditService; enterprises: EnterprisesService }) {
  /** The import template: the headers and one example row. */
  function template(format: TransferFormat): Download {
    return { filename: `企业导入模板.${format}`, contentType: contentTypes[format], body: render(format, [exampleCells()]) };
  }

  /**
   * Every enterprise of a filtered list the caller may see, streamed page by page, in the template's columns;
   * phones masked unless the caller may reveal personal data. Audited with the filter and row count.
   */
  async function exportEnterprises(filter: EnterpriseFilter, format: TransferFormat, ctx: RequestContext): Promise<Download> {
    const actor = requireActor(ctx);
    const revealPhones = hasPermission(actor.roles, 'personal-data:reveal');
    const { total } = await enterprises.scopedQuery(actor, filter).select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    await audit.appendAlone(db, { actor, action: 'enterprise.export', objectType: 'enterprise', ip: ctx.ip, result: 'success', detail: { filter, format, rows: Number(total), phones: revealPhones ? 'revealed' : 'masked' } });
    const rows = (async function* () {
      for await (const page of enterprises.iterateEnterprises(filter, ctx)) {
        for (const row of page) yield rowToCells(row, { revealPhones });
      }
    })();
    return { filename: `${SHEET}-${chinaDate(clock.now())}.${format}`, contentType: contentTypes[format], body: render(format, rows) };
  }

  return { template, exportEnterprises };
}

export type ExportService = ReturnType<typeof createExportService>;
