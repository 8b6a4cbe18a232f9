import type { CreateAppealCategoryInput, UpsertAppealCategoryInput } from '@qinqing/contracts';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import { invalidFields, notFound } from '../../platform/errors.js';
import type { AppealContext } from './appeal-context.js';

/** Appeal categories (诉求类别) and their time limits in working days, edited by officers (audited). */
export function createAppealCategories({ db, audit }: Pick<AppealContext, 'db' | 'audit'>) {
  async function listCategories() {
    const rows = await db.selectFrom('appeal_categories').selectAll().orderBy('sort_order').orderBy('code').execute();
    return rows.map((row) => ({ code: row.code, name: row.name, nameEn: row.name_en, deadlineDays: row.deadline_days, isEnabled: row.is_enabled === 1, sortOrder: row.sort_order }));
  }

  /** A new category; its code is the identifier appeals keep, so an existing one is never overwritten. */
  async function createCategory(input: CreateAppealCategoryInput, ctx: RequestContext) {
    return saveCategory(input.code, input, 'create', ctx);
  }

  async function updateCategory(code: string, input: UpsertAppealCategoryInput, ctx: RequestContext) {
    return saveCategory(code, input, 'update', ctx);
  }

  async function saveCategory(code: string, input: UpsertAppealCategoryInput, mode: 'create' | 'update', ctx: RequestContext) {
    const actor = requireActor(ctx);
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('appeal_categories').selectAll().where('code', '=', code).executeTakeFirst();
      if (mode === 'create' && before) throw invalidFields([{ field: 'code', message: 'code already in use' }]);
      if (mode === 'update' && !before) throw notFound();
      const values = { name: input.name, name_en: input.nameEn, deadline_days: input.deadlineDays, is_enabled: input.isEnabled ? 1 : 0, sort_order: input.sortOrder };
      if (before) await trx.updateTable('appeal_categories').set(values).where('code', '=', code).execute();
      else await trx.insertInto('appeal_categories').values({ code, ...values }).execute();
      await audit.append(trx, { actor, action: `appeal-category.${mode}`, objectType: 'appeal_category', objectId: code, ip: ctx.ip, result: 'success', detail: { before, after: values } });
    });
    return (await listCategories()).find((category) => category.code === code)!;
  }

  return { listCategories, createCategory, updateCategory };
}
