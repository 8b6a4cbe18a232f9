import type { CreateOrganisationInput, Organisation, OrganisationKind, UpdateOrganisationInput } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/crypto.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { containsPattern } from '../../platform/db/text.js';
import { invalidFields, notFound } from '../../platform/errors.js';

type OrganisationRow = Database['organisations'];

export interface OrganisationFilter {
  q?: string;
  kind?: OrganisationKind;
  page: number;
  pageSize: number;
}

function toOrganisation(row: OrganisationRow): Organisation {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OrganisationKind,
    regionCode: row.region_code,
    parentId: row.parent_id,
    isEnabled: row.is_enabled === 1,
    createdAt: row.created_at,
  };
}

/** Organisations: government units, departments, outside units, banks, enterprises, supervision. */
export function createOrganisationsService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  async function find(filter: OrganisationFilter): Promise<{ items: Organisation[]; total: number }> {
    let query = db.selectFrom('organisations');
    if (filter.q) query = query.where((eb) => eb(eb.fn('lower', ['name']), 'like', containsPattern(filter.q!)));
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('kind').orderBy('name').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute();
    return { items: rows.map(toOrganisation), total: Number(total) };
  }

  async function load(executor: Executor, id: string): Promise<Organisation> {
    const row = await executor.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    return toOrganisation(row);
  }

  async function assertUnique(executor: Executor, name: string, kind: string, exceptId?: string) {
    let query = executor.selectFrom('organisations').select('id').where('name', '=', name).where('kind', '=', kind);
    if (exceptId) query = query.where('id', '!=', exceptId);
    if (await query.executeTakeFirst()) throw invalidFields([{ field: 'name', message: 'organisation already exists' }]);
  }

  async function assertParent(executor: Executor, parentId: string | null | undefined, selfId?: string) {
    if (!parentId) return;
    if (parentId === selfId) throw invalidFields([{ field: 'parentId', message: 'an organisation cannot be its own parent' }]);
    const found = await executor.selectFrom('organisations').select('id').where('id', '=', parentId).executeTakeFirst();
    if (!found) throw invalidFields([{ field: 'parentId', message: 'unknown organisation' }]);
  }

  async function createOrganisation(input: CreateOrganisationInput, ctx: RequestContext): Promise<Organisation> {
    const actor = requireActor(ctx);
    const now = clock.now().toISOString();
    const id = newId();
    return db.transaction().execute(async (trx) => {
      await assertUnique(trx, input.name, input.kind);
      await assertParent(trx, input.parentId);
      await trx
        .insertInto('organisations')
        .values({ id, name: input.name, kind: input.kind, region_code: input.regionCode ?? null, parent_id: input.parentId ?? null, is_enabled: 1, created_at: now, updated_at: now })
        .execute();
      const created = await load(trx, id);
      await audit.append(trx, { actor, action: 'organisation.create', objectType: 'organisation', objectId: id, ip: ctx.ip, result: 'success', detail: { after: created } });
      return created;
    });
  }

  async function updateOrganisation(id: string, input: UpdateOrganisationInput, ctx: RequestContext): Promise<Organisation> {
    const actor = requireActor(ctx);
    return db.transaction().execute(async (trx) => {
      const before = await load(trx, id);
      await assertUnique(trx, input.name ?? before.name, input.kind ?? before.kind, id);
      await assertParent(trx, input.parentId, id);
      await trx
        .updateTable('organisations')
        .set({
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.kind === undefined ? {} : { kind: input.kind }),
          ...(input.regionCode === undefined ? {} : { region_code: input.regionCode }),
          ...(input.parentId === undefined ? {} : { parent_id: input.parentId }),
          ...(input.isEnabled === undefined ? {} : { is_enabled: input.isEnabled ? 1 : 0 }),
          updated_at: clock.now().toISOString(),
        })
        .where('id', '=', id)
        .execute();
      const after = await load(trx, id);
      await audit.append(trx, { actor, action: 'organisation.update', objectType: 'organisation', objectId: id, ip: ctx.ip, result: 'success', detail: { before, after } });
      return after;
    });
  }

  return { find, getById: (id: string) => load(db, id), createOrganisation, updateOrganisation };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
