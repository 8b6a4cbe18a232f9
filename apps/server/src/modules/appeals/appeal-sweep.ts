import { addCalendarDays } from '../../platform/calendar.js';
import type { AppealContext } from './appeal-context.js';
import { REPORT_AFTER_DAYS, isPartOverdue } from './appeal-rules.js';
import { isOverdueOn, selectAppeal, selectParts } from './appeal-rows.js';

/** The overdue sweep: 催办 the working day after a part's deadline, 通报 five working days later. */
export function createOverdueSweep(context: AppealContext) {
  const { db, calendar, today, record, tell, unitPeople, leadersFor, officersFor } = context;

  /**
   * Run by the job worker (and `qinqing appeals sweep`): idempotent, so any instance may run it any number of
   * times a day. Returns how many parts were urged and reported.
   */
  async function sweepOverdue(): Promise<{ urged: number; reported: number }> {
    const day = today();
    const candidates = await db
      .selectFrom('appeal_parts')
      .select(['id', 'appeal_id', 'due_date', 'urged_for', 'reported_for'])
      .where((eb) => isOverdueOn(eb, day))
      .execute();
    let urged = 0;
    let reported = 0;
    if (candidates.length === 0) return { urged: 0, reported: 0 };
    // One calendar load for all: from the oldest deadline to well past today (deadlines are before today).
    const oldest = candidates.reduce((min, candidate) => (candidate.due_date < min ? candidate.due_date : min), day);
    const span = await calendar.span(oldest, addCalendarDays(day, 60));
    for (const candidate of candidates) {
      const urgeOn = span.addWorkdays(candidate.due_date, 1).date;
      const reportOn = span.addWorkdays(candidate.due_date, 1 + REPORT_AFTER_DAYS).date;
      const doUrge = day >= urgeOn && candidate.urged_for !== candidate.due_date;
      const doReport = day >= reportOn && candidate.reported_for !== candidate.due_date;
      if (!doUrge && !doReport) continue;
      await db.transaction().execute(async (trx) => {
        // Lock the case first: a second instance sweeping at the same moment waits here, then sees urged_for set.
        await trx.updateTable('appeals').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', candidate.appeal_id).execute();
        const part = (await selectParts(trx, [candidate.appeal_id])).find((row) => row.id === candidate.id);
        const row = await selectAppeal(trx, candidate.appeal_id);
        if (!part || !row || !isPartOverdue(part, day) || (part.urged_for === part.due_date && (part.reported_for === part.due_date || !doReport))) {
          throw new NothingToDo();
        }
        if (doUrge && part.urged_for !== part.due_date) {
          await trx.updateTable('appeal_parts').set({ urged_for: part.due_date }).where('id', '=', part.id).execute();
          await record(trx, row, null, null, { action: 'urge', part, from: row.status, to: row.status, data: { automatic: true, dueDate: part.due_date } });
          await tell(trx, row, await unitPeople(trx, [part.organisation_id]), 'urged', `已超期（期限 ${part.due_date}），系统催办`, null);
          urged += 1;
        }
        if (doReport && part.reported_for !== part.due_date) {
          await trx.updateTable('appeal_parts').set({ reported_for: part.due_date }).where('id', '=', part.id).execute();
          await record(trx, row, null, null, { action: 'report', part, from: row.status, to: row.status, data: { automatic: true, dueDate: part.due_date } });
          const people = [...(await unitPeople(trx, [part.organisation_id])), ...(await leadersFor(trx, row.region_code)), ...(await officersFor(trx, row.region_code))];
          await tell(trx, row, people, 'reported', `${part.organisation_name} 超期 ${REPORT_AFTER_DAYS} 个工作日未办结，予以通报`, null);
          reported += 1;
        }
      }).catch((error: unknown) => {
        if (!(error instanceof NothingToDo)) throw error; // rolled back: the version bump is undone too
      });
    }
    return { urged, reported };
  }

  return { sweepOverdue };
}

/** Thrown to roll back a sweep transaction that found its work already done by another instance. */
class NothingToDo extends Error {}
