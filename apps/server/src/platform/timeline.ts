import type { Actor } from './actor.js';
import type { Clock } from './clock.js';
import type { Trx } from './db/database.js';
import { maskPersonalData } from './audit/masking.js';

/**
 * The enterprise file's timeline contract. Every module appends here in the transaction of its change.
 * `type` is `<module>.<verb>`; a module adds types and never changes the meaning of an existing one.
 * `summary` is one line a person reads in the file (Chinese, the data language); `data` is the module's JSON.
 */
export interface TimelineEntry {
  enterpriseId: string;
  type: string;
  summary: string;
  data?: Record<string, unknown>;
}

export function createTimeline({ clock }: { clock: Clock }) {
  /** One entry, in the transaction of the change it records. */
  async function append(trx: Trx, actor: Pick<Actor, 'userId' | 'username'> | null, entry: TimelineEntry) {
    await appendMany(trx, actor, [entry]);
  }

  /** Many entries, 500 per statement (imports, bulk loads). */
  async function appendMany(trx: Trx, actor: Pick<Actor, 'userId' | 'username'> | null, entries: TimelineEntry[]) {
    const at = clock.now().toISOString();
    for (let start = 0; start < entries.length; start += 500) {
      await trx
        .insertInto('enterprise_events')
        .values(
          entries.slice(start, start + 500).map((entry) => ({
            enterprise_id: entry.enterpriseId,
            at,
            type: entry.type,
            actor_user_id: actor?.userId || null,
            actor_name: actor?.username ?? null,
            summary: entry.summary,
            data: entry.data ? JSON.stringify(maskPersonalData(entry.data)) : null,
          })),
        )
        .execute();
    }
  }

  return { append, appendMany };
}

export type Timeline = ReturnType<typeof createTimeline>;
