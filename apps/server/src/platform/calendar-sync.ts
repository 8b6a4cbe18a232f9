import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import { dayNumber, isMondayToFriday } from './calendar.js';
import type { Database } from './db/schema.js';

/** A day that differs from Monday–Friday, with the holiday it belongs to (e.g. 国庆节). */
export interface CalendarDeviation {
  date: string;
  isWorkday: boolean;
  name: string | null;
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let packaged: { years: number[]; deviations: Map<string, CalendarDeviation> } | undefined;

/**
 * The State Council notices shipped in the npm package `chinese-days` (its documented JSON file): the years it
 * covers and, of their days, only those that differ from Monday–Friday.
 */
export function packagedCalendar(): { years: number[]; deviations: Map<string, CalendarDeviation> } {
  if (!packaged) {
    const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
    const deviations = new Map<string, CalendarDeviation>();
    const years = new Set<number>();
    // Values read "National Day,国庆节,3": English name, Chinese name, length of the holiday.
    const chineseName = (value: string) => value.split(',')[1]?.trim() || null;
    for (const [date, value] of Object.entries(data.holidays)) {
      years.add(Number(date.slice(0, 4)));
      if (isMondayToFriday(dayNumber(date))) deviations.set(date, { date, isWorkday: false, name: chineseName(value) });
    }
    for (const [date, value] of Object.entries(data.workdays)) {
      if (!isMondayToFriday(dayNumber(date))) deviations.set(date, { date, isWorkday: true, name: chineseName(value) });
    }
    packaged = { years: [...years].sort((a, b) => a - b), deviations };
  }
  return packaged;
}

/**
 * Make the calendar hold the packaged notices. Runs after every migration: inserts missing years and days,
 * corrects or removes rows the package itself wrote, and never touches a year or day whose source is
 * 'manual'. Idempotent; on an up-to-date database it only reads (a few hundred rows).
 */
export async function syncCalendar(db: Kysely<Database>, now: Date = new Date()): Promise<void> {
  const { years, deviations } = packagedCalendar();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const storedYears = new Map((await trx.selectFrom('calendar_years').select(['year', 'source']).execute()).map((row) => [Number(row.year), row.source]));
    const storedDays = new Map((await trx.selectFrom('calendar_days').selectAll().execute()).map((row) => [row.date, row]));

    const missingYears = years.filter((year) => !storedYears.has(year));
    const droppedYears = [...storedYears].filter(([year, source]) => source === 'chinese-days' && !years.includes(year)).map(([year]) => year);
    const missingDays = [...deviations.values()].filter((day) => !storedDays.has(day.date));
    const changedDays = [...deviations.values()].filter((day) => {
      const stored = storedDays.get(day.date);
      return stored?.source === 'chinese-days' && (stored.is_workday !== (day.isWorkday ? 1 : 0) || stored.name !== day.name);
    });
    const droppedDays = [...storedDays.values()].filter((row) => row.source === 'chinese-days' && !deviations.has(row.date)).map((row) => row.date);

    for (let start = 0; start < missingYears.length; start += 500) {
      await trx
        .insertInto('calendar_years')
        .values(missingYears.slice(start, start + 500).map((year) => ({ year, source: 'chinese-days', updated_at: at })))
        .onConflict((conflict) => conflict.column('year').doNothing())
        .execute();
    }
    if (droppedYears.length > 0) await trx.deleteFrom('calendar_years').where('year', 'in', droppedYears).where('source', '=', 'chinese-days').execute();
    for (let start = 0; start < missingDays.length; start += 500) {
      await trx
        .insertInto('calendar_days')
        .values(
          missingDays.slice(start, start + 500).map((day) => ({
            date: day.date,
            is_workday: day.isWorkday ? 1 : 0,
            name: day.name,
            source: 'chinese-days',
            updated_at: at,
            updated_by: null,
          })),
        )
        .onConflict((conflict) => conflict.column('date').doNothing())
        .execute();
    }
    for (const day of changedDays) {
      await trx
        .updateTable('calendar_days')
        .set({ is_workday: day.isWorkday ? 1 : 0, name: day.name, updated_at: at })
        .where('date', '=', day.date)
        .where('source', '=', 'chinese-days')
        .execute();
    }
    for (let start = 0; start < droppedDays.length; start += 500) {
      await trx.deleteFrom('calendar_days').where('date', 'in', droppedDays.slice(start, start + 500)).where('source', '=', 'chinese-days').execute();
    }
  });
}
