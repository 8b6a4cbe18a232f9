import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, roles } from '@qinqing/contracts';
import { canViewEnterprise, visibleEnterprises } from '../src/modules/enterprises/enterprises.access.js';
import { newId } from '../src/platform/crypto.js';
import { type TestApp, createTestApp, dialects, makeUser } from './harness.js';

// Codes at every level: province, city, county, two towns, villages of each, and a county elsewhere.
const regionCodes = ['330000', '330400', '330483', '330483107', '330483103', '330483107200', '330483107010', '330483103201', '330602', '330602001', '330602001002'];
const enterpriseRegions = regionCodes.filter((code) => code.length >= 9);

describe.each(dialects())('one access rule for "this one?" and "which?" on %s', (dialect) => {
  let t: TestApp;
  let userIds: string[];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    userIds = [];
    for (let i = 0; i < 4; i += 1) userIds.push((await makeUser(t, { roles: ['enterprise'] })).id);
  });
  afterAll(async () => t?.close());

  it('canViewEnterprise and the list filter agree for generated actors and enterprises', async () => {
    const world = fc.array(
      fc.record({
        region: fc.constantFrom(...enterpriseRegions),
        managers: fc.subarray([0, 1, 2, 3]),
        instructors: fc.subarray([0, 1, 2, 3]),
      }),
      { minLength: 1, maxLength: 12 },
    );
    const actor = fc.record({
      user: fc.integer({ min: 0, max: 3 }),
      roles: fc.subarray([...roles] as Role[], { minLength: 1, maxLength: 3 }),
      regionCode: fc.option(fc.constantFrom(...regionCodes), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(world, fc.array(actor, { minLength: 1, maxLength: 5 }), async (enterprises, actors) => {
        const now = t.clock.now().toISOString();
        const rows = enterprises.map((e, index) => ({ ...e, id: newId(), index }));
        try {
          for (const row of rows) {
            await t.db
              .insertInto('enterprises')
              .values({
                id: row.id,
                credit_code: `PROP${row.id}`,
                is_credit_code_override: 0,
                name: `企业${row.index}`,
                legal_representative: null,
                registered_capital: null,
                established_on: null,
                industry_code: '1931',
                industry_section: 'C',
                industry_division: '19',
                industry_group: '193',
                region_code: row.region,
                region_county: row.region.slice(0, 6),
                region_township: row.region.slice(0, 9),
                revenue: null,
                scale: 'below',
                scale_override_reason: null,
                land_area: null,
                park: null,
                address: null,
                status: 'operating',
                former_names: '[]',
                contacts: '[]',
                tags: '[]',
                created_at: now,
                updated_at: now,
              })
              .execute();
            for (const m of row.managers) await t.db.insertInto('enterprise_managers').values({ enterprise_id: row.id, user_id: userIds[m], via: 'officer', bound_at: now }).execute();
            for (const i of row.instructors) await t.db.insertInto('enterprise_instructors').values({ enterprise_id: row.id, user_id: userIds[i], assigned_at: now }).execute();
          }
          for (const a of actors) {
            const who = { userId: userIds[a.user], roles: a.roles, regionCode: a.regionCode };
            const listed = (
              await t.db
                .selectFrom('enterprises')
                .select('id')
                .where('id', 'in', rows.map((r) => r.id))
                .where(visibleEnterprises(who))
                .execute()
            ).map((r) => r.id);
            const allowed = rows
              .filter((row) => canViewEnterprise(who, { regionCode: row.region, managerIds: row.managers.map((m) => userIds[m]), instructorIds: row.instructors.map((i) => userIds[i]) }))
              .map((row) => row.id);
            expect(new Set(listed)).toEqual(new Set(allowed));
          }
        } finally {
          const ids = rows.map((r) => r.id);
          await t.db.deleteFrom('enterprise_managers').where('enterprise_id', 'in', ids).execute();
          await t.db.deleteFrom('enterprise_instructors').where('enterprise_id', 'in', ids).execute();
          await t.db.deleteFrom('enterprises').where('id', 'in', ids).execute();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('the rule itself: a town officer sees the town, a county officer the county, a city officer the city', () => {
    const facts = { regionCode: '330483107200', managerIds: [], instructorIds: [] };
    const officer = (regionCode: string) => ({ userId: 'u', roles: ['officer' as Role], regionCode });
    expect(canViewEnterprise(officer('330483107'), facts)).toBe(true);
    expect(canViewEnterprise(officer('330483103'), facts)).toBe(false);
    expect(canViewEnterprise(officer('330483'), facts)).toBe(true);
    expect(canViewEnterprise(officer('330400'), facts)).toBe(true);
    expect(canViewEnterprise(officer('330600'), facts)).toBe(false);
    expect(canViewEnterprise({ userId: 'u', roles: ['bank'], regionCode: '330483107' }, facts)).toBe(false);
    expect(canViewEnterprise({ userId: 'u', roles: ['handler'], regionCode: '330483107' }, facts)).toBe(false);
  });
});
