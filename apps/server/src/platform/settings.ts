import type { PasswordProfile } from '@qinqing/contracts';
import type { Db, Executor } from './db/database.js';

/** Settings an administrator can change at run time, stored in the database (shared by all instances). */
export function createSettings({ db, defaultPasswordProfile }: { db: Db; defaultPasswordProfile: PasswordProfile }) {
  async function get(key: string, executor: Executor = db): Promise<string | undefined> {
    const row = await executor.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async function set(executor: Executor, key: string, value: string): Promise<void> {
    const updated = await executor.updateTable('settings').set({ value }).where('key', '=', key).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await executor.insertInto('settings').values({ key, value }).execute();
  }

  async function passwordProfile(executor: Executor = db): Promise<PasswordProfile> {
    const value = await get('security.passwordProfile', executor);
    return value === 'asvs' || value === 'dengbao' ? value : defaultPasswordProfile;
  }

  return { get, set, passwordProfile };
}

export type Settings = ReturnType<typeof createSettings>;
