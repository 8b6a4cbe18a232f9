import type { Actor } from '../../platform/actor.js';
import type { Trx } from '../../platform/db/database.js';
import type { Timeline, TimelineEntry } from '../../platform/timeline.js';
import { parseList } from '../enterprises/enterprises.repository.js';
import { type StoredProblem, type VisitRow, type VisitRowInput, visitRow } from './visits.repository.js';

export interface VisitorNames {
  visitorName: string;
  organisationName: string | null;
}

const who = (names: VisitorNames) => `${names.visitorName}${names.organisationName ? `（${names.organisationName}）` : ''}`;

/**
 * `visit.recorded` on the enterprise file: the day, who (their unit), topics and how many problems. When a plan
 * became the record (`fromPlan`), the line says so: 计划走访已完成（已走访）.
 */
export function recordedEntry(row: VisitRow, names: VisitorNames, fromPlan?: { plannedOn: string | null }): TimelineEntry {
  const topics = parseList<string>(row.topics);
  const problems = parseList<StoredProblem>(row.problems);
  const head = fromPlan ? `计划走访已完成（已走访）${fromPlan.plannedOn ? `，原计划 ${fromPlan.plannedOn}` : ''}；走访` : '走访';
  return {
    enterpriseId: row.enterprise_id,
    type: 'visit.recorded',
    summary: `${head}：${row.visited_on}，${who(names)}${topics.length ? `，${topics.join('、')}` : ''}${problems.length ? `，反映问题 ${problems.length} 个` : ''}`,
    data: {
      visitId: row.id,
      visitedOn: row.visited_on,
      visitor: names.visitorName,
      organisation: names.organisationName,
      topics,
      problems: problems.map((problem) => problem.text),
      ...(fromPlan ? { previousStatus: 'planned', plannedOn: fromPlan.plannedOn } : {}),
    },
  };
}

/** The visit columns an edit may change, with the name a person reads on the file. */
export const editableVisitFields = {
  planned_on: '计划日期',
  visited_on: '走访日期',
  people_met: '会见人员',
  topics: '走访主题',
  summary: '走访情况',
  problems: '反映问题',
  follow_ups: '跟进事项',
} as const satisfies Partial<Record<keyof VisitRow, string>>;

/**
 * `visit.updated` on the enterprise file: which parts of a plan or a record changed (their names only, and the new
 * date when a date moved) — never who was met or what was written, which the record itself holds.
 */
export function updatedEntry(row: VisitRow, changedColumns: string[]): TimelineEntry {
  const fields = (Object.keys(editableVisitFields) as Array<keyof typeof editableVisitFields>).filter((column) => changedColumns.includes(column));
  const labels = fields.map((column) => {
    if (column === 'planned_on') return `${editableVisitFields[column]}（改为 ${row.planned_on}）`;
    if (column === 'visited_on') return `${editableVisitFields[column]}（改为 ${row.visited_on}）`;
    return editableVisitFields[column];
  });
  const what = row.status === 'planned' ? '走访计划' : '走访记录';
  return {
    enterpriseId: row.enterprise_id,
    type: 'visit.updated',
    summary: `${what}已更新：${labels.join('、')}`,
    data: { visitId: row.id, status: row.status, fields, ...(fields.includes('planned_on') ? { plannedOn: row.planned_on } : {}), ...(fields.includes('visited_on') ? { visitedOn: row.visited_on } : {}) },
  };
}

/** `visit.planned` on the enterprise file. */
export function plannedEntry(row: VisitRow, names: VisitorNames): TimelineEntry {
  return {
    enterpriseId: row.enterprise_id,
    type: 'visit.planned',
    summary: `计划走访：${row.planned_on}，${who(names)}`,
    data: { visitId: row.id, plannedOn: row.planned_on, visitor: names.visitorName, organisation: names.organisationName },
  };
}

/**
 * Bulk load of visits (demo data, a migration from another system) in the caller's transaction: the rows, 500 per
 * statement, and their `visit.recorded` / `visit.planned` timeline entries. The caller writes one audit row for the
 * load, as the demo loader does for the whole town. Cancelled visits get no timeline entry here.
 */
export async function insertVisits(trx: Trx, timeline: Timeline, actor: Pick<Actor, 'userId' | 'username'> | null, visits: Array<VisitRowInput & VisitorNames>): Promise<number> {
  const rows = visits.map((visit) => ({ row: visitRow(visit), names: { visitorName: visit.visitorName, organisationName: visit.organisationName } }));
  for (let start = 0; start < rows.length; start += 500) {
    await trx.insertInto('visits').values(rows.slice(start, start + 500).map((entry) => entry.row)).execute();
  }
  const entries = rows.flatMap(({ row, names }) => (row.status === 'done' ? [recordedEntry(row, names)] : row.status === 'planned' ? [plannedEntry(row, names)] : []));
  await timeline.appendMany(trx, actor, entries);
  return rows.length;
}
