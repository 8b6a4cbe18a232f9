import type { Readable } from 'node:stream';
import type { VisitFilter } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { parseList } from '../enterprises/enterprises.repository.js';
import type { CellValue } from '../enterprises/transfer/columns.js';
import { xlsxStream } from '../enterprises/transfer/xlsx.js';
import { chinaToday } from './visit-rules.js';
import type { StoredFollowUp, StoredPerson, StoredProblem, VisitView } from './visits.repository.js';
import type { VisitsService } from './visits.service.js';

const SHEET = '走访记录';
const statusNames: Record<string, string> = { planned: '计划', done: '已走访', cancelled: '已取消' };

/** The export's columns (Chinese, the data language); lists inside a cell are separated by `；`. */
export const visitExportHeaders = ['日期', '状态', '企业', '统一社会信用代码', '走访人', '单位', '计划日期', '走访日期', '会见人员', '交流话题', '情况摘要', '反映问题', '已转诉求', '跟进事项', '未完成跟进', '取消原因'];

export function visitToCells(row: VisitView & { credit_code: string }): CellValue[] {
  const problems = parseList<StoredProblem>(row.problems);
  const followUps = parseList<StoredFollowUp>(row.follow_ups);
  return [
    row.calendar_date,
    statusNames[row.status] ?? row.status,
    row.enterprise_name,
    row.credit_code,
    row.visitor_name,
    row.organisation_name ?? '',
    row.planned_on ?? '',
    row.visited_on ?? '',
    parseList<StoredPerson>(row.people_met).map((person) => (person.position ? `${person.name}（${person.position}）` : person.name)).join('；'),
    parseList<string>(row.topics).join('；'),
    row.summary ?? '',
    problems.map((problem) => problem.text).join('；'),
    problems.filter((problem) => problem.appealId).length,
    followUps.map((item) => `${item.text}${item.dueOn ? `（${item.dueOn}前）` : ''}${item.done ? '✓' : ''}`).join('；'),
    followUps.filter((item) => !item.done).length,
    row.cancel_reason ?? '',
  ];
}

/** The visits list as xlsx: every visit the filter matches within the caller's scope; audited with filter and count. */
export function createVisitsExport({ db, clock, audit, visits }: { db: Db; clock: Clock; audit: AuditService; visits: VisitsService }) {
  async function exportVisits(filter: VisitFilter, ctx: RequestContext): Promise<{ filename: string; contentType: string; body: Readable }> {
    const actor = requireActor(ctx);
    const { total } = await visits.findVisits({ ...filter, order: 'desc', page: 1, pageSize: 1 }, ctx);
    await audit.appendAlone(db, { actor, action: 'visit.export', objectType: 'visit', ip: ctx.ip, result: 'success', detail: { filter, rows: total } });
    const rows = (async function* () {
      for await (const page of visits.iterateVisits(filter, ctx)) {
        const ids = [...new Set(page.map((row) => row.enterprise_id))];
        const codes = new Map((await db.selectFrom('enterprises').select(['id', 'credit_code']).where('id', 'in', ids).execute()).map((row) => [row.id, row.credit_code]));
        for (const row of page) yield visitToCells({ ...row, credit_code: codes.get(row.enterprise_id) ?? '' });
      }
    })();
    return {
      filename: `${SHEET}-${chinaToday(clock.now()).replace(/-/g, '')}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: xlsxStream(SHEET, visitExportHeaders, rows),
    };
  }
  return { exportVisits };
}
