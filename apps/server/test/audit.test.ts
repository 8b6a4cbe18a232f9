import { afterEach, describe, expect, it } from 'vitest';
import { createAuditService, verifyAuditChain } from '../src/platform/audit/audit.service.js';
import { createTestClock } from '../src/platform/clock.js';
import { type DatabaseHandle, type DatabaseTarget, openDatabase } from '../src/platform/db/database.js';
import { TEST_PG_ROLE, type TestApp, asOwnerWithoutTriggers, createTestApp, createTestDatabase, dialects, login, makeUser } from './harness.js';


describe.each(dialects())('audit trail protection on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** A fresh database with exactly four chained audit rows, and its runtime (least-privilege) connection. */
  async function chainOfFour(): Promise<{ target: DatabaseTarget; runtime: DatabaseHandle }> {
    const { target, drop } = await createTestDatabase(dialect);
    const runtime = openDatabase(target, { pgRole: dialect === 'postgres' ? TEST_PG_ROLE : undefined });
    cleanups.push(drop, () => runtime.destroy());
    const audit = createAuditService({ clock: createTestClock() });
    for (let i = 1; i <= 4; i += 1) {
      await audit.appendAlone(runtime.db, { actor: null, action: 'test.event', ip: '10.0.0.1', result: 'success', detail: { n: i } });
    }
    return { target, runtime };
  }

  it('the runtime connection cannot update or delete audit rows', async () => {
    const t: TestApp = await createTestApp(dialect);
    cleanups.push(() => t.close());
    await login(t, await makeUser(t));
    const refusal = dialect === 'sqlite' ? /append-only/ : /permission denied/;
    await expect(t.db.deleteFrom('audit_events').execute()).rejects.toThrow(refusal);
    await expect(t.db.updateTable('audit_events').set({ detail: null }).execute()).rejects.toThrow(refusal);
    expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true, checked: 1 });
  });

  it('names the first modified row', async () => {
    const { target, runtime } = await chainOfFour();
    expect(await verifyAuditChain(runtime.db)).toEqual({ intact: true, checked: 4, firstBrokenId: null, reason: null });
    await asOwnerWithoutTriggers(target, 'UPDATE audit_events SET detail = $1 WHERE id = $2', ['{"n":20}', 2]);
    expect(await verifyAuditChain(runtime.db)).toEqual({ intact: false, checked: 1, firstBrokenId: 2, reason: 'content does not match its hash' });
  });

  it('names a deleted row as missing', async () => {
    const { target, runtime } = await chainOfFour();
    await asOwnerWithoutTriggers(target, 'DELETE FROM audit_events WHERE id = $1', [3]);
    const result = await verifyAuditChain(runtime.db);
    expect(result).toMatchObject({ intact: false, checked: 2, firstBrokenId: 3 });
    expect(result.reason).toMatch(/row 3 is missing/);
  });

  it('finds a gap across batch boundaries; a cut-off tail needs an anchor kept elsewhere', async () => {
    const { target, runtime } = await chainOfFour();
    await asOwnerWithoutTriggers(target, 'DELETE FROM audit_events WHERE id = $1', [4]);
    // Deleting the last row leaves a chain that is intact as far as it goes: detecting truncation needs an anchor
    // kept elsewhere (the row count printed by `qinqing backup`, for instance).
    expect(await verifyAuditChain(runtime.db, 2)).toMatchObject({ intact: true, checked: 3 });
    await asOwnerWithoutTriggers(target, 'DELETE FROM audit_events WHERE id = $1', [2]);
    expect(await verifyAuditChain(runtime.db, 2)).toMatchObject({ intact: false, firstBrokenId: 2 });
  });
});
