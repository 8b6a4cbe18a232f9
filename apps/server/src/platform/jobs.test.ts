import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, TEST_PG_ROLE } from '../../test/harness.js';
import { createTestClock } from './clock.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { createJobs } from './jobs.js';

describe.each(dialects())('database-backed jobs on %s', (dialect) => {
  let database: DatabaseHandle;
  let drop: () => Promise<void>;
  const clock = createTestClock(new Date('2026-11-25T02:00:00.000Z'));
  beforeAll(async () => {
    const created = await createTestDatabase(dialect);
    drop = created.drop;
    database = openDatabase(created.target, { pgRole: dialect === 'postgres' ? TEST_PG_ROLE : undefined });
  });
  afterAll(async () => {
    await database?.destroy();
    await drop?.();
  });

  let kindSequence = 0;
  /** Each test claims its own kind, so tests do not see each other's jobs. */
  const freshKind = () => `test.kind${(kindSequence += 1)}`;

  it('a queued job is claimed once, by one worker, even when many ask at the same time', async () => {
    const jobs = createJobs({ db: database.db, clock });
    const kind = freshKind();
    const ids = [await jobs.enqueue(kind, { n: 1 }, null), await jobs.enqueue(kind, { n: 2 }, null), await jobs.enqueue(kind, { n: 3 }, null)];
    const claims = await Promise.all(Array.from({ length: 10 }, (_, index) => jobs.claimNext(`worker-${index}`, [kind])));
    const claimed = claims.filter((job) => job !== null).map((job) => job!.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    // Whatever a race left unclaimed is claimed by the next polls; no job is ever handed out twice.
    for (let job = await jobs.claimNext('late', [kind]); job; job = await jobs.claimNext('late', [kind])) claimed.push(job.id);
    expect(claimed.sort()).toEqual([...ids].sort());
    const job = await jobs.getJob(ids[0]);
    expect(job).toMatchObject({ status: 'running', attempts: 1, payload: { n: 1 } });
    expect(await jobs.claimNext('another', [kind])).toBeNull();
  });

  it('a job whose worker died is claimed again once its lease runs out, and given up after max attempts', async () => {
    const jobs = createJobs({ db: database.db, clock });
    const kind = freshKind();
    const id = await jobs.enqueue(kind, {}, null);
    expect((await jobs.claimNext('dies', [kind], { lockMs: 60_000 }))?.id).toBe(id);
    clock.advance(30_000);
    expect(await jobs.claimNext('rescuer', [kind], { lockMs: 60_000 })).toBeNull();
    clock.advance(31_000);
    expect(await jobs.claimNext('rescuer', [kind], { lockMs: 60_000 })).toMatchObject({ id, attempts: 2 });
    // The dead worker's late answer does not overwrite its successor's claim.
    await jobs.complete(id, { stale: true }, 'dies');
    expect(await jobs.getJob(id)).toMatchObject({ status: 'running', result: null });
    clock.advance(61_000);
    expect(await jobs.claimNext('third', [kind], { lockMs: 60_000, maxAttempts: 3 })).toMatchObject({ id, attempts: 3 });
    clock.advance(61_000);
    expect(await jobs.claimNext('fourth', [kind], { lockMs: 60_000, maxAttempts: 3 })).toBeNull();
    expect(await jobs.getJob(id)).toMatchObject({ status: 'failed', error: expect.stringContaining('gave up after 3 attempts') });
  });

  it('heartbeat and progress renew the lease', async () => {
    const jobs = createJobs({ db: database.db, clock });
    const kind = freshKind();
    const id = await jobs.enqueue(kind, {}, null);
    await jobs.claimNext('busy', [kind], { lockMs: 60_000 });
    clock.advance(50_000);
    await jobs.progress(id, 40, 'busy', 60_000);
    clock.advance(50_000);
    await jobs.heartbeat(id, 'busy', 60_000);
    clock.advance(50_000);
    expect(await jobs.claimNext('thief', [kind], { lockMs: 60_000 })).toBeNull();
    expect(await jobs.getJob(id)).toMatchObject({ progress: 40, status: 'running' });
  });

  it('the worker runs handlers: done with the result, failed with the message, progress recorded', async () => {
    const jobs = createJobs({ db: database.db, clock });
    const [good, bad] = [freshKind(), freshKind()];
    const seen: number[] = [];
    const worker = jobs.worker({
      handlers: {
        [good]: async (job, context) => {
          await context.progress(50);
          seen.push((await jobs.getJob(job.id))!.progress);
          return { doubled: (job.payload as { n: number }).n * 2 };
        },
        [bad]: async () => {
          throw new Error('the file is unreadable');
        },
      },
    });
    const goodId = await jobs.enqueue(good, { n: 21 }, 'user-1');
    const badId = await jobs.enqueue(bad, {}, 'user-1');
    expect(await worker.drain()).toBe(2);
    expect(await worker.runOnce()).toBe(false);
    expect(seen).toEqual([50]);
    expect(await jobs.getJob(goodId)).toMatchObject({ status: 'done', progress: 100, result: { doubled: 42 }, createdBy: 'user-1' });
    expect(await jobs.getJob(badId)).toMatchObject({ status: 'failed', error: 'the file is unreadable' });
  });

  it('a started worker polls until stopped', async () => {
    const jobs = createJobs({ db: database.db, clock });
    const kind = freshKind();
    let runs = 0;
    const worker = jobs.startWorker({ handlers: { [kind]: async () => (runs += 1) }, pollMs: 10 });
    try {
      await jobs.enqueue(kind, {}, null);
      for (const started = Date.now(); runs === 0 && Date.now() - started < 5000; ) await new Promise((done) => setTimeout(done, 10));
      expect(runs).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
