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

/** `visit.recorded` on the enterprise file: the day, who (their unit), topics and how many problems. */
export function recordedEntry(row: VisitRow, names: VisitorNames): TimelineEntry {
  const topics = parseList<string>(row.topics);
  const problems = parseList<StoredProblem>(row.problems);
  return {
    enterpriseId: row.enterprise_id,
    type: 'visit.recorded',
    summary: `走访：${row.visited_on}，${who(names)}${topics.length ? `，${topics.join('、')}` : ''}${problems.length ? `，反映问题 ${problems.length} 个` : ''}`,
    data: { visitId: row.id, visitedOn: row.visited_on, visitor: names.visitorName, organisation: names.organisationName, topics, problems: problems.map((problem) => problem.text) },
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
