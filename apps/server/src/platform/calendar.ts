import type { Db, Executor } from './db/database.js';

/**
 * The working-day calendar (domain rules §4): Monday–Friday, corrected by the deviations in calendar_days
 * (holidays on weekdays, 调休 workdays on weekends). A year listed in calendar_years has its official notice
 * in the table; a date in any other year is computed Monday–Friday and flagged `estimated`.
 *
 * Dates are 'YYYY-MM-DD' strings (calendar dates in China, no time zone). Every call reads the deviations of
 * the range it needs from the database (several instances share it, so nothing is cached across calls).
 * For many questions at once (KPIs over thousands of cases) load a `span` once and ask it in memory.
 */

/** A date reached by counting working days; `estimated` when a day counted lies in a year without a notice. */
export interface WorkdayDate {
  date: string;
  estimated: boolean;
}

/** A number of working days; `estimated` when a day counted lies in a year without a notice. */
export interface WorkdayCount {
  days: number;
  estimated: boolean;
}

/** A range of the calendar loaded in memory: synchronous answers for dates inside [from, to]. */
export interface CalendarSpan {
  readonly from: string;
  readonly to: string;
  isWorkday(date: string): boolean;
  /** True when the date's year has no official notice in the calendar (Monday–Friday assumed). */
  isEstimated(date: string): boolean;
  /** As `Calendar.addWorkdays`; `from` and the result must lie inside the span, else a RangeError. */
  addWorkdays(from: string, days: number): WorkdayDate;
  /** As `Calendar.workdaysBetween`; both dates must lie inside the span (unless to ≤ from), else a RangeError. */
  workdaysBetween(from: string, to: string): WorkdayCount;
}

/** Longest range one span may cover (a guard against a typo such as year 9025, not a business limit). */
const MAX_SPAN_DAYS = 200 * 366;

export function createCalendar({ db }: { db: Db }) {
  /**
   * Load [from, to] once (two small SELECTs) and answer any number of questions about it in memory.
   * For deadlines, load enough after the last start date: `days * 7 / 5 + 21` calendar days always hold
   * `days` working days under a real notice.
   */
  async function span(from: string, to: string, executor: Executor = db): Promise<CalendarSpan> {
    const start = dayNumber(from);
    const end = dayNumber(to);
    if (end < start) throw new RangeError(`calendar span ends (${to}) before it starts (${from})`);
    if (end - start + 1 > MAX_SPAN_DAYS) throw new RangeError(`calendar span ${from}..${to} is too long`);
    // One after the other: the executor may be a transaction, which has a single connection.
    const deviations = await executor.selectFrom('calendar_days').select(['date', 'is_workday']).where('date', '>=', from).where('date', '<=', to).execute();
    const years = await executor
      .selectFrom('calendar_years')
      .select('year')
      .where('year', '>=', Number(from.slice(0, 4)))
      .where('year', '<=', Number(to.slice(0, 4)))
      .execute();
    return buildSpan(start, end, new Map(deviations.map((row) => [row.date, row.is_workday === 1])), new Set(years.map((row) => Number(row.year))));
  }

  /**
   * The date `days` working days after `from`, counting from the day AFTER `from` (domain rules §4):
   * 2025-09-30 + 3 → 2025-10-11. `days` is an integer ≥ 0; 0 returns `from` itself (not estimated) so that
   * shifting by a computed count of zero is a no-op — callers that need a workday ask for ≥ 1.
   */
  async function addWorkdays(from: string, days: number, executor: Executor = db): Promise<WorkdayDate> {
    checkDays(days);
    const start = dayNumber(from);
    if (days === 0) return { date: from, estimated: false };
    // The longest run of days off in any notice is 9 (春节 with its weekends), so this window is nearly always
    // enough; manual entries can make it short, then the window doubles.
    for (let length = Math.ceil((days * 7) / 5) + 21; ; length *= 2) {
      const last = Math.min(start + length, start + MAX_SPAN_DAYS - 1);
      const loaded = await span(from, dateOf(last), executor);
      const result = reach(loaded as SpanInternals, from, days);
      if (result) return result;
      if (last === start + MAX_SPAN_DAYS - 1) throw new RangeError(`no ${days} working days within ${MAX_SPAN_DAYS} days after ${from}`);
    }
  }

  /**
   * Working days in (from, to]: the day `from` is not counted, `to` is. 0 when to ≤ from. For paused time and
   * handling time: workdaysBetween(d, addWorkdays(d, n).date).days === n.
   */
  async function workdaysBetween(from: string, to: string, executor: Executor = db): Promise<WorkdayCount> {
    if (dayNumber(to) <= dayNumber(from)) return { days: 0, estimated: false };
    return (await span(from, to, executor)).workdaysBetween(from, to);
  }

  /** Whether the date is a working day (Monday–Friday in a year without a notice). */
  async function isWorkday(date: string, executor: Executor = db): Promise<boolean> {
    return (await span(date, date, executor)).isWorkday(date);
  }

  return { span, addWorkdays, workdaysBetween, isWorkday };
}

export type Calendar = ReturnType<typeof createCalendar>;

interface SpanInternals extends CalendarSpan {
  /** workdays[k] = working days among the first k days of the span; unknown[k] = days in years without a notice. */
  readonly start: number;
  readonly workdays: Uint32Array;
  readonly unknown: Uint32Array;
}

function buildSpan(start: number, end: number, deviations: Map<string, boolean>, knownYears: Set<number>): SpanInternals {
  const length = end - start + 1;
  const workdays = new Uint32Array(length + 1);
  const unknown = new Uint32Array(length + 1);
  for (let k = 0; k < length; k += 1) {
    const date = dateOf(start + k);
    const isWork = deviations.get(date) ?? isMondayToFriday(start + k);
    workdays[k + 1] = workdays[k]! + (isWork ? 1 : 0);
    unknown[k + 1] = unknown[k]! + (knownYears.has(Number(date.slice(0, 4))) ? 0 : 1);
  }
  const from = dateOf(start);
  const to = dateOf(end);
  const indexOf = (date: string) => {
    const k = dayNumber(date) - start;
    if (k < 0 || k >= length) throw new RangeError(`${date} is outside the loaded calendar span ${from}..${to}`);
    return k;
  };
  const self: SpanInternals = {
    from,
    to,
    start,
    workdays,
    unknown,
    isWorkday: (date) => {
      const k = indexOf(date);
      return workdays[k + 1]! > workdays[k]!;
    },
    isEstimated: (date) => {
      const k = indexOf(date);
      return unknown[k + 1]! > unknown[k]!;
    },
    addWorkdays: (date, days) => {
      checkDays(days);
      if (days === 0) return { date, estimated: false };
      const result = reach(self, date, days);
      if (!result) throw new RangeError(`${days} working days after ${date} lie beyond the loaded calendar span ${from}..${to}`);
      return result;
    },
    workdaysBetween: (a, b) => {
      if (dayNumber(b) <= dayNumber(a)) return { days: 0, estimated: false };
      const i = indexOf(a) + 1;
      const j = indexOf(b) + 1;
      return { days: workdays[j]! - workdays[i]!, estimated: unknown[j]! > unknown[i]! };
    },
  };
  return self;
}

/** The day `days` (≥ 1) working days after `from` inside the span, or null when the span ends first. */
function reach(span: SpanInternals, from: string, days: number): WorkdayDate | null {
  const { workdays, unknown, start } = span;
  const first = dayNumber(from) - start + 1;
  if (first < 1 || first > workdays.length - 1) throw new RangeError(`${from} is outside the loaded calendar span ${span.from}..${span.to}`);
  const target = workdays[first]! + days;
  if (workdays[workdays.length - 1]! < target) return null;
  // Smallest k with workdays[k] ≥ target: day k-1 of the span is the last one counted (and a working day).
  let low = first + 1;
  let high = workdays.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (workdays[middle]! >= target) high = middle;
    else low = middle + 1;
  }
  return { date: dateOf(start + low - 1), estimated: unknown[low]! > unknown[first]! };
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be an integer ≥ 0, got ${days}`);
}

// Dates as day numbers (days since 1970-01-01), by integer arithmetic so any 'YYYY-MM-DD' works without time zones.

/** True when the text is a real calendar date written 'YYYY-MM-DD'. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; a RangeError for anything else. */
export function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a 'YYYY-MM-DD' date: ${date}`);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The 'YYYY-MM-DD' date of a day number. */
export function dateOf(dayNumberValue: number): string {
  const z = dayNumberValue + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `days` calendar days after (or before, when negative) `date`. */
export function addCalendarDays(date: string, days: number): string {
  return dateOf(dayNumber(date) + days);
}

/** Monday–Friday, the default when calendar_days has no row for the date. */
export function isMondayToFriday(dayNumberValue: number): boolean {
  // 1970-01-01 was a Thursday (4); 0 = Sunday … 6 = Saturday.
  const weekday = (((dayNumberValue + 4) % 7) + 7) % 7;
  return weekday >= 1 && weekday <= 5;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
