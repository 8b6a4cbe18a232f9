import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Clock } from './clock.js';
import { newId } from './crypto.js';
import type { Db, Executor } from './db/database.js';
import { dialectOf } from './db/dialect.js';
import type { Database } from './db/schema.js';

/**
 * Background jobs kept in the database, so any instance can run, report and resume them: nothing a second
 * instance needs lives in process memory. A worker claims a job by taking a lease (`locked_by`,
 * `locked_until`) and renews it while it works; a job whose worker died is claimed again once its lease has
 * run out, at most `maxAttempts` times (a job that keeps killing its worker must not crash-loop the server).
 */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** `attempts` is added to `jobs` by migration 20261125-1100-create-imports, `run_after` by 20261125-1300-create-notifications. */
type JobsTable = Database['jobs'] & { attempts: number; run_after: string | null };
type JobsDb = { jobs: JobsTable };

export interface Job<Payload = unknown> {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  payload: Payload;
  result: unknown;
  error: string | null;
  createdBy: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** What a handler may do while it runs: report progress (which also renews the lease). */
export interface JobContext {
  progress(percent: number): Promise<void>;
}

export type JobHandler = (job: Job<any>, context: JobContext) => Promise<unknown>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  /** Idle wait between polls when there is nothing to do. */
  pollMs?: number;
  /** How long a claim holds before another worker may take the job over; renewed by progress and heartbeat. */
  lockMs?: number;
  workerId?: string;
  maxAttempts?: number;
  /** Where a handler's unexpected failure is reported (the job itself records the message). */
  onError?: (error: unknown, job: Job) => void;
}

export interface Worker {
  /** Claim and run one job; false when there was nothing to do. Tests drive the worker with this. */
  runOnce(): Promise<boolean>;
  /** Run every job that is ready now, then return how many ran. */
  drain(): Promise<number>;
  /** Start polling in the background. */
  start(): void;
  /** Stop polling and wait for the job in hand. */
  stop(): Promise<void>;
}

export const DEFAULT_LOCK_MS = 2 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 3;

function toJob(row: JobsTable): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as JobStatus,
    progress: Number(row.progress),
    payload: row.payload ? JSON.parse(row.payload) : null,
    result: row.result ? JSON.parse(row.result) : null,
    error: row.error,
    createdBy: row.created_by,
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createJobs({ db, clock }: { db: Db; clock: Clock }) {
  const jobsDb = (executor: Executor = db) => executor.withTables<JobsDb>();
  const now = () => clock.now().toISOString();
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  /**
   * Queue a job; pass the transaction of the change that asks for it so both commit together. `runAfter`
   * keeps it from being claimed before that time (a retry with backoff).
   */
  async function enqueue(kind: string, payload: unknown, createdBy: string | null, executor: Executor = db, options: { runAfter?: Date } = {}): Promise<string> {
    const id = newId();
    const at = now();
    const runAfter = options.runAfter ? options.runAfter.toISOString() : null;
    await jobsDb(executor)
      .insertInto('jobs')
      .values({ id, kind, status: 'queued', progress: 0, payload: JSON.stringify(payload ?? null), result: null, error: null, created_by: createdBy, created_at: at, updated_at: at, locked_by: null, locked_until: null, attempts: 0, run_after: runAfter })
      .execute();
    return id;
  }

  /** Whether a job of this kind waits in the queue (for self-renewing periodic jobs). */
  async function hasQueued(kind: string): Promise<boolean> {
    const row = await jobsDb().selectFrom('jobs').select('id').where('kind', '=', kind).where('status', '=', 'queued').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async function getJob(id: string, executor: Executor = db): Promise<Job | null> {
    const row = await jobsDb(executor).selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : null;
  }

  /**
   * Atomically take the oldest ready job of these kinds: queued, or running with an expired lease. One UPDATE
   * whose WHERE re-checks the condition, so two workers (two processes, two instances) never both win; on
   * PostgreSQL the inner SELECT also skips rows another worker is claiming right now.
   */
  async function claimNext(workerId: string, kinds: string[], options: { lockMs?: number; maxAttempts?: number } = {}): Promise<Job | null> {
    if (kinds.length === 0) return null;
    const at = now();
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    // A job whose worker died maxAttempts times is given up, not retried for ever.
    await jobsDb()
      .updateTable('jobs')
      .set({ status: 'failed', error: `gave up after ${maxAttempts} attempts (the worker stopped each time)`, locked_by: null, locked_until: null, updated_at: at })
      .where('kind', 'in', kinds)
      .where('status', '=', 'running')
      .where('locked_until', '<', at)
      .where('attempts', '>=', maxAttempts)
      .execute();
    const ready = (eb: any) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb.or([eb('run_after', 'is', null), eb('run_after', '<=', at)])]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<', at)]),
      ]);
    const isPostgres = dialectOf(db) === 'postgres';
    const next = jobsDb()
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', kinds)
      .where(ready)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .$if(isPostgres, (query) => query.forUpdate().skipLocked());
    const row = await jobsDb()
      .updateTable('jobs')
      .set({ status: 'running', locked_by: workerId, locked_until: later(options.lockMs ?? DEFAULT_LOCK_MS), updated_at: at, attempts: sql<number>`attempts + 1` })
      .where('id', '=', next)
      .where(ready)
      .returningAll()
      .executeTakeFirst();
    return row ? toJob(row) : null;
  }

  /** Renew the lease of a job this worker holds. */
  async function heartbeat(id: string, workerId: string, lockMs = DEFAULT_LOCK_MS): Promise<void> {
    await jobsDb().updateTable('jobs').set({ locked_until: later(lockMs), updated_at: now() }).where('id', '=', id).where('locked_by', '=', workerId).execute();
  }

  /** Report progress (0–100), renewing the lease. */
  async function progress(id: string, percent: number, workerId?: string, lockMs = DEFAULT_LOCK_MS): Promise<void> {
    const value = Math.max(0, Math.min(100, Math.round(percent)));
    await jobsDb()
      .updateTable('jobs')
      .set({ progress: value, updated_at: now(), ...(workerId ? { locked_until: later(lockMs) } : {}) })
      .where('id', '=', id)
      .$if(Boolean(workerId), (query) => query.where('locked_by', '=', workerId!))
      .execute();
  }

  /** Mark a job done; with `workerId`, only while that worker still holds it (a worker whose lease ran out must not overwrite its successor). */
  async function complete(id: string, result: unknown = null, workerId?: string): Promise<void> {
    await jobsDb()
      .updateTable('jobs')
      .set({ status: 'done', progress: 100, result: JSON.stringify(result ?? null), locked_by: null, locked_until: null, updated_at: now() })
      .where('id', '=', id)
      .$if(Boolean(workerId), (query) => query.where('locked_by', '=', workerId!))
      .execute();
  }

  async function fail(id: string, error: string, workerId?: string): Promise<void> {
    await jobsDb()
      .updateTable('jobs')
      .set({ status: 'failed', error: error.slice(0, 2000), locked_by: null, locked_until: null, updated_at: now() })
      .where('id', '=', id)
      .$if(Boolean(workerId), (query) => query.where('locked_by', '=', workerId!))
      .execute();
  }

  /** Started workers of this process, woken by `wake()` instead of waiting out their idle poll. */
  const wakers = new Set<() => void>();

  /**
   * Tell this process's started workers that a job was just queued (call it after the enqueueing transaction
   * has committed): an idle worker claims it now rather than at its next poll. Other instances still poll.
   */
  function wake(): void {
    for (const waker of wakers) waker();
  }

  /** A worker over the given handlers; `startWorker` starts it polling, tests call `runOnce`/`drain` instead. */
  function worker(options: WorkerOptions): Worker {
    const workerId = options.workerId ?? `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
    const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
    const pollMs = options.pollMs ?? 1000;
    const kinds = Object.keys(options.handlers);
    let running = false;
    let current: Promise<unknown> = Promise.resolve();
    let timer: NodeJS.Timeout | null = null;
    // Busy between claiming and finishing; a wake-up that arrives then makes the next poll immediate.
    let busy = false;
    let woken = false;

    async function runOnce(): Promise<boolean> {
      const job = await claimNext(workerId, kinds, { lockMs, maxAttempts: options.maxAttempts });
      if (!job) return false;
      const context: JobContext = { progress: (percent) => progress(job.id, percent, workerId, lockMs) };
      try {
        const result = await options.handlers[job.kind](job, context);
        await complete(job.id, result ?? null, workerId);
      } catch (error) {
        options.onError?.(error, job);
        await fail(job.id, error instanceof Error ? error.message : String(error), workerId);
      }
      return true;
    }

    async function drain(): Promise<number> {
      let count = 0;
      while (await runOnce()) count += 1;
      return count;
    }

    function schedule(delay: number) {
      if (!running) return;
      timer = setTimeout(() => {
        timer = null;
        busy = true;
        woken = false;
        current = runOnce().then(
          (didWork) => {
            busy = false;
            schedule(didWork || woken ? 0 : pollMs);
          },
          (error: unknown) => {
            busy = false;
            // The database may be briefly unavailable; keep polling rather than die.
            options.onError?.(error, null as unknown as Job);
            schedule(pollMs);
          },
        );
      }, delay);
      timer.unref?.();
    }

    function onWake() {
      if (!running) return;
      if (busy) {
        woken = true;
        return;
      }
      if (timer) clearTimeout(timer);
      schedule(0);
    }

    return {
      runOnce,
      drain,
      start() {
        if (running) return;
        running = true;
        wakers.add(onWake);
        schedule(0);
      },
      async stop() {
        running = false;
        wakers.delete(onWake);
        if (timer) clearTimeout(timer);
        await current.catch(() => undefined);
      },
    };
  }

  /** Create a worker and start it polling (main.ts). */
  function startWorker(options: WorkerOptions): Worker {
    const started = worker(options);
    started.start();
    return started;
  }

  return { enqueue, wake, hasQueued, getJob, claimNext, heartbeat, progress, complete, fail, worker, startWorker };
}

export type Jobs = ReturnType<typeof createJobs>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The background job worker: built by app.ts, started by main.ts, driven by tests with runOnce/drain. */
    worker: Worker;
  }
}
