import { describe, expect, it } from 'vitest';
import { inOneTransaction } from '../src/modules/demo/demo-transaction.js';
import { openDatabase } from '../src/platform/db/database.js';
import { TEST_PG_ROLE, createTestDatabase, dialects } from './harness.js';

describe.each(dialects())('the demo load’s one transaction (%s)', (dialect) => {
  async function withDatabase(run: (db: ReturnType<typeof openDatabase>['db']) => Promise<void>) {
    const { target, drop } = await createTestDatabase(dialect);
    const handle = openDatabase(target, { pgRole: dialect === 'postgres' ? TEST_PG_ROLE : undefined });
    try {
      await run(handle.db);
    } finally {
      await handle.destroy();
      await drop();
    }
  }
  const keys = async (db: ReturnType<typeof openDatabase>['db']) => (await db.selectFrom('settings').select('key').where('key', 'like', 't.%').orderBy('key').execute()).map((row) => row.key);
  const put = (db: ReturnType<typeof openDatabase>['db'], key: string) => db.insertInto('settings').values({ key, value: 'x' }).execute();

  it('commits what its services’ transactions committed; a transaction that rolls back is undone and the load goes on', async () => {
    await withDatabase(async (db) => {
      await inOneTransaction(db, async (joined) => {
        await put(joined, 't.plain');
        await joined.transaction().execute((trx) => put(trx, 't.committed'));
        await expect(
          joined.transaction().execute(async (trx) => {
            await put(trx, 't.undone');
            throw new Error('nothing to do');
          }),
        ).rejects.toThrow('nothing to do');
        // Queries side by side take turns on the one connection; the transaction sees its own writes.
        const [first, second] = await Promise.all([keys(joined), keys(joined)]);
        expect(first).toEqual(['t.committed', 't.plain']);
        expect(second).toEqual(first);
        // Nothing is visible outside before the end (PostgreSQL: another connection; SQLite: the file is write-locked).
        if (dialect === 'postgres') expect(await keys(db)).toEqual([]);
      });
      expect(await keys(db)).toEqual(['t.committed', 't.plain']);
    });
  });

  it('leaves nothing when the work fails, and the Db it lent refuses queries afterwards', async () => {
    await withDatabase(async (db) => {
      let lent: typeof db | undefined;
      await expect(
        inOneTransaction(db, async (joined) => {
          lent = joined;
          await put(joined, 't.first');
          await joined.transaction().execute((trx) => put(trx, 't.second'));
          throw new Error('step 1,234 failed');
        }),
      ).rejects.toThrow('step 1,234 failed');
      expect(await keys(db)).toEqual([]);
      await expect(keys(lent!)).rejects.toThrow('its transaction has ended');
    });
  });
});
