import { type ExpressionBuilder, type Expression, type SqlBool, sql } from 'kysely';
import type { Contact, Enterprise, EnterpriseFilter, EnterpriseListItem, EnterpriseScale, EnterpriseStatus } from '@qinqing/contracts';
import { maskPhone } from '../../platform/audit/masking.js';
import type { Dialect, Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { industryByCode, regionByCode } from '../reference/reference.js';
import { regionCondition } from './enterprises.access.js';

export type EnterpriseRow = Database['enterprises'];
type EB = ExpressionBuilder<Database, 'enterprises'>;

export interface StoredContact {
  name: string;
  title?: string | null;
  phone?: string | null;
}

export function parseList<T>(json: string): T[] {
  try {
    const value = JSON.parse(json);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

/** The API view of a row; contact phones masked unless the caller may and asked to reveal them. */
export function toEnterprise(row: EnterpriseRow, managerCount: number, revealPhones = false): Enterprise {
  const contacts = parseList<StoredContact>(row.contacts).map(
    (contact): Contact => ({ name: contact.name, title: contact.title ?? null, phone: revealPhones ? (contact.phone ?? null) : maskPhone(contact.phone) }),
  );
  return {
    id: row.id,
    creditCode: row.credit_code,
    creditCodeOverride: row.is_credit_code_override === 1,
    name: row.name,
    formerNames: parseList<string>(row.former_names),
    legalRepresentative: row.legal_representative,
    registeredCapital: row.registered_capital,
    establishedOn: row.established_on,
    industryCode: row.industry_code,
    industryName: industryByCode(row.industry_code)?.name ?? null,
    regionCode: row.region_code,
    regionName: regionByCode(row.region_code)?.name ?? null,
    revenue: row.revenue,
    scale: row.scale as EnterpriseScale,
    scaleOverrideReason: row.scale_override_reason,
    landArea: row.land_area,
    park: row.park,
    address: row.address,
    contacts,
    tags: parseList<string>(row.tags),
    status: row.status as EnterpriseStatus,
    managerCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toListItem(row: Pick<EnterpriseRow, 'id' | 'credit_code' | 'name' | 'industry_code' | 'region_code' | 'scale' | 'revenue' | 'land_area' | 'park' | 'status' | 'tags'>): EnterpriseListItem {
  return {
    id: row.id,
    creditCode: row.credit_code,
    name: row.name,
    industryCode: row.industry_code,
    industryName: industryByCode(row.industry_code)?.name ?? null,
    regionCode: row.region_code,
    regionName: regionByCode(row.region_code)?.name ?? null,
    scale: row.scale as EnterpriseScale,
    revenue: row.revenue,
    landArea: row.land_area,
    park: row.park,
    status: row.status as EnterpriseStatus,
    tags: parseList<string>(row.tags),
  };
}

export const listColumns = ['id', 'credit_code', 'name', 'industry_code', 'region_code', 'scale', 'revenue', 'land_area', 'park', 'status', 'tags'] as const;

/** Characters a search matches on: letters lower-cased, whitespace and punctuation dropped. */
function searchChars(text: string): string[] {
  return [...text.toLowerCase()].filter((char) => /[\p{L}\p{N}]/u.test(char));
}

/** 1- and 2-character grams of names and address, for queries too short for trigram search. */
export function nameGrams(names: string[]): string[] {
  const grams = new Set<string>();
  for (const name of names) {
    const chars = searchChars(name);
    chars.forEach((char, index) => {
      grams.add(char);
      if (index + 1 < chars.length) grams.add(char + chars[index + 1]);
    });
  }
  return [...grams];
}

export function searchTextOf(row: Pick<EnterpriseRow, 'name' | 'former_names' | 'address'>): string {
  return [row.name, ...parseList<string>(row.former_names), row.address ?? ''].join(' ').toLowerCase();
}

/**
 * Keep the search structures of these enterprises in step with their rows (same transaction as the write).
 * `fresh` rows were just inserted and have nothing to replace, which spares bulk loads the deletes.
 */
export async function indexForSearch(trx: Executor, dialect: Dialect, rows: Array<Pick<EnterpriseRow, 'id' | 'name' | 'former_names' | 'address'>>, options: { fresh?: boolean } = {}) {
  if (rows.length === 0) return;
  for (let start = 0; start < rows.length; start += 300) {
    const chunk = rows.slice(start, start + 300);
    const documents = chunk.map((row) => ({ id: row.id, text: searchTextOf(row), grams: nameGrams([row.name, ...parseList<string>(row.former_names), row.address ?? '']).join(' ') }));
    if (dialect === 'sqlite') {
      if (!options.fresh) {
        const ids = sql.join(chunk.map((row) => row.id));
        await sql`DELETE FROM enterprises_fts WHERE enterprise_id IN (${ids})`.execute(trx);
        await sql`DELETE FROM enterprises_fts_short WHERE enterprise_id IN (${ids})`.execute(trx);
      }
      await sql`INSERT INTO enterprises_fts (enterprise_id, text) VALUES ${sql.join(documents.map((d) => sql`(${d.id}, ${d.text})`))}`.execute(trx);
      await sql`INSERT INTO enterprises_fts_short (enterprise_id, grams) VALUES ${sql.join(documents.map((d) => sql`(${d.id}, ${d.grams})`))}`.execute(trx);
    } else {
      const values = sql.join(documents.map((d) => sql`(${d.id}, ${d.text}, ${d.grams})`));
      await sql`UPDATE enterprises SET search_text = v.text, search_grams = string_to_array(v.grams, ' ') FROM (VALUES ${values}) AS v(id, text, grams) WHERE enterprises.id = v.id`.execute(trx);
    }
  }
}

export type SearchMode = 'index' | 'scan';

/**
 * How to answer a short (1–2 character) query on SQLite. A term most enterprises contain (崇福 is in every
 * address of the town) costs hundreds of milliseconds through the index (every posting, then a sort), but
 * finds a page at once by scanning in name order; rare terms are the opposite.
 */
export async function chooseSearchMode(db: Executor, dialect: Dialect, q: string | undefined): Promise<SearchMode> {
  if (!q || dialect !== 'sqlite') return 'index';
  const chars = searchChars(q);
  if (chars.length === 0 || chars.length > 2) return 'index';
  const docs = await sql<{ doc: number }>`SELECT doc FROM enterprises_fts_short_vocab WHERE term = ${chars.join('')}`.execute(db);
  const matches = Number(docs.rows[0]?.doc ?? 0);
  if (matches < 1000) return 'index';
  const total = await sql<{ n: number | null }>`SELECT max(rowid) AS n FROM enterprises_fts_short`.execute(db);
  return matches * 10 > Number(total.rows[0]?.n ?? 0) ? 'scan' : 'index';
}

/** Full-text condition: trigram index for 3+ characters, the short-term index (or a scan) for 1–2. */
export function searchCondition(eb: EB, dialect: Dialect, q: string, mode: SearchMode = 'index'): Expression<SqlBool> {
  const chars = searchChars(q);
  const text = chars.join('');
  if (chars.length === 0) return eb.lit(true);
  if (mode === 'scan') {
    return sql<SqlBool>`(instr(lower(enterprises.name), ${text}) > 0 OR instr(lower(coalesce(enterprises.address, '')), ${text}) > 0 OR instr(lower(enterprises.former_names), ${text}) > 0)`;
  }
  if (chars.length <= 2) {
    if (dialect === 'sqlite') return eb('enterprises.id', 'in', sql<string>`(SELECT enterprise_id FROM enterprises_fts_short WHERE enterprises_fts_short MATCH ${`"${text}"`})`);
    return sql<SqlBool>`enterprises.search_grams @> ARRAY[${text}]::text[]`;
  }
  if (dialect === 'sqlite') {
    const phrase = `"${text.replace(/"/g, '""')}"`;
    return eb('enterprises.id', 'in', sql<string>`(SELECT enterprise_id FROM enterprises_fts WHERE enterprises_fts MATCH ${phrase})`);
  }
  return sql<SqlBool>`enterprises.search_text LIKE ${`%${text}%`}`;
}

/** Filters other than scope and text. */
export function filterConditions(eb: EB, filter: EnterpriseFilter): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.industry) {
    const code = filter.industry;
    if (/^[A-T]$/.test(code)) conditions.push(eb('enterprises.industry_section', '=', code));
    else if (code.length === 2) conditions.push(eb('enterprises.industry_division', '=', code));
    else if (code.length === 3) conditions.push(eb('enterprises.industry_group', '=', code));
    else conditions.push(eb('enterprises.industry_code', '=', code));
  }
  if (filter.region) conditions.push(regionCondition(eb, filter.region));
  if (filter.scale) conditions.push(eb('enterprises.scale', '=', filter.scale));
  if (filter.status) conditions.push(eb('enterprises.status', '=', filter.status));
  if (filter.park) conditions.push(eb('enterprises.park', '=', filter.park));
  // IN (…) rather than EXISTS: the planner then starts from the tag index instead of probing every enterprise.
  for (const tag of filter.tags ?? []) {
    conditions.push(eb('enterprises.id', 'in', eb.selectFrom('enterprise_tags').select('enterprise_tags.enterprise_id').where('enterprise_tags.tag', '=', tag)));
  }
  return conditions;
}

export async function replaceTags(trx: Executor, enterpriseId: string, tags: string[]) {
  await trx.deleteFrom('enterprise_tags').where('enterprise_id', '=', enterpriseId).execute();
  if (tags.length) await trx.insertInto('enterprise_tags').values(tags.map((tag) => ({ enterprise_id: enterpriseId, tag }))).execute();
}

export async function countManagers(db: Executor, enterpriseId: string): Promise<number> {
  const row = await db.selectFrom('enterprise_managers').select((eb) => eb.fn.countAll<number>().as('n')).where('enterprise_id', '=', enterpriseId).executeTakeFirstOrThrow();
  return Number(row.n);
}
