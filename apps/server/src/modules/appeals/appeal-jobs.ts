import type { Jobs } from '../../platform/jobs.js';
import type { AppealsService } from './appeals.service.js';

export const SWEEP_JOB = 'appeals.sweep';
/** How often the overdue sweep runs; it is idempotent, so the exact rhythm only decides how soon 催办 appears. */
export const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * The overdue sweep as a self-renewing job in the shared job table: any instance's worker may run it; after a
 * run it queues the next one unless another is already queued (two instances converge on one chain).
 */
export function appealJobHandlers({ appeals, jobs, now }: { appeals: AppealsService; jobs: Jobs; now: () => Date }) {
  return {
    [SWEEP_JOB]: async () => {
      const result = await appeals.sweepOverdue();
      await scheduleSweep(jobs, now, SWEEP_EVERY_MS);
      return result;
    },
  };
}

/** Queue a sweep (after `delayMs`) unless one is already waiting. Called at start-up and after each sweep. */
export async function scheduleSweep(jobs: Jobs, now: () => Date, delayMs = 0): Promise<void> {
  if (await jobs.hasQueued(SWEEP_JOB)) return;
  await jobs.enqueue(SWEEP_JOB, null, null, undefined, { runAfter: new Date(now().getTime() + delayMs) });
}
