import { createAppealCategories } from './appeal-categories.js';
import { type AppealsServiceDeps, createAppealContext } from './appeal-context.js';
import { createAppealIntake } from './appeal-intake.js';
import { createAppealQueries } from './appeal-queries.js';
import { createOverdueSweep } from './appeal-sweep.js';
import { createAppealWorkflow } from './appeal-workflow.js';

export type { AppealsServiceDeps, Notify } from './appeal-context.js';

/**
 * Appeals (诉求): submission, the loop of domain-rules §5 on the working-day clock, and its history. Put together
 * from one file per use case, all sharing one context (deps, the record of a step, who is told):
 * - appeal-queries.ts   the appeal page (with `allowedActions`), the list and its filters, access checks
 * - appeal-intake.ts    similar open appeals, submission
 * - appeal-workflow.ts  every step after submission, one transaction each
 * - appeal-sweep.ts     the overdue sweep (催办, 通报)
 * - appeal-categories.ts categories and their time limits
 */
export function createAppealsService(deps: AppealsServiceDeps) {
  const context = createAppealContext(deps);
  const queries = createAppealQueries(context);
  const intake = createAppealIntake(context, queries);
  const workflow = createAppealWorkflow(context, queries);
  const categories = createAppealCategories(context);
  const sweep = createOverdueSweep(context);
  return {
    getAppeal: queries.getAppeal,
    findAppeals: queries.findAppeals,
    findSimilar: intake.findSimilar,
    ...categories,
    submitAppeal: intake.submitAppeal,
    submitIn: intake.submitIn,
    ...workflow,
    sweepOverdue: sweep.sweepOverdue,
    loadVisible: queries.loadVisible,
  };
}

export type AppealsService = ReturnType<typeof createAppealsService>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The appeals service, for the job worker and tests (the overdue sweep). */
    appeals: AppealsService;
  }
}
