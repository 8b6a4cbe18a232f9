import { z } from 'zod';
import { plainText } from './schemas.js';

const DATE_MESSAGE = 'a date YYYY-MM-DD (1900–2999)';

/** A plain calendar date 'YYYY-MM-DD' (a real date, years 1900–2999), as deadlines use. */
export const plainDateSchema = z.iso.date(DATE_MESSAGE).refine((value) => value >= '1900-01-01' && value <= '2999-12-31', DATE_MESSAGE);

export const calendarYearNumberSchema = z.coerce.number().int().min(1900).max(2999);

/** Where a calendar row comes from: the npm package `chinese-days` (synced at start-up) or a person. */
export const calendarSourceSchema = z.enum(['chinese-days', 'manual']);
export type CalendarSource = z.infer<typeof calendarSourceSchema>;

export const addWorkdaysQuerySchema = z.object({
  from: plainDateSchema,
  /** Working days after `from` (the day after `from` is the first one counted). */
  days: z.coerce.number().int().min(1).max(365),
});
export type AddWorkdaysQuery = z.infer<typeof addWorkdaysQuerySchema>;

/** A due date; `estimated` when a day counted lies in a year whose holiday notice is not in the calendar. */
export const workdayDateSchema = z.object({ date: z.string(), estimated: z.boolean() });
export type WorkdayDate = z.infer<typeof workdayDateSchema>;

/** A year whose official holiday notice is in the calendar. */
export const calendarYearSchema = z.object({ year: z.number(), source: calendarSourceSchema, updatedAt: z.string() });
export type CalendarYear = z.infer<typeof calendarYearSchema>;

/**
 * One date's standing. `source` 'default' means no row: Monday–Friday decides. Rows exist only for dates that
 * differ from Monday–Friday, or for a manual entry that must outlast the package's value.
 */
export const calendarDaySchema = z.object({
  date: z.string(),
  isWorkday: z.boolean(),
  name: z.string().nullable(),
  source: z.enum(['chinese-days', 'manual', 'default']),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type CalendarDay = z.infer<typeof calendarDaySchema>;

export const calendarYearDaysSchema = z.object({
  year: z.number(),
  /** The year's notice is in the calendar; otherwise its dates are estimated (Monday–Friday). */
  isKnown: z.boolean(),
  source: calendarSourceSchema.nullable(),
  /** The stored rows of that year, by date. */
  days: z.array(calendarDaySchema),
});
export type CalendarYearDays = z.infer<typeof calendarYearDaysSchema>;

export const setCalendarDayInputSchema = z.object({
  isWorkday: z.boolean(),
  /** The holiday the day belongs to, e.g. 国庆节. */
  name: plainText(30).optional(),
});
export type SetCalendarDayInput = z.infer<typeof setCalendarDayInputSchema>;
