import { type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { openPartStatuses } from './appeal-rules.js';
import type { AppealAccessFacts } from './appeals.access.js';

/** One appeal with its enterprise's name, credit code and region (what access and the screens need). */
export function selectAppeal(executor: Executor, id: string) {
  return executor
    .selectFrom('appeals')
    .innerJoin('enterprises', 'enterprises.id', 'appeals.enterprise_id')
    .selectAll('appeals')
    .select(['enterprises.name as enterprise_name', 'enterprises.credit_code', 'enterprises.region_code'])
    .where('appeals.id', '=', id)
    .executeTakeFirst();
}

/** The parts of some appeals with their units' names and kinds, in the order they were dispatched. */
export function selectParts(executor: Executor, appealIds: string[]) {
  return executor
    .selectFrom('appeal_parts')
    .innerJoin('organisations', 'organisations.id', 'appeal_parts.organisation_id')
    .selectAll('appeal_parts')
    .select(['organisations.name as organisation_name', 'organisations.kind as organisation_kind'])
    .where('appeal_parts.appeal_id', 'in', appealIds.length ? appealIds : [''])
    .orderBy('appeal_parts.dispatched_at')
    .orderBy('appeal_parts.id')
    .execute();
}

export type AppealRow = NonNullable<Awaited<ReturnType<typeof selectAppeal>>>;
export type PartRow = Awaited<ReturnType<typeof selectParts>>[number];

/**
 * What `canViewAppeal` decides on: the enterprise's region, managers and instructors, and the appeal's units — in one
 * statement (one round trip on PostgreSQL), each row tagged with the list it belongs to.
 */
export async function accessFacts(executor: Executor, appeal: { id: string; enterprise_id: string; region_code: string }): Promise<AppealAccessFacts> {
  const rows = await executor
    .selectFrom('enterprise_managers')
    .select([sql.lit('manager').as('kind'), 'user_id as id'])
    .where('enterprise_id', '=', appeal.enterprise_id)
    .unionAll(executor.selectFrom('enterprise_instructors').select([sql.lit('instructor').as('kind'), 'user_id as id']).where('enterprise_id', '=', appeal.enterprise_id))
    .unionAll(executor.selectFrom('appeal_parts').select([sql.lit('unit').as('kind'), 'organisation_id as id']).where('appeal_id', '=', appeal.id).where('status', '!=', 'withdrawn'))
    .execute();
  const of = (kind: string) => rows.filter((row) => row.kind === kind).map((row) => row.id);
  return { regionCode: appeal.region_code, managerIds: of('manager'), instructorIds: of('instructor'), unitIds: of('unit') };
}

type ListScope = ExpressionBuilder<Database, 'appeals' | 'enterprises'>;
type PartsOfAppeals = SelectQueryBuilder<Database, 'appeals' | 'enterprises' | 'appeal_parts', { appeal_id: string }>;

/**
 * Appeals with a part that matches, as `appeals.id IN (SELECT appeal_id FROM appeal_parts WHERE …)` rather than a
 * correlated EXISTS: the planner then builds the list once from the parts' indexes (appeal_parts_due,
 * appeal_parts_unit) instead of probing the parts of every case in scope (SQLite scanned all appeals to count the
 * overdue ones). The same rows: appeal_id is never null, so NOT IN is NOT EXISTS too.
 */
export function withPart(eb: ListScope, narrow: (parts: PartsOfAppeals) => PartsOfAppeals): Expression<SqlBool> {
  return eb('appeals.id', 'in', narrow(eb.selectFrom('appeal_parts').select('appeal_parts.appeal_id')));
}

/**
 * A part overdue on a day (isPartOverdue in SQL): still open, not paused, past its deadline. The one condition of the
 * list's filter and 待办, the sweep, the KPI report's count, and the demo's and the bench's summaries.
 */
export function isOverdueOn(eb: ExpressionBuilder<Database, 'appeal_parts'>, day: string): Expression<SqlBool> {
  return eb.and([eb('appeal_parts.status', 'in', [...openPartStatuses]), eb('appeal_parts.paused_since', 'is', null), eb('appeal_parts.due_date', '<', day)]);
}
