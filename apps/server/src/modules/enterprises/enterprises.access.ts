import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Role } from '@qinqing/contracts';
import type { Actor } from '../../platform/actor.js';
import type { Database } from '../../platform/db/schema.js';

/**
 * Which enterprises a person may see — one rule, two forms kept in step by a property test:
 * `canViewEnterprise` answers "may I see this one?", `visibleEnterprises` answers "which may I list?".
 *
 * - officer, leader, supervisor: enterprises in their organisation's region (town, county, city, province);
 * - instructor: the enterprises assigned to them;
 * - enterprise user: the enterprises they are bound to as a manager;
 * - everyone else (handler, bank, administrators): none through the registry.
 */
export type EnterpriseScope =
  | { kind: 'region'; code: string }
  | { kind: 'instructed'; userId: string }
  | { kind: 'managed'; userId: string };

const regionRoles: Role[] = ['officer', 'leader', 'supervisor'];

export function enterpriseScopesOf(actor: Pick<Actor, 'userId' | 'roles' | 'regionCode'>): EnterpriseScope[] {
  const scopes: EnterpriseScope[] = [];
  if (actor.regionCode && actor.roles.some((role) => regionRoles.includes(role))) scopes.push({ kind: 'region', code: actor.regionCode });
  if (actor.roles.includes('instructor')) scopes.push({ kind: 'instructed', userId: actor.userId });
  if (actor.roles.includes('enterprise')) scopes.push({ kind: 'managed', userId: actor.userId });
  return scopes;
}

/** What the rule needs to know about one enterprise. */
export interface EnterpriseAccessFacts {
  regionCode: string;
  managerIds: readonly string[];
  instructorIds: readonly string[];
}

/** Does a division code fall within a region at any level? 330000 province, 330400 city, 330483 county, 330483107 town. */
export function isWithinRegion(enterpriseRegion: string, region: string): boolean {
  return enterpriseRegion.startsWith(regionPrefix(region));
}

/** The significant prefix of a division code: trailing zero pairs of 6-digit province/city codes drop. */
export function regionPrefix(region: string): string {
  if (region.length === 6 && region.endsWith('0000')) return region.slice(0, 2);
  if (region.length === 6 && region.endsWith('00')) return region.slice(0, 4);
  return region;
}

export function canViewEnterprise(actor: Pick<Actor, 'userId' | 'roles' | 'regionCode'>, facts: EnterpriseAccessFacts): boolean {
  return enterpriseScopesOf(actor).some((scope) => {
    switch (scope.kind) {
      case 'region':
        return isWithinRegion(facts.regionCode, scope.code);
      case 'instructed':
        return facts.instructorIds.includes(scope.userId);
      case 'managed':
        return facts.managerIds.includes(scope.userId);
    }
  });
}

/** SQL condition for one region at any level, using the denormalised columns so it stays indexed. */
export function regionCondition(eb: ExpressionBuilder<Database, 'enterprises'>, region: string): Expression<SqlBool> {
  const prefix = regionPrefix(region);
  if (prefix.length === 6) return eb('enterprises.region_county', '=', prefix);
  if (prefix.length === 9) return eb('enterprises.region_township', '=', prefix);
  if (prefix.length === 12) return eb('enterprises.region_code', '=', prefix);
  return eb('enterprises.region_county', 'like', `${prefix}%`);
}

/** The same rule as a WHERE condition for lists, counts and exports. */
export function visibleEnterprises(actor: Pick<Actor, 'userId' | 'roles' | 'regionCode'>) {
  const scopes = enterpriseScopesOf(actor);
  return (eb: ExpressionBuilder<Database, 'enterprises'>): Expression<SqlBool> => {
    if (scopes.length === 0) return eb.lit(false);
    return eb.or(
      scopes.map((scope) => {
        switch (scope.kind) {
          case 'region':
            return regionCondition(eb, scope.code);
          case 'instructed':
            return eb.exists(
              eb.selectFrom('enterprise_instructors').select('enterprise_instructors.enterprise_id').whereRef('enterprise_instructors.enterprise_id', '=', 'enterprises.id').where('enterprise_instructors.user_id', '=', scope.userId),
            );
          case 'managed':
            return eb.exists(
              eb.selectFrom('enterprise_managers').select('enterprise_managers.enterprise_id').whereRef('enterprise_managers.enterprise_id', '=', 'enterprises.id').where('enterprise_managers.user_id', '=', scope.userId),
            );
        }
      }),
    );
  };
}
