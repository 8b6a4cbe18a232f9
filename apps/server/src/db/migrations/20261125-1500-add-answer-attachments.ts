import type { Kysely } from 'kysely';

/**
 * A unit's answer (答复) may carry files: an attachment belongs to the appeal (part_id null, the enterprise's and
 * the officers' files) or to one unit's part (the files of its answer). Same table, same checks, same download.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('appeal_attachments').addColumn('part_id', 'text', (c) => c.references('appeal_parts.id')).execute();
  await db.schema.createIndex('appeal_attachments_part').on('appeal_attachments').columns(['part_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('appeal_attachments_part').execute();
  await db.schema.alterTable('appeal_attachments').dropColumn('part_id').execute();
}
