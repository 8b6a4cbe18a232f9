// When people act in the demo's script: office hours on the working-day calendar (调休 included), evenings and
// weekends for enterprises. Times are epoch milliseconds; dates are China calendar days.

import { type CalendarSpan, addCalendarDays } from '../../platform/calendar.js';
import { chinaDate } from '../appeals/appeal-rules.js';
import { type Rng, intBetween } from './demo-random.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
const OPENS = 8 * 60 + 30;
const CLOSES = 17 * 60 + 30;

/** The instant of a minute of a China calendar day (UTC+8). */
export function instant(date: string, minute: number): number {
  return Date.parse(`${date}T00:00:00+08:00`) + minute * MINUTE;
}

/** The played year's first day is a year before today; the platform went live the day before, at 09:00. */
export function historyStartsAt(end: Date): Date {
  return new Date(instant(addCalendarDays(chinaDate(end), -366), 9 * 60));
}

/** The China calendar day of an instant. */
export const dateOfInstant = (at: number) => chinaDate(new Date(at));
const minuteOf = (at: number) => Math.floor((at - instant(dateOfInstant(at), 0)) / MINUTE);

/** Time helpers over a loaded span of the calendar (it must hold every date asked about). */
export function workingClock(span: CalendarSpan) {
  const plusWorkdays = (date: string, days: number) => (days <= 0 ? date : span.addWorkdays(date, days).date);
  const workdayFrom = (date: string) => (span.isWorkday(date) ? date : plusWorkdays(date, 1));
  /** Within office hours on a working day: the instant itself, else the next opening plus a little. */
  function office(at: number, rng: Rng): number {
    const date = dateOfInstant(at);
    const minute = minuteOf(at);
    if (span.isWorkday(date) && minute >= OPENS && minute < CLOSES) return at;
    const day = span.isWorkday(date) && minute < OPENS ? date : plusWorkdays(date, 1);
    return instant(day, OPENS + intBetween(rng, 5, 100));
  }
  return {
    isWorkday: (date: string) => span.isWorkday(date),
    /** `days` working days after a date (the date itself for 0). */
    plusWorkdays,
    /** Working days in (from, to]. */
    workdaysBetween: (from: string, to: string) => span.workdaysBetween(from, to).days,
    /** The first working day on or after a date. */
    workdayFrom,
    office,
    /** A while later, within office hours. */
    later: (at: number, rng: Rng, minMinutes: number, maxMinutes: number) => office(at + intBetween(rng, minMinutes, maxMinutes) * MINUTE, rng),
    /** Some time on the first working day from a date, between two minutes of the day. */
    onWorkday: (date: string, rng: Rng, from = 9 * 60, to = 17 * 60) => instant(workdayFrom(date), intBetween(rng, from, to)),
    /** Enterprises write in the evening and at weekends too, but not at night. */
    whenAwake: (at: number, rng: Rng) => {
      const minute = minuteOf(at);
      return minute >= 7 * 60 && minute < 23 * 60 ? at : instant(dateOfInstant(at + 8 * HOUR), 7 * 60 + intBetween(rng, 30, 180));
    },
  };
}
