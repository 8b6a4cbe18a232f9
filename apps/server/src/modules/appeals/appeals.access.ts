import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { type EnterpriseAccessFacts, canViewEnterprise, visibleEnterprises } from '../enterprises/enterprises.access.js';

/**
 * Which appeals a person may see — one rule, two forms (like the registry's):
 * - whoever may see the enterprise (officer/leader/supervisor by area, its instructor, its managers);
 * - a handling unit's people: the appeals dispatched to their unit (any of its parts, even a returned one, but not
 *   one the office withdrew: a unit dispatched to by mistake loses the case unless it holds another part).
 * Banks and the administrators see none (they also lack `appeals:read`).
 */
export interface AppealAccessFacts extends EnterpriseAccessFacts {
  /** Units that hold or held a part of the appeal (withdrawn parts left out). */
  unitIds: readonly string[];
}

export function canViewAppeal(actor: Pick<Actor, 'userId' | 'roles' | 'regionCode' | 'organisationId'>, facts: AppealAccessFacts): boolean {
  if (canViewEnterprise(actor, facts)) return true;
  return actor.roles.includes('handler') && actor.organisationId !== null && facts.unitIds.includes(actor.organisationId);
}

/** The same rule as a WHERE condition over `appeals` joined with `enterprises`. */
export function visibleAppeals(actor: Pick<Actor, 'userId' | 'roles' | 'regionCode' | 'organisationId'>) {
  const byEnterprise = visibleEnterprises(actor);
  return (eb: ExpressionBuilder<Database, 'appeals' | 'enterprises'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [byEnterprise(eb as unknown as ExpressionBuilder<Database, 'enterprises'>)];
    if (actor.roles.includes('handler') && actor.organisationId) {
      // EXISTS, not `IN (…)` as the list's filters: this sits under OR, which keeps PostgreSQL from turning an IN into a
      // semi-join, while an EXISTS lets it choose per query between a hashed list and probing only the rows other
      // filters left (a unit's 待办: 40 probes instead of a pass over every case).
      conditions.push(
        eb.exists(
          eb.selectFrom('appeal_parts').select('appeal_parts.id').whereRef('appeal_parts.appeal_id', '=', 'appeals.id').where('appeal_parts.organisation_id', '=', actor.organisationId).where('appeal_parts.status', '!=', 'withdrawn'),
        ),
      );
    }
    return eb.or(conditions);
  };
}
