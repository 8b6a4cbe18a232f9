import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import { hasPermission } from '@qinqing/contracts';
import type { Actor } from '../../platform/actor.js';
import type { Database } from '../../platform/db/schema.js';
import { type EnterpriseAccessFacts, canViewEnterprise, enterpriseScopesOf, isWithinRegion, regionPrefix, visibleEnterprises } from '../enterprises/enterprises.access.js';

type ActorFacts = Pick<Actor, 'userId' | 'roles' | 'regionCode'>;

/**
 * Visits follow the enterprise registry's scope: a visit is seen by whoever may see its enterprise (an instructor
 * their assigned enterprises, an officer, leader or supervisor their area). Changing one is narrower: instructors
 * change their own visits, officers any visit in their area.
 */
export function canEditVisit(actor: ActorFacts, visit: { visitorUserId: string }, enterprise: EnterpriseAccessFacts): boolean {
  if (!hasPermission(actor.roles, 'visits:write') || !canViewEnterprise(actor, enterprise)) return false;
  if (visit.visitorUserId === actor.userId) return true;
  return isAreaOfficer(actor, enterprise.regionCode);
}

/** An officer whose organisation's region holds this division code. */
export function isAreaOfficer(actor: ActorFacts, regionCode: string): boolean {
  return actor.roles.includes('officer') && Boolean(actor.regionCode) && isWithinRegion(regionCode, actor.regionCode!);
}

/**
 * Liaison points: seen by those whose area holds the point's region (officers, leaders, supervisors) and by those
 * who may see one of its member enterprises (an instructor whose enterprise belongs to it). Managed by officers of
 * the point's area. As one SQL condition, used for lists and single reads alike.
 */
export function visibleLiaisonPoints(actor: ActorFacts) {
  const regionScopes = enterpriseScopesOf(actor).filter((scope) => scope.kind === 'region');
  return (eb: ExpressionBuilder<Database, 'liaison_points'>): Expression<SqlBool> =>
    eb.or([
      ...regionScopes.map((scope) => eb('liaison_points.region_code', 'like', `${regionPrefix(scope.code)}%`)),
      eb.exists(
        eb
          .selectFrom('liaison_point_members')
          .innerJoin('enterprises', 'enterprises.id', 'liaison_point_members.enterprise_id')
          .select('liaison_point_members.enterprise_id')
          .whereRef('liaison_point_members.liaison_point_id', '=', 'liaison_points.id')
          .where((inner) => visibleEnterprises(actor)(inner as unknown as ExpressionBuilder<Database, 'enterprises'>)),
      ),
    ]);
}
