import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { sha256Hex } from '../../platform/crypto.js';
import type { Database } from '../../platform/db/schema.js';

export interface ReferenceEntry {
  code: string;
  name: string;
  level: number;
  parent?: string | null;
}

const dataFile = (name: string) => new URL(`./${name}.json`, import.meta.url);

let cached: { industries: ReferenceEntry[]; regions: ReferenceEntry[]; version: string } | undefined;

/** GB/T 4754-2017 industries and the statistical division subset, as shipped in this folder. */
export function referenceData() {
  if (!cached) {
    const industriesText = readFileSync(dataFile('industries'), 'utf8');
    const regionsText = readFileSync(dataFile('regions'), 'utf8');
    cached = {
      industries: JSON.parse(industriesText) as ReferenceEntry[],
      regions: JSON.parse(regionsText) as ReferenceEntry[],
      version: sha256Hex(industriesText + regionsText),
    };
  }
  return cached;
}

/**
 * Make the industries and regions tables match the shipped files. Runs after every migration; does nothing
 * when the stored version already matches, so start-up stays cheap.
 */
export async function syncReferenceData(db: Kysely<Database>): Promise<void> {
  const { industries, regions, version } = referenceData();
  const stored = await db.selectFrom('settings').select('value').where('key', '=', 'reference.version').executeTakeFirst();
  if (stored?.value === version) return;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('industries').execute();
    await trx.deleteFrom('regions').execute();
    for (const [table, rows] of [['industries', industries], ['regions', regions]] as const) {
      for (let start = 0; start < rows.length; start += 500) {
        await trx
          .insertInto(table)
          .values(rows.slice(start, start + 500).map((row) => ({ code: row.code, name: row.name, level: row.level, parent: row.parent ?? null })))
          .execute();
      }
    }
    if (stored) await trx.updateTable('settings').set({ value: version }).where('key', '=', 'reference.version').execute();
    else await trx.insertInto('settings').values({ key: 'reference.version', value: version }).execute();
  });
}

/** Ancestors of an industry code, for the denormalised filter columns. Unknown codes return null. */
export function industryLineage(code: string): { section: string; division: string | null; group: string | null } | null {
  const byCode = industryIndex();
  if (!byCode.has(code)) return null;
  if (/^[A-T]$/.test(code)) return { section: code, division: null, group: null };
  const division = code.slice(0, 2);
  const section = byCode.get(division)?.parent;
  if (!section) return null;
  return { section, division, group: code.length >= 3 ? code.slice(0, 3) : null };
}

let industryMap: Map<string, ReferenceEntry> | undefined;
function industryIndex() {
  industryMap ??= new Map(referenceData().industries.map((entry) => [entry.code, entry]));
  return industryMap;
}

let regionMap: Map<string, ReferenceEntry> | undefined;
export function regionByCode(code: string): ReferenceEntry | undefined {
  regionMap ??= new Map(referenceData().regions.map((entry) => [entry.code, entry]));
  return regionMap.get(code);
}

export function industryByCode(code: string): ReferenceEntry | undefined {
  return industryIndex().get(code);
}
