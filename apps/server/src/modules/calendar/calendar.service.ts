import type { CalendarDay, CalendarSource, CalendarYear, CalendarYearDays, SetCalendarDayInput, WorkdayDate } from '@qinqing/contracts';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { type RequestContext, requireActor } from '../../platform/actor.js';
import type { Calendar } from '../../platform/calendar.js';
import { dayNumber, isMondayToFriday } from '../../platform/calendar.js';
import { packagedCalendar } from '../../platform/calendar-sync.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/database.js';
import { conflict, notFound } from '../../platform/errors.js';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  calendar: Calendar;
}

/** The working-day calendar's maintenance (the State Council's yearly notice) and the due-date tool. */
export function createCalendarService({ db, clock, audit, calendar }: Deps) {
  /** The due date `days` working days after `from` (see platform/calendar.ts). */
  async function addWorkdays(from: string, days: number): Promise<WorkdayDate> {
    return calendar.addWorkdays(from, days);
  }

  /** The years whose notice is in the calendar, oldest first. */
  async function findYears(): Promise<CalendarYear[]> {
    const rows = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
    return rows.map((row) => ({ year: Number(row.year), source: row.source as CalendarSource, updatedAt: row.updated_at }));
  }

  /** One year's deviations from Monday–Friday and whether its notice is in. */
  async function getYearDays(year: number): Promise<CalendarYearDays> {
    const known = await db.selectFrom('calendar_years').select('source').where('year', '=', year).executeTakeFirst();
    const rows = await selectDays(db).where('calendar_days.date', '>=', `${year}-01-01`).where('calendar_days.date', '<=', `${year}-12-31`).orderBy('calendar_days.date').execute();
    return { year, isKnown: Boolean(known), source: (known?.source as CalendarSource | undefined) ?? null, days: rows.map(toDay) };
  }

  /**
   * Make a date a working day or a day off. A value equal to Monday–Friday needs no row, unless the package
   * says otherwise for that date: then a manual row keeps the correction through the next sync.
   */
  async function setDay(date: string, input: SetCalendarDayInput, ctx: RequestContext): Promise<CalendarDay> {
    const actor = requireActor(ctx);
    const at = clock.now().toISOString();
    const isDefault = input.isWorkday === isMondayToFriday(dayNumber(date));
    const needsRow = !isDefault || packagedCalendar().deviations.has(date);
    return db.transaction().execute(async (trx) => {
      const before = await getDay(trx, date);
      let after: CalendarDay;
      if (needsRow) {
        const values = { is_workday: input.isWorkday ? 1 : 0, name: input.name ?? null, source: 'manual', updated_at: at, updated_by: actor.userId || null };
        await trx
          .insertInto('calendar_days')
          .values({ date, ...values })
          .onConflict((conflict) => conflict.column('date').doUpdateSet(values))
          .execute();
        after = { date, isWorkday: input.isWorkday, name: values.name, source: 'manual', updatedAt: at, updatedBy: actor.username };
      } else {
        await trx.deleteFrom('calendar_days').where('date', '=', date).execute();
        after = defaultDay(date);
      }
      await audit.append(trx, { actor, action: 'calendar.day.set', objectType: 'calendar-day', objectId: date, ip: ctx.ip, result: 'success', detail: { before: summary(before), after: summary(after) } });
      return after;
    });
  }

  /** Undo an entry: the date goes back to the package's value when it has one, else to Monday–Friday. */
  async function resetDay(date: string, ctx: RequestContext): Promise<CalendarDay> {
    const actor = requireActor(ctx);
    const at = clock.now().toISOString();
    const packaged = packagedCalendar().deviations.get(date);
    return db.transaction().execute(async (trx) => {
      const before = await getDay(trx, date);
      if (before.source === 'default') throw notFound();
      await trx.deleteFrom('calendar_days').where('date', '=', date).execute();
      let after = defaultDay(date);
      if (packaged) {
        const row = { date, is_workday: packaged.isWorkday ? 1 : 0, name: packaged.name, source: 'chinese-days', updated_at: at, updated_by: null };
        await trx.insertInto('calendar_days').values(row).execute();
        after = { date, isWorkday: packaged.isWorkday, name: packaged.name, source: 'chinese-days', updatedAt: at, updatedBy: null };
      }
      await audit.append(trx, { actor, action: 'calendar.day.reset', objectType: 'calendar-day', objectId: date, ip: ctx.ip, result: 'success', detail: { before: summary(before), after: summary(after) } });
      return after;
    });
  }

  /** Record that a year's notice has been entered: its dates stop being estimated. */
  async function confirmYear(year: number, ctx: RequestContext): Promise<CalendarYear> {
    const actor = requireActor(ctx);
    const at = clock.now().toISOString();
    return db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('calendar_years').select('source').where('year', '=', year).executeTakeFirst();
      await trx
        .insertInto('calendar_years')
        .values({ year, source: 'manual', updated_at: at })
        .onConflict((conflict) => conflict.column('year').doUpdateSet({ source: 'manual', updated_at: at }))
        .execute();
      await audit.append(trx, { actor, action: 'calendar.year.confirm', objectType: 'calendar-year', objectId: String(year), ip: ctx.ip, result: 'success', detail: { before: before?.source ?? null } });
      return { year, source: 'manual' as const, updatedAt: at };
    });
  }

  /** Take back a year marked by mistake; the package's years cannot be taken back (the sync would restore them). */
  async function withdrawYear(year: number, ctx: RequestContext): Promise<void> {
    const actor = requireActor(ctx);
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('calendar_years').select('source').where('year', '=', year).executeTakeFirst();
      if (!before) throw notFound();
      if (before.source !== 'manual') throw conflict('the notice of this year comes with the software');
      await trx.deleteFrom('calendar_years').where('year', '=', year).execute();
      await audit.append(trx, { actor, action: 'calendar.year.withdraw', objectType: 'calendar-year', objectId: String(year), ip: ctx.ip, result: 'success' });
    });
  }

  return { addWorkdays, findYears, getYearDays, setDay, resetDay, confirmYear, withdrawYear };
}

export type CalendarService = ReturnType<typeof createCalendarService>;

function selectDays(executor: Executor) {
  return executor
    .selectFrom('calendar_days')
    .leftJoin('users', 'users.id', 'calendar_days.updated_by')
    .select(['calendar_days.date', 'calendar_days.is_workday', 'calendar_days.name', 'calendar_days.source', 'calendar_days.updated_at', 'users.username']);
}

type DayRow = { date: string; is_workday: number; name: string | null; source: string; updated_at: string; username: string | null };

function toDay(row: DayRow): CalendarDay {
  return {
    date: row.date,
    isWorkday: row.is_workday === 1,
    name: row.name,
    source: row.source === 'manual' ? 'manual' : 'chinese-days',
    updatedAt: row.updated_at,
    updatedBy: row.username,
  };
}

async function getDay(executor: Executor, date: string): Promise<CalendarDay> {
  const row = await selectDays(executor).where('calendar_days.date', '=', date).executeTakeFirst();
  return row ? toDay(row) : defaultDay(date);
}

function defaultDay(date: string): CalendarDay {
  return { date, isWorkday: isMondayToFriday(dayNumber(date)), name: null, source: 'default', updatedAt: null, updatedBy: null };
}

function summary(day: CalendarDay) {
  return { isWorkday: day.isWorkday, name: day.name, source: day.source };
}
